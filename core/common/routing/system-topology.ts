/**
 * The topology as a Storm worker sees it: the user's components plus what Storm adds before
 * running anything (StormCommon.systemTopology): the `__acker` bolt and its streams, the
 * optional `__eventlogger`, the `__system` component (no tasks of its own: task -1) and the
 * `__metrics` / `__system` streams every component declares. Task ids and the handshake
 * context are computed from this, so they match what a cluster would hand a shell component.
 */
import type { Grouping, StreamDef, TopologySpec } from '../topology/model.js';
import { ACKER_COMPONENT, SYSTEM_COMPONENT, TICK_STREAM, type WireGrouping } from '../multilang/messages.js';

/** Streams the acker protocol uses (Acker.java). */
export const ACKER_INIT_STREAM = '__ack_init';
export const ACKER_ACK_STREAM = '__ack_ack';
export const ACKER_FAIL_STREAM = '__ack_fail';
export const ACKER_RESET_TIMEOUT_STREAM = '__ack_reset_timeout';
/** Streams Storm declares on every component (StormCommon.addMetricStreams / addSystemStreams). */
export const METRICS_STREAM = '__metrics';
export const SYSTEM_STREAM = '__system';
export const EVENTLOGGER_COMPONENT = '__eventlogger';
export const EVENTLOGGER_STREAM = '__eventlog';

/** One subscription in the system topology, grouping already in its wire form. */
export interface SystemInput {
  source: string;
  stream: string;
  grouping: WireGrouping;
}

/** A component of the system topology (user or Storm's own). */
export interface SystemComponent {
  id: string;
  kind: 'spout' | 'bolt';
  /** Number of tasks Storm gives it (0 for `__system`, whose only task is -1). */
  tasks: number;
  /** Every declared output stream, system streams included. */
  streams: Record<string, StreamDef>;
  inputs: SystemInput[];
  /** True for components Storm adds (`__acker`, `__eventlogger`, `__system`). */
  system: boolean;
}

/** Choices Storm makes from the topology conf that a caller may override. */
export interface SystemTopologyOptions {
  /** Number of acker tasks; default `topology.acker.executors`, else `topology.workers` (1). */
  ackers?: number;
}

/** The grouping as TopologyContext serialises it for a shell component. */
export function toWireGrouping(grouping: Grouping): WireGrouping {
  switch (grouping.type) {
    case 'fields':
      return { type: 'FIELDS', fields: [...(grouping.fields ?? [])] };
    case 'global':
      // storm.thrift has no global grouping: it is a fields grouping on no fields.
      return { type: 'FIELDS', fields: [] };
    case 'shuffle':
      return { type: 'SHUFFLE' };
    case 'all':
      return { type: 'ALL' };
    case 'none':
      return { type: 'NONE' };
    case 'direct':
      return { type: 'DIRECT' };
    case 'local_or_shuffle':
      return { type: 'LOCAL_OR_SHUFFLE' };
  }
}

/** Reads an integer config value the way Storm's ObjectReader.getInt would (null = absent). */
function configInt(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : undefined;
}

/** Number of acker tasks Storm would start for this topology conf. */
export function ackerCount(config: Record<string, unknown>, options: SystemTopologyOptions = {}): number {
  return options.ackers ?? configInt(config['topology.acker.executors']) ?? configInt(config['topology.workers']) ?? 1;
}

/** Number of event logger tasks (`topology.eventlogger.executors`, Storm's default 0). */
function eventLoggerCount(config: Record<string, unknown>): number {
  const value = config['topology.eventlogger.executors'];
  // null means "one per worker" in Storm; the default (absent) is 0.
  if (value === null) return configInt(config['topology.workers']) ?? 1;
  return configInt(value) ?? 0;
}

/**
 * Tasks of a user component as Nimbus normalises them: `topology.tasks` from the component
 * conf, else from the topology conf, else the parallelism hint; capped by
 * `topology.max.task.parallelism` (ServerUtils.getComponentParallelism).
 */
export function userTaskCount(spec: TopologySpec, component: TopologySpec['components'][number]): number {
  const merged = { ...spec.config, ...component.config };
  const tasks = component.tasks ?? configInt(component.config['topology.tasks']) ?? configInt(spec.config['topology.tasks']) ?? component.parallelism;
  const max = configInt(merged['topology.max.task.parallelism']);
  return max === undefined ? tasks : Math.min(max, tasks);
}

const fields = (...names: string[]): StreamDef => ({ fields: names, direct: false });
const directFields = (...names: string[]): StreamDef => ({ fields: names, direct: true });
const byId = (names: string[]): WireGrouping => ({ type: 'FIELDS', fields: names });

/** Builds Storm's system topology from the user's topology. */
export function systemTopology(spec: TopologySpec, options: SystemTopologyOptions = {}): SystemComponent[] {
  const user: SystemComponent[] = spec.components.map((c) => ({
    id: c.id,
    kind: c.kind,
    tasks: userTaskCount(spec, c),
    streams: Object.fromEntries(Object.entries(c.outputs ?? {}).map(([s, d]) => [s, { fields: [...d.fields], direct: d.direct }])),
    inputs: c.inputs.map((i) => ({ source: i.source, stream: i.stream, grouping: toWireGrouping(i.grouping) })),
    system: false,
  }));
  const spouts = user.filter((c) => c.kind === 'spout');
  const bolts = user.filter((c) => c.kind === 'bolt');

  // StormCommon.addAcker: always added, even with zero acker tasks.
  const acker: SystemComponent = {
    id: ACKER_COMPONENT,
    kind: 'bolt',
    tasks: ackerCount(spec.config, options),
    streams: {
      [ACKER_ACK_STREAM]: directFields('id', 'time-delta-ms'),
      [ACKER_FAIL_STREAM]: directFields('id', 'time-delta-ms'),
      [ACKER_RESET_TIMEOUT_STREAM]: directFields('id', 'time-delta-ms'),
    },
    inputs: [
      ...spouts.map((s) => ({ source: s.id, stream: ACKER_INIT_STREAM, grouping: byId(['id']) })),
      ...bolts.flatMap((b) =>
        [ACKER_ACK_STREAM, ACKER_FAIL_STREAM, ACKER_RESET_TIMEOUT_STREAM].map((stream) => ({ source: b.id, stream, grouping: byId(['id']) })),
      ),
    ],
    system: true,
  };
  for (const bolt of bolts) {
    bolt.streams[ACKER_ACK_STREAM] = fields('id', 'ack-val');
    bolt.streams[ACKER_FAIL_STREAM] = fields('id');
    bolt.streams[ACKER_RESET_TIMEOUT_STREAM] = fields('id');
  }
  for (const spout of spouts) {
    spout.streams[ACKER_INIT_STREAM] = fields('id', 'init-val', 'spout-task');
    for (const stream of [ACKER_ACK_STREAM, ACKER_FAIL_STREAM, ACKER_RESET_TIMEOUT_STREAM]) {
      spout.inputs.push({ source: ACKER_COMPONENT, stream, grouping: { type: 'DIRECT' } });
    }
  }
  const all: SystemComponent[] = [...user, acker];

  const loggers = eventLoggerCount(spec.config);
  if (loggers > 0) {
    const eventLogger: SystemComponent = {
      id: EVENTLOGGER_COMPONENT,
      kind: 'bolt',
      tasks: loggers,
      streams: {},
      inputs: user.map((c) => ({ source: c.id, stream: EVENTLOGGER_STREAM, grouping: byId(['component-id']) })),
      system: true,
    };
    for (const component of all) component.streams[EVENTLOGGER_STREAM] = fields('component-id', 'message-id', 'ts', 'values');
    all.push(eventLogger);
  }

  all.push({
    id: SYSTEM_COMPONENT,
    kind: 'bolt',
    tasks: 0,
    streams: { [TICK_STREAM]: fields('rate_secs'), __flush: fields(), __metrics_tick: fields('interval') },
    inputs: [],
    system: true,
  });
  // addMetricStreams and addSystemStreams run last, over every component.
  for (const component of all) {
    component.streams[METRICS_STREAM] = fields('task-info', 'data-points');
    component.streams[SYSTEM_STREAM] = fields('event');
  }
  return all;
}
