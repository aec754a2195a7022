/**
 * A small typed event primitive (VS Code's Event/Emitter idea, in our own words) that every
 * layer may use, the renderer included: no Node, no DOM. A listener that throws is reported to
 * the emitter's error handler, never silently swallowed, and never stops other listeners.
 */

/** Undoes a subscription or releases a resource. */
export interface Disposable {
  dispose(): void;
}

/** Subscribes a listener to a stream of values; dispose the result to unsubscribe. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/** Told when a listener throws: the error and the name of the event it was handling. */
export type ListenerErrorHandler = (error: unknown, eventName: string) => void;

/** An event source: `event` is what consumers subscribe to, `fire` what the owner calls. */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private disposed = false;

  constructor(
    /** Used in error reports ("a listener of 'log' threw ..."). */
    readonly name: string,
    private readonly onListenerError: ListenerErrorHandler = defaultListenerError,
  ) {}

  /** Subscribe here. */
  readonly event: Event<T> = (listener) => {
    if (this.disposed) return { dispose: () => {} };
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  /** True if anyone listens (lets the owner skip building costly values). */
  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  /** Delivers a value to every listener; a throwing listener is reported and the rest still run. */
  fire(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError(error, this.name);
      }
    }
  }

  /** Drops every listener; later subscriptions are ignored. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}

/** Last resort when nobody handles a listener's error: it goes to the console, not away. */
function defaultListenerError(error: unknown, eventName: string): void {
  console.error(`squall: a listener of '${eventName}' threw: ${(error as Error)?.stack ?? String(error)}`);
}

/** Holds disposables and disposes them together. */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();

  /** Adds one; returns it for chaining. */
  add<T extends Disposable>(item: T): T {
    this.items.add(item);
    return item;
  }

  dispose(): void {
    for (const item of this.items) item.dispose();
    this.items.clear();
  }
}

/** Resolves with the next value of an event (and unsubscribes). */
export function nextValue<T>(event: Event<T>, matches: (value: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const subscription = event((value) => {
      if (!matches(value)) return;
      subscription.dispose();
      resolve(value);
    });
  });
}
