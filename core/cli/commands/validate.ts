/** `squall validate <topology.yaml>`: every error and warning, compiler style; exit 1 on errors. */
import type { Command } from 'commander';
import { formatDiagnostic, hasErrors } from '../../common/topology/diagnostics.js';
import { loadTopology } from '../../project/load.js';

/** Registers `squall validate`. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check a topology file: YAML, keys, scripts, sources, streams and fields (loads the component classes)')
    .argument('<topology.yaml>', 'the topology file')
    .option('--no-introspect', 'do not load the component classes (skips the stream and field checks)')
    .addHelpText('after', '\nExample:\n  $ squall validate examples/wordcount/topology.yaml\n  examples/wordcount/topology.yaml: ok (1 spout, 2 bolts)')
    .action(async (file: string, options: { introspect: boolean }) => {
      const { spec, diagnostics } = await loadTopology(file, { introspect: options.introspect });
      for (const diagnostic of diagnostics) process.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = diagnostics.length - errors;
      const warned = warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '';
      if (hasErrors(diagnostics) || !spec) {
        process.stderr.write(`${file}: ${errors} error${errors === 1 ? '' : 's'}${warned}\n`);
        process.exitCode = 1;
        return;
      }
      const spouts = spec.components.filter((c) => c.kind === 'spout').length;
      const bolts = spec.components.length - spouts;
      process.stdout.write(`${file}: ok (${plural(spouts, 'spout')}, ${plural(bolts, 'bolt')}${warned})\n`);
    });
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
