import { describe, expect, it } from 'vitest';
import { isValidNodeRange, satisfiesNodeRange } from '../../core/package/node-range.js';

describe('Node version ranges checked by the launcher', () => {
  const cases: Array<[string, string, boolean]> = [
    ['v20.20.2', '>=20', true],
    ['v18.19.0', '>=20', false],
    ['v20.9.0', '^20.9', true],
    ['v20.8.1', '^20.9', false],
    ['v21.0.0', '^20.9', false],
    ['v22.1.5', '~22.1', true],
    ['v22.2.0', '~22.1', false],
    ['v20.3.0', '20.x', true],
    ['v20.3.0', '20', true],
    ['v21.3.0', '20', false],
    ['v19.0.0', '>=18 <20', true],
    ['v20.0.0', '>=18 <20', false],
    ['v22.4.0', '20 || 22', true],
    ['v21.4.0', '20 || 22', false],
    ['v20.1.0', '>20', false],
    ['v21.0.0', '>20', true],
    ['v20.5.0', '<=20', true],
    ['v18.0.0', '18.0.0 - 20.1', true],
    ['v20.2.0', '18.0.0 - 20.1', false],
    ['v20.0.0', '*', true],
    ['v20.0.0', '>= 20', true],
  ];
  for (const [version, range, expected] of cases) {
    it(`${version} ${expected ? 'satisfies' : 'does not satisfy'} '${range}'`, () => {
      expect(satisfiesNodeRange(version, range)).toBe(expected);
    });
  }

  it('rejects malformed ranges at packaging time', () => {
    expect(isValidNodeRange('>=20')).toBe(true);
    expect(isValidNodeRange('twenty')).toBe(false);
    expect(isValidNodeRange('>=20 <')).toBe(false);
  });
});
