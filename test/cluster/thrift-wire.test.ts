/**
 * Cross-checks the bytes our codec writes with an independent decoder: the `thrift` runtime's
 * own TBinaryProtocol read calls, walked generically into a field-id tree, compared with what
 * storm.thrift declares (field ids and wire types).
 */
import { describe, expect, it } from 'vitest';
import thrift from 'thrift';
import type { TProtocol } from 'thrift';
import { encodeFramedMessage, MessageType } from '../../core/cluster/thrift/message.js';
import { NimbusMethods } from '../../core/cluster/thrift/nimbus-service.js';
import { toStormTopology, topologyConf } from '../../core/cluster/storm-topology.js';
import type { TopologySpec } from '../../core/common/topology/model.js';

const T = { BOOL: 2, I32: 8, STRING: 11, STRUCT: 12, MAP: 13, LIST: 15 };

type Node = { t: number; v: unknown };

/** Reads any value of wire type `type` with the runtime's protocol calls only. */
function walk(p: TProtocol, type: number): Node {
  switch (type) {
    case T.STRUCT: {
      const fields: Record<number, Node> = {};
      p.readStructBegin();
      for (;;) {
        const f = p.readFieldBegin() as { ftype: number; fid: number };
        if (f.ftype === 0) break;
        fields[f.fid] = walk(p, f.ftype);
        p.readFieldEnd();
      }
      p.readStructEnd();
      return { t: type, v: fields };
    }
    case T.MAP: {
      const m = p.readMapBegin() as { ktype: number; vtype: number; size: number };
      const entries: Array<[Node, Node]> = [];
      for (let i = 0; i < m.size; i++) entries.push([walk(p, m.ktype), walk(p, m.vtype)]);
      p.readMapEnd();
      return { t: type, v: { ktype: m.ktype, vtype: m.vtype, entries } };
    }
    case T.LIST: {
      const l = p.readListBegin() as { etype: number; size: number };
      const items: Node[] = [];
      for (let i = 0; i < l.size; i++) items.push(walk(p, l.etype));
      p.readListEnd();
      return { t: type, v: { etype: l.etype, items } };
    }
    case T.BOOL:
      return { t: type, v: p.readBool() };
    case T.I32:
      return { t: type, v: p.readI32() };
    case T.STRING:
      return { t: type, v: p.readString() };
    default:
      p.skip(type as never);
      return { t: type, v: undefined };
  }
}

function fields(node: Node): Record<number, Node> {
  expect(node.t).toBe(T.STRUCT);
  return node.v as Record<number, Node>;
}
function mapEntries(node: Node): Array<[Node, Node]> {
  expect(node.t).toBe(T.MAP);
  return (node.v as { entries: Array<[Node, Node]> }).entries;
}
function listItems(node: Node): unknown[] {
  expect(node.t).toBe(T.LIST);
  return (node.v as { items: Node[] }).items.map((i) => i.v);
}

const spec: TopologySpec = {
  name: 'wordcount',
  config: { 'topology.workers': 2 },
  components: [
    { id: 'sentences', kind: 'spout', script: 's.ts', parallelism: 1, inputs: [], config: {}, outputs: { default: { fields: ['sentence'], direct: false } } },
    {
      id: 'split',
      kind: 'bolt',
      script: 'split.ts',
      parallelism: 2,
      inputs: [{ source: 'sentences', stream: 'default', grouping: { type: 'shuffle' } }],
      config: { 'topology.tick.tuple.freq.secs': 5 },
      outputs: { default: { fields: ['word'], direct: false } },
    },
    {
      id: 'count',
      kind: 'bolt',
      script: 'count.ts',
      parallelism: 3,
      tasks: 6,
      inputs: [
        { source: 'split', stream: 'default', grouping: { type: 'fields', fields: ['word'] } },
        { source: 'sentences', stream: 'default', grouping: { type: 'global' } },
      ],
      config: {},
      outputs: {},
    },
  ],
};

function decodeSubmitCall(): { name: string; type: number; seqid: number; args: Record<number, Node> } {
  const method = NimbusMethods.submitTopologyWithOpts;
  const framed = encodeFramedMessage(method.name, MessageType.CALL, 7, method.args, {
    name: 'wordcount',
    uploadedJarLocation: '/inbox/stormjar-1.jar',
    jsonConf: JSON.stringify(topologyConf(spec, 'wordcount')),
    topology: toStormTopology(spec),
    options: { initial_status: 2 },
  });
  expect(framed.readInt32BE(0)).toBe(framed.length - 4);
  const p = new thrift.TBinaryProtocol(new thrift.TFramedTransport(framed.subarray(4)));
  const header = p.readMessageBegin() as { fname: string; mtype: number; rseqid: number };
  const args = fields(walk(p, T.STRUCT));
  return { name: header.fname, type: header.mtype, seqid: header.rseqid, args };
}

describe('Thrift bytes of submitTopologyWithOpts, read back by the thrift runtime', () => {
  it('carries the call header and the five arguments with storm.thrift ids and types', () => {
    const call = decodeSubmitCall();
    expect(call).toMatchObject({ name: 'submitTopologyWithOpts', type: MessageType.CALL, seqid: 7 });
    expect(call.args[1]).toEqual({ t: T.STRING, v: 'wordcount' });
    expect(call.args[2]).toEqual({ t: T.STRING, v: '/inbox/stormjar-1.jar' });
    expect(call.args[3]!.t).toBe(T.STRING);
    expect(JSON.parse(call.args[3]!.v as string)).toEqual({ 'topology.name': 'wordcount', 'topology.workers': 2 });
    // SubmitOptions { 1: i32 initial_status } with INACTIVE = 2
    expect(fields(call.args[5]!)[1]).toEqual({ t: T.I32, v: 2 });
  });

  it('writes StormTopology as spouts(1), bolts(2) and an empty state_spouts(3) map', () => {
    const topology = fields(decodeSubmitCall().args[4]!);
    expect(Object.keys(topology).map(Number).sort()).toEqual([1, 2, 3]);
    expect(mapEntries(topology[3]!)).toEqual([]);
    expect((topology[3]!.v as { ktype: number; vtype: number })).toMatchObject({ ktype: T.STRING, vtype: T.STRUCT });
    const spouts = mapEntries(topology[1]!);
    expect(spouts.map(([k]) => k.v)).toEqual(['sentences']);
    const bolts = mapEntries(topology[2]!);
    expect(bolts.map(([k]) => k.v)).toEqual(['split', 'count']);
  });

  it('writes storm_version(7) and jdk_version(8) of StormTopology as strings when set', () => {
    const method = NimbusMethods.submitTopologyWithOpts;
    const topology = { ...toStormTopology(spec), storm_version: '2.4.0', jdk_version: 'none (not a JVM client: squall 0.1.0 on Node.js v20.0.0)' };
    const framed = encodeFramedMessage(method.name, MessageType.CALL, 8, method.args, { name: 'wordcount', uploadedJarLocation: '/inbox/a.jar', jsonConf: '{}', topology, options: { initial_status: 1 } });
    const p = new thrift.TBinaryProtocol(new thrift.TFramedTransport(framed.subarray(4)));
    p.readMessageBegin();
    const written = fields(fields(walk(p, T.STRUCT))[4]!);
    expect(Object.keys(written).map(Number).sort((a, b) => a - b)).toEqual([1, 2, 3, 7, 8]);
    expect(written[7]).toEqual({ t: T.STRING, v: '2.4.0' });
    expect(written[8]).toEqual({ t: T.STRING, v: 'none (not a JVM client: squall 0.1.0 on Node.js v20.0.0)' });
  });

  it('writes each component as ComponentObject.shell(2) = ShellComponent{node, <id>.mjs}', () => {
    const topology = fields(decodeSubmitCall().args[4]!);
    const [, spoutSpec] = mapEntries(topology[1]!)[0]!;
    const spoutObject = fields(fields(spoutSpec)[1]!);
    expect(Object.keys(spoutObject)).toEqual(['2']);
    const shell = fields(spoutObject[2]!);
    expect(shell[1]).toEqual({ t: T.STRING, v: 'node' });
    expect(shell[2]).toEqual({ t: T.STRING, v: 'sentences.mjs' });
  });

  it('writes ComponentCommon with struct-keyed inputs, streams, parallelism and json_conf', () => {
    const topology = fields(decodeSubmitCall().args[4]!);
    const bolts = new Map(mapEntries(topology[2]!).map(([k, v]) => [k.v as string, fields(v)]));
    const count = fields(bolts.get('count')![2]!);
    // 1: map<GlobalStreamId, Grouping>
    expect((count[1]!.v as { ktype: number; vtype: number })).toMatchObject({ ktype: T.STRUCT, vtype: T.STRUCT });
    const inputs = mapEntries(count[1]!).map(([k, v]) => {
      const id = fields(k);
      return { component: id[1]!.v, stream: id[2]!.v, grouping: fields(v) };
    });
    expect(inputs.map((i) => [i.component, i.stream])).toEqual([
      ['split', 'default'],
      ['sentences', 'default'],
    ]);
    // Grouping.fields(1) = ["word"]; a global grouping is fields(1) = []
    expect(Object.keys(inputs[0]!.grouping)).toEqual(['1']);
    expect(listItems(inputs[0]!.grouping[1]!)).toEqual(['word']);
    expect(listItems(inputs[1]!.grouping[1]!)).toEqual([]);
    expect(count[3]).toEqual({ t: T.I32, v: 3 });
    expect(JSON.parse(count[4]!.v as string)).toEqual({ 'topology.tasks': 6 });
    expect(mapEntries(count[2]!)).toEqual([]);

    const split = fields(bolts.get('split')![2]!);
    const [[, shuffle]] = mapEntries(split[1]!) as Array<[Node, Node]>;
    // Grouping.shuffle(2) = NullStruct
    expect(fields(shuffle!)).toEqual({ 2: { t: T.STRUCT, v: {} } });
    // 2: map<string, StreamInfo{1: list<string> output_fields, 2: bool direct}>
    const [[streamId, info]] = mapEntries(split[2]!) as Array<[Node, Node]>;
    expect(streamId!.v).toBe('default');
    expect(listItems(fields(info!)[1]!)).toEqual(['word']);
    expect(fields(info!)[2]).toEqual({ t: T.BOOL, v: false });
    expect(JSON.parse(split[4]!.v as string)).toEqual({ 'topology.tick.tuple.freq.secs': 5 });
  });
});
