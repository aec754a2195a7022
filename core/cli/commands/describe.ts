/** `squall describe <topology.yaml> [--json]`: the resolved topology, streams read from the classes. */
import type { Command } from 'commander';
import { formatDiagnostic, hasErrors, TopologyError } from '../../common/topology/diagnostics.js';
import { formatTopology, topologyJson } from '../../project/describe.js';
import { loadTopology } from '../../project/load.js';
import { readPackageDescription } from '../../package/package-description.js';

/** Registers `squall describe`. */
export function register(program: Command): void {
  program
    .command('describe')
    .description('print the resolved topology: components, scripts, streams and output fields, inputs and groupings, parallelism, config')
    .argument('<topology.yaml>', 'the topology file, or a JAR built by `squall package`')
    .option('--json', 'print the stable JSON form (schema "squall.topology/1", documented in docs/topology.md)')
    .option('--no-introspect', 'do not load the component classes (streams are then unknown)')
    .addHelpText('after', '\nExamples:\n  $ squall describe examples/wordcount/topology.yaml\n  $ squall describe topology.yaml --json | jq \'.bolts[].inputs\'')
    .action(async (file: string, options: { json?: boolean; introspect: boolean }) => {
      // A JAR from `squall package` carries its resolved topology in resources/squall-topology.json.
      if (file.endsWith('.jar')) {
        const packaged = (await readPackageDescription(file)).topology;
        process.stdout.write(options.json ? `${JSON.stringify(topologyJson(packaged), null, 2)}\n` : formatTopology(packaged));
        return;
      }
      const { spec, diagnostics } = await loadTopology(file, { introspect: options.introspect });
      if (!spec || hasErrors(diagnostics)) throw new TopologyError(diagnostics);
      // Warnings (a cycle, a bolt without inputs) go to stderr so --json output stays parseable.
      for (const warning of diagnostics) process.stderr.write(`${formatDiagnostic(warning)}\n`);
      process.stdout.write(options.json ? `${JSON.stringify(topologyJson(spec), null, 2)}\n` : formatTopology(spec));
    });
}
