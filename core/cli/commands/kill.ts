/** `squall kill <name> [--wait s]`: stop a topology (Nimbus killTopologyWithOpts). */
import type { Command } from 'commander';
import { addClusterFlags, clusterFrom, type ClusterFlagValues } from '../../cluster/cluster-flags.js';
import { requireNimbus } from '../../cluster/cluster-profile.js';
import { withNimbus } from '../../cluster/nimbus-client.js';
import { parseSeconds } from './submit.js';

/** Registers `squall kill`. */
export function register(program: Command): void {
  const command = program
    .command('kill')
    .description('kill a topology: spouts are deactivated, then its workers stop after --wait seconds')
    .argument('<name>', 'topology name')
    .option('--wait <secs>', 'seconds between deactivation and shutdown, for in-flight tuples (as storm kill -w)', '30');
  addClusterFlags(command, ['nimbus']);
  command.action(async (name: string, flags: ClusterFlagValues & { wait: string }) => {
    const waitSecs = parseSeconds(flags.wait);
    const nimbus = requireNimbus(await clusterFrom(flags));
    await withNimbus(nimbus, (client) => client.killTopology(name, waitSecs));
    process.stdout.write(`killed '${name}': its workers stop in ${waitSecs} s\n`);
  });
}
