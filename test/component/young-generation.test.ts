/** The launcher keeps V8's young generation at its initial size unless the user sized it. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const child = path.join(import.meta.dirname, 'young-generation-child.ts');

function newSpace(mode: 'hold' | 'free', nodeOptions = ''): { before: number; after: number } {
  const env = { ...process.env, NODE_OPTIONS: nodeOptions };
  const output = execFileSync(process.execPath, [path.join(root, 'bin', 'run-ts.mjs'), child, mode], { env, encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(output) as { before: number; after: number };
}

describe('holdYoungGeneration', () => {
  it('keeps the new space at its initial size under a busy allocation pattern that grows it otherwise', () => {
    const free = newSpace('free');
    expect(free.after).toBeGreaterThan(free.before);
    const held = newSpace('hold');
    expect(held.after).toBe(held.before);
  });

  it('leaves the young generation alone when NODE_OPTIONS sizes it', () => {
    const sized = newSpace('hold', '--max-semi-space-size=8');
    expect(sized.after).toBeGreaterThan(sized.before);
  });
});
