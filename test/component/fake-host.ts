import type { ComponentHost, HostEmit } from '../../core/component/runtime.js';
import type { Tuple } from '../../core/component/index.js';

/** A ComponentHost that records every call, for executor tests without processes. */
export class RecordingHost implements ComponentHost {
  readonly calls: Array<[string, ...unknown[]]> = [];
  nextTaskIds: number[] = [4];

  emit(values: unknown[], options: HostEmit): Promise<number[]> | void {
    const recorded: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options)) if (value !== undefined) recorded[key] = value;
    this.calls.push(['emit', values, recorded]);
    if (options.needTaskIds) return Promise.resolve(this.nextTaskIds);
  }

  ack(tuple: Tuple): void {
    this.calls.push(['ack', tuple.id]);
  }

  fail(tuple: Tuple): void {
    this.calls.push(['fail', tuple.id]);
  }

  log(level: string, message: string): void {
    this.calls.push(['log', level, message]);
  }

  reportError(message: string): void {
    this.calls.push(['error', message.split('\n')[0]]);
  }

  /** Calls of one kind. */
  of(kind: string): Array<[string, ...unknown[]]> {
    return this.calls.filter((c) => c[0] === kind);
  }
}
