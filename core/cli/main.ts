import { Command, CommanderError } from 'commander';
import { SquallError } from '../common/errors.js';
import { squallVersion } from '../project/version.js';
import { commands } from './commands/index.js';

/** Runs the `squall` command line; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('squall')
    .description('Apache Storm topologies in TypeScript: run locally without a JVM, debug, profile, package and submit.')
    .version(await squallVersion(), '-V, --version')
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
