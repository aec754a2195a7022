/**
 * What a running local topology tells the outside world (the CLI's console, log files, the
 * workbench): a small typed event stream, our own type so no consumer's framework leaks in.
 */
import type { LogLevelName } from '../common/multilang/messages.js';
import type { TopologyFigures } from '../common/stats/figures.js';

/** Every event the engine emits, discriminated by `type`. */
export type EngineEvent =
  | { type: 'topology-started'; topology: string; mode: 'multiprocess' | 'in-process'; tasks: number; time: number }
  | { type: 'topology-stopped'; topology: string; reason: StopReason; time: number }
  | { type: 'task-started'; component: string; task: number; pid?: number; restart: number; time: number }
  | { type: 'log'; component: string; task: number; level: LogLevelName; text: string; time: number; /** Set for a line the task wrote to stderr (e.g. the inspector's URL). */ stream?: 'stderr' }
  | { type: 'error'; component?: string; task?: number; message: string; fatal: boolean; time: number }
  | { type: 'task-exited'; component: string; task: number; pid?: number; code: number | null; signal: string | null; reason: string; stderrTail: string; lastError?: string; tuple?: unknown[]; time: number }
  | { type: 'task-restarted'; component: string; task: number; pid?: number; attempt: number; delayMs: number; time: number }
  | { type: 'stats'; figures: TopologyFigures; time: number }
  /** A task started with the inspector (execArgv `--inspect=127.0.0.1:0`) printed where it listens. */
  | { type: 'inspector'; component: string; task: number; pid?: number; url: string; time: number };

/** Why a run ended. */
export type StopReason = 'requested' | 'duration' | 'crash-loop' | 'failed-to-start';

/** The `type` of an engine event. */
export type EngineEventType = EngineEvent['type'];
/** The engine event of one type. */
export type EngineEventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;

/** Undoes a subscription. */
export interface Subscription {
  dispose(): void;
}

/** A typed event stream: subscribe to one type or to everything. */
export class EngineEvents {
  private readonly listeners = new Map<string, Set<(event: EngineEvent) => void>>();

  /** Listens to one event type. */
  on<T extends EngineEventType>(type: T, listener: (event: EngineEventOf<T>) => void): Subscription {
    return this.add(type, listener as (event: EngineEvent) => void);
  }

  /** Listens to every event. */
  onAny(listener: (event: EngineEvent) => void): Subscription {
    return this.add('*', listener);
  }

  /** Delivers an event; a throwing listener is isolated so it cannot stop the topology. */
  emit(event: EngineEvent): void {
    for (const key of [event.type, '*']) {
      const set = this.listeners.get(key);
      if (!set) continue;
      for (const listener of set) {
        try {
          listener(event);
        } catch {
          // A broken consumer must not take the engine down; it loses its own event only.
        }
      }
    }
  }

  private add(key: string, listener: (event: EngineEvent) => void): Subscription {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return { dispose: () => set.delete(listener) };
  }
}
