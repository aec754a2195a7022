/** "Did you mean" suggestions for typos in keys, ids, streams and fields. */
import { closest, distance } from 'fastest-levenshtein';

/** The closest candidate if it is near enough to be a plausible typo, else undefined. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates].filter((c) => c !== word);
  if (list.length === 0 || word.length === 0) return undefined;
  const lower = word.toLowerCase();
  const sameCase = list.find((c) => c.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const best = closest(word, list);
  const limit = Math.max(2, Math.floor(word.length / 3));
  return distance(word, best) <= limit ? best : undefined;
}

/** `did you mean 'x'?` or a list of what is allowed. */
export function suggestion(word: string, candidates: readonly string[], what: string): string {
  const best = closestMatch(word, candidates);
  if (best !== undefined) return `did you mean '${best}'?`;
  return candidates.length ? `${what}: ${candidates.map((c) => `'${c}'`).join(', ')}` : `there are no ${what}`;
}
