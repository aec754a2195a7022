/**
 * Reads kind, output streams and class-level config from component classes by loading them
 * in a child process (never in the caller: user modules may have side effects, and a module
 * that hangs or crashes must not take the CLI or the workbench with it).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { SquallError } from '../common/errors.js';
import type { ComponentKind, OutputDeclaration } from '../common/topology/model.js';
import { bundleDescriber } from '../package/bundle.js';
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
 * Loads each script's component class (all in one child process) and returns what it
 * declares, keyed by the script path as given. Throws a SquallError('component') naming the
 * script when it does not exist, does not compile (esbuild's file:line) or exports no Spout or
 * Bolt subclass.
 */
export async function introspectComponents(scripts: string[]): Promise<Map<string, ComponentIntrospection>> {
  const found = new Map<string, ComponentIntrospection>();
  if (scripts.length === 0) return found;
  const { file } = await bundleDescriber(scripts);
  const results = await runDescriber(file);
  for (const [index, script] of scripts.entries()) {
    const absolute = path.resolve(script);
    const result = results.find((r) => r.script === absolute) ?? results[index];
    if (!result) throw new SquallError('component', `introspection gave no answer for ${script}`, { file: script }, 'run `node <bundle> --describe` to see what the module does when loaded');
    if ('error' in result) {
      const line = lineInStack(result.error.stack, absolute);
      throw new SquallError(
        'component',
        `${script}${line ? `:${line}` : ''}: ${result.error.message}`,
        { file: script, line },
        result.error.hint ?? 'make the module load without throwing: it is loaded once, without Storm, to read its streams (do setup work in initialize())',
      );
    }
    found.set(script, result.description);
  }
  return found;
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
      const line = stdout.split('\n').find((l) => l.startsWith(DESCRIBE_MARKER));
      if (line) {
        resolve(JSON.parse(line.slice(DESCRIBE_MARKER.length)) as DescribeResult[]);
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
