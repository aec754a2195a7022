/**
 * A reusable spout for newline-delimited JSON: each line is one object, and the spout emits
 * the values of the fields it was built with. Build one per data shape:
 *
 *   // components/events.ts
 *   import { ndjsonSpout } from '../ndjson-spout.js';
 *   export default ndjsonSpout({ fields: ['user', 'action', 'amount'] });
 *
 * Config (in topology.yaml, on the component or the topology):
 * - `ndjson.path`: the file to read, relative to the working directory (the topology folder
 *   under `squall run`, resources/ on a cluster). A FIFO works too, so any program can feed a
 *   running topology. `-` reads standard input, only when the spout runs in-process (in a
 *   multilang process standard input is Storm's channel).
 * - `ndjson.reliable` (default true): emit with the line number as message id and replay a
 *   line whose tuple tree failed.
 * A field may be a dotted path (`user.id`, declared as the output field `user_id`); a missing
 * field is emitted as null. Lines that are
 * not a JSON object are skipped with a warning and reported as the component's last error.
 */
import path from 'node:path';
import { Spout } from 'squall';
import { openLineReader, streamLineReader, type LineReader } from './line-reader.js';

/** How the spout class is built. */
export interface NdjsonSpoutOptions {
  /** Fields to emit, in order: object keys or dotted paths. */
  fields: string[];
}

/** Conf key the in-process harness sets (standard input is free there). */
const IN_PROCESS = 'squall.in.process';

/** Picks `a.b.c` out of an object; undefined along the way gives null. */
export function pickField(record: Record<string, unknown>, field: string): unknown {
  let value: unknown = record;
  for (const key of field.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  return value === undefined ? null : value;
}

/** Creates a spout class emitting `fields` from each JSON line of `ndjson.path`. */
export function ndjsonSpout(options: NdjsonSpoutOptions): new () => Spout {
  const fields = [...options.fields];
  if (fields.length === 0) throw new Error('ndjsonSpout needs at least one field to emit');
  const outputName = fields.map((f) => f.replace(/\./g, '_'));

  class NdjsonSpout extends Spout {
    static outputs = { default: outputName };
    private reader?: LineReader;
    private lineNumber = 0;
    private emitted = 0;
    private reliable = true;
    private announcedEnd = false;
    private readonly pending = new Map<number, unknown[]>();

    override initialize(conf: Record<string, unknown>): void {
      const source = conf['ndjson.path'];
      if (typeof source !== 'string' || source.length === 0) {
        throw new Error("ndjson.path is not set: add `config: { ndjson.path: data/events.ndjson }` to the spout in topology.yaml");
      }
      this.reliable = conf['ndjson.reliable'] !== false;
      if (source === '-') {
        if (conf[IN_PROCESS] !== true) {
          throw new Error('ndjson.path "-" (standard input) only works in-process: in a multilang process stdin is Storm\'s channel. Use a file, or a FIFO (mkfifo) that your program writes to');
        }
        this.reader = streamLineReader(process.stdin);
        this.log.info('reading NDJSON from standard input');
      } else {
        this.reader = openLineReader(path.resolve(source));
        this.log.info(`reading NDJSON from ${path.resolve(source)}`);
      }
    }

    nextTuple(): void {
      const reader = this.reader;
      if (!reader) return;
      for (;;) {
        const line = reader.next();
        if (line === undefined) {
          if (reader.ended && !this.announcedEnd) {
            this.announcedEnd = true;
            this.log.info(`end of input: ${this.emitted} tuples from ${this.lineNumber} lines`);
          }
          return;
        }
        this.lineNumber++;
        if (line.trim().length === 0) continue;
        const values = this.parse(line);
        if (!values) continue;
        this.emitted++;
        if (this.reliable) {
          this.pending.set(this.lineNumber, values);
          this.emit(values, { id: this.lineNumber });
        } else {
          this.emit(values);
        }
        return;
      }
    }

    override ack(id: string | number): void {
      this.pending.delete(Number(id));
    }

    override fail(id: string | number): void {
      const values = this.pending.get(Number(id));
      if (values) this.emit(values, { id: Number(id) });
    }

    // Deactivation is a pause in Storm (`squall activate` resumes it): keep the reader and its
    // position, only stop reading ahead so a stopping run is not held open by a pipe.
    override deactivate(): void {
      this.reader?.pause();
    }

    private parse(line: string): unknown[] | undefined {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch (error) {
        this.skip(`line ${this.lineNumber} is not JSON (${(error as Error).message})`);
        return undefined;
      }
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        this.skip(`line ${this.lineNumber} is not a JSON object`);
        return undefined;
      }
      return fields.map((field) => pickField(record as Record<string, unknown>, field));
    }

    private skip(why: string): void {
      this.log.warn(`${why}: skipped`);
      this.reportError(`${why}: skipped`);
    }
  }
  return NdjsonSpout;
}
