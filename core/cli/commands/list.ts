/** `squall list`: the topologies Nimbus knows, with status, uptime and sizes. */
import type { Command } from 'commander';
import { addClusterFlags, clusterFrom, type ClusterFlagValues } from '../../cluster/cluster-flags.js';
import { requireNimbus } from '../../cluster/cluster-profile.js';
import { formatAddress } from '../../cluster/nimbus-address.js';
import { withNimbus } from '../../cluster/nimbus-client.js';
import { formatTable, formatUptime } from '../../cluster/table.js';

/** Registers `squall list`. */
export function register(program: Command): void {
  const command = program
    .command('list')
    .description('list the topologies running on the cluster (Nimbus getClusterInfo)')
    .option('--json', 'print the topology summaries as JSON');
  addClusterFlags(command, ['nimbus']);
  command.action(async (flags: ClusterFlagValues & { json?: boolean }) => {
    const nimbus = requireNimbus(await clusterFrom(flags));
    const info = await withNimbus(nimbus, (client) => client.getClusterInfo());
    const topologies = [...info.topologies].sort((a, b) => (a.name < b.name ? -1 : 1));
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(topologies, null, 2)}\n`);
      return;
    }
    if (topologies.length === 0) {
      process.stdout.write(`no topologies on Nimbus at ${formatAddress(nimbus)}\n`);
      return;
    }
    const rows = topologies.map((t) => [t.name, t.status, formatUptime(t.uptime_secs), String(t.num_workers), String(t.num_executors), String(t.num_tasks), t.id]);
    process.stdout.write(formatTable(['NAME', 'STATUS', 'UPTIME', 'WORKERS', 'EXECUTORS', 'TASKS', 'ID'], rows));
  });
}
