/**
 * The first code a Storm worker runs for a packaged component (`node <id>.mjs` in resources/):
 * checks the worker's Node version against the topology's `node:` range, runs the optional
 * setup hook once per resources folder, then hands over to the component's bundle.
 * When it cannot go on, it still speaks enough multilang (handshake → pid → `error`) for Storm
 * UI to show why, then exits non-zero. Bundled standalone: Node built-ins only.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { satisfiesNodeRange } from './node-range.js';

/** What the packager bakes into each wrapper. */
export interface WrapperOptions {
  componentId: string;
  kind: 'spout' | 'bolt';
  /** The topology's `node:` range; absent = no check. */
  nodeRange?: string;
  /** The component bundle next to the wrapper, e.g. `split.bundle.mjs`. */
  bundle: string;
  /** `setup.sh` or `setup.mjs` in resources/, when the topology has one. */
  setup?: string;
  /** The wrapper's own URL (import.meta.url). */
  launcherUrl: string;
  /** How long a task waits for another task's setup before giving up (default 10 min). */
  setupWaitMs?: number;
}

/** The setup hook's lock folder in resources/: whoever creates it runs the hook. */
export const SETUP_LOCK = '.squall-setup.lock';
/** The marker in resources/ that the setup hook succeeded. */
export const SETUP_DONE = '.squall-setup.done';
/** The setup hook's output, in resources/ (stdout belongs to multilang). */
export const SETUP_LOG = 'squall-setup.log';

/** Runs the checks, then the component. */
export async function runWrapper(options: WrapperOptions): Promise<void> {
  const resources = path.dirname(fileURLToPath(options.launcherUrl));
  // `--describe` (introspection) and the bundle's debug I/O thread skip the worker checks.
  const checking = !process.argv.includes('--describe');
  if (checking) {
    const problem = checkNode(options) ?? runSetupOnce(options, resources);
    if (problem) failLikeStorm(options, problem);
  }
  await import(new URL(options.bundle, options.launcherUrl).href);
}

function checkNode(options: WrapperOptions): string | undefined {
  if (!options.nodeRange) return undefined;
  let ok: boolean;
  try {
    ok = satisfiesNodeRange(process.version, options.nodeRange);
  } catch {
    return `the topology's node range '${options.nodeRange}' is not a valid version range`;
  }
  if (ok) return undefined;
  return (
    `component '${options.componentId}' needs Node ${options.nodeRange} but this worker runs Node ${process.version} (${process.execPath}). ` +
    `Install a matching Node on every supervisor host and make it the first 'node' on the supervisor's PATH, ` +
    `or change 'node:' in topology.yaml and package again.`
  );
}

/** File inside the lock folder naming the pid of the task running the setup hook. */
const LOCK_OWNER = 'owner';

/**
 * Runs the setup hook once for this resources folder: the first task to create the lock
 * folder (mkdir is atomic) runs it; the others wait for its success marker. A failed setup
 * removes the lock so a restarted task tries again; so does a waiter that finds the lock's
 * owner dead (killed mid-setup), instead of waiting out the deadline. All tasks sharing a
 * resources folder run on one supervisor host, so the owner's pid can be checked.
 */
function runSetupOnce(options: WrapperOptions, resources: string): string | undefined {
  if (!options.setup) return undefined;
  const done = path.join(resources, SETUP_DONE);
  const lock = path.join(resources, SETUP_LOCK);
  const deadline = Date.now() + (options.setupWaitMs ?? 600_000);
  while (!existsSync(done)) {
    let owner = false;
    try {
      mkdirSync(lock);
      owner = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return `cannot create ${lock}: ${(error as Error).message}`;
    }
    if (owner) {
      writeFileSync(path.join(lock, LOCK_OWNER), String(process.pid));
      return runSetup(options.setup, resources, lock, done);
    }
    if (breakStaleLock(lock)) continue;
    if (Date.now() > deadline) {
      return `waited ${Math.round((options.setupWaitMs ?? 600_000) / 1000)} s for another task's ${options.setup} (lock ${lock}, started ${lockAge(lock)}); it never finished. See ${SETUP_LOG}; remove the lock folder to retry.`;
    }
    sleep(50);
  }
  return undefined;
}

function runSetup(setup: string, resources: string, lock: string, done: string): string | undefined {
  const command = setup.endsWith('.mjs') || setup.endsWith('.js') ? process.execPath : 'sh';
  // Setup output goes to a log file: stdout belongs to multilang.
  const result = spawnSync(command, [setup], { cwd: resources, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const output = Buffer.concat([result.stdout ?? Buffer.alloc(0), result.stderr ?? Buffer.alloc(0)]);
  writeFileSync(path.join(resources, SETUP_LOG), output);
  if (result.status === 0) {
    writeFileSync(done, `${new Date().toISOString()} pid ${process.pid}\n`);
    return undefined;
  }
  rmSync(lock, { recursive: true, force: true });
  const why = result.error ? result.error.message : result.signal ? `killed by ${result.signal}` : `exit code ${result.status}`;
  const tail = output.toString('utf8').trim().split('\n').slice(-5).join('\n');
  return `the setup hook ${setup} failed (${why}); last lines of ${SETUP_LOG}:\n${tail}`;
}

/**
 * Removes the lock when the task that holds it is gone. The lock is renamed away first
 * (atomic: of several waiters noticing at once, one wins), then checked again: if what was
 * renamed is not the dead owner's lock (a new owner took the path in between), it is put
 * back. Only a three-way race at that instant can still run the hook twice.
 */
function breakStaleLock(lock: string): boolean {
  const pid = lockOwner(lock);
  if (pid === undefined || isAlive(pid)) return false;
  const stale = `${lock}.stale-${process.pid}`;
  try {
    renameSync(lock, stale);
  } catch {
    return false; // another waiter took it first
  }
  if (lockOwner(stale) !== pid) {
    try {
      renameSync(stale, lock);
    } catch {
      rmSync(stale, { recursive: true, force: true }); // the path was taken again meanwhile
    }
    return false;
  }
  rmSync(stale, { recursive: true, force: true });
  return true;
}

/** The pid written in a lock folder, or undefined while its owner has not written it yet. */
function lockOwner(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(lock, LOCK_OWNER), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockAge(lock: string): string {
  try {
    return `${Math.round((Date.now() - statSync(lock).mtimeMs) / 1000)} s ago`;
  } catch {
    return 'at an unknown time';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Reports a fatal problem the way Storm shows it: answer the handshake with our pid, send
 * `error` (Storm UI's "last error") and an error-level `log` (worker.log), then exit 1.
 * A spout may only talk after a command, so it waits for the first one.
 */
function failLikeStorm(options: WrapperOptions, problem: string): never {
  process.stderr.write(`squall: ${problem}\n`);
  const input = new MessageReader();
  const handshake = input.next() as { pidDir?: string } | undefined;
  if (handshake) {
    if (typeof handshake.pidDir === 'string') {
      try {
        closeSync(openSync(path.join(handshake.pidDir, String(process.pid)), 'w'));
      } catch {
        // A missing pid file only affects Storm's cleanup of this process.
      }
    }
    send({ pid: process.pid });
    if (options.kind === 'spout') input.next();
    send({ command: 'error', msg: problem });
    send({ command: 'log', msg: problem, level: 4 });
  }
  process.exit(1);
}

function send(message: unknown): void {
  const bytes = Buffer.from(`${JSON.stringify(message)}\nend\n`);
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      sleep(1);
    }
  }
}

/** Blocking reader of multilang messages on stdin (only used on the way out). */
class MessageReader {
  private pending = '';

  next(): unknown {
    const chunk = Buffer.alloc(65536);
    for (;;) {
      const end = this.pending.indexOf('\nend\n');
      if (end !== -1) {
        const body = this.pending.slice(0, end);
        this.pending = this.pending.slice(end + 5);
        try {
          return JSON.parse(body);
        } catch {
          return undefined;
        }
      }
      let read = 0;
      try {
        read = readSync(0, chunk, 0, chunk.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          sleep(5);
          continue;
        }
        return undefined;
      }
      if (read === 0) return undefined;
      this.pending += chunk.toString('utf8', 0, read);
    }
  }
}
