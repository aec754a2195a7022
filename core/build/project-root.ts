/** Where a topology's project starts: the nearest package.json (its dependencies, its bundle cache). */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The folder of the nearest package.json at or above `from`. */
export function projectRoot(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
