import type { Command } from 'commander';
import { register as validate } from './validate.js';
import { register as describe } from './describe.js';
import { register as init } from './init.js';
import { register as launch } from './launch.js';
import { register as run } from './run.js';
import { register as packageJar } from './package.js';
import { register as submit } from './submit.js';
import { register as list } from './list.js';
import { register as kill } from './kill.js';
import { register as activate } from './activate.js';
import { register as deactivate } from './deactivate.js';
import { register as rebalance } from './rebalance.js';
import { register as stats } from './stats.js';
import { register as tail } from './tail.js';

/** Every `squall` sub-command registers itself on the program. Order = order in --help. */
export const commands: Array<(program: Command) => void> = [init, validate, describe, launch, run, packageJar, submit, list, kill, activate, deactivate, rebalance, stats, tail];
