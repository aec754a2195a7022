import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Spout } from 'squall';

/** The bundled sample, chapter 1 of Moby-Dick (public domain), as shipped by manifest.txt. */
const SAMPLE = 'data/loomings.txt';

/**
 * Where the sample is: relative to the working directory (the topology folder under
 * `squall run`, resources/ in a Storm worker), else next to this module (tests run from the
 * repository root).
 */
function sampleFile(): string {
  const local = path.resolve(SAMPLE);
  return existsSync(local) ? local : fileURLToPath(new URL(`../${SAMPLE}`, import.meta.url));
}

/**
 * Emits the lines of a text file, in place of the Twitter stream of the book's chapter 4.
 * Config: `lines.file` (relative to the working directory; default: the bundled sample), `lines.per.second` (default 20; 0 = as
 * fast as Storm asks), `lines.loop` (default true: start over at the end, so the rolling
 * windows always have words in them). Every line is reliable and replayed if it fails.
 */
export default class LineSpout extends Spout {
  static outputs = { default: ['line'] };
  private lines: string[] = [];
  private next = 0;
  private pass = 0;
  private loop = true;
  private intervalMs = 0;
  private nextAtMs = 0;
  private readonly pending = new Map<string, string>();

  override initialize(conf: Record<string, unknown>): void {
    const file = typeof conf['lines.file'] === 'string' ? path.resolve(conf['lines.file']) : sampleFile();
    this.lines = readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    this.loop = conf['lines.loop'] !== false;
    const perSecond = Number(conf['lines.per.second'] ?? 20);
    this.intervalMs = perSecond > 0 ? 1000 / perSecond : 0;
    this.log.info(`emitting ${this.lines.length} lines of ${file}${this.intervalMs ? ` at ${perSecond}/s` : ''}`);
  }

  nextTuple(): void {
    if (this.next >= this.lines.length) {
      if (!this.loop || this.lines.length === 0) return;
      this.next = 0;
      this.pass++;
    }
    if (this.intervalMs > 0) {
      // Returning without an emit lets the runtime idle briefly before asking again.
      const now = Date.now();
      if (now < this.nextAtMs) return;
      this.nextAtMs = Math.max(now, this.nextAtMs) + this.intervalMs;
    }
    const line = this.lines[this.next]!;
    const id = `${this.pass}:${this.next++}`;
    this.pending.set(id, line);
    this.emit([line], { id });
  }

  override ack(id: string | number): void {
    this.pending.delete(String(id));
  }

  override fail(id: string | number): void {
    const line = this.pending.get(String(id));
    if (line !== undefined) this.emit([line], { id });
  }
}
