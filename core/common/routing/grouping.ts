/**
 * Stream groupings: which tasks of a consuming component receive a tuple. Each router mirrors
 * the grouper Storm 2.x builds in GrouperFactory.mkGrouper, so a key lands on the same task
 * index locally and on a cluster:
 * - fields: `floorMod(List.hashCode(selected values), numTasks)` over the ascending task list
 *   (TupleUtils.chooseTaskIndex; Storm 2.0 moved from `abs(h) % n` to floorMod, STORM-2950),
 * - global: the lowest task id (a fields grouping on no fields),
 * - all: every task,
 * - shuffle: a shuffled list walked round-robin (ShuffleGrouping; Storm's default
 *   LoadAwareShuffleGrouping does the same while every task reports the same load),
 * - none: a uniformly random task per tuple (NoneGrouper; not the round-robin),
 * - local_or_shuffle: shuffle over the targets in the emitting worker, or all if none are,
 * - direct: only the task the emit names.
 */
import type { Grouping } from '../topology/model.js';
import { SquallError } from '../errors.js';
import { javaListHash } from './java-hash.js';
import { createRandom, shuffled } from './random.js';

/** Picks the target tasks of one tuple. `directTask` is set for a direct emit. */
export type Router = (values: unknown[], directTask?: number) => number[];

/** Options of a router. */
export interface RouterOptions {
  /** Seed of shuffle/none choices; the same seed gives the same sequence of tasks. */
  seed?: number;
  /** True when a target task runs in the emitting task's worker (for local_or_shuffle). */
  sourceTaskLocal?: (task: number) => boolean;
}

/** `Math.floorMod` for ints: the result has the sign of the divisor. */
export function floorMod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

/** Index of the task a fields grouping picks for these selected values (Storm 2.x). */
export function chooseTaskIndex(selectedValues: readonly unknown[], numTasks: number): number {
  return floorMod(javaListHash(selectedValues), numTasks);
}

/**
 * Creates the router of one subscription: `grouping` over the consumer's `targetTasks`, for a
 * stream whose tuples have `sourceFields`.
 */
export function createRouter(grouping: Grouping, targetTasks: number[], sourceFields: string[], options: RouterOptions = {}): Router {
  const tasks = [...targetTasks].sort((a, b) => a - b);
  const refuseDirect = (directTask: number | undefined): void => {
    if (directTask !== undefined) {
      throw new SquallError('component', `cannot emit directly to task ${directTask}: its component subscribes with a ${grouping.type} grouping`, {}, 'declare the stream as direct and subscribe to it with a direct grouping, or emit without directTask');
    }
  };

  switch (grouping.type) {
    case 'fields': {
      const indices = fieldIndices(grouping.fields ?? [], sourceFields);
      return (values, directTask) => {
        refuseDirect(directTask);
        if (tasks.length === 0) return [];
        return [tasks[chooseTaskIndex(indices.map((i) => values[i]), tasks.length)]!];
      };
    }
    case 'global':
      return (_values, directTask) => {
        refuseDirect(directTask);
        return tasks.length === 0 ? [] : [tasks[0]!];
      };
    case 'all':
      return (_values, directTask) => {
        refuseDirect(directTask);
        return [...tasks];
      };
    case 'shuffle':
      return roundRobin(tasks, options.seed, refuseDirect);
    case 'local_or_shuffle': {
      const isLocal = options.sourceTaskLocal ?? (() => true);
      const local = tasks.filter((t) => isLocal(t));
      return roundRobin(local.length > 0 ? local : tasks, options.seed, refuseDirect);
    }
    case 'none': {
      const random = createRandom(options.seed);
      return (_values, directTask) => {
        refuseDirect(directTask);
        return tasks.length === 0 ? [] : [tasks[random.nextInt(tasks.length)]!];
      };
    }
    case 'direct': {
      const members = new Set(tasks);
      return (_values, directTask) => {
        if (directTask === undefined) {
          throw new SquallError('component', 'cannot do a regular emit to a direct stream', {}, 'pass directTask (a task id of the consuming component) when emitting on this stream');
        }
        return members.has(directTask) ? [directTask] : [];
      };
    }
  }
}

/** ShuffleGrouping: shuffle once, then walk the list; the walk starts at index 1, as Storm's does. */
function roundRobin(tasks: number[], seed: number | undefined, refuseDirect: (t: number | undefined) => void): Router {
  const choices = shuffled(tasks, createRandom(seed));
  let current = 0;
  return (_values, directTask) => {
    refuseDirect(directTask);
    if (choices.length === 0) return [];
    current = current + 1 >= choices.length ? 0 : current + 1;
    return [choices[current]!];
  };
}

/** Positions of the grouping fields in the source stream's fields (Fields.select). */
function fieldIndices(groupingFields: string[], sourceFields: string[]): number[] {
  return groupingFields.map((field) => {
    const index = sourceFields.indexOf(field);
    if (index === -1) {
      const known = sourceFields.length ? sourceFields.join(', ') : 'none declared';
      throw new SquallError('topology', `fields grouping on '${field}', which the source stream does not declare (fields: ${known})`, {}, `group on one of the declared fields, or add '${field}' to the source component's static outputs`);
    }
    return index;
  });
}
