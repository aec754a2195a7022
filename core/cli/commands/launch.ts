/**
 * `squall launch <topology.yaml> <componentId>`: runs one component as Storm's ShellBolt or
 * ShellSpout would, speaking multilang on this process's stdin/stdout. It is what the packaged
 * launcher does inside a Storm worker, and a way to drive a component by hand or from a test host.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { SquallError } from '../../common/errors.js';
import { closestMatch } from '../../common/topology/suggest.js';
import { bundleLauncher } from '../../build/bundle.js';
import { loadTopologyFile } from '../../project/load.js';

interface LaunchOptions {
  debug?: boolean;
  inspect?: boolean;
}

/** Registers `squall launch`. */
export function register(program: Command): void {
  program
    .command('launch')
    .description('run one component speaking Storm multilang on stdin/stdout (what a Storm worker starts)')
    .argument('<topology.yaml>', 'the topology file')
    .argument('<componentId>', 'the spout or bolt to run')
    .option('--debug', 'debug mode: answer heartbeats off the main thread so a paused debugger is not killed')
    .option('--inspect', 'open the Node inspector on 127.0.0.1 (its URL is printed on stderr); implies --debug')
    .addHelpText('after', '\nExample:\n  $ squall launch examples/wordcount/topology.yaml split   # then write a Storm handshake on stdin')
    .action(async (file: string, componentId: string, options: LaunchOptions) => {
      process.exitCode = await launch(file, componentId, options);
    });
}

/** Bundles the component's launcher and runs it with this process's stdio; returns its exit code. */
export async function launch(file: string, componentId: string, options: LaunchOptions = {}): Promise<number> {
  const spec = await loadTopologyFile(file, { introspect: false });
  const component = spec.components.find((c) => c.id === componentId);
  if (!component) {
    const ids = spec.components.map((c) => c.id);
    const near = closestMatch(componentId, ids);
    throw new SquallError('usage', `topology '${spec.name}' has no component '${componentId}'`, { file }, near ? `did you mean '${near}'? (components: ${ids.join(', ')})` : `components: ${ids.join(', ')}`);
  }
  const script = path.resolve(path.dirname(spec.file ?? path.resolve(file)), component.script);
  // A debugger can pause the main thread: with --inspect, heartbeats go off it too.
  const { file: launcher } = await bundleLauncher({ script, componentId, debug: options.debug || options.inspect });
  const nodeArgs = ['--enable-source-maps', ...(options.inspect ? ['--inspect=127.0.0.1:0'] : []), launcher];
  // Storm passes topology.environment to shell components; do the same.
  const extra = spec.config['topology.environment'];
  const env = { ...process.env, ...(extra && typeof extra === 'object' ? (extra as Record<string, string>) : {}) };
  const child = spawn(process.execPath, nodeArgs, { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new SquallError('io', `cannot start node for '${componentId}': ${error.message}`)));
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', forward);
      // A shell's convention: 128 + the signal's number (143 for SIGTERM, 130 for SIGINT).
      resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 15) : 1));
    });
  });
}
