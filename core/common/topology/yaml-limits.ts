/**
 * Limits on what a YAML file may make Squall do. Aliases (`*name`) are references, so a few
 * lines can expand into billions of values ("billion laughs"); every place that turns YAML
 * into plain values passes this limit to the `yaml` library and turns its refusal into an
 * error that names the file and line.
 */
import { isMap, isPair, type Document, type Node } from 'yaml';

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

/**
 * Where in `doc` a value expands its aliases past the limit: the source offset of the innermost
 * mapping key whose value the library refuses (so a message can name its line), or undefined
 * when every value converts.
 */
export function aliasExpansionOffset(doc: Document.Parsed): number | undefined {
  const refuses = (node: Node): boolean => {
    try {
      node.toJS(doc, { maxAliasCount: MAX_YAML_ALIAS_EXPANSIONS });
      return false;
    } catch (error) {
      return isAliasExpansionError(error);
    }
  };
  const search = (node: unknown): number | undefined => {
    if (!isMap(node)) return undefined;
    for (const pair of node.items) {
      if (!isPair(pair) || !pair.value || !refuses(pair.value as Node)) continue;
      return search(pair.value) ?? (pair.key as Node | null)?.range?.[0] ?? (pair.value as Node).range?.[0];
    }
    return undefined;
  };
  return search(doc.contents);
}
