/**
 * A fake Nimbus for contract tests and benches: a TCP server on 127.0.0.1 speaking framed
 * binary Thrift, recording every call, reassembling uploaded JARs, validating submitted
 * topologies the way Nimbus does, and throwing any declared exception on request.
 */
import net from 'node:net';
import { ApplicationExceptionSchema, decodeFrame, encodeFramedMessage, FrameSplitter, MessageType, NIMBUS_MAX_FRAME_BYTES } from '../../core/cluster/thrift/message.js';
import { NimbusMethods, type MethodSpec, type NimbusMethodName } from '../../core/cluster/thrift/nimbus-service.js';
import type { ClusterSummary, ComponentCommon, NimbusExceptionName, RebalanceOptions, StormTopology, TopologyInfo, TopologySummary } from '../../core/cluster/thrift/storm-types.js';

/** One call as the fake received it. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
}

/** A topology the fake considers running. */
export interface FakeTopology {
  id: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE' | 'REBALANCING' | 'KILLED';
  conf: Record<string, unknown>;
  topology: StormTopology;
  jar: Buffer;
  rebalances: RebalanceOptions[];
}

export interface FakeNimbusOptions {
  /** How long a killed topology lingers (KILLED) before it disappears; real Nimbus waits wait_secs. */
  killLingerMs?: number;
  /** The Storm version Nimbus and the supervisor report (default 2.4.0); undefined-like values as Storm sends them. */
  version?: string;
}

export class FakeNimbus {
  readonly calls: RecordedCall[] = [];
  readonly topologies = new Map<string, FakeTopology>();
  /** Upload locations → received chunks; finished uploads move to `jars`. */
  private readonly uploads = new Map<string, Buffer[]>();
  readonly jars = new Map<string, Buffer>();
  /** Exceptions to throw on the next call of a method. */
  private readonly failures = new Map<string, { exception: NimbusExceptionName; msg: string }>();
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private nextId = 1;
  /** Connections dropped because a frame exceeded 1 MiB (as Nimbus does). */
  oversizedFrames = 0;
  port = 0;

  constructor(private readonly options: FakeNimbusOptions = {}) {
    this.server = net.createServer((socket) => this.serve(socket));
  }

  /** Starts listening on 127.0.0.1 (port 0 = any free port). */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  /** `127.0.0.1:port`. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Makes the next call of `method` throw a declared exception with Nimbus's message. */
  failNext(method: NimbusMethodName, exception: NimbusExceptionName, msg: string): void {
    this.failures.set(method, { exception, msg });
  }

  /** Pretends a topology is running (for list/kill/activate tests). */
  addRunning(name: string): FakeTopology {
    const entry: FakeTopology = {
      id: `${name}-${this.nextId++}-1700000000`,
      name,
      status: 'ACTIVE',
      conf: { 'topology.name': name },
      topology: { spouts: new Map(), bolts: new Map(), state_spouts: new Map() },
      jar: Buffer.alloc(0),
      rebalances: [],
    };
    this.topologies.set(name, entry);
    return entry;
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const splitter = new FrameSplitter(NIMBUS_MAX_FRAME_BYTES);
    socket.on('data', (data) => {
      let frames: Buffer[];
      try {
        frames = splitter.push(data);
      } catch {
        // Nimbus's TFramedTransport drops a connection whose frame exceeds its buffer size.
        this.oversizedFrames++;
        socket.destroy();
        return;
      }
      for (const frame of frames) socket.write(this.answer(frame));
    });
  }

  private answer(frame: Buffer): Buffer {
    const message = decodeFrame(frame);
    const method = (NimbusMethods as Record<string, MethodSpec>)[message.name];
    if (!method) {
      return encodeFramedMessage(message.name, MessageType.EXCEPTION, message.seqid, ApplicationExceptionSchema, { message: `Invalid method name: '${message.name}'`, type: 1 });
    }
    const args = message.readBody<Record<string, unknown>>(method.args);
    this.calls.push({ method: method.name, args });
    let result: Record<string, unknown>;
    const failure = this.failures.get(method.name);
    if (failure) {
      this.failures.delete(method.name);
      result = this.thrown(method, failure.exception, failure.msg);
    } else {
      try {
        result = { success: this.handle(method.name as NimbusMethodName, args) };
      } catch (err) {
        if (!(err instanceof FakeThrow)) throw err;
        result = this.thrown(method, err.exception, err.message);
      }
    }
    return encodeFramedMessage(method.name, MessageType.REPLY, message.seqid, method.result, result);
  }

  private thrown(method: MethodSpec, exception: NimbusExceptionName, msg: string): Record<string, unknown> {
    const field = Object.entries(method.exceptions).find(([, name]) => name === exception)?.[0];
    if (!field) throw new Error(`${method.name} does not declare ${exception}`);
    return { [field]: { msg } };
  }

  private handle(name: NimbusMethodName, args: Record<string, unknown>): unknown {
    switch (name) {
      case 'beginFileUpload': {
        const location = `/storm/nimbus/inbox/stormjar-${this.nextId++}.jar`;
        this.uploads.set(location, []);
        return location;
      }
      case 'uploadChunk': {
        const chunks = this.uploads.get(args.location as string);
        if (!chunks) throw new FakeThrow('AuthorizationException', `File for that location does not exist (or timed out) ${String(args.location)}`);
        chunks.push(args.chunk as Buffer);
        return undefined;
      }
      case 'finishFileUpload': {
        const chunks = this.uploads.get(args.location as string);
        if (!chunks) throw new FakeThrow('AuthorizationException', `File for that location does not exist (or timed out) ${String(args.location)}`);
        this.jars.set(args.location as string, Buffer.concat(chunks));
        this.uploads.delete(args.location as string);
        return undefined;
      }
      case 'submitTopologyWithOpts':
        return this.submit(args);
      case 'killTopologyWithOpts': {
        const entry = this.alive(args.name as string);
        entry.status = 'KILLED';
        setTimeout(() => {
          if (this.topologies.get(entry.name) === entry) this.topologies.delete(entry.name);
        }, this.options.killLingerMs ?? 0).unref();
        return undefined;
      }
      case 'activate':
        this.alive(args.name as string).status = 'ACTIVE';
        return undefined;
      case 'deactivate':
        this.alive(args.name as string).status = 'INACTIVE';
        return undefined;
      case 'rebalance': {
        const entry = this.alive(args.name as string);
        const options = args.options as RebalanceOptions;
        for (const component of options.num_executors?.keys() ?? []) {
          if (!entry.topology.spouts.has(component) && !entry.topology.bolts.has(component)) {
            throw new FakeThrow('InvalidTopologyException', `Invalid component in rebalance: ${component}`);
          }
        }
        entry.rebalances.push(options);
        return undefined;
      }
      case 'getClusterInfo':
        return this.clusterInfo();
      case 'getTopologyInfo':
        return this.topologyInfo(args.id as string);
    }
  }

  private alive(name: string): FakeTopology {
    const entry = this.topologies.get(name);
    if (!entry || entry.status === 'KILLED') throw new FakeThrow('NotAliveException', `${name} is not alive`);
    return entry;
  }

  private submit(args: Record<string, unknown>): undefined {
    const name = args.name as string;
    if (this.topologies.has(name)) throw new FakeThrow('AlreadyAliveException', `Topology with name \`${name}\` already exists on cluster`);
    const jar = this.jars.get(args.uploadedJarLocation as string);
    if (!jar) throw new FakeThrow('InvalidTopologyException', `Jar ${String(args.uploadedJarLocation)} was not uploaded`);
    let conf: Record<string, unknown>;
    try {
      conf = JSON.parse(args.jsonConf as string) as Record<string, unknown>;
    } catch {
      throw new FakeThrow('InvalidTopologyException', 'Topology conf is not json');
    }
    const topology = args.topology as StormTopology;
    validateLikeNimbus(topology);
    // Nimbus parses storm_version with SimpleVersion to pick a worker classpath; it refuses what it cannot parse.
    if (topology.storm_version !== undefined && !/^(\d+)[._-]+(\d+).*$/.test(topology.storm_version)) {
      throw new FakeThrow('InvalidTopologyException', `Cannot parse '${topology.storm_version}'`);
    }
    const status = (args.options as { initial_status: number }).initial_status === 2 ? 'INACTIVE' : 'ACTIVE';
    this.topologies.set(name, { id: `${name}-${this.nextId++}-1700000000`, name, status, conf, topology, jar, rebalances: [] });
    return undefined;
  }

  private clusterInfo(): ClusterSummary {
    const topologies: TopologySummary[] = [...this.topologies.values()].map((t) => {
      const components = [...t.topology.spouts.values(), ...t.topology.bolts.values()];
      const executors = components.reduce((n, c) => n + (c.common.parallelism_hint ?? 1), 0);
      const summary: TopologySummary = { id: t.id, name: t.name, num_tasks: executors, num_executors: executors, num_workers: Number(t.conf['topology.workers'] ?? 1), uptime_secs: 42, status: t.status, owner: 'storm' };
      // As Nimbus does: a topology's summary carries the storm_version it was submitted with.
      if (t.topology.storm_version !== undefined) summary.storm_version = t.topology.storm_version;
      return summary;
    });
    return {
      supervisors: [{ host: 'worker1', uptime_secs: 100, num_workers: 4, num_used_workers: topologies.length, supervisor_id: 'sup-1', version: this.options.version ?? '2.4.0' }],
      topologies,
      nimbuses: [{ host: 'nimbus', port: this.port, uptime_secs: 100, isLeader: true, version: this.options.version ?? '2.4.0' }],
    };
  }

  private topologyInfo(id: string): TopologyInfo {
    const entry = [...this.topologies.values()].find((t) => t.id === id);
    if (!entry) throw new FakeThrow('NotAliveException', `${id} is not alive`);
    // One executor per parallelism hint, tasks numbered from 1 in spouts-then-bolts order, all in one worker.
    const executors: TopologyInfo['executors'] = [];
    let task = 1;
    for (const [componentId, spec] of [...entry.topology.spouts, ...entry.topology.bolts]) {
      for (let i = 0; i < (spec.common.parallelism_hint ?? 1); i++, task++) {
        executors.push({ executor_info: { task_start: task, task_end: task }, component_id: componentId, host: 'worker1', port: 6700, uptime_secs: 42 });
      }
    }
    const errors = new Map([['split', [{ error: 'java.lang.RuntimeException: boom', error_time_secs: 1700000000, host: 'worker1', port: 6700 }]]]);
    return { id, name: entry.name, uptime_secs: 42, executors, status: entry.status, errors };
  }
}

class FakeThrow extends Error {
  constructor(readonly exception: NimbusExceptionName, message: string) {
    super(message);
  }
}

/** The structural checks Nimbus applies before accepting a topology (StormCommon.validateBasic/validateStructure). */
export function validateLikeNimbus(topology: StormTopology): void {
  if (topology.spouts.size === 0) throw new FakeThrow('InvalidTopologyException', 'Topology has no spouts');
  const components = new Map<string, { common: ComponentCommon }>();
  for (const [id, spec] of [...topology.spouts, ...topology.bolts]) {
    if (id.startsWith('__')) throw new FakeThrow('InvalidTopologyException', `Component id ${id} is reserved`);
    if (components.has(id)) throw new FakeThrow('InvalidTopologyException', `Duplicate component ids: [${id}]`);
    components.set(id, spec);
    const common = spec.common;
    if (!common.json_conf) throw new FakeThrow('InvalidTopologyException', `Component ${id} has no json_conf`);
    JSON.parse(common.json_conf);
    for (const stream of common.streams.keys()) {
      if (stream.startsWith('__')) throw new FakeThrow('InvalidTopologyException', `Stream id ${stream} is reserved (component ${id})`);
    }
  }
  for (const [id, spout] of topology.spouts) {
    if (spout.common.inputs.size > 0) throw new FakeThrow('InvalidTopologyException', `Spout ${id} has inputs`);
  }
  for (const [id, bolt] of topology.bolts) {
    for (const [source, grouping] of bolt.common.inputs) {
      const from = components.get(source.componentId);
      if (!from) throw new FakeThrow('InvalidTopologyException', `Component: [${id}] subscribes from non-existent component [${source.componentId}]`);
      const stream = from.common.streams.get(source.streamId);
      if (!stream) throw new FakeThrow('InvalidTopologyException', `Component: [${id}] subscribes from non-existent stream: [${source.streamId}] of component [${source.componentId}]`);
      if ('fields' in grouping) {
        for (const field of grouping.fields) {
          if (!stream.output_fields.includes(field)) {
            throw new FakeThrow('InvalidTopologyException', `Component: [${id}] subscribes from stream: [${source.streamId}] of component [${source.componentId}] with non-existent fields: [${field}]`);
          }
        }
      }
    }
  }
}
