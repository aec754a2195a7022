/** `squall submit [topology.yaml|x.jar] --nimbus host[:6627]`: package, upload and submit to Storm. */
import type { Command } from 'commander';
import path from 'node:path';
import { addClusterFlags, clusterFrom, type ClusterFlagValues } from '../../cluster/cluster-flags.js';
import { checkStormVersion } from '../../cluster/client-versions.js';
import { requireNimbus } from '../../cluster/cluster-profile.js';
import { formatAddress } from '../../cluster/nimbus-address.js';
import { submit, type SubmitProgress } from '../../cluster/submit.js';
import { SquallError } from '../../common/errors.js';
import { parseConfOverrides } from '../conf-overrides.js';
import { formatBytes } from './package.js';

interface SubmitFlags extends ClusterFlagValues {
  name?: string;
  option: string[];
  inactive?: boolean;
  force?: boolean;
  wait?: string;
  out?: string;
  stormVersion?: string;
}

/** Registers `squall submit`. */
export function register(program: Command): void {
  const command = program
    .command('submit')
    .description('package the topology (unless given a JAR), upload it to Nimbus over Thrift and submit it; no Java needed')
    .argument('[topology.yaml|x.jar]', 'a topology file or a JAR built by `squall package`', 'topology.yaml')
    .option('--name <name>', 'topology name on the cluster (default: name: in the file)')
    .option('-o, --option <key=value>', 'topology config override, repeatable (numbers, booleans, JSON keep their type)', collect, [])
    .option('--inactive', 'submit deactivated; start it later with `squall activate`')
    .option('--force', 'kill a running topology of the same name first and wait until it is gone')
    .option('--wait <secs>', 'with --force: seconds Storm waits before stopping the old workers (default 30)')
    .option('--out <file.jar>', 'keep the packaged JAR here')
    .option('--storm-version <version>', "storm_version of the submitted topology, by which Nimbus picks the worker classpath (default: the cluster's version, as Nimbus reports it)");
  addClusterFlags(command, ['nimbus']);
  command
    .addHelpText('after', '\nExamples:\n  $ squall submit examples/wordcount/topology.yaml --nimbus nimbus.example.com\n  $ squall submit -e prod --force --wait 10 -o topology.workers=4\n  $ squall submit wc.jar --nimbus 127.0.0.1:6627 --name wc-test --inactive')
    .action(async (input: string, flags: SubmitFlags) => {
      const cluster = await clusterFrom(flags, input.endsWith('.jar') ? undefined : input);
      const nimbus = requireNimbus(cluster);
      const stormVersion = flags.stormVersion === undefined ? cluster.stormVersion : checkStormVersion(flags.stormVersion, '--storm-version');
      const waitSecs = flags.wait === undefined ? undefined : parseSeconds(flags.wait);
      const overrides = { ...cluster.options, ...parseConfOverrides(flags.option) };
      const progress = progressPrinter(formatAddress(nimbus));
      const result = await submit(input, {
        nimbus,
        name: flags.name,
        overrides,
        inactive: flags.inactive,
        force: flags.force,
        killWaitSecs: waitSecs,
        out: flags.out,
        stormVersion,
        onProgress: progress,
      });
      process.stdout.write(`submitted '${result.name}' to Nimbus at ${formatAddress(nimbus)}${flags.inactive ? ' (inactive: run `squall activate ' + result.name + '`)' : ''}\n`);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Parses a non-negative whole number of seconds. */
export function parseSeconds(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new SquallError('usage', `'${text}' is not a number of seconds`, {}, 'e.g. --wait 10');
  return value;
}

/** Prints package → upload % → submit on stderr (stdout keeps the result line). */
function progressPrinter(nimbus: string): (event: SubmitProgress) => void {
  const tty = process.stderr.isTTY;
  let lastShown = -1;
  return (event) => {
    switch (event.stage) {
      case 'package':
        for (const warning of event.warnings) process.stderr.write(`squall: warning: ${warning}\n`);
        process.stderr.write(`packaged ${path.relative(process.cwd(), event.jar) || event.jar} (${formatBytes(event.bytes)})\n`);
        break;
      case 'kill':
        process.stderr.write(`killing the running '${event.name}' (workers stop in ${event.waitSecs} s)…\n`);
        break;
      case 'killed':
        process.stderr.write(`'${event.name}' is gone\n`);
        break;
      case 'upload': {
        const percent = event.total === 0 ? 100 : Math.floor((event.sent / event.total) * 100);
        // On a terminal, one line rewritten; in a log, a line per quarter.
        if (tty) process.stderr.write(`\ruploading to ${nimbus}: ${percent}%${percent === 100 ? '\n' : ''}`);
        else if (percent === 100 || Math.floor(percent / 25) > Math.floor(lastShown / 25)) process.stderr.write(`uploading to ${nimbus}: ${percent}%\n`);
        lastShown = percent;
        break;
      }
      case 'submit':
        process.stderr.write(`submitting '${event.name}' (storm_version ${event.stormVersion ?? "unset: Nimbus's own"})…\n`);
        break;
    }
  };
}
