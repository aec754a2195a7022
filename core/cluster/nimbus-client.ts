/**
 * A Nimbus client without Java: Thrift over a framed TCP transport, one call at a time
 * (Nimbus serves a connection sequentially anyway). Every failure becomes a SquallError that
 * says which host:port and what to do.
 */
import net from 'node:net';
import { SquallError } from '../common/errors.js';
import { formatAddress, unreachableHint, type NimbusAddress } from './nimbus-address.js';
import { NimbusError } from './nimbus-errors.js';
import { ApplicationExceptionSchema, decodeFrame, encodeFramedMessage, FrameSizeError, FrameSplitter, MessageType, NIMBUS_MAX_FRAME_BYTES } from './thrift/message.js';
import { NimbusMethods, type MethodSpec, type NimbusMethodName } from './thrift/nimbus-service.js';
import {
  TopologyInitialStatus,
  type ClusterSummary,
  type RebalanceOptions,
  type StormTopology,
  type TopologyInfo,
} from './thrift/storm-types.js';

/** Upload chunk size: a chunk plus its call header must fit Nimbus's 1 MiB frame. */
export const UPLOAD_CHUNK_BYTES = 256 * 1024;

/** Time limits and the frame size of a Nimbus connection. */
export interface NimbusClientOptions {
  /** Give up connecting after this long (default 10 s). */
  connectTimeoutMs?: number;
  /** Give up waiting for one reply after this long (default 120 s; submit can be slow). */
  callTimeoutMs?: number;
  /** Largest frame sent or accepted (default 1 MiB, Storm's nimbus.thrift.max_buffer_size). */
  maxFrameBytes?: number;
}

interface PendingCall {
  method: MethodSpec;
  seqid: number;
  topology?: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Progress of an upload, in bytes. */
export type UploadProgress = (sent: number, total: number) => void;

/** A connection to Nimbus. Create with `NimbusClient.connect`, end with `close`. */
export class NimbusClient {
  private seqid = 0;
  private pending?: PendingCall;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly splitter: FrameSplitter;

  private constructor(
    private readonly socket: net.Socket,
    /** Where this client is connected. */
    readonly address: NimbusAddress,
    private readonly options: Required<NimbusClientOptions>,
  ) {
    this.splitter = new FrameSplitter(options.maxFrameBytes);
    socket.on('data', (data) => this.onData(data));
    socket.on('error', (err) => this.failPending(this.connectionLost(err)));
    socket.on('close', () => {
      this.closed = true;
      this.failPending(this.connectionLost());
    });
  }

  /** Opens a connection to Nimbus, or fails with a SquallError naming host:port and the fixes. */
  static connect(address: NimbusAddress, options: NimbusClientOptions = {}): Promise<NimbusClient> {
    const resolved: Required<NimbusClientOptions> = {
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      callTimeoutMs: options.callTimeoutMs ?? 120_000,
      maxFrameBytes: options.maxFrameBytes ?? NIMBUS_MAX_FRAME_BYTES,
    };
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: address.host, port: address.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SquallError('cluster', `cannot reach Nimbus at ${formatAddress(address)}: no answer within ${resolved.connectTimeoutMs / 1000} s`, {}, unreachableHint(address)));
      }, resolved.connectTimeoutMs);
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new SquallError('cluster', `cannot reach Nimbus at ${formatAddress(address)}: ${describeSocketError(err)}`, {}, unreachableHint(address)));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new NimbusClient(socket, address, resolved));
      });
    });
  }

  /** Closes the connection. */
  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** Starts a JAR upload; returns the location on Nimbus to upload chunks to. */
  beginFileUpload(): Promise<string> {
    return this.call('beginFileUpload', {}) as Promise<string>;
  }

  /** Sends one chunk of an upload. */
  async uploadChunk(location: string, chunk: Buffer): Promise<void> {
    await this.call('uploadChunk', { location, chunk });
  }

  /** Ends an upload: Nimbus moves the file where workers can fetch it. */
  async finishFileUpload(location: string): Promise<void> {
    await this.call('finishFileUpload', { location });
  }

  /** Uploads a whole JAR in chunks that fit Nimbus's frame limit; returns its location. */
  async uploadJar(jar: Buffer, onProgress?: UploadProgress, chunkBytes = UPLOAD_CHUNK_BYTES): Promise<string> {
    const location = await this.beginFileUpload();
    onProgress?.(0, jar.length);
    for (let offset = 0; offset < jar.length; offset += chunkBytes) {
      const chunk = jar.subarray(offset, Math.min(offset + chunkBytes, jar.length));
      await this.uploadChunk(location, chunk);
      onProgress?.(offset + chunk.length, jar.length);
    }
    await this.finishFileUpload(location);
    return location;
  }

  /** Submits an uploaded topology (`submitTopologyWithOpts`). */
  async submitTopology(name: string, jarLocation: string, conf: Record<string, unknown>, topology: StormTopology, options: { inactive?: boolean } = {}): Promise<void> {
    const initial_status = options.inactive ? TopologyInitialStatus.INACTIVE : TopologyInitialStatus.ACTIVE;
    await this.call(
      'submitTopologyWithOpts',
      { name, uploadedJarLocation: jarLocation, jsonConf: JSON.stringify(conf), topology, options: { initial_status } },
      name,
    );
  }

  /** Kills a topology; its workers stop `waitSecs` later (Storm's default is 30 s). */
  async killTopology(name: string, waitSecs?: number): Promise<void> {
    await this.call('killTopologyWithOpts', { name, options: { wait_secs: waitSecs } }, name);
  }

  /** Activates a topology: its spouts get nextTuple calls again. */
  async activate(name: string): Promise<void> {
    await this.call('activate', { name }, name);
  }

  /** Deactivates a topology: spouts stop getting nextTuple calls; in-flight tuples finish. */
  async deactivate(name: string): Promise<void> {
    await this.call('deactivate', { name }, name);
  }

  /** Changes a running topology's worker and executor counts. */
  async rebalance(name: string, options: RebalanceOptions): Promise<void> {
    await this.call('rebalance', { name, options }, name);
  }

  /** Supervisors, topologies and Nimbus hosts of the cluster. */
  getClusterInfo(): Promise<ClusterSummary> {
    return this.call('getClusterInfo', {}) as Promise<ClusterSummary>;
  }

  /** Executors (host, worker port) and errors of one topology, by topology id. */
  getTopologyInfo(id: string): Promise<TopologyInfo> {
    return this.call('getTopologyInfo', { id }) as Promise<TopologyInfo>;
  }

  /** Calls a Nimbus method; calls are queued so only one is on the wire at a time. */
  call(name: NimbusMethodName, args: Record<string, unknown>, topology?: string): Promise<unknown> {
    const run = this.queue.then(() => this.send(NimbusMethods[name], args, topology));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private send(method: MethodSpec, args: Record<string, unknown>, topology: string | undefined): Promise<unknown> {
    const where = formatAddress(this.address);
    if (this.closed) return Promise.reject(new SquallError('cluster', `the connection to Nimbus at ${where} is closed`, {}, 'connect again'));
    const seqid = ++this.seqid;
    const frame = encodeFramedMessage(method.name, MessageType.CALL, seqid, method.args, args);
    if (frame.length - 4 > this.options.maxFrameBytes) {
      return Promise.reject(
        new SquallError(
          'cluster',
          `the ${method.name} request is ${frame.length - 4} bytes, over Nimbus's frame limit of ${this.options.maxFrameBytes} bytes (nimbus.thrift.max_buffer_size)`,
          {},
          'Nimbus would drop the connection; a topology this large needs nimbus.thrift.max_buffer_size raised on the cluster',
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(new SquallError('cluster', `Nimbus at ${where} did not answer ${method.name} within ${this.options.callTimeoutMs / 1000} s`, {}, 'Nimbus may be overloaded or stuck; check its log (nimbus.log)'));
        this.close();
      }, this.options.callTimeoutMs);
      this.pending = { method, seqid, topology, resolve, reject, timer };
      this.socket.write(frame);
    });
  }

  private onData(data: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.splitter.push(data);
    } catch (err) {
      const detail = err instanceof FrameSizeError ? ` (it announced a frame of ${err.size} bytes)` : '';
      this.failPending(
        new SquallError('cluster', `the server at ${formatAddress(this.address)} does not speak Nimbus's framed Thrift${detail}`, {}, 'is this Nimbus\'s Thrift port (nimbus.thrift.port, 6627)? The UI (8080) and logviewer (8000) speak HTTP'),
      );
      this.close();
      return;
    }
    for (const frame of frames) this.onFrame(frame);
  }

  private onFrame(frame: Buffer): void {
    const call = this.pending;
    if (!call) return;
    this.pending = undefined;
    clearTimeout(call.timer);
    try {
      const message = decodeFrame(frame);
      if (message.seqid !== call.seqid || message.name !== call.method.name) {
        throw new SquallError('cluster', `Nimbus answered ${message.name}#${message.seqid} to ${call.method.name}#${call.seqid}`, {}, 'this is a protocol mix-up; reconnect and retry');
      }
      if (message.type === MessageType.EXCEPTION) {
        const failure = message.readBody<{ message?: string; type?: number }>(ApplicationExceptionSchema);
        throw new SquallError('cluster', `Nimbus failed ${call.method.name}: ${failure.message ?? 'internal error'}`, {}, 'see nimbus.log on the Nimbus host for the cause');
      }
      const result = message.readBody<Record<string, unknown>>(call.method.result);
      for (const [field, exception] of Object.entries(call.method.exceptions)) {
        const thrown = result[field] as { msg?: string } | undefined;
        if (thrown) throw new NimbusError(exception, thrown.msg ?? '', call.method.name, call.topology);
      }
      call.resolve(result.success);
    } catch (err) {
      call.reject(err instanceof SquallError ? err : new SquallError('cluster', `cannot read Nimbus's answer to ${call.method.name}: ${(err as Error).message}`));
    }
  }

  private connectionLost(err?: Error): SquallError {
    const where = formatAddress(this.address);
    const method = this.pending?.method.name;
    return new SquallError(
      'cluster',
      `Nimbus at ${where} closed the connection${method ? ` during ${method}` : ''}${err ? `: ${describeSocketError(err as NodeJS.ErrnoException)}` : ''}`,
      {},
      `a request over nimbus.thrift.max_buffer_size (1 MiB by default) makes Nimbus hang up; otherwise Nimbus restarted or ${where} is not its Thrift port`,
    );
  }

  private failPending(error: Error): void {
    const call = this.pending;
    if (!call) return;
    this.pending = undefined;
    clearTimeout(call.timer);
    call.reject(error);
  }
}

function describeSocketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on that port)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host name';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to host';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return err.message;
  }
}

/** Opens a client, runs `work`, and always closes the connection. */
export async function withNimbus<T>(address: NimbusAddress, work: (client: NimbusClient) => Promise<T>, options?: NimbusClientOptions): Promise<T> {
  const client = await NimbusClient.connect(address, options);
  try {
    return await work(client);
  } finally {
    client.close();
  }
}
