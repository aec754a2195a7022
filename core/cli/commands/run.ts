/**
 * `squall run [topology.yaml]`: local mode. Every task is a child process speaking multilang,
 * as inside a Storm worker; logs are prefixed with component and task; a one-line summary
 * every few seconds; Ctrl-C stops everything.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SquallError } from '../../common/errors.js';
import { parseConfOverrides } from '../conf-overrides.js';
import { summaryLine } from '../../common/stats/figures.js';
import { LocalEngine } from '../../local/engine.js';
import type { EngineEvent } from '../../local/events.js';
import { TaskLogFiles } from '../../local/task-logs.js';
import { loadTopologyFile } from '../../project/load.js';

interface RunOptions {
  duration?: string;
  logdir?: string;
  statsJson?: string;
  inProcess?: boolean;
  override: string[];
  quiet?: boolean;
  summaryEvery: string;
}

/** Registers `squall run`. */
export function register(program: Command): void {
  program
    .command('run')
    .description('run a topology locally, no JVM: every task is a child process speaking Storm multilang')
    .argument('[topology.yaml]', 'the topology file', 'topology.yaml')
    .option('-d, --duration <seconds>', 'stop cleanly after this many seconds (spouts deactivated, open tuple trees drained)')
    .option('--logdir <dir>', 'write one log file per task: <dir>/<component>_<task>.log')
    .option('--stats-json <file>', 'write the final per-component and per-task figures as JSON')
    .option('--in-process', 'run every component inside this process (faster; NOT how Storm runs them)')
    .option('-o, --override <key=value>', 'override a topology config value (numbers, booleans, JSON keep their type); repeatable', collect, [])
    .option('-q, --quiet', 'no log lines and no periodic summary: only errors and the final figures')
    .option('--summary-every <seconds>', 'period of the one-line summary', '2')
    .addHelpText('after', '\nExamples:\n  $ squall run examples/wordcount/topology.yaml --duration 5 --stats-json /tmp/s.json\n  $ squall run -o topology.max.spout.pending=100 -o topology.message.timeout.secs=5\n  $ squall run --logdir logs   # logs/split_5.log, logs/count_2.log, ...')
    .action(async (file: string, options: RunOptions) => {
      process.exitCode = await run(file, options);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function run(file: string, options: RunOptions): Promise<number> {
  const duration = options.duration === undefined ? undefined : Number(options.duration);
  if (duration !== undefined && !(duration > 0)) throw new SquallError('usage', `--duration must be a positive number of seconds, got '${options.duration}'`);
  const overrides = parseConfOverrides(options.override);
  const spec = await loadTopologyFile(file);
  const engine = new LocalEngine(spec, { overrides, inProcess: options.inProcess === true });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const summaryEveryMs = Math.max(0.5, Number(options.summaryEvery) || 2) * 1000;
  let lastSummary = 0;
  engine.events.onAny((event) => printEvent(event, options.quiet === true, out, err));
  engine.events.on('stats', (event) => {
    if (options.quiet || event.time - lastSummary < summaryEveryMs - 100) return;
    lastSummary = event.time;
    out(summaryLine(event.figures));
  });
  const logs = options.logdir ? new TaskLogFiles(options.logdir, engine.events) : undefined;

  let interrupted = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted++;
    if (interrupted > 1) {
      err(`squall: ${signal} again, killing every task now`);
      for (const pid of engine.pids()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      process.exit(130);
    }
    err(`squall: ${signal}: stopping the topology (again to kill at once)`);
    void engine.stop({ reason: 'requested' });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let durationTimer: NodeJS.Timeout | undefined;
  try {
    await engine.start();
    const how = options.inProcess ? 'IN-PROCESS: every component inside this process, not as Storm runs them' : 'multiprocess: one process per task, as in Storm';
    if (!options.quiet) out(`squall: ${spec.name} running locally (${how})${duration ? ` for ${duration} s` : '; Ctrl-C to stop'}`);
    if (duration !== undefined) {
      durationTimer = setTimeout(() => void engine.stop({ reason: 'duration', drainMs: 5000 }), duration * 1000);
    }
    const reason = await engine.done;
    const figures = engine.figures();
    if (!options.quiet) out(summaryLine(figures));
    if (options.statsJson) await writeFile(options.statsJson, `${JSON.stringify({ ...figures, stopReason: reason }, null, 2)}\n`);
    if (reason === 'crash-loop') {
      err('squall: the run stopped because a task kept crashing (see the error above)');
      return 1;
    }
    return interrupted ? 130 : 0;
  } finally {
    clearTimeout(durationTimer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await engine.stop();
    await logs?.close();
  }
}

function printEvent(event: EngineEvent, quiet: boolean, out: (line: string) => void, err: (line: string) => void): void {
  switch (event.type) {
    case 'log':
      if (!quiet) (event.level === 'error' || event.level === 'warn' || event.stream ? err : out)(`${event.component}[${event.task}] ${event.stream ?? event.level}: ${event.text}`);
      return;
    case 'error':
      err(`${event.component !== undefined ? `${event.component}[${event.task}] ` : ''}${event.fatal ? 'FATAL' : 'error'}: ${event.message}`);
      return;
    case 'task-exited': {
      const lines = [`${event.component}[${event.task}] exited (pid ${event.pid ?? '?'}, ${event.signal ? `signal ${event.signal}` : `code ${event.code}`}): ${event.reason}`];
      if (event.lastError && event.lastError !== event.reason) lines.push(`  last error: ${event.lastError}`);
      if (event.tuple) lines.push(`  tuple: ${JSON.stringify(event.tuple).slice(0, 500)}`);
      if (event.stderrTail.trim()) lines.push(`  stderr: ${event.stderrTail.trim().split('\n').slice(-10).join('\n          ')}`);
      err(lines.join('\n'));
      return;
    }
    case 'task-started':
      if (!quiet) out(`${event.component}[${event.task}] started (pid ${event.pid ?? '?'})${event.restart ? ` after ${event.restart} restart(s)` : ''}`);
      return;
    case 'task-restarted':
      if (!quiet) err(`${event.component}[${event.task}] restarting in ${event.delayMs} ms (crash ${event.attempt})`);
      return;
    case 'topology-stopped':
      if (!quiet) out(`squall: ${event.topology} stopped (${event.reason})`);
      return;
    default:
      return;
  }
}
