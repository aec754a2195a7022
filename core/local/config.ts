/**
 * The Storm settings the local engine obeys, read with Storm 2.x's defaults (defaults.yaml)
 * and its precedence: topology conf, overridden by the component's own conf where Storm
 * allows it.
 */
import { COMPONENT_LEVEL_SETTINGS, STORM_TOPOLOGY_SETTINGS } from '../common/topology/storm-settings.js';
import { STORM_CLIENT_SETTINGS } from './storm-client-settings.js';

/** Settings of one task, resolved. */
export interface TaskSettings {
  /** topology.shellbolt.max.pending: tuples queued to a bolt child before upstream waits. */
  maxPending: number;
  /** topology.max.spout.pending: tracked tuple trees a spout task may have open (undefined = no limit). */
  maxSpoutPending: number | undefined;
  /** topology.tick.tuple.freq.secs, from the component conf (undefined = no ticks). */
  tickSecs: number | undefined;
}

/** Settings of the whole run. */
export interface TopologySettings {
  /** topology.message.timeout.secs (30); 0 when topology.enable.message.timeouts is false (trees never time out). */
  messageTimeoutMs: number;
  /** topology.subprocess.timeout.secs, else supervisor.worker.timeout.secs (30). */
  subprocessTimeoutMs: number;
  /** topology.acker.executors (else topology.workers, 1): 0 = acks happen at emit. */
  ackers: number;
  /** topology.environment: extra environment of every child. */
  environment: Record<string, string>;
}

function number(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** Reads the topology-level settings. */
export function topologySettings(conf: Record<string, unknown>): TopologySettings {
  const environment: Record<string, string> = {};
  const env = conf['topology.environment'];
  if (env && typeof env === 'object') {
    for (const [k, v] of Object.entries(env as Record<string, unknown>)) environment[k] = String(v);
  }
  const timeoutSecs = number(conf['topology.subprocess.timeout.secs']) ?? number(conf['supervisor.worker.timeout.secs']) ?? 30;
  return {
    // Storm's executor schedules no timeout ticks for a spout when timeouts are disabled.
    messageTimeoutMs: conf['topology.enable.message.timeouts'] === false ? 0 : (number(conf['topology.message.timeout.secs']) ?? 30) * 1000,
    subprocessTimeoutMs: timeoutSecs * 1000,
    ackers: Math.trunc(number(conf['topology.acker.executors']) ?? number(conf['topology.workers']) ?? 1),
    environment,
  };
}

/** Reads one task's settings from its merged conf (topology conf + component conf). */
export function taskSettings(merged: Record<string, unknown>, componentConf: Record<string, unknown>): TaskSettings {
  const maxSpoutPending = number(merged['topology.max.spout.pending']);
  const tick = number(componentConf['topology.tick.tuple.freq.secs']) ?? number(merged['topology.tick.tuple.freq.secs']);
  return {
    maxPending: Math.max(1, Math.trunc(number(merged['topology.shellbolt.max.pending']) ?? 100)),
    maxSpoutPending: maxSpoutPending === undefined || maxSpoutPending <= 0 ? undefined : Math.trunc(maxSpoutPending),
    tickSecs: tick === undefined || tick <= 0 ? undefined : tick,
  };
}

/**
 * Storm settings a component's own conf may not change: every setting Config.java defines
 * except COMPONENT_LEVEL_SETTINGS (Executor.normalizedComponentConf). Names Storm does not
 * define (the user's own keys) always pass.
 */
const STRIPPED_FROM_COMPONENT_CONF: ReadonlySet<string> = new Set(
  [...STORM_TOPOLOGY_SETTINGS, ...STORM_CLIENT_SETTINGS].filter(
    // topology.oci.image is a DaemonConfig setting, which the executor's reflection never sees.
    (key) => !COMPONENT_LEVEL_SETTINGS.includes(key) && key !== 'topology.oci.image',
  ),
);

/**
 * The conf a task sees (its handshake's `conf`): the topology conf, overridden by the
 * component's own conf minus the Storm settings a component may not set, as a Storm executor
 * builds it. So a component's `topology.message.timeout.secs` or `topology.shellbolt.max.pending`
 * has no effect (validation warns about those), while its tick frequency, max spout pending and own
 * keys do.
 */
export function mergedConf(topology: Record<string, unknown>, component: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...topology };
  for (const [key, value] of Object.entries(component)) {
    if (!STRIPPED_FROM_COMPONENT_CONF.has(key)) merged[key] = value;
  }
  return merged;
}

/** Parses `-o key=value`: a JSON value keeps its type, anything else stays a string. */
export function parseOverride(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`expected key=value, got '${text}'`);
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  // Storm's own rule for `storm jar -c key=value` (Utils.readCommandLineOpts): the value is
  // JSON when it parses as JSON (5, true, null, [..], {..}, "..."), otherwise the text itself.
  try {
    return [key, JSON.parse(raw)];
  } catch {
    return [key, raw];
  }
}
