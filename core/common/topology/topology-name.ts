/**
 * Storm's one rule for topology names: Nimbus refuses `/ . : \` because a name becomes a
 * file path and a ZooKeeper node. Validation, `squall init` and `squall submit` all check it here.
 */

/** Characters Storm refuses in a topology name. */
export const FORBIDDEN_NAME_CHARACTERS = ['/', '.', ':', '\\'] as const;

/** The first character of `name` that Storm refuses, if any. */
export function forbiddenNameCharacter(name: string): string | undefined {
  return FORBIDDEN_NAME_CHARACTERS.find((character) => name.includes(character));
}

/** A name Storm accepts made from any text (a folder name, a refused name): refused runs and spaces become '-'. */
export function legalTopologyName(text: string): string {
  return text.replace(/[/.:\\\s]+/g, '-').replace(/^-+|-+$/g, '') || 'my-topology';
}
