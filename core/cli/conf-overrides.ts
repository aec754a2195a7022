/** `-o key=value`, the topology config overrides `squall run` and `squall submit` both take. */
import { SquallError } from '../common/errors.js';
import { parseOverride } from '../local/config.js';

/**
 * Parses `-o key=value` options: numbers, booleans, null and JSON keep their type, anything
 * else stays text. One parser for run and submit, so a value means the same locally and on the cluster.
 */
export function parseConfOverrides(pairs: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const pair of pairs) {
    let entry: [string, unknown];
    try {
      entry = parseOverride(pair);
    } catch {
      throw new SquallError('usage', `'-o ${pair}' is not key=value`, {}, 'e.g. -o topology.workers=4 -o topology.debug=true');
    }
    result[entry[0]] = entry[1];
  }
  return result;
}
