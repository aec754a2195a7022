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
/** The child's reply to the handshake. */
export interface PidMessage {
  pid: number;
}

/** A tuple emitted by a bolt or a spout. */
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

/** A bolt acks an input tuple by its id. */
export interface AckMessage {
  command: 'ack';
  id: string;
}

/** A bolt fails an input tuple by its id. */
export interface FailMessage {
  command: 'fail';
  id: string;
}

/** An error for Storm UI (the component's last error); the process keeps running. */
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

/** A heartbeat reply (bolt) or the end of a command (spout). */
export interface SyncMessage {
  command: 'sync';
}

/** Log levels on the wire: trace, debug, info, warn, error. */
export type LogLevelNumber = 0 | 1 | 2 | 3 | 4;

/** Every command a child sends after its pid. */
export type ChildCommand = EmitMessage | AckMessage | FailMessage | ErrorMessage | LogMessage | SyncMessage;

/** Everything Storm sends a child. */
export type HostToChild = HandshakeMessage | TupleMessage | TaskIdsMessage | SpoutCommandMessage;

/** Everything a child sends Storm. */
export type ChildToHost = PidMessage | ChildCommand;

/** Stream and component names Storm uses for system tuples. */
export const HEARTBEAT_STREAM = '__heartbeat';
export const TICK_STREAM = '__tick';
export const SYSTEM_COMPONENT = '__system';
export const ACKER_COMPONENT = '__acker';

/** Log level names, indexed by their wire number. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
/** A log level by name. */
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** True for ShellBolt's heartbeat tuple (recognised by its stream alone: its `comp` is null). */
export function isHeartbeatTuple(message: unknown): boolean {
  return (message as { stream?: unknown } | null)?.stream === HEARTBEAT_STREAM;
}
