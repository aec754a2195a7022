import type { Command } from 'commander';

/** Every `squall` sub-command registers itself on the program. Order = order in --help. */
export const commands: Array<(program: Command) => void> = [];
