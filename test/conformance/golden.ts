import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { readGolden } from './storm-host.js';

const folder = path.join(import.meta.dirname, 'golden');

/**
 * Compares a transcript with test/conformance/golden/<name>.txt. A missing file is written
 * (review it, then commit it); UPDATE_GOLDEN=1 rewrites them all after a deliberate change.
 */
export function expectGolden(name: string, text: string): void {
  const file = path.join(folder, `${name}.txt`);
  const golden = readGolden(file);
  if (golden === undefined || process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, text);
    return;
  }
  expect(text).toBe(golden);
}
