import type { Tuple } from '../tuple.js';

/**
 * A component threw where Storm would let the exception kill the worker: Bolt.process,
 * Spout.nextTuple/ack/fail/activate/deactivate, initialize. Carries what a crash report needs:
 * the original error and the tuple (or spout command) being handled.
 */
export class ComponentCrash extends Error {
  constructor(
    /** What the component threw. */
    readonly error: unknown,
    /** The method that threw (`process`, `tick`, `nextTuple`, `ack`, `initialize`, ...) or a phrase (`unhandled promise rejection`). */
    readonly during: string,
    /** The input tuple being processed, for bolts. */
    readonly tuple?: Tuple,
    /** The spout message id being acked or failed. */
    readonly messageId?: string | number,
  ) {
    super(`${describeError(error)} (during ${during})`);
    this.name = 'ComponentCrash';
  }

  /** Multi-line report: the stack, then the offending tuple. */
  report(): string {
    // Method names read as calls ("process() threw"); other causes are already phrases.
    const cause = /^[a-zA-Z]+$/.test(this.during) ? `${this.during}() threw` : this.during;
    const lines = [`${cause}: ${stackOf(this.error)}`];
    if (this.tuple) {
      const t = this.tuple;
      lines.push(`while processing tuple id=${t.id} from ${t.component}:${t.stream} (task ${t.task}) values=${safeJson(t.values)}`);
    }
    if (this.messageId !== undefined) lines.push(`message id: ${safeJson(this.messageId)}`);
    return lines.join('\n');
  }
}

/** The stack of an error, or its text for non-errors. */
export function stackOf(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `non-error thrown: ${safeJson(error)}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : safeJson(error);
}

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  } catch {
    return String(value);
  }
}
