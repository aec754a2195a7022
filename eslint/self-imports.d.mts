/** Types of self-imports.mjs, for the tests that call it. */
export type SelfImport = { file: string; unexported?: undefined } | { unexported: true; file?: undefined };
/** A resolver of specifiers naming the package at `root` (undefined for other packages). */
export function selfImportResolver(root: string): (spec: string) => SelfImport | undefined;
