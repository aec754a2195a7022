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
import { DESCRIBE_MARKER, type DescribeResult } from '../component/describe.js';

/** What introspection learns about one component class. */
export interface ComponentIntrospection {
  kind: ComponentKind;
  outputs: OutputDeclaration;
  config: Record<string, unknown>;
}

/** How long loading all component modules may take before introspection gives up. */
const INTROSPECTION_TIMEOUT_MS = 30_000;

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
 * (esbuild's file:line), throw at import (the stack's line) or export no Spout or Bolt
 * subclass, throws a SquallError('component') naming the script — or, for several, a
 * ComponentLoadErrors listing every one of them.
 */
export async function introspectComponents(scripts: string[]): Promise<Map<string, ComponentIntrospection>> {
  const found = new Map<string, ComponentIntrospection>();
  if (scripts.length === 0) return found;
  const failures = new Map<string, SquallError>();
  const present = scripts.filter((script) => {
    if (existsSync(path.resolve(script))) return true;
    failures.set(script, new SquallError('component', `component script ${script} does not exist`, { file: script }, 'check the `script:` path in topology.yaml (it is relative to the topology file)'));
    return false;
  });
  const { loadable, bundle } = await compilingScripts(present, failures);
  if (bundle) {
    const results = await runDescriber(bundle);
    for (const script of loadable) {
      // The describer echoes each script as bundleDescriber resolved it.
      const absolute = path.resolve(script);
      const result = results.find((r) => r.script === absolute);
      if (!result) failures.set(script, new SquallError('component', `introspection gave no answer for ${script}`, { file: script }, 'run `node <bundle> --describe` to see what the module does when loaded'));
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
  // Report in the order the scripts were given.
  const failed = scripts.filter((s) => failures.has(s)).map((s) => failures.get(s)!);
  if (failed.length === 1) throw failed[0]!;
  if (failed.length > 1) throw new ComponentLoadErrors(failed);
  return found;
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

function runDescriber(file: string): Promise<DescribeResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--enable-source-maps', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), INTROSPECTION_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new SquallError('io', `cannot start node to load the components: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // The marker may follow output a module wrote at import without a newline: search, not startsWith.
      const at = stdout.lastIndexOf(DESCRIBE_MARKER);
      if (at !== -1) {
        const json = stdout.slice(at + DESCRIBE_MARKER.length).split('\n')[0]!;
        try {
          resolve(JSON.parse(json) as DescribeResult[]);
        } catch (error) {
          reject(new SquallError('component', `the component modules' description could not be read: ${(error as Error).message}`, {}, 'a module may have written to stdout while being described; move output into initialize()'));
        }
        return;
      }
      const why = signal === 'SIGKILL' ? `took longer than ${INTROSPECTION_TIMEOUT_MS / 1000} s` : `exited with ${signal ?? code}`;
      reject(
        new SquallError(
          'component',
          `loading the component modules ${why}${stderr.trim() ? `:\n${stderr.trim().split('\n').slice(0, 20).join('\n')}` : ''}`,
          {},
          'a component module must load quickly and without side effects that never finish (open connections in initialize(), not at import)',
        ),
      );
    });
  });
}
