/**
 * Node version ranges as package.json `engines` writes them (`>=20`, `^20.9`, `~22.1`, `20.x`,
 * `>=18 <23`, `20 || 22`). Small and dependency-free because it is bundled into every
 * launcher, where it runs before anything else on a Storm worker.
 */

type Version = [number, number, number];

/** Parses `v20.9.0`, `20.9`, `20`; missing parts are 0. Undefined when not a version. */
export function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** One comparator like `>=20.9` or a partial like `20.x` expanded to bounds. */
function comparatorHolds(version: Version, comparator: string): boolean {
  const match = /^(\^|~|>=|<=|>|<|=)?\s*v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(comparator);
  if (!match) throw new RangeError(`'${comparator}' is not a version comparator`);
  const operator = match[1] ?? '';
  const parts = [match[2], match[3], match[4]];
  const wildcardAt = parts.findIndex((p) => p === undefined || p === 'x' || p === '*');
  const given = (wildcardAt === -1 ? 3 : wildcardAt) as 0 | 1 | 2 | 3;
  const base: Version = [0, 1, 2].map((i) => (i < given ? Number(parts[i]) : 0)) as Version;
  if (given === 0) return operator === '<' ? false : true; // `*`, `x`, `>=x`
  const upperOfPartial = (): Version => (given === 1 ? [base[0] + 1, 0, 0] : given === 2 ? [base[0], base[1] + 1, 0] : [base[0], base[1], base[2] + 1]);
  switch (operator) {
    case '>=':
      return compare(version, base) >= 0;
    case '>':
      return compare(version, upperOfPartial()) >= 0;
    case '<':
      return compare(version, base) < 0;
    case '<=':
      return compare(version, upperOfPartial()) < 0;
    case '^': {
      const upper: Version = base[0] > 0 || given === 1 ? [base[0] + 1, 0, 0] : base[1] > 0 || given === 2 ? [0, base[1] + 1, 0] : [0, 0, base[2] + 1];
      return compare(version, base) >= 0 && compare(version, upper) < 0;
    }
    case '~': {
      const upper: Version = given === 1 ? [base[0] + 1, 0, 0] : [base[0], base[1] + 1, 0];
      return compare(version, base) >= 0 && compare(version, upper) < 0;
    }
    default:
      // `=20.9.1`, `20.9.1`, or a partial such as `20` / `20.9` meaning that whole line.
      return compare(version, base) >= 0 && compare(version, upperOfPartial()) < 0;
  }
}

/** Splits a range into alternatives of comparators; throws RangeError when one is malformed. */
function parseRange(range: string): string[][] {
  const alternatives = range.split('||').map((alternative) => {
    const trimmed = alternative.trim();
    if (trimmed === '') return ['*'];
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(trimmed);
    if (hyphen) return [`>=${hyphen[1]}`, `<=${hyphen[2]}`];
    return trimmed.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/);
  });
  // Evaluate every comparator once so a malformed one fails even where `every` would stop early.
  for (const comparators of alternatives) for (const c of comparators) comparatorHolds([0, 0, 0], c);
  return alternatives;
}

/** True when `version` (e.g. process.version) satisfies `range`. Throws RangeError on a malformed range. */
export function satisfiesNodeRange(version: string, range: string): boolean {
  const parsed = parseVersion(version);
  if (!parsed) throw new RangeError(`'${version}' is not a version`);
  return parseRange(range).some((comparators) => comparators.every((c) => comparatorHolds(parsed, c)));
}

/** Checks a range is well formed (for packaging-time errors instead of worker-time ones). */
export function isValidNodeRange(range: string): boolean {
  try {
    parseRange(range);
    return true;
  } catch {
    return false;
  }
}
