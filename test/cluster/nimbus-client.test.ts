import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NimbusClient, UPLOAD_CHUNK_BYTES } from '../../core/cluster/nimbus-client.js';
import { NimbusError } from '../../core/cluster/nimbus-errors.js';
import { parseNimbusAddress } from '../../core/cluster/nimbus-address.js';
import { toStormTopology } from '../../core/cluster/storm-topology.js';
import { SquallError } from '../../core/common/errors.js';
import type { TopologySpec } from '../../core/common/topology/model.js';
import { FakeNimbus } from './fake-nimbus.js';

const spec: TopologySpec = {
  name: 'wc',
  config: {},
  components: [
    { id: 'sentences', kind: 'spout', script: 's.ts', parallelism: 1, inputs: [], config: {}, outputs: { default: { fields: ['sentence'], direct: false } } },
    {
      id: 'split',
      kind: 'bolt',
      script: 'b.ts',
      parallelism: 2,
      inputs: [{ source: 'sentences', stream: 'default', grouping: { type: 'fields', fields: ['sentence'] } }],
      config: {},
      outputs: { default: { fields: ['word'], direct: false } },
    },
  ],
};

let nimbus: FakeNimbus;
let client: NimbusClient | undefined;

beforeEach(async () => {
  nimbus = await new FakeNimbus().start();
});
afterEach(async () => {
  client?.close();
  client = undefined;
  await nimbus.stop();
});

async function connect(): Promise<NimbusClient> {
  client = await NimbusClient.connect(parseNimbusAddress(nimbus.address));
  return client;
}

describe('NimbusClient against a fake Nimbus speaking framed binary Thrift', () => {
  it('uploads a JAR over the 1 MiB frame limit in 256 KiB chunks, reassembled byte for byte', async () => {
    const c = await connect();
    const jar = randomBytes(3 * 1024 * 1024 + 123);
    const progress: number[] = [];
    const location = await c.uploadJar(jar, (sent) => progress.push(sent));
    expect(nimbus.jars.get(location)!.equals(jar)).toBe(true);
    const chunks = nimbus.callsOf('uploadChunk').map((call) => (call.args.chunk as Buffer).length);
    expect(chunks.length).toBe(Math.ceil(jar.length / UPLOAD_CHUNK_BYTES));
    expect(Math.max(...chunks)).toBe(UPLOAD_CHUNK_BYTES);
    expect(progress.at(-1)).toBe(jar.length);
    expect(nimbus.oversizedFrames).toBe(0);
  });

  it('submits a topology the fake accepts, then lists, deactivates, activates, rebalances and kills it', async () => {
    const c = await connect();
    const location = await c.uploadJar(Buffer.from('PK fake jar'));
    await c.submitTopology('wc', location, { 'topology.name': 'wc' }, toStormTopology(spec), { inactive: true });
    let info = await c.getClusterInfo();
    expect(info.topologies.map((t) => [t.name, t.status])).toEqual([['wc', 'INACTIVE']]);
    await c.activate('wc');
    expect(nimbus.topologies.get('wc')!.status).toBe('ACTIVE');
    await c.deactivate('wc');
    expect(nimbus.topologies.get('wc')!.status).toBe('INACTIVE');
    await c.rebalance('wc', { wait_secs: 1, num_workers: 3, num_executors: new Map([['split', 4]]) });
    expect(nimbus.topologies.get('wc')!.rebalances[0]).toEqual({ wait_secs: 1, num_workers: 3, num_executors: new Map([['split', 4]]) });
    const info1 = await c.getTopologyInfo(info.topologies[0]!.id);
    expect(info1).toMatchObject({ name: 'wc', status: 'INACTIVE' });
    expect(info1.executors.map((e) => [e.component_id, e.executor_info.task_start, e.port])).toEqual([
      ['sentences', 1, 6700],
      ['split', 2, 6700],
      ['split', 3, 6700],
    ]);
    expect(info1.errors.get('split')![0]!.error).toContain('RuntimeException');
    await c.killTopology('wc', 0);
    expect(nimbus.callsOf('killTopologyWithOpts')[0]!.args).toEqual({ name: 'wc', options: { wait_secs: 0 } });
    info = await c.getClusterInfo();
    expect(info.nimbuses[0]!.isLeader).toBe(true);
  });

  it('surfaces each declared exception with Nimbus\'s message and a hint', async () => {
    const c = await connect();
    const location = await c.uploadJar(Buffer.from('jar'));
    const topology = toStormTopology(spec);
    for (const exception of ['AlreadyAliveException', 'InvalidTopologyException', 'AuthorizationException'] as const) {
      nimbus.failNext('submitTopologyWithOpts', exception, `nimbus says ${exception}`);
      const error = await c.submitTopology('wc', location, {}, topology).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NimbusError);
      expect((error as NimbusError).exception).toBe(exception);
      expect((error as NimbusError).message).toContain(`nimbus says ${exception}`);
      expect((error as NimbusError).hint).toBeTruthy();
    }
    nimbus.failNext('getClusterInfo', 'AuthorizationException', 'user bob is not authorized');
    await expect(c.getClusterInfo()).rejects.toThrow(/AuthorizationException: user bob is not authorized/);
    await expect(c.killTopology('ghost')).rejects.toThrow(/NotAliveException: ghost is not alive/);
  });

  it('is refused by Nimbus-like validation when a fields grouping names an undeclared field', async () => {
    const c = await connect();
    const location = await c.uploadJar(Buffer.from('jar'));
    const bad = structuredClone(spec);
    bad.components[1]!.inputs[0]!.grouping = { type: 'fields', fields: ['nope'] };
    await expect(c.submitTopology('wc', location, {}, toStormTopology(bad))).rejects.toThrow(/InvalidTopologyException: .*non-existent fields: \[nope\]/);
  });

  it('refuses to send a frame over 1 MiB instead of letting Nimbus hang up', async () => {
    const c = await connect();
    const location = await c.beginFileUpload();
    const error = await c.uploadChunk(location, Buffer.alloc(1024 * 1024 + 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SquallError);
    expect((error as SquallError).message).toMatch(/over Nimbus's frame limit of 1048576 bytes/);
    // The connection is still usable afterwards.
    await c.uploadChunk(location, Buffer.from('ok'));
  });

  it('names host:port and the fixes when nothing listens there', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await NimbusClient.connect({ host: '127.0.0.1', port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SquallError);
    const text = (error as SquallError).format();
    expect(text).toContain(`cannot reach Nimbus at 127.0.0.1:${port}: connection refused`);
    expect(text).toContain(`ssh -L ${port}:<nimbus-host>:${port}`);
    expect(text).toContain('nimbus.thrift.port');
  });

  it('explains a peer that is not Thrift (an HTTP server on that port)', async () => {
    const sockets = new Set<net.Socket>();
    const http = net.createServer((socket) => {
      sockets.add(socket);
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as net.AddressInfo).port;
    try {
      const c = await NimbusClient.connect({ host: '127.0.0.1', port });
      client = c;
      await expect(c.getClusterInfo()).rejects.toThrow(/does not speak Nimbus's framed Thrift/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  it('parses Nimbus addresses with the 6627 default', () => {
    expect(parseNimbusAddress('nimbus')).toEqual({ host: 'nimbus', port: 6627 });
    expect(parseNimbusAddress('10.0.0.5:7000')).toEqual({ host: '10.0.0.5', port: 7000 });
    expect(parseNimbusAddress('[::1]:6627')).toEqual({ host: '::1', port: 6627 });
    expect(() => parseNimbusAddress('host:99999')).toThrow(/not a TCP port/);
  });
});
