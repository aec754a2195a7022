/** `squall stats <name> --ui http://host:8080`: per-component figures from the Storm UI REST API. */
import type { Command } from 'commander';
import { addClusterFlags, clusterFrom, type ClusterFlagValues } from '../../cluster/cluster-flags.js';
import { requireUi } from '../../cluster/cluster-profile.js';
import { StormUiClient, type UiComponentStats } from '../../cluster/storm-ui.js';
import { formatTable, formatUptime } from '../../cluster/table.js';

/** Why two of Storm UI's columns mislead for Node components. */
export const SHELL_LATENCY_NOTE =
  'note: for shell bolts Storm measures execute latency and capacity around the hand-off to the Node process only, so they read ~0; ' +
  'process latency (receive → ack) is the real time per tuple, and the one to size parallelism with.';

function ms(value: number | undefined): string {
  return value === undefined ? '' : value.toFixed(3);
}

function row(c: UiComponentStats): string[] {
  const latency = c.kind === 'spout' ? c.completeLatency : c.processLatency;
  return [
    c.id,
    c.kind,
    String(c.executors),
    String(c.emitted),
    String(c.transferred),
    String(c.acked),
    String(c.failed),
    ms(latency),
    c.kind === 'bolt' ? ms(c.executeLatency) : '',
    c.kind === 'bolt' && c.capacity !== undefined ? c.capacity.toFixed(3) : '',
    c.lastError.split('\n')[0]!.slice(0, 80),
  ];
}

/** Registers `squall stats`. */
export function register(program: Command): void {
  const command = program
    .command('stats')
    .description('per-component executors, emitted, transferred, acked, failed, latencies, capacity and last error (Storm UI REST API)')
    .argument('<name>', 'topology name')
    .option('--window <secs>', 'stats window: 600, 10800, 86400 or :all-time (Storm UI default: all time)')
    .option('--json', 'print the figures as JSON');
  addClusterFlags(command, ['ui']);
  command.action(async (name: string, flags: ClusterFlagValues & { window?: string; json?: boolean }) => {
    const ui = new StormUiClient(requireUi(await clusterFrom(flags)));
    const id = await ui.topologyId(name);
    const topology = await ui.topology(id, flags.window);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(topology, null, 2)}\n`);
      return;
    }
    const uptime = topology.uptimeSeconds === undefined ? '' : `, up ${formatUptime(topology.uptimeSeconds)}`;
    process.stdout.write(`${name} (${id}) ${topology.status}${uptime}\n\n`);
    process.stdout.write(
      formatTable(
        ['COMPONENT', 'KIND', 'EXECUTORS', 'EMITTED', 'TRANSFERRED', 'ACKED', 'FAILED', 'LATENCY ms', 'EXECUTE ms', 'CAPACITY', 'LAST ERROR'],
        topology.components.map(row),
      ),
    );
    process.stdout.write('\nLATENCY ms: spouts = complete latency (emit → tuple tree acked); bolts = process latency (receive → ack).\n');
    if (topology.components.some((c) => c.kind === 'bolt')) process.stdout.write(`${SHELL_LATENCY_NOTE}\n`);
    if (topology.uptimeSeconds !== undefined && topology.uptimeSeconds < 90) {
      process.stdout.write('Storm UI shows stats of a new topology only after ~60-90 s of uptime.\n');
    }
  });
}
