/** `squall rebalance <name> [-n workers] [--executors component=count]`: Nimbus rebalance. */
import type { Command } from 'commander';
import { addClusterFlags, clusterFrom, type ClusterFlagValues } from '../../cluster/cluster-flags.js';
import { requireNimbus } from '../../cluster/cluster-profile.js';
import { withNimbus } from '../../cluster/nimbus-client.js';
import { SquallError } from '../../common/errors.js';
import { parseSeconds } from './submit.js';

/** Parses `--executors split=4` values into a component → executors map. */
export function parseExecutors(pairs: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const pair of pairs) {
    const match = /^([^=]+)=(\d+)$/.exec(pair);
    const count = match ? Number(match[2]) : NaN;
    if (!match || count < 1) throw new SquallError('usage', `'--executors ${pair}' is not component=executors`, {}, 'e.g. --executors split=4 (executors ≥ 1, at most the tasks the component was submitted with)');
    result.set(match[1]!.trim(), count);
  }
  return result;
}

/** Registers `squall rebalance`. */
export function register(program: Command): void {
  const command = program
    .command('rebalance')
    .description('change the workers and executors of a running topology (Storm redistributes its tasks)')
    .argument('<name>', 'topology name')
    .option('-n, --workers <count>', 'new number of workers')
    .option('--executors <component=count>', 'new executor count of a component, repeatable (`storm rebalance -e`)', (v: string, p: string[]) => [...p, v], [])
    .option('--wait <secs>', 'seconds Storm waits (topology deactivated) before rebalancing', '30');
  // -e is the environment, as in every other squall command (not Storm's executors flag).
  addClusterFlags(command, ['nimbus']);
  command.addHelpText('after', '\nExample:\n  $ squall rebalance wordcount -n 4 --executors split=6 --executors count=4 --wait 10 -e prod');
  command.action(async (name: string, flags: ClusterFlagValues & { workers?: string; executors: string[]; wait: string }) => {
    refuseExecutorsAsEnv(flags.env);
    const executors = parseExecutors(flags.executors);
    const workers = flags.workers === undefined ? undefined : Number(flags.workers);
    if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
      throw new SquallError('usage', `'-n ${flags.workers}' is not a number of workers`, {}, 'e.g. -n 4');
    }
    if (workers === undefined && executors.size === 0) {
      throw new SquallError('usage', 'nothing to rebalance', {}, 'give -n <workers> and/or -e <component>=<executors>');
    }
    const nimbus = requireNimbus(await clusterFrom(flags));
    const wait_secs = parseSeconds(flags.wait);
    await withNimbus(nimbus, (client) => client.rebalance(name, { wait_secs, num_workers: workers, num_executors: executors.size ? executors : undefined }));
    const what = [workers !== undefined ? `${workers} workers` : '', ...[...executors].map(([c, n]) => `${c}: ${n} executors`)].filter(Boolean).join(', ');
    process.stdout.write(`rebalancing '${name}' in ${wait_secs} s (${what})\n`);
  });
}

/**
 * `-e split=4` was this command's executors flag (as in `storm rebalance`) and is documented
 * that way in older notes; now `-e` picks the environment everywhere, so say where executors went.
 */
function refuseExecutorsAsEnv(env: string | undefined): void {
  if (env === undefined || !/^[^=\s]+=\d+$/.test(env)) return;
  throw new SquallError(
    'usage',
    `'-e ${env}' looks like an executor count, but -e picks the cluster environment in every squall command`,
    {},
    `write --executors ${env} (repeatable; Storm's own CLI spells it \`storm rebalance -e\`)`,
  );
}
