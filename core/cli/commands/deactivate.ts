/** `squall deactivate <name>`: Nimbus deactivate. */
import type { Command } from 'commander';
import { addClusterFlags, clusterFrom, type ClusterFlagValues } from '../../cluster/cluster-flags.js';
import { requireNimbus } from '../../cluster/cluster-profile.js';
import { withNimbus } from '../../cluster/nimbus-client.js';

/** Registers `squall deactivate`. */
export function register(program: Command): void {
  const command = program.command('deactivate').description('pause a topology: its spouts get no more nextTuple calls; tuples in flight finish').argument('<name>', 'topology name');
  addClusterFlags(command, ['nimbus']);
  command.action(async (name: string, flags: ClusterFlagValues) => {
    const nimbus = requireNimbus(await clusterFrom(flags));
    await withNimbus(nimbus, (client) => client.deactivate(name));
    process.stdout.write(`deactivated '${name}'\n`);
  });
}
