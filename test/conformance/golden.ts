import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { readGolden } from './storm-host.js';

const folder = path.join(import.meta.dirname, 'golden');

/** The command that records golden transcripts (named in every message that needs it). */
export const RECORD_COMMAND = 'SQUALL_UPDATE_GOLDEN=1 npx vitest run test/conformance';

/** What expectGolden does with a transcript: compare it, record it, or fail saying why. */
export type GoldenStep = { kind: 'compare'; golden: string } | { kind: 'record' } | { kind: 'fail'; message: string };

/**
 * Decides the step for transcript `name`. Recording happens only when SQUALL_UPDATE_GOLDEN=1 is
 * set, and never under CI: a run that writes its own expectation cannot fail, so a missing
 * golden file is a failure that says how to record it.
 */
export function goldenStep(name: string, golden: string | undefined, env: Record<string, string | undefined>): GoldenStep {
  const file = `test/conformance/golden/${name}.txt`;
  const update = env.SQUALL_UPDATE_GOLDEN === '1';
  if (env.CI && update) {
    return { kind: 'fail', message: `SQUALL_UPDATE_GOLDEN=1 is set under CI (CI=${env.CI}): golden transcripts are recorded locally and committed, never rewritten by CI; unset it` };
  }
  if (update) return { kind: 'record' };
  if (golden === undefined) {
    return { kind: 'fail', message: `no golden transcript ${file}: record it with \`${RECORD_COMMAND}\`, review the file, and commit it` };
  }
  return { kind: 'compare', golden };
}

/**
 * Compares a transcript with test/conformance/golden/<name>.txt; with SQUALL_UPDATE_GOLDEN=1
 * (outside CI) writes it instead, after a deliberate change (review the diff, then commit).
 */
export function expectGolden(name: string, text: string): void {
  const file = path.join(folder, `${name}.txt`);
  const step = goldenStep(name, readGolden(file), process.env);
  if (step.kind === 'fail') throw new Error(step.message);
  if (step.kind === 'record') {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, text);
    return;
  }
  expect(text).toBe(step.golden);
}
