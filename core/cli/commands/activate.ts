/** `squall activate <name>`: Nimbus activate. */
import type { Command } from 'commander';
import { addClusterFlags, clusterFrom, type ClusterFlagValues } from '../../cluster/cluster-flags.js';
import { requireNimbus } from '../../cluster/cluster-profile.js';
import { withNimbus } from '../../cluster/nimbus-client.js';

/** Registers `squall activate`. */
export function register(program: Command): void {
  const command = program.command('activate').description('resume a deactivated topology: its spouts get nextTuple calls again').argument('<name>', 'topology name');
  addClusterFlags(command, ['nimbus']);
  command.action(async (name: string, flags: ClusterFlagValues) => {
    const nimbus = requireNimbus(await clusterFrom(flags));
    await withNimbus(nimbus, (client) => client.activate(name));
    process.stdout.write(`activated '${name}'\n`);
  });
}
