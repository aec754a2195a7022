/**
 * The topology model: what a `topology.yaml` (or the TypeScript builder) describes, after
 * parsing and before anything runs. Pure data, shared by the CLI, the local engine, the
 * packager, the Nimbus client and the workbench.
 */

/** Stream groupings Storm offers for shell components (names as in storm.thrift's Grouping). */
export type GroupingType = 'shuffle' | 'fields' | 'all' | 'global' | 'none' | 'direct' | 'local_or_shuffle';

/** How tuples of one input stream are spread over the consuming component's tasks. */
export interface Grouping {
  type: GroupingType;
  /** Only for `fields`: the fields whose values pick the task. */
  fields?: string[];
}

/** One subscription of a bolt to a stream of another component. */
export interface InputSpec {
  source: string;
  /** Defaults to `default`. */
  stream: string;
  grouping: Grouping;
}

/** A declared output stream. */
export interface StreamDef {
  fields: string[];
  /** True when tuples on this stream are only sent with a direct emit (`directTask`). */
  direct: boolean;
}

/** Output streams of a component, by stream id. Declared on the component class. */
export type OutputDeclaration = Record<string, StreamDef>;

/** Spouts start tuple trees; bolts consume streams. */
export type ComponentKind = 'spout' | 'bolt';

/** Where a piece of the model was written, so errors can point at it. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** One spout or bolt of the topology, as the file (or the builder) declares it. */
export interface ComponentSpec {
  id: string;
  kind: ComponentKind;
  /** Path of the component's module, relative to the topology file's folder. */
  script: string;
  /** Storm's parallelism hint: the number of executors (and here, tasks). */
  parallelism: number;
  /** Number of tasks if different from parallelism (Storm's `topology.tasks`). */
  tasks?: number;
  inputs: InputSpec[];
  /** Per-component config (Storm's ComponentCommon.json_conf), e.g. tick frequency. */
  config: Record<string, unknown>;
  /**
   * Output streams. Filled in by reading the component class (see core/project/introspect.ts);
   * absent in a freshly parsed file.
   */
  outputs?: OutputDeclaration;
  /** Where the component was declared, when it came from a file. */
  location?: SourceLocation;
}

/** A whole topology: its name, config and components (spouts first). */
export interface TopologySpec {
  name: string;
  /** Topology-level Storm config (topology.*). */
  config: Record<string, unknown>;
  components: ComponentSpec[];
  /** Absolute path of the topology file, when it came from one. */
  file?: string;
  /** Semver range of Node the workers must run (checked by the packaged launcher). */
  node?: string;
}

/** The stream every component emits to unless told otherwise. */
export const DEFAULT_STREAM = 'default';

/** Component and stream ids starting with this are reserved by Storm. */
export const RESERVED_PREFIX = '__';
