/**
 * Lines of text from a file, a FIFO or standard input, for the NDJSON spout. A regular file
 * is read synchronously in chunks (a spout call never waits on the event loop, and a test
 * run is deterministic); a pipe is read as a stream into a bounded buffer, so nextTuple can
 * return at once when no line has arrived yet.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/** A source of lines; `next()` returns undefined when no line is ready (see `ended`). */
export interface LineReader {
  next(): string | undefined;
  /** True once the input is exhausted and every line was returned. */
  readonly ended: boolean;
  /** Stops reading ahead (a paused stream does not keep the process alive); `next()` resumes. */
  pause(): void;
  close(): void;
}

const CHUNK = 64 * 1024;
/** A pipe stops being read while this many lines wait (Storm asks for tuples at its own pace). */
const HIGH_WATER_LINES = 10_000;

/** Splits decoded text into lines, keeping the unfinished tail. */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private tail = '';
  readonly lines: string[] = [];
  private head = 0;

  push(chunk: Buffer): void {
    this.split(this.tail + this.decoder.write(chunk));
  }

  end(): void {
    const rest = this.tail + this.decoder.end();
    this.tail = '';
    if (rest.length > 0) this.lines.push(rest);
  }

  shift(): string | undefined {
    if (this.head >= this.lines.length) return undefined;
    const line = this.lines[this.head++]!;
    // Drop consumed lines now and then instead of shifting the array every call.
    if (this.head > 1024) {
      this.lines.splice(0, this.head);
      this.head = 0;
    }
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  }

  get waiting(): number {
    return this.lines.length - this.head;
  }

  private split(text: string): void {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.lines.push(text.slice(start, end));
      start = end + 1;
    }
    this.tail = text.slice(start);
  }
}

/** Reads a regular file synchronously, one chunk whenever the buffered lines run out. */
class FileLineReader implements LineReader {
  private readonly splitter = new LineSplitter();
  private readonly buffer = Buffer.alloc(CHUNK);
  private eof = false;

  constructor(private fd: number | undefined) {}

  next(): string | undefined {
    while (this.splitter.waiting === 0 && !this.eof && this.fd !== undefined) {
      const read = readSync(this.fd, this.buffer, 0, CHUNK, null);
      if (read === 0) {
        this.eof = true;
        this.splitter.end();
        this.close();
      } else {
        this.splitter.push(this.buffer.subarray(0, read));
      }
    }
    return this.splitter.shift();
  }

  get ended(): boolean {
    return this.eof && this.splitter.waiting === 0;
  }

  pause(): void {
    // A file is only read when next() asks: nothing runs ahead.
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Reads a stream (FIFO, stdin) in the background into a bounded line buffer. */
class StreamLineReader implements LineReader {
  private readonly splitter = new LineSplitter();
  private finished = false;

  constructor(private readonly stream: Readable) {
    stream.on('data', (chunk: Buffer) => {
      this.splitter.push(chunk);
      if (this.splitter.waiting > HIGH_WATER_LINES) stream.pause();
    });
    stream.on('end', () => {
      this.splitter.end();
      this.finished = true;
    });
    stream.on('error', () => {
      this.finished = true;
    });
  }

  next(): string | undefined {
    const line = this.splitter.shift();
    if (this.stream.isPaused() && this.splitter.waiting < HIGH_WATER_LINES / 10) this.stream.resume();
    return line;
  }

  get ended(): boolean {
    return this.finished && this.splitter.waiting === 0;
  }

  pause(): void {
    this.stream.pause();
  }

  close(): void {
    this.stream.destroy();
  }
}

/**
 * Opens a path: a regular file is read synchronously; a FIFO or device as a stream (opened off
 * the main thread: opening a FIFO waits for its writer, and a spout must not block on that).
 */
export function openLineReader(file: string): LineReader {
  if (statSync(file).isFile()) return new FileLineReader(openSync(file, 'r'));
  return new StreamLineReader(createReadStream(file));
}

/** Reads lines from a stream such as process.stdin. */
export function streamLineReader(stream: Readable): LineReader {
  return new StreamLineReader(stream);
}
