import { Command, CommanderError } from 'commander';
import { SquallError } from '../common/errors.js';
import { commands } from './commands/index.js';

/** Runs the `squall` command line; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('squall')
    .description('Apache Storm topologies in TypeScript: run locally without a JVM, debug, profile, package and submit.')
    .version(await packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof SquallError) {
      process.stderr.write(`squall: ${err.format()}\n`);
      return err.exitCode;
    }
    process.stderr.write(`squall: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
    return 70;
  }
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
