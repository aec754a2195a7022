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

/** Marks the answer line on stdout, so output printed by user code at import cannot be mistaken for it. */
export const DESCRIBE_MARKER = '@@squall-describe@@';

/**
 * Loads each module and reads its component class (kind, `static outputs`, `static config`).
 * Prints one marked JSON line with every result; failures are results, not exceptions, so one
 * broken component does not hide the others.
 */
export async function describeModules(targets: DescribeTarget[]): Promise<void> {
  const results: DescribeResult[] = [];
  for (const target of targets) {
    try {
      const cls = pickComponentClass(await target.load(), target.script);
      results.push({ script: target.script, description: describeComponentClass(cls, { script: target.script }) });
    } catch (error) {
      if (error instanceof SquallError) results.push({ script: target.script, error: { message: error.message, hint: error.hint } });
      else results.push({ script: target.script, error: { message: `loading the module threw: ${(error as Error)?.message ?? String(error)}`, stack: (error as Error)?.stack } });
    }
  }
  process.stdout.write(`${DESCRIBE_MARKER}${JSON.stringify(results)}\n`);
}
