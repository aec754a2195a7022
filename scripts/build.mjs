#!/usr/bin/env node
// `npm run build` (after the type check): builds the deployable artifacts this repository
// produces — one topology JAR per example, in dist/ — through the same `squall package`
// users run. The CLI itself needs no build: it runs the TypeScript sources through tsx.
import { readdirSync, existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist');
mkdirSync(out, { recursive: true });
let failed = 0;
for (const name of readdirSync(path.join(root, 'examples')).sort()) {
  const topology = path.join(root, 'examples', name, 'topology.yaml');
  if (!existsSync(topology)) continue;
  const jar = path.join(out, `${name}.jar`);
  const result = spawnSync(process.execPath, [path.join(root, 'bin', 'squall.mjs'), 'package', topology, '-o', jar], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
