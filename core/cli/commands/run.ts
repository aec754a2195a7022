/**
 * `squall run [topology.yaml]`: local mode. Every task is a child process speaking multilang,
 * as inside a Storm worker; logs are prefixed with component and task; a one-line summary
 * every few seconds; Ctrl-C stops everything.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SquallError } from '../../common/errors.js';
import type { RunEvent, RunProblem, TaskStateChange } from '../../common/run/run-types.js';
import { summaryLine } from '../../common/stats/figures.js';
import { LocalRun, type LocalDebugOptions } from '../../local/run.js';
import { TaskLogFiles } from '../../local/task-logs.js';
import { loadTopologyFile } from '../../project/load.js';
import { parseConfOverrides } from '../conf-overrides.js';

interface RunOptions {
  duration?: string;
  logdir?: string;
  statsJson?: string;
  inProcess?: boolean;
  override: string[];
  quiet?: boolean;
  summaryEvery: string;
  seed?: string;
  debug?: string;
  debugWait?: string;
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
    .option('-q, --quiet', 'no log lines and no periodic summary: only errors, warnings and the final figures')
    .option('--summary-every <seconds>', 'period of the one-line summary', '2')
    .option('--seed <n>', 'seed of shuffle groupings and tuple ids (same seed, same routing)')
    .option('--debug <components>', "run these components (comma-separated, or '*') under the inspector on 127.0.0.1; prints each task's debugger URL")
    .option('--debug-wait <seconds>', 'with --debug: each debugged task waits up to this long for a debugger before running user code')
    .addHelpText(
      'after',
      '\nExamples:\n  $ squall run examples/wordcount/topology.yaml --duration 5 --stats-json /tmp/s.json\n  $ squall run -o topology.max.spout.pending=100 -o topology.message.timeout.secs=5\n  $ squall run --logdir logs   # logs/split_5.log, logs/count_2.log, ...\n  $ squall run --debug split --debug-wait 30   # attach a debugger (chrome://inspect, `squall debug`) to split\'s tasks',
    )
    .action(async (file: string, options: RunOptions) => {
      process.exitCode = await run(file, options);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0)) throw new SquallError('usage', `${flag} must be a positive number of seconds, got '${value}'`);
  return n;
}

function debugOptions(options: RunOptions): LocalDebugOptions | undefined {
  if (options.debug === undefined) {
    if (options.debugWait !== undefined) throw new SquallError('usage', '--debug-wait needs --debug <components>', {}, 'e.g. --debug split --debug-wait 30');
    return undefined;
  }
  const list = options.debug.split(',').map((c) => c.trim()).filter(Boolean);
  if (list.length === 0) throw new SquallError('usage', "--debug needs component ids (comma-separated) or '*'");
  return { components: list.includes('*') ? '*' : list, waitSecs: positive(options.debugWait, '--debug-wait') ?? 0 };
}

async function run(file: string, options: RunOptions): Promise<number> {
  const duration = positive(options.duration, '--duration');
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new SquallError('usage', `--seed must be an integer, got '${options.seed}'`);
  const overrides = parseConfOverrides(options.override);
  const spec = await loadTopologyFile(file);
  const localRun = new LocalRun(spec, { overrides, inProcess: options.inProcess === true, seed, debug: debugOptions(options) });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const terminal = new RunConsole(options.quiet === true, out, err);
  const summaryEveryMs = Math.max(0.5, Number(options.summaryEvery) || 2) * 1000;
  let lastSummary = 0;
  localRun.onEvent((event) => terminal.print(event));
  localRun.onStats((event) => {
    // The final figures are printed once, after the run, below.
    if (options.quiet || event.final || event.time - lastSummary < summaryEveryMs - 100) return;
    lastSummary = event.time;
    out(summaryLine(event.figures));
  });
  const logs = options.logdir ? new TaskLogFiles(options.logdir, localRun.onEvent) : undefined;

  let interrupted = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted++;
    if (interrupted > 1) {
      err(`squall: ${signal} again, killing every task now`);
      for (const pid of localRun.pids()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      process.exit(130);
    }
    err(`squall: ${signal}: stopping the topology (again to kill at once)`);
    void localRun.stop({ reason: 'requested' });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let durationTimer: NodeJS.Timeout | undefined;
  try {
    await localRun.start();
    const how = options.inProcess ? 'IN-PROCESS: every component inside this process, not as Storm runs them' : 'multiprocess: one process per task, as in Storm';
    if (!options.quiet) out(`squall: ${spec.name} running locally (${how})${duration ? ` for ${duration} s` : '; Ctrl-C to stop'}`);
    if (duration !== undefined) {
      durationTimer = setTimeout(() => void localRun.stop({ reason: 'duration', drainMs: 5000 }), duration * 1000);
    }
    const reason = await localRun.done;
    const figures = localRun.figures();
    out(summaryLine(figures));
    if (options.statsJson) await writeFile(options.statsJson, `${JSON.stringify({ ...figures, stopReason: reason, openTrees: localRun.snapshot().openTrees }, null, 2)}\n`);
    if (reason === 'crash-loop') {
      err('squall: the run stopped because a task kept crashing (see the error above)');
      return 1;
    }
    return interrupted ? 130 : 0;
  } finally {
    clearTimeout(durationTimer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await localRun.stop();
    await logs?.close();
  }
}

/** Prints a run's events for a terminal: each thing once, errors on stderr. */
class RunConsole {
  /** The last error each task reported, so its exit does not print the same report again. */
  private readonly reported = new Map<string, string>();

  constructor(
    private readonly quiet: boolean,
    private readonly out: (line: string) => void,
    private readonly err: (line: string) => void,
  ) {}

  print(event: RunEvent): void {
    switch (event.type) {
      case 'log':
        if (!this.quiet) (event.level === 'error' || event.level === 'warn' || event.stream ? this.err : this.out)(`${event.component}[${event.task}] ${event.stream ?? event.level}: ${event.text}`);
        return;
      case 'problem':
        return this.problem(event);
      case 'task-state':
        return this.taskState(event);
      case 'debug-targets':
        for (const target of event.added) this.out(`${target.component}[${target.task}] debugger: ${target.url} (pid ${target.pid}${target.waiting ? ', waiting for a debugger' : ''})`);
        return;
      case 'stopped':
        this.out(`squall: ${event.topology} stopped (${event.reason})`);
        if (event.openTrees > 0) this.err(`squall: ${event.openTrees} tuple tree(s) were still open at the end: neither acked nor failed (their spouts would replay them after topology.message.timeout.secs)`);
        return;
      default:
        return;
    }
  }

  private problem(problem: RunProblem): void {
    const { component, task } = problem.where;
    const who = component !== undefined ? `${component}${task !== undefined ? `[${task}]` : ''} ` : 'squall: ';
    switch (problem.kind) {
      case 'task-died':
        return; // the task's exit line says it, with more
      case 'reported':
        this.reported.set(`${component}:${task}`, problem.message);
        this.err(`${who}error: ${problem.message}`);
        return;
      default: {
        const label = problem.severity === 'fatal' ? 'FATAL' : problem.severity;
        this.err(`${who}${label}: ${problem.message}${problem.hint ? `\n  hint: ${problem.hint}` : ''}`);
      }
    }
  }

  private taskState(change: TaskStateChange): void {
    const exit = change.exit;
    if (exit) {
      const lines = [`${change.component}[${change.task}] exited (pid ${exit.pid ?? '?'}, ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}): ${exit.reason}`];
      const reported = this.reported.get(`${change.component}:${change.task}`);
      if (exit.lastError && exit.lastError !== exit.reason && exit.lastError !== reported) lines.push(`  last error: ${exit.lastError}`);
      if (exit.tuple) lines.push(`  tuple: ${JSON.stringify(exit.tuple).slice(0, 500)}`);
      if (exit.stderrTail.trim()) lines.push(`  stderr: ${exit.stderrTail.trim().split('\n').slice(-10).join('\n          ')}`);
      this.err(lines.join('\n'));
    }
    if (change.restart && !this.quiet) this.err(`${change.component}[${change.task}] restarting in ${change.restart.delayMs} ms (crash ${change.restart.attempt})`);
    if (change.state === 'running' && !this.quiet) this.out(`${change.component}[${change.task}] started (pid ${change.pid ?? '?'})${change.generation ? ` after ${change.generation} restart(s)` : ''}`);
  }
}
