/**
 * Storm multilang messages, as Storm 2.x's ShellBolt / ShellSpout / JsonSerializer exchange
 * them (see shared/PROTOCOL.md). Field names are the wire names.
 */

/** Storm → child, first message. */
export interface HandshakeMessage {
  conf: Record<string, unknown>;
  pidDir: string;
  context: HandshakeContext;
}

/** The `context` of the handshake, as TopologyContext serialises it for shell components. */
export interface HandshakeContext {
  taskid: number;
  componentid: string;
  'task->component': Record<string, string>;
  streams?: string[];
  'stream->outputfields'?: Record<string, string[]>;
  'stream->target->grouping'?: Record<string, Record<string, WireGrouping>>;
  'source->stream->grouping'?: Record<string, Record<string, WireGrouping>>;
  'source->stream->fields'?: Record<string, Record<string, string[]>>;
}

/** Grouping as it appears in the handshake context. Global = FIELDS with no fields. */
export interface WireGrouping {
  type: 'SHUFFLE' | 'FIELDS' | 'ALL' | 'NONE' | 'DIRECT' | 'LOCAL_OR_SHUFFLE' | 'CUSTOM_SERIALIZED' | 'CUSTOM_OBJECT';
  fields?: string[];
}

/** Storm → bolt: a tuple (also heartbeats, stream `__heartbeat`, and ticks, stream `__tick`). */
export interface TupleMessage {
  id: string;
  comp: string;
  stream: string;
  task: number;
  tuple: unknown[];
}

/** Storm → bolt: task ids an emit went to (reply to an emit asking for them). */
export type TaskIdsMessage = number[];

/** Storm → spout. */
export interface SpoutCommandMessage {
  command: 'next' | 'ack' | 'fail' | 'activate' | 'deactivate';
  id?: string | number;
}

/** Child → Storm, reply to the handshake. */
export interface PidMessage {
  pid: number;
}

export interface EmitMessage {
  command: 'emit';
  /** Bolt: ids of the anchor tuples. */
  anchors?: string[];
  /** Spout: the message id, returned verbatim in ack/fail. */
  id?: string | number;
  stream?: string;
  /** Set = direct emit to this task (no task-id reply). */
  task?: number;
  tuple: unknown[];
  /** Storm defaults this to true; Squall sends false unless the author asked. */
  need_task_ids?: boolean;
}

export interface AckMessage {
  command: 'ack';
  id: string;
}

export interface FailMessage {
  command: 'fail';
  id: string;
}

export interface ErrorMessage {
  command: 'error';
  msg: string;
}

/** Levels 0..4 = trace, debug, info, warn, error (ShellLogHandler). */
export interface LogMessage {
  command: 'log';
  msg: string;
  level?: LogLevelNumber;
}

export interface SyncMessage {
  command: 'sync';
}

export type LogLevelNumber = 0 | 1 | 2 | 3 | 4;

export type ChildCommand = EmitMessage | AckMessage | FailMessage | ErrorMessage | LogMessage | SyncMessage;

export type HostToChild = HandshakeMessage | TupleMessage | TaskIdsMessage | SpoutCommandMessage;

export type ChildToHost = PidMessage | ChildCommand;

/** Stream and component names Storm uses for system tuples. */
export const HEARTBEAT_STREAM = '__heartbeat';
export const TICK_STREAM = '__tick';
export const SYSTEM_COMPONENT = '__system';
export const ACKER_COMPONENT = '__acker';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
