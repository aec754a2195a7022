/** The stream groupings a topology file may name, and how their names are written. */
import type { GroupingType } from './model.js';

/** Grouping names written as a plain value (`grouping: shuffle`); fields takes a mapping. */
export const GROUPING_NAMES = ['shuffle', 'all', 'global', 'none', 'direct', 'local_or_shuffle'] as const;

/** The grouping type for a plain grouping name, or undefined when it is not one. */
export function parseGroupingName(name: string): GroupingType | undefined {
  return (GROUPING_NAMES as readonly string[]).includes(name) ? (name as GroupingType) : undefined;
}
