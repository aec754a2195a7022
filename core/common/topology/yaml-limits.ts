/**
 * Limits on what a YAML file may make Squall do. Aliases (`*name`) are references, so a few
 * lines can expand into billions of values ("billion laughs"); every place that turns YAML
 * into plain values passes this limit to the `yaml` library and turns its refusal into an
 * error that names the file and line.
 */

/**
 * How many alias expansions one value may need (the `yaml` library's `maxAliasCount`). The
 * library's own default: plenty for the anchors people write to share settings.
 */
export const MAX_YAML_ALIAS_EXPANSIONS = 100;

/** True when the `yaml` library refused a value because its aliases expand too far. */
export function isAliasExpansionError(error: unknown): boolean {
  return error instanceof Error && /excessive alias count/i.test(error.message);
}

/** What to say about a value whose aliases expand too far. */
export const ALIAS_EXPANSION_HINT = `write the values out, or nest fewer aliases: Squall refuses YAML whose aliases (*name) expand more than ${MAX_YAML_ALIAS_EXPANSIONS} times (the "billion laughs" pattern)`;
