/** `squall package [topology.yaml] [-o file.jar]`: builds the topology JAR for Storm. */
import type { Command } from 'commander';
import path from 'node:path';
import { SquallError } from '../../common/errors.js';
import { packageTopology } from '../../package/package-topology.js';
import type { BinaryTarget } from '../../package/native-addons.js';

/** Parses `--target linux-x64`. */
export function parseTarget(text: string): BinaryTarget {
  const match = /^(linux|darwin|win32)-(\w+)$/.exec(text);
  if (!match) throw new SquallError('usage', `'${text}' is not a platform-arch pair`, {}, 'e.g. --target linux-x64 or --target linux-arm64');
  return { platform: match[1] as BinaryTarget['platform'], arch: match[2]! };
}

/** Registers `squall package`. */
export function register(program: Command): void {
  program
    .command('package')
    .description('build the topology JAR: launchers, bundled code with source maps, native node_modules, manifest.txt extras, setup hook, description')
    .argument('[topology.yaml]', 'the topology file', 'topology.yaml')
    .option('-o, --out <file.jar>', 'where to write the JAR (default: <name>.jar in the current folder)')
    .option('--target <platform-arch>', "the Storm workers' platform, for native addon checks", 'linux-x64')
    .addHelpText('after', '\nExamples:\n  $ squall package examples/wordcount/topology.yaml -o /tmp/wc.jar\n  $ unzip -l /tmp/wc.jar')
    .action(async (file: string, options: { out?: string; target: string }) => {
      const started = performance.now();
      const result = await packageTopology(file, { out: options.out, target: parseTarget(options.target) });
      for (const warning of result.warnings) process.stderr.write(`squall: warning: ${warning}\n`);
      const relative = path.relative(process.cwd(), result.jar);
      const shown = relative && !relative.startsWith('..') ? relative : result.jar;
      const ms = Math.round(performance.now() - started);
      process.stdout.write(`${shown}: ${result.entries.length} files, ${formatBytes(result.bytes)} (${ms} ms)\n`);
    });
}

/** `1.2 MB`, `312 kB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1000) return `${Math.round(bytes / 1000)} kB`;
  return `${bytes} B`;
}
