/**
 * `npm run bench`: runs every `bench/*.bench.ts` in its own process, one after another
 * (benchmarks share two cores; running them side by side would measure each other).
 * Each prints its own figures, always next to a baseline measured in the same run.
 * `npm run bench -- multilang` runs only the benches whose name contains "multilang".
 */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const dir = import.meta.dirname;
const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter.length === 0 || filter.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  process.stderr.write(`no benchmark matches ${filter.join(' ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n=== ${file.replace('.bench.ts', '')} ===\n`);
  const result = spawnSync(process.execPath, [path.join(dir, '..', 'bin', 'run-ts.mjs'), path.join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`(${file} exited with ${result.status ?? result.signal})\n`);
  }
}
process.exitCode = failed ? 1 : 0;
