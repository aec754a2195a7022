/**
 * Storm UI's REST API (/api/v1 on port 8080): topology ids by name, per-component stats and
 * the workers (host, port) running a component's executors.
 */
import { SquallError } from '../common/errors.js';
import { httpGet } from './http-get.js';

/** One row of `topology/summary`. */
export interface UiTopologySummary {
  id: string;
  name: string;
  status: string;
  uptimeSeconds?: number;
}

/** Per-component figures, as the UI reports them (strings normalised to numbers). */
export interface UiComponentStats {
  id: string;
  kind: 'spout' | 'bolt';
  executors: number;
  tasks: number;
  emitted: number;
  transferred: number;
  acked: number;
  failed: number;
  /** Spouts: complete latency (ms). */
  completeLatency?: number;
  /** Bolts: receive → ack (ms), the true cost of a tuple in a shell bolt. */
  processLatency?: number;
  /** Bolts: for shell bolts only the hand-off to the child process. */
  executeLatency?: number;
  capacity?: number;
  lastError: string;
}

/** A topology page, reduced to what Squall shows. */
export interface UiTopology {
  id: string;
  name: string;
  status: string;
  uptimeSeconds?: number;
  components: UiComponentStats[];
}

/** One executor of a component page. */
export interface UiExecutor {
  id: string;
  host: string;
  port: number;
}

function number(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(String(value ?? '').replace(/,/g, ''));
  return Number.isFinite(n) ? n : 0;
}

function optionalNumber(value: unknown): number | undefined {
  return value === undefined || value === null || value === '' ? undefined : number(value);
}

/** Talks to one Storm UI. */
export class StormUiClient {
  constructor(
    /** e.g. `http://nimbus:8080` */
    readonly base: string,
    private readonly timeoutMs = 15_000,
  ) {}

  /** GETs `/api/v1/<path>` as JSON, with errors that name the UI and the fix. */
  async get<T>(apiPath: string): Promise<T> {
    const url = `${this.base}/api/v1/${apiPath}`;
    const response = await httpGet(url, this.timeoutMs, {
      service: 'Storm UI',
      base: this.base,
      hint: 'check --ui (the UI listens on ui.port, 8080 by default); from outside the cluster tunnel it: ssh -L 8080:<ui-host>:8080 <gateway> and use --ui http://127.0.0.1:8080',
    });
    const text = response.text;
    if (!response.ok) {
      throw new SquallError('cluster', `Storm UI answered ${response.status} for ${url}: ${text.slice(0, 200)}`, {}, response.status === 404 ? 'the topology may have been killed; `squall list` shows what runs' : 'see the UI log (ui.log) on its host');
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new SquallError('cluster', `${url} did not return JSON`, {}, 'is --ui the Storm UI (port 8080) and not the logviewer or Nimbus?');
    }
  }

  /** Every topology the UI knows. */
  async topologies(): Promise<UiTopologySummary[]> {
    const body = await this.get<{ topologies?: Array<Record<string, unknown>> }>('topology/summary');
    return (body.topologies ?? []).map((t) => ({ id: String(t.id), name: String(t.name), status: String(t.status ?? ''), uptimeSeconds: optionalNumber(t.uptimeSeconds) }));
  }

  /** The topology id Storm gave `name` (e.g. `wordcount-3-1700000000`). */
  async topologyId(name: string): Promise<string> {
    const found = (await this.topologies()).find((t) => t.name === name);
    if (!found) throw new SquallError('cluster', `Storm UI at ${this.base} knows no topology named '${name}'`, {}, '`squall list` shows the running topologies');
    return found.id;
  }

  /** Stats of every spout and bolt; `window` is seconds (600, 10800, 86400) or `:all-time`. */
  async topology(id: string, window?: string): Promise<UiTopology> {
    const query = window ? `?window=${encodeURIComponent(window)}` : '';
    const body = await this.get<Record<string, unknown>>(`topology/${encodeURIComponent(id)}${query}`);
    const common = (c: Record<string, unknown>) => ({
      executors: number(c.executors),
      tasks: number(c.tasks),
      emitted: number(c.emitted),
      transferred: number(c.transferred),
      acked: number(c.acked),
      failed: number(c.failed),
      lastError: String(c.lastError ?? ''),
    });
    const spouts = ((body.spouts ?? []) as Array<Record<string, unknown>>).map((s) => ({ id: String(s.spoutId), kind: 'spout' as const, ...common(s), completeLatency: optionalNumber(s.completeLatency) }));
    const bolts = ((body.bolts ?? []) as Array<Record<string, unknown>>).map((b) => ({
      id: String(b.boltId),
      kind: 'bolt' as const,
      ...common(b),
      processLatency: optionalNumber(b.processLatency),
      executeLatency: optionalNumber(b.executeLatency),
      capacity: optionalNumber(b.capacity),
    }));
    return { id, name: String(body.name ?? ''), status: String(body.status ?? ''), uptimeSeconds: optionalNumber(body.uptimeSeconds), components: [...spouts, ...bolts] };
  }

  /** The executors of one component with the worker (host, port) each runs in. */
  async executors(id: string, componentId: string): Promise<UiExecutor[]> {
    const body = await this.get<{ executorStats?: Array<Record<string, unknown>> }>(`topology/${encodeURIComponent(id)}/component/${encodeURIComponent(componentId)}`);
    return (body.executorStats ?? []).map((e) => ({ id: String(e.id), host: String(e.host), port: number(e.port) }));
  }
}
