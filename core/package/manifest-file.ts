/**
 * `manifest.txt` next to the topology (Petrel's idea): extra files for resources/, one glob
 * per line, relative to the topology's folder. `#` starts a comment. A glob that matches
 * nothing is an error naming its line: a typo there would otherwise surface on the cluster.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { SquallError } from '../common/errors.js';

/** The manifest's file name. */
export const MANIFEST_FILE = 'manifest.txt';

/** One file the manifest adds: its absolute path and its path inside resources/. */
export interface ManifestFile {
  source: string;
  target: string;
}

/** Reads `manifest.txt` in `folder` (if any) and expands its globs, sorted and de-duplicated. */
export async function readManifest(folder: string): Promise<ManifestFile[]> {
  const file = path.join(folder, MANIFEST_FILE);
  if (!existsSync(file)) return [];
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
  const found = new Map<string, ManifestFile>();
  for (const [index, raw] of lines.entries()) {
    const pattern = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!pattern) continue;
    const where = { file, line: index + 1 };
    if (path.isAbsolute(pattern) || pattern.split(/[\\/]/).includes('..')) {
      throw new SquallError('package', `'${pattern}' points outside the topology folder`, where, 'manifest globs are relative to the folder of topology.yaml and stay inside it');
    }
    const matches = await glob(pattern, { cwd: folder, onlyFiles: true, dot: true, followSymbolicLinks: true });
    if (matches.length === 0) {
      throw new SquallError('package', `'${pattern}' matches no file`, where, `check the glob (relative to ${folder}); remove the line if the files are gone`);
    }
    for (const match of matches) {
      const target = match.split(path.sep).join('/');
      found.set(target, { source: path.join(folder, match), target });
    }
  }
  return [...found.values()].sort((a, b) => (a.target < b.target ? -1 : 1));
}
