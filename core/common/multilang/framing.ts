/**
 * Multilang framing: each message is compact JSON, a newline, then the line `end`.
 * Works on strings (the I/O edge decodes UTF-8 with a streaming decoder), so it stays
 * free of Node APIs and runs in the child, the host and the browser alike.
 */

const TERMINATOR = '\nend\n';

/** Encodes one message as it goes on the wire. */
export function encodeMessage(message: unknown): string {
  return JSON.stringify(message) + TERMINATOR;
}

/** Raised when bytes on the channel are not a well-formed multilang message. */
export class FramingError extends Error {
  constructor(
    message: string,
    /** The offending text, cut to a readable length. */
    readonly excerpt: string,
  ) {
    super(message);
    this.name = 'FramingError';
  }
}

/**
 * Splits a stream of text into messages. Feed chunks with `push`; it returns every complete
 * message parsed so far. A malformed message throws FramingError (Storm treats it as fatal).
 */
export class FrameDecoder {
  private pending = '';

  push(chunk: string): unknown[] {
    const text = this.pending.length === 0 ? chunk : this.pending + chunk;
    const last = text.lastIndexOf(TERMINATOR);
    if (last === -1) {
      this.pending = text;
      return [];
    }
    this.pending = text.slice(last + TERMINATOR.length);
    const complete = text.slice(0, last);
    // One JSON.parse for the whole batch: a body never contains a line `end` (compact JSON
    // has no raw newline), so every terminator inside `complete` separates two messages.
    try {
      const batch = JSON.parse(`[${complete.replaceAll(TERMINATOR, ',')}]`) as unknown[];
      if (batch.length === countTerminators(complete) + 1) return batch;
    } catch {
      // fall through: find the culprit message and report it
    }
    return complete.split(TERMINATOR).map(parseBody);
  }

  /** Text received but not yet ended by an `end` line. */
  get buffered(): string {
    return this.pending;
  }
}

function countTerminators(text: string): number {
  let count = 0;
  for (let at = text.indexOf(TERMINATOR); at !== -1; at = text.indexOf(TERMINATOR, at + TERMINATOR.length)) count++;
  return count;
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (err) {
    const excerpt = body.length > 200 ? `${body.slice(0, 200)}…` : body;
    throw new FramingError(`not a JSON message: ${(err as Error).message}`, excerpt);
  }
}
