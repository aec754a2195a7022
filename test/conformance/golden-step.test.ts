import { describe, expect, it } from 'vitest';
import { goldenStep, RECORD_COMMAND } from './golden.js';

describe('golden transcripts are never written by the run that checks them', () => {
  it('compares with an existing golden file, in CI and out of it', () => {
    expect(goldenStep('echo', 'transcript', {})).toEqual({ kind: 'compare', golden: 'transcript' });
    expect(goldenStep('echo', 'transcript', { CI: '1' })).toEqual({ kind: 'compare', golden: 'transcript' });
  });

  it('fails on a missing golden file and names the command that records it', () => {
    const expected = { kind: 'fail', message: `no golden transcript test/conformance/golden/echo.txt: record it with \`${RECORD_COMMAND}\`, review the file, and commit it` };
    expect(goldenStep('echo', undefined, { CI: '1' })).toEqual(expected);
    expect(goldenStep('echo', undefined, {})).toEqual(expected);
    expect(RECORD_COMMAND).toBe('SQUALL_UPDATE_GOLDEN=1 npx vitest run test/conformance');
  });

  it('records only when SQUALL_UPDATE_GOLDEN=1 is set outside CI', () => {
    expect(goldenStep('echo', undefined, { SQUALL_UPDATE_GOLDEN: '1' })).toEqual({ kind: 'record' });
    expect(goldenStep('echo', 'old', { SQUALL_UPDATE_GOLDEN: '1' })).toEqual({ kind: 'record' });
    expect(goldenStep('echo', undefined, { SQUALL_UPDATE_GOLDEN: 'yes', UPDATE_GOLDEN: '1' }).kind).toBe('fail');
  });

  it('refuses SQUALL_UPDATE_GOLDEN under CI, where recording would make the check pass by itself', () => {
    expect(goldenStep('echo', 'old', { CI: 'true', SQUALL_UPDATE_GOLDEN: '1' })).toEqual({
      kind: 'fail',
      message: 'SQUALL_UPDATE_GOLDEN=1 is set under CI (CI=true): golden transcripts are recorded locally and committed, never rewritten by CI; unset it',
    });
  });
});
