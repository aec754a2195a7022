import { DEFAULT_STREAM } from '../../common/topology/model.js';
import { encodeMessage } from '../../common/multilang/framing.js';
import { LOG_LEVELS, type LogLevelName } from '../../common/multilang/messages.js';
import type { ComponentHost, HostEmit } from '../component.js';
import type { Tuple } from '../tuple.js';
import type { ProtocolWriter } from './writer.js';

const levelNumber: Record<LogLevelName, number> = Object.fromEntries(LOG_LEVELS.map((name, i) => [name, i])) as Record<LogLevelName, number>;

/**
 * The ComponentHost of a component running under multilang: emits, acks, logs and errors
 * become messages. Task-id replies are matched to the emits that asked for them, in order
 * (Storm answers emits in the order it reads them).
 */
export class WireHost implements ComponentHost {
  private readonly taskIdWaiters: Array<(tasks: number[]) => void> = [];
  private waiterHead = 0;

  constructor(
    private readonly writer: ProtocolWriter,
    /** Rewrites log and error text before it leaves (the launcher maps bundle stack frames to TypeScript lines). */
    private readonly mapText: (text: string) => string = (text) => text,
  ) {}

  emit(values: unknown[], options: HostEmit): Promise<number[]> | void {
    const direct = options.directTask !== undefined;
    const askStorm = options.needTaskIds && !direct;
    this.writer.send(encodeEmit(values, options, askStorm));
    if (askStorm) return new Promise<number[]>((resolve) => this.taskIdWaiters.push(resolve));
    if (options.needTaskIds) return Promise.resolve([options.directTask!]);
  }

  ack(tuple: Tuple): void {
    this.writer.send(`{"command":"ack","id":${quoteId(tuple.id)}}\nend\n`);
  }

  fail(tuple: Tuple): void {
    this.writer.send(`{"command":"fail","id":${quoteId(tuple.id)}}\nend\n`);
  }

  log(level: LogLevelName, message: string): void {
    this.writer.send(encodeMessage({ command: 'log', msg: this.mapText(message), level: levelNumber[level] ?? 2 }));
  }

  reportError(message: string): void {
    this.writer.send(encodeMessage({ command: 'error', msg: this.mapText(message) }));
  }

  /** Heartbeat reply, and the end of a spout's turn. */
  sync(): void {
    this.writer.send('{"command":"sync"}\nend\n');
  }

  /**
   * Delivers a task-id reply to the oldest emit waiting for one (Storm answers emits in order).
   * Returns the protocol error to report when no emit asked for it.
   */
  acceptTaskIds(tasks: unknown[]): Error | undefined {
    if (this.waiterHead >= this.taskIdWaiters.length) return new Error(`task ids ${JSON.stringify(tasks)} arrived but no emit asked for them`);
    const resolve = this.taskIdWaiters[this.waiterHead++]!;
    if (this.waiterHead === this.taskIdWaiters.length) {
      this.taskIdWaiters.length = 0;
      this.waiterHead = 0;
    }
    resolve(tasks as number[]);
    return undefined;
  }
}

/** JSON text of a tuple id. Storm's ids are decimal longs, which need no escaping: skip JSON.stringify for them. */
function quoteId(id: string): string {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if ((c < 48 || c > 57) && c !== 45) return JSON.stringify(id);
  }
  return `"${id}"`;
}

/** Encodes an emit by hand: it is the hottest message, and the field set is known. */
function encodeEmit(values: unknown[], options: HostEmit, needTaskIds: boolean): string {
  let text = '{"command":"emit"';
  const anchors = options.anchors;
  if (anchors && anchors.length > 0) text += anchors.length === 1 ? `,"anchors":[${quoteId(anchors[0]!)}]` : `,"anchors":${JSON.stringify(anchors)}`;
  if (options.id !== undefined) text += `,"id":${JSON.stringify(options.id)}`;
  if (options.stream !== undefined && options.stream !== DEFAULT_STREAM) text += `,"stream":${JSON.stringify(options.stream)}`;
  if (options.directTask !== undefined) text += `,"task":${Number(options.directTask)}`;
  return `${text},"tuple":${JSON.stringify(values)},"need_task_ids":${needTaskIds}}\nend\n`;
}
