/** `squall tail <name> [-f] [--component c]`: worker logs of a topology through the logviewer. */
import type { Command } from 'commander';
import { addClusterFlags, clusterFrom, type ClusterFlagValues } from '../../cluster/cluster-flags.js';
import { requireUi } from '../../cluster/cluster-profile.js';
import { LogviewerClient } from '../../cluster/logviewer.js';
import { StormUiClient } from '../../cluster/storm-ui.js';
import { SquallError } from '../../common/errors.js';

interface TailFlags extends ClusterFlagValues {
  follow?: boolean;
  component?: string;
  interval: string;
  bytes: string;
}

/** The logviewer of a worker host: the flag (with `{host}` filled in) or http://<host>:8000. */
export function logviewerFor(template: string | undefined, host: string): string {
  return template ? template.replace(/\{host\}/g, host) : `http://${host}:8000`;
}

/** Registers `squall tail`. */
export function register(program: Command): void {
  const command = program
    .command('tail')
    .description("print the end of a topology's worker logs (Storm logviewer); -f keeps following them")
    .argument('<name>', 'topology name')
    .option('-f, --follow', 'keep printing what the workers append (Ctrl-C stops)')
    .option('--component <id>', 'only the workers running this component')
    .option('--bytes <n>', 'how much of the end of each log to print first', '8192')
    .option('--interval <ms>', 'how often to poll with -f', '2000');
  addClusterFlags(command, ['ui', 'logviewer']);
  command.action(async (name: string, flags: TailFlags) => {
    // Checked first: NaN would poll the logviewer without pause or ask it for `length=NaN`.
    const bytes = positiveInteger(flags.bytes, '--bytes', 'e.g. --bytes 65536');
    const interval = positiveInteger(flags.interval, '--interval', 'e.g. --interval 2000 (milliseconds)');
    const cluster = await clusterFrom(flags);
    const ui = new StormUiClient(requireUi(cluster));
    const id = await ui.topologyId(name);
    const topology = await ui.topology(id);
    const components = flags.component ? [flags.component] : topology.components.map((c) => c.id);
    if (flags.component && !topology.components.some((c) => c.id === flags.component)) {
      throw new SquallError('usage', `'${name}' has no component '${flags.component}'`, {}, `its components: ${topology.components.map((c) => c.id).join(', ')}`);
    }
    const workers = new Map<string, { host: string; port: number }>();
    for (const component of components) {
      for (const executor of await ui.executors(id, component)) workers.set(`${executor.host}:${executor.port}`, { host: executor.host, port: executor.port });
    }
    if (workers.size === 0) throw new SquallError('cluster', `no executors of '${name}' are assigned yet`, {}, 'wait until Storm has scheduled the topology, then try again');
    const many = workers.size > 1;
    const logs = [...workers.values()].sort((a, b) => (a.host === b.host ? a.port - b.port : a.host < b.host ? -1 : 1)).map((w) => ({
      label: `${w.host}:${w.port}`,
      client: new LogviewerClient(logviewerFor(cluster.logviewer, w.host)),
      file: LogviewerClient.workerLog(id, w.port),
      offset: 0,
    }));
    const print = (label: string, text: string): void => {
      if (!text) return;
      const body = text.endsWith('\n') ? text : `${text}\n`;
      process.stdout.write(many ? body.split('\n').slice(0, -1).map((l) => `[${label}] ${l}\n`).join('') : body);
    };
    // One unreadable worker log (not written yet, host down) must not hide the others.
    const failed = new Set<string>();
    const read = async (log: (typeof logs)[number], first: boolean): Promise<void> => {
      try {
        const page = first ? await log.client.tail(log.file, bytes) : await log.client.readFrom(log.file, log.offset);
        print(log.label, page.text);
        log.offset = page.end;
        failed.delete(log.label);
      } catch (error) {
        if (!(error instanceof SquallError)) throw error;
        if (!failed.has(log.label)) process.stderr.write(`squall: [${log.label}] ${error.format()}\n`);
        failed.add(log.label);
        if (first) log.offset = -1;
      }
    };
    for (const log of logs) await read(log, true);
    if (failed.size === logs.length && !flags.follow) {
      throw new SquallError('cluster', `none of the ${logs.length} worker log(s) of '${name}' could be read`, {}, 'see the errors above');
    }
    if (!flags.follow) {
      if (failed.size) process.exitCode = 1;
      return;
    }
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, interval));
      // A log that could not be read at first is read from its end once it appears.
      for (const log of logs) await read(log, log.offset < 0);
    }
  });
}

function positiveInteger(text: string, flag: string, example: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new SquallError('usage', `${flag} must be a whole number of at least 1, got '${text}'`, {}, example);
  return value;
}
