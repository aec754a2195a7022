import { FrameDecoder } from '../../common/multilang/framing.js';

/** What the runtime does with input from the host. */
export interface InputHandlers {
  /** Complete messages, in arrival order. */
  messages(list: unknown[]): void;
  /** The host closed our stdin (Storm is gone). */
  end(): void;
  /** Bytes that are not a multilang message. */
  malformed(error: Error): void;
}

/** Pause/resume of the input, for output backpressure. */
export interface InputControl {
  pause(): void;
  resume(): void;
}

/**
 * Reads multilang messages from a readable stream (stdin in the main thread, or a pipe socket
 * in the debug I/O worker). Decodes UTF-8 with the stream decoder, so a character split across
 * two reads is never mangled, and hands every complete message of a chunk over at once.
 */
export function readMessages(stream: NodeJS.ReadableStream, leftover: string, handlers: InputHandlers): InputControl {
  const decoder = new FrameDecoder();
  let failed = false;
  const feed = (chunk: string): void => {
    if (failed) return;
    let list: unknown[];
    try {
      list = decoder.push(chunk);
    } catch (error) {
      failed = true;
      handlers.malformed(error as Error);
      return;
    }
    if (list.length > 0) handlers.messages(list);
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => feed(chunk));
  stream.on('end', () => {
    if (!failed) handlers.end();
  });
  stream.on('error', () => {
    if (!failed) handlers.end();
  });
  if (leftover.length > 0) queueMicrotask(() => feed(leftover));
  return {
    pause: () => void stream.pause(),
    resume: () => void stream.resume(),
  };
}
