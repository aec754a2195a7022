/**
 * The part of Storm's storm.thrift (storm-client/src/storm.thrift) that submitting and
 * operating a topology needs: field ids and types as the IDL declares them, written as
 * codec schemas, with the matching TypeScript shapes.
 */
import type { StructSchema } from './codec.js';

const NullStruct: StructSchema = { struct: 'NullStruct', fields: [] };

/** A stream of a component: the key of ComponentCommon.inputs. */
export interface GlobalStreamId {
  componentId: string;
  streamId: string;
}
/** The codec schema of storm.thrift's `GlobalStreamId`. */
export const GlobalStreamIdSchema: StructSchema = {
  struct: 'GlobalStreamId',
  fields: [
    { id: 1, name: 'componentId', type: 'string', required: true },
    { id: 2, name: 'streamId', type: 'string', required: true },
  ],
};

/** Storm's Grouping union; an empty `fields` list is a global grouping. */
export type ThriftGrouping =
  | { fields: string[] }
  | { shuffle: Record<string, never> }
  | { all: Record<string, never> }
  | { none: Record<string, never> }
  | { direct: Record<string, never> }
  | { local_or_shuffle: Record<string, never> };
/** The codec schema of storm.thrift's `Grouping`. */
export const GroupingSchema: StructSchema = {
  struct: 'Grouping',
  union: true,
  fields: [
    { id: 1, name: 'fields', type: { list: 'string' } },
    { id: 2, name: 'shuffle', type: NullStruct },
    { id: 3, name: 'all', type: NullStruct },
    { id: 4, name: 'none', type: NullStruct },
    { id: 5, name: 'direct', type: NullStruct },
    // 6: custom_object (JavaObject) and 7: custom_serialized are JVM-only; not spoken here.
    { id: 8, name: 'local_or_shuffle', type: NullStruct },
  ],
};

/** storm.thrift's `StreamInfo`, as the codec reads and writes it. */
export interface StreamInfo {
  output_fields: string[];
  direct: boolean;
}
/** The codec schema of storm.thrift's `StreamInfo`. */
export const StreamInfoSchema: StructSchema = {
  struct: 'StreamInfo',
  fields: [
    { id: 1, name: 'output_fields', type: { list: 'string' }, required: true },
    { id: 2, name: 'direct', type: 'bool', required: true },
  ],
};

/** What a worker runs for a shell component: `[execution_command, script]` in resources/. */
export interface ShellComponent {
  execution_command: string;
  script: string;
}
/** The codec schema of storm.thrift's `ShellComponent`. */
export const ShellComponentSchema: StructSchema = {
  struct: 'ShellComponent',
  fields: [
    { id: 1, name: 'execution_command', type: 'string' },
    { id: 2, name: 'script', type: 'string' },
  ],
};

/** ComponentObject union; Squall only ever sends `shell`. */
export interface ComponentObject {
  shell?: ShellComponent;
  serialized_java?: Buffer;
}
/** The codec schema of storm.thrift's `ComponentObject`. */
export const ComponentObjectSchema: StructSchema = {
  struct: 'ComponentObject',
  union: true,
  fields: [
    { id: 1, name: 'serialized_java', type: 'binary' },
    { id: 2, name: 'shell', type: ShellComponentSchema },
    // 3: java_object (JavaObject) is JVM-only.
  ],
};

/** storm.thrift's `ComponentCommon`, as the codec reads and writes it. */
export interface ComponentCommon {
  inputs: Map<GlobalStreamId, ThriftGrouping>;
  streams: Map<string, StreamInfo>;
  parallelism_hint?: number;
  json_conf?: string;
}
/** The codec schema of storm.thrift's `ComponentCommon`. */
export const ComponentCommonSchema: StructSchema = {
  struct: 'ComponentCommon',
  fields: [
    { id: 1, name: 'inputs', type: { map: [GlobalStreamIdSchema, GroupingSchema] }, required: true },
    { id: 2, name: 'streams', type: { map: ['string', StreamInfoSchema] }, required: true },
    { id: 3, name: 'parallelism_hint', type: 'i32' },
    { id: 4, name: 'json_conf', type: 'string' },
  ],
};

/** storm.thrift's `SpoutSpec`, as the codec reads and writes it. */
export interface SpoutSpec {
  spout_object: ComponentObject;
  common: ComponentCommon;
}
/** The codec schema of storm.thrift's `SpoutSpec`. */
export const SpoutSpecSchema: StructSchema = {
  struct: 'SpoutSpec',
  fields: [
    { id: 1, name: 'spout_object', type: ComponentObjectSchema, required: true },
    { id: 2, name: 'common', type: ComponentCommonSchema, required: true },
  ],
};

/** storm.thrift's `Bolt`, as the codec reads and writes it. */
export interface Bolt {
  bolt_object: ComponentObject;
  common: ComponentCommon;
}
/** The codec schema of storm.thrift's `Bolt`. */
export const BoltSchema: StructSchema = {
  struct: 'Bolt',
  fields: [
    { id: 1, name: 'bolt_object', type: ComponentObjectSchema, required: true },
    { id: 2, name: 'common', type: ComponentCommonSchema, required: true },
  ],
};

/** The codec schema of storm.thrift's `StateSpoutSpec`. */
export const StateSpoutSpecSchema: StructSchema = {
  struct: 'StateSpoutSpec',
  fields: [
    { id: 1, name: 'state_spout_object', type: ComponentObjectSchema, required: true },
    { id: 2, name: 'common', type: ComponentCommonSchema, required: true },
  ],
};

/** The topology as Nimbus receives it. `state_spouts` is required by the IDL and always empty. */
export interface StormTopology {
  spouts: Map<string, SpoutSpec>;
  bolts: Map<string, Bolt>;
  state_spouts: Map<string, unknown>;
  /** The submitting client's Storm version (Storm's Utils.addVersions sets it). */
  storm_version?: string;
  /** The submitting JVM's java.version (Storm's Utils.addVersions sets it). */
  jdk_version?: string;
}
/** The codec schema of storm.thrift's `StormTopology`. */
export const StormTopologySchema: StructSchema = {
  struct: 'StormTopology',
  fields: [
    { id: 1, name: 'spouts', type: { map: ['string', SpoutSpecSchema] }, required: true },
    { id: 2, name: 'bolts', type: { map: ['string', BoltSchema] }, required: true },
    { id: 3, name: 'state_spouts', type: { map: ['string', StateSpoutSpecSchema] }, required: true },
    // 4 worker_hooks, 5 dependency_jars, 6 dependency_artifacts: JVM-only, never sent.
    { id: 7, name: 'storm_version', type: 'string' },
    { id: 8, name: 'jdk_version', type: 'string' },
  ],
};

/** TopologyInitialStatus enum. */
export const TopologyInitialStatus = { ACTIVE: 1, INACTIVE: 2 } as const;

/** storm.thrift's `SubmitOptions`, as the codec reads and writes it. */
export interface SubmitOptions {
  initial_status: (typeof TopologyInitialStatus)[keyof typeof TopologyInitialStatus];
}
/** The codec schema of storm.thrift's `SubmitOptions`. */
export const SubmitOptionsSchema: StructSchema = {
  struct: 'SubmitOptions',
  fields: [{ id: 1, name: 'initial_status', type: 'i32', required: true }],
};

/** storm.thrift's `KillOptions`, as the codec reads and writes it. */
export interface KillOptions {
  wait_secs?: number;
}
/** The codec schema of storm.thrift's `KillOptions`. */
export const KillOptionsSchema: StructSchema = {
  struct: 'KillOptions',
  fields: [{ id: 1, name: 'wait_secs', type: 'i32' }],
};

/** storm.thrift's `RebalanceOptions`, as the codec reads and writes it. */
export interface RebalanceOptions {
  wait_secs?: number;
  num_workers?: number;
  num_executors?: Map<string, number>;
}
/** The codec schema of storm.thrift's `RebalanceOptions`. */
export const RebalanceOptionsSchema: StructSchema = {
  struct: 'RebalanceOptions',
  fields: [
    { id: 1, name: 'wait_secs', type: 'i32' },
    { id: 2, name: 'num_workers', type: 'i32' },
    { id: 3, name: 'num_executors', type: { map: ['string', 'i32'] } },
  ],
};

/** One row of `squall list`. */
export interface TopologySummary {
  id: string;
  name: string;
  num_tasks: number;
  num_executors: number;
  num_workers: number;
  uptime_secs: number;
  status: string;
  storm_version?: string;
  owner?: string;
}
/** The codec schema of storm.thrift's `TopologySummary`. */
export const TopologySummarySchema: StructSchema = {
  struct: 'TopologySummary',
  fields: [
    { id: 1, name: 'id', type: 'string', required: true },
    { id: 2, name: 'name', type: 'string', required: true },
    { id: 3, name: 'num_tasks', type: 'i32', required: true },
    { id: 4, name: 'num_executors', type: 'i32', required: true },
    { id: 5, name: 'num_workers', type: 'i32', required: true },
    { id: 6, name: 'uptime_secs', type: 'i32', required: true },
    { id: 7, name: 'status', type: 'string', required: true },
    { id: 8, name: 'storm_version', type: 'string' },
    { id: 514, name: 'owner', type: 'string' },
  ],
};

/** storm.thrift's `SupervisorSummary`, as the codec reads and writes it. */
export interface SupervisorSummary {
  host: string;
  uptime_secs: number;
  num_workers: number;
  num_used_workers: number;
  supervisor_id: string;
  version?: string;
}
/** The codec schema of storm.thrift's `SupervisorSummary`. */
export const SupervisorSummarySchema: StructSchema = {
  struct: 'SupervisorSummary',
  fields: [
    { id: 1, name: 'host', type: 'string', required: true },
    { id: 2, name: 'uptime_secs', type: 'i32', required: true },
    { id: 3, name: 'num_workers', type: 'i32', required: true },
    { id: 4, name: 'num_used_workers', type: 'i32', required: true },
    { id: 5, name: 'supervisor_id', type: 'string', required: true },
    { id: 6, name: 'version', type: 'string' },
  ],
};

/** storm.thrift's `NimbusSummary`, as the codec reads and writes it. */
export interface NimbusSummary {
  host: string;
  port: number;
  uptime_secs: number;
  isLeader: boolean;
  version: string;
}
/** The codec schema of storm.thrift's `NimbusSummary`. */
export const NimbusSummarySchema: StructSchema = {
  struct: 'NimbusSummary',
  fields: [
    { id: 1, name: 'host', type: 'string', required: true },
    { id: 2, name: 'port', type: 'i32', required: true },
    { id: 3, name: 'uptime_secs', type: 'i32', required: true },
    { id: 4, name: 'isLeader', type: 'bool', required: true },
    { id: 5, name: 'version', type: 'string', required: true },
  ],
};

/** storm.thrift's `ClusterSummary`, as the codec reads and writes it. */
export interface ClusterSummary {
  supervisors: SupervisorSummary[];
  topologies: TopologySummary[];
  nimbuses: NimbusSummary[];
}
/** The codec schema of storm.thrift's `ClusterSummary`. */
export const ClusterSummarySchema: StructSchema = {
  struct: 'ClusterSummary',
  fields: [
    { id: 1, name: 'supervisors', type: { list: SupervisorSummarySchema }, required: true },
    // 2 was removed from the IDL and must not be reused.
    { id: 3, name: 'topologies', type: { list: TopologySummarySchema }, required: true },
    { id: 4, name: 'nimbuses', type: { list: NimbusSummarySchema }, required: true },
  ],
};

/** storm.thrift's `ErrorInfo`, as the codec reads and writes it. */
export interface ErrorInfo {
  error: string;
  error_time_secs: number;
  host?: string;
  port?: number;
}
/** The codec schema of storm.thrift's `ErrorInfo`. */
export const ErrorInfoSchema: StructSchema = {
  struct: 'ErrorInfo',
  fields: [
    { id: 1, name: 'error', type: 'string', required: true },
    { id: 2, name: 'error_time_secs', type: 'i32', required: true },
    { id: 3, name: 'host', type: 'string' },
    { id: 4, name: 'port', type: 'i32' },
  ],
};

/** storm.thrift's `ExecutorSummary`, as the codec reads and writes it. */
export interface ExecutorSummary {
  executor_info: { task_start: number; task_end: number };
  component_id: string;
  host: string;
  port: number;
  uptime_secs: number;
}
/** The codec schema of storm.thrift's `ExecutorSummary`. */
export const ExecutorSummarySchema: StructSchema = {
  struct: 'ExecutorSummary',
  fields: [
    {
      id: 1,
      name: 'executor_info',
      required: true,
      type: {
        struct: 'ExecutorInfo',
        fields: [
          { id: 1, name: 'task_start', type: 'i32', required: true },
          { id: 2, name: 'task_end', type: 'i32', required: true },
        ],
      },
    },
    { id: 2, name: 'component_id', type: 'string', required: true },
    { id: 3, name: 'host', type: 'string', required: true },
    { id: 4, name: 'port', type: 'i32', required: true },
    { id: 5, name: 'uptime_secs', type: 'i32', required: true },
    // 7: stats (ExecutorStats) is skipped: the UI's REST API gives aggregated figures.
  ],
};

/** Where a topology's executors run (hosts and worker ports) and its recent errors. */
export interface TopologyInfo {
  id: string;
  name: string;
  uptime_secs: number;
  executors: ExecutorSummary[];
  status: string;
  errors: Map<string, ErrorInfo[]>;
}
/** The codec schema of storm.thrift's `TopologyInfo`. */
export const TopologyInfoSchema: StructSchema = {
  struct: 'TopologyInfo',
  fields: [
    { id: 1, name: 'id', type: 'string', required: true },
    { id: 2, name: 'name', type: 'string', required: true },
    { id: 3, name: 'uptime_secs', type: 'i32', required: true },
    { id: 4, name: 'executors', type: { list: ExecutorSummarySchema }, required: true },
    { id: 5, name: 'status', type: 'string', required: true },
    { id: 6, name: 'errors', type: { map: ['string', { list: ErrorInfoSchema }] }, required: true },
  ],
};

/** The exceptions Nimbus declares; each carries only `msg`. */
export const NIMBUS_EXCEPTIONS = ['AlreadyAliveException', 'NotAliveException', 'AuthorizationException', 'InvalidTopologyException'] as const;
/** The name of an exception Nimbus declares. */
export type NimbusExceptionName = (typeof NIMBUS_EXCEPTIONS)[number];

function exceptionSchema(name: NimbusExceptionName): StructSchema {
  return { struct: name, fields: [{ id: 1, name: 'msg', type: 'string', required: true }] };
}
/** The codec schema of storm.thrift's `exception AlreadyAliveException`. */
export const AlreadyAliveExceptionSchema = exceptionSchema('AlreadyAliveException');
/** The codec schema of storm.thrift's `exception NotAliveException`. */
export const NotAliveExceptionSchema = exceptionSchema('NotAliveException');
/** The codec schema of storm.thrift's `exception AuthorizationException`. */
export const AuthorizationExceptionSchema = exceptionSchema('AuthorizationException');
/** The codec schema of storm.thrift's `exception InvalidTopologyException`. */
export const InvalidTopologyExceptionSchema = exceptionSchema('InvalidTopologyException');
