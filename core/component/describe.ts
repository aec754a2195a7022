import { SquallError } from '../common/errors.js';
import { describeComponentClass, pickComponentClass, type ComponentDescription } from './component-class.js';

/** One module to describe: its script path and a loader. */
export interface DescribeTarget {
  script: string;
  load: () => Promise<Record<string, unknown>>;
}

/** The answer for one script, as the introspection child prints it. */
export type DescribeResult =
  | { script: string; description: ComponentDescription }
  | { script: string; error: { message: string; hint?: string; stack?: string } };

/** One marked line of the introspection child: a module starts loading, or its answer. */
export type DescribeEvent = { script: string; loading: true } | DescribeResult;

/** Marks each answer line on stdout, so output printed by user code at import cannot be mistaken for it. */
export const DESCRIBE_MARKER = '@@squall-describe@@';

/**
 * Loads every module at once and reads its component class (kind, `static outputs`,
 * `static config`). Prints a marked JSON line when a module starts loading and one with its
 * answer as soon as it has one, so when a module never finishes loading (a top-level await that
 * never settles) the parent still has the others' answers and knows which one is stuck.
 * Failures are answers, not exceptions: one broken component does not hide the others.
 */
export async function describeModules(targets: DescribeTarget[]): Promise<void> {
  const print = (event: DescribeEvent): void => void process.stdout.write(`${DESCRIBE_MARKER}${JSON.stringify(event)}\n`);
  for (const target of targets) print({ script: target.script, loading: true });
  await Promise.all(targets.map(async (target) => print(await describeOne(target))));
}

async function describeOne(target: DescribeTarget): Promise<DescribeResult> {
  try {
    const cls = pickComponentClass(await target.load(), target.script);
    return { script: target.script, description: describeComponentClass(cls, { script: target.script }) };
  } catch (error) {
    if (error instanceof SquallError) return { script: target.script, error: { message: error.message, hint: error.hint } };
    return { script: target.script, error: { message: `loading the module threw: ${(error as Error)?.message ?? String(error)}`, stack: (error as Error)?.stack } };
  }
}
