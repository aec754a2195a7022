import type * as Inspector from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The debug bootloader. Inside a Storm worker nobody controls node's argv, so the inspector is
 * opened from the environment (`topology.environment` of a debug submission):
 *
 * - `SQUALL_INSPECT=127.0.0.1:0` opens the inspector on that loopback address (port 0 = any);
 * - `SQUALL_DEBUG_COMPONENTS=split,count` (or `*`) limits the two settings above and below to
 *   those components: `topology.environment` is one map for the whole topology;
 * - `SQUALL_INSPECT_WAIT_SECS=<n>` holds the component's code back until a debugger attaches,
 *   or n seconds have passed, so breakpoints set on attach apply to initialize() and the first
 *   tuple; `SQUALL_INSPECT_WAIT=1` waits without a bound;
 * - `SQUALL_INSPECT_REGISTER=<dir>` writes `<dir>/<component>-<task>.json` with the URL, so
 *   tools learn where each task listens.
 *
 * Only loopback addresses are accepted: an inspector is remote code execution, and reaching it
 * from elsewhere goes through an SSH tunnel or an authenticated relay (DESIGN.md §5).
 */

/** Where a task's inspector listens, as registered. */
export interface InspectorRegistration {
  url: string;
  pid: number;
  component: string;
  task: number;
  /** Loopback port of the task's inspector relay (the fast channel), when it has one. */
  relayPort?: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

// Loaded only when asked for: most tasks never open an inspector, and each module costs memory in every task.
const lazyRequire = createRequire(import.meta.url);
const inspectorModule = (): typeof Inspector => lazyRequire('node:inspector') as typeof Inspector;

/**
 * True when `SQUALL_DEBUG_COMPONENTS` is unset, `*`, or lists the component (comma-separated):
 * the debug settings of the environment apply to it.
 */
export function debugSettingsApply(component: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const list = env.SQUALL_DEBUG_COMPONENTS;
  if (list === undefined || list.trim() === '') return true;
  const names = list.split(',').map((name) => name.trim());
  return names.includes('*') || names.includes(component);
}

/** True when the environment asks this component for the inspector (debug mode is then implied). */
export function inspectorRequested(component: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return typeof env.SQUALL_INSPECT === 'string' && env.SQUALL_INSPECT.length > 0 && debugSettingsApply(component, env);
}

/** True when the environment puts this component in debug mode without an inspector (`SQUALL_DEBUG=1`). */
export function debugModeRequested(component: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SQUALL_DEBUG === '1' && debugSettingsApply(component, env);
}

/**
 * Opens the inspector as the environment asks; returns the registration, or throws an Error
 * whose message says what is wrong with the setting.
 */
export function openInspector(component: string, task: number, env: NodeJS.ProcessEnv = process.env, relayPort?: number): InspectorRegistration {
  const setting = env.SQUALL_INSPECT!;
  const colon = setting.lastIndexOf(':');
  const host = (colon === -1 ? setting : setting.slice(0, colon)).replace(/^\[|\]$/g, '');
  const port = colon === -1 ? 0 : Number(setting.slice(colon + 1));
  if (!LOOPBACK.has(host)) throw new Error(`SQUALL_INSPECT=${setting}: the inspector only listens on loopback (127.0.0.1 or ::1); reach it through an SSH tunnel`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SQUALL_INSPECT=${setting}: the port must be a number from 0 to 65535`);
  const inspector = inspectorModule();
  if (!inspector.url()) inspector.open(port, host, false);
  const registration: InspectorRegistration = { url: inspector.url()!, pid: process.pid, component, task };
  if (relayPort !== undefined) registration.relayPort = relayPort;
  const folder = env.SQUALL_INSPECT_REGISTER;
  if (folder) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `${component}-${task}.json`), `${JSON.stringify(registration)}\n`);
  }
  return registration;
}

/**
 * How long the environment asks a task to wait for a debugger: 0 = not at all, Infinity =
 * until one comes (`SQUALL_INSPECT_WAIT=1`), else milliseconds (`SQUALL_INSPECT_WAIT_SECS`).
 * Throws for a setting that is not a number.
 */
export function debuggerWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const secs = env.SQUALL_INSPECT_WAIT_SECS;
  if (secs !== undefined && secs !== '') {
    const n = Number(secs);
    if (!(n >= 0)) throw new Error(`SQUALL_INSPECT_WAIT_SECS=${secs}: must be a number of seconds`);
    return n * 1000;
  }
  return env.SQUALL_INSPECT_WAIT === '1' ? Number.POSITIVE_INFINITY : 0;
}

/** Blocks until a debugger attaches and lets the task run (or until the I/O thread releases it: see debug-io). */
export function waitForDebugger(): void {
  inspectorModule().waitForDebugger();
}
