/**
 * A bound on loading the component module. The launcher answers heartbeats while the module
 * loads (a slow top-level await must not look like a hung process), so without a bound a module
 * whose top-level await never settles would sit there forever, alive to Storm and doing nothing.
 * The bound is Storm's own patience with a silent shell process: `topology.subprocess.timeout.secs`
 * (else `supervisor.worker.timeout.secs`, else 30 s).
 */
import { SquallError } from '../../common/errors.js';

const DEFAULT_SECS = 30;

/** How long a module may take to load under this conf, in ms. */
export function loadDeadlineMs(conf: Record<string, unknown>): number {
  for (const key of ['topology.subprocess.timeout.secs', 'supervisor.worker.timeout.secs']) {
    const secs = conf[key];
    if (typeof secs === 'number' && Number.isFinite(secs) && secs > 0) return secs * 1000;
  }
  return DEFAULT_SECS * 1000;
}

/**
 * Runs `load`, failing with a SquallError naming the component, its script, the time waited and
 * the likely cause when it has not settled after `ms` (no bound when `ms` is undefined: a
 * debugger may be paused inside the module).
 */
export async function loadWithDeadline<T>(load: () => Promise<T>, ms: number | undefined, who: { component: string; script: string }): Promise<T> {
  if (ms === undefined) return load();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(
        new SquallError(
          'component',
          `the module of component '${who.component}' (${who.script}) did not finish loading within ${ms / 1000} s`,
          { component: who.component, file: who.script },
          "most likely a top-level await that never settles (a connection, a promise nobody resolves): do that work in the component's initialize(), which runs when the task starts (the limit is topology.subprocess.timeout.secs)",
        ),
      );
    }, ms);
  });
  try {
    return await Promise.race([load(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
