/**
 * Reads kind, output streams and class-level config from component classes by loading them
 * in a child process (never in the caller: user modules may have side effects, and a module
 * that hangs or crashes must not take the CLI or the workbench with it).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SquallError } from '../common/errors.js';
import type { ComponentKind, OutputDeclaration } from '../common/topology/model.js';
import { bundleDescriber } from '../build/bundle.js';
import { DESCRIBE_MARKER, type DescribeEvent, type DescribeResult } from '../component/describe.js';

/** What introspection learns about one component class. */
export interface ComponentIntrospection {
  kind: ComponentKind;
  outputs: OutputDeclaration;
  config: Record<string, unknown>;
}

/** How long loading all component modules may take before introspection gives up (default). */
export const INTROSPECTION_TIMEOUT_MS = 30_000;

/** Options of introspection. */
export interface IntrospectOptions {
  /** Give up on modules that have not finished loading after this long (default 30 s). */
  timeoutMs?: number;
}

/** What introspection learnt: the classes it read, and why each other script failed. */
export interface IntrospectionResult {
  found: Map<string, ComponentIntrospection>;
  failures: Map<string, SquallError>;
}

/** What a module stuck at load time most likely does, and what to do about it. */
const STUCK_HINT =
  "a top-level await that never settles (a connection, a promise nobody resolves) keeps the module from ever finishing loading: do that work in the component's initialize(), which runs when the task starts";

/**
 * Several component scripts failed to load: one error listing each (file:line, message, hint),
 * so a user fixes them all in one pass. `failures` holds the individual errors, each with its
 * own `where`.
 */
export class ComponentLoadErrors extends SquallError {
  constructor(readonly failures: SquallError[]) {
    super('component', `${failures.length} component scripts cannot be loaded:\n${failures.map(listEntry).join('\n')}`, {}, 'fix each script listed above, then run again');
    this.name = 'ComponentLoadErrors';
  }
}

/** `  - file:line: message\n      hint: ...`, without repeating the location the message starts with. */
function listEntry(failure: SquallError): string {
  const { file, line, column } = failure.where;
  const at = file ? `${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}` : '';
  let message = failure.message;
  for (const prefix of [`${at}: `, `${file}: `]) if (at && message.startsWith(prefix)) message = message.slice(prefix.length);
  return `  - ${at ? `${at}: ` : ''}${message}${failure.hint ? `\n      hint: ${failure.hint}` : ''}`;
}

/**
 * Loads each script's component class (all in one child process) and returns what it
 * declares, keyed by the script path as given. When scripts do not exist, do not compile
 * (esbuild's file:line), throw at import (the stack's line), never finish loading, or export no
 * Spout or Bolt subclass, throws a SquallError('component') naming the script — or, for
 * several, a ComponentLoadErrors listing every one of them.
 */
export async function introspectComponents(scripts: string[], options: IntrospectOptions = {}): Promise<Map<string, ComponentIntrospection>> {
  const { found, failures } = await introspectEach(scripts, options);
  // Report in the order the scripts were given.
  const failed = scripts.filter((s) => failures.has(s)).map((s) => failures.get(s)!);
  if (failed.length === 1) throw failed[0]!;
  if (failed.length > 1) throw new ComponentLoadErrors(failed);
  return found;
}

/** Like introspectComponents, but returns the classes it could read along with each failure. */
export async function introspectEach(scripts: string[], options: IntrospectOptions = {}): Promise<IntrospectionResult> {
  const found = new Map<string, ComponentIntrospection>();
  const failures = new Map<string, SquallError>();
  if (scripts.length === 0) return { found, failures };
  const present = scripts.filter((script) => {
    if (existsSync(path.resolve(script))) return true;
    failures.set(script, new SquallError('component', `component script ${script} does not exist`, { file: script }, 'check the `script:` path in topology.yaml (it is relative to the topology file)'));
    return false;
  });
  const { loadable, bundle } = await compilingScripts(present, failures);
  if (bundle) {
    const run = await runDescriber(bundle, loadable.map((script) => path.resolve(script)), options.timeoutMs ?? INTROSPECTION_TIMEOUT_MS);
    for (const script of loadable) {
      // The describer echoes each script as bundleDescriber resolved it.
      const absolute = path.resolve(script);
      const result = run.results.get(absolute);
      if (!result) failures.set(script, unfinished(script, absolute, run));
      else if ('error' in result) {
        const line = lineInStack(result.error.stack, absolute);
        failures.set(
          script,
          new SquallError(
            'component',
            `${script}${line ? `:${line}` : ''}: ${result.error.message}`,
            { file: script, line },
            result.error.hint ?? 'make the module load without throwing: it is loaded once, without Storm, to read its streams (do setup work in initialize())',
          ),
        );
      } else found.set(script, result.description);
    }
  }
  return { found, failures };
}

/** Why a script has no answer: it never finished loading, or the process ended first. */
function unfinished(script: string, absolute: string, run: DescriberRun): SquallError {
  const waited = `${(run.elapsedMs / 1000).toFixed(1)} s`;
  const stderr = run.stderr.trim() ? `:\n${run.stderr.trim().split('\n').slice(0, 20).join('\n')}` : '';
  if (run.loading.has(absolute) && run.timedOut) {
    return new SquallError('component', `${script} did not finish loading within ${waited} (introspection stopped waiting)`, { file: script }, STUCK_HINT);
  }
  // Node's exit code when the main module's top-level await can never settle: nothing is left to wait for.
  if (run.loading.has(absolute) && run.code === 13) {
    return new SquallError('component', `${script} never finished loading: a top-level await in it (or in a module it imports) never settled; Node gave up after ${waited} with nothing left to wait for`, { file: script }, STUCK_HINT);
  }
  if (run.loading.has(absolute)) {
    const how = run.signal ? `signal ${run.signal}` : `exit code ${run.code}`;
    return new SquallError('component', `the process loading ${script} ended (${how}) after ${waited}, before the module finished loading${stderr}`, { file: script }, 'a component module must not call process.exit() or kill its process while it is imported; do such work in initialize()');
  }
  const why = run.timedOut ? `took longer than ${waited}` : `exited with ${run.signal ?? run.code}`;
  return new SquallError('component', `loading the component modules ${why}${stderr}`, { file: script }, 'a component module must load quickly and without side effects that never finish (open connections in initialize(), not at import)');
}

/**
 * The scripts that compile, and the describer bundle of exactly those. esbuild stops a build at
 * the first broken module graph, so when the scripts together do not compile, each is compiled
 * alone to name every broken one, and the ones that compiled are bundled together again.
 */
async function compilingScripts(scripts: string[], failures: Map<string, SquallError>): Promise<{ loadable: string[]; bundle?: string }> {
  if (scripts.length === 0) return { loadable: [] };
  try {
    return { loadable: scripts, bundle: (await bundleDescriber(scripts)).file };
  } catch (error) {
    if (!(error instanceof SquallError)) throw error;
    if (scripts.length === 1) {
      failures.set(scripts[0]!, error);
      return { loadable: [] };
    }
  }
  const alone = await Promise.all(scripts.map((script) => bundleDescriber([script]).then(() => undefined, (error: unknown) => error)));
  const loadable: string[] = [];
  scripts.forEach((script, i) => {
    const error = alone[i];
    if (error === undefined) loadable.push(script);
    else if (error instanceof SquallError) failures.set(script, error);
    else throw error;
  });
  return loadable.length > 0 ? { loadable, bundle: (await bundleDescriber(loadable)).file } : { loadable };
}

/** The line of the first stack frame inside the script (the stack is source-mapped). */
function lineInStack(stack: string | undefined, script: string): number | undefined {
  for (const frame of stack?.split('\n') ?? []) {
    const at = frame.indexOf(`${script}:`);
    if (at !== -1) return Number(frame.slice(at + script.length + 1).split(':')[0]) || undefined;
  }
  return undefined;
}

/** How one run of the introspection child went. */
interface DescriberRun {
  /** Answers by absolute script path. */
  results: Map<string, DescribeResult>;
  /** Scripts the child started loading. */
  loading: Set<string>;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  elapsedMs: number;
  stderr: string;
}

/**
 * Runs the describer bundle until every script has an answer (then stops it: a module may leave
 * a timer running), the child exits, or `timeoutMs` passes.
 */
function runDescriber(file: string, scripts: string[], timeoutMs: number): Promise<DescriberRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--enable-source-maps', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const results = new Map<string, DescribeResult>();
    const loading = new Set<string>();
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let malformed: Error | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // Complete marked lines only; the marker may follow output a module wrote at import without a newline.
      const end = stdout.lastIndexOf('\n');
      if (end === -1) return;
      for (const piece of stdout.slice(0, end).split(DESCRIBE_MARKER).slice(1)) {
        try {
          const event = JSON.parse(piece.split('\n')[0]!) as DescribeEvent;
          if ('loading' in event) loading.add(event.script);
          else results.set(event.script, event);
        } catch (error) {
          malformed ??= error as Error;
        }
      }
      stdout = stdout.slice(end + 1);
      if (scripts.every((script) => results.has(script))) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new SquallError('io', `cannot start node to load the components: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (malformed && results.size < scripts.length) {
        reject(new SquallError('component', `the component modules' description could not be read: ${malformed.message}`, {}, 'a module may have written to stdout while being described; move output into initialize()'));
        return;
      }
      resolve({ results, loading, code, signal, timedOut, elapsedMs: Date.now() - started, stderr });
    });
  });
}
