/** Child of young-generation.test.ts: allocates like a busy task, prints new-space sizes. */
import v8 from 'node:v8';
import { holdYoungGeneration } from '../../core/component/multilang/young-generation.js';

if (process.argv[2] === 'hold') holdYoungGeneration();
const newSpace = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;
const before = newSpace();
// Many short-lived objects and a window of survivors, as tuples in flight.
const window: unknown[] = [];
for (let i = 0; i < 1_500_000; i++) {
  window.push({ id: String(i), values: ['the cow jumped over the moon', i] });
  if (window.length > 2000) window.shift();
}
process.stdout.write(`${JSON.stringify({ before, after: newSpace() })}\n`);
