/** `squall init <dir> [--name]`: scaffolds a runnable project. */
import path from 'node:path';
import type { Command } from 'commander';
import { initProject } from '../../project/init.js';
import { displayPath } from '../../project/load.js';

/** Registers `squall init`. */
export function register(program: Command): void {
  program
    .command('init')
    .description('scaffold a runnable project: topology.yaml, one spout, two bolts, a bolt test, package.json, tsconfig.json')
    .argument('<dir>', 'folder to create (must not exist or be empty)')
    .option('--name <name>', 'topology name (default: the folder name)')
    .addHelpText('after', '\nExample:\n  $ squall init my-topology\n  $ squall describe my-topology/topology.yaml')
    .action(async (dir: string, options: { name?: string }) => {
      const result = await initProject(dir, { name: options.name });
      const shown = displayPath(result.dir) || '.';
      const topology = path.join(shown, 'topology.yaml');
      process.stdout.write(
        [
          `created ${shown}/ (topology '${result.name}')`,
          ...result.files.map((f) => `  ${f}`),
          '',
          'next:',
          `  squall describe ${topology}`,
          `  squall run ${topology}`,
          '',
        ].join('\n'),
      );
    });
}
