/** Shared by the topology tests: parse + validate a YAML string the way `squall validate` does. */
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../../core/common/topology/diagnostics.js';
import type { OutputDeclaration } from '../../core/common/topology/model.js';
import { parseTopology } from '../../core/common/topology/parse.js';
import { validateTopology } from '../../core/common/topology/validate.js';

/**
 * Diagnostics of a topology text. With `outputs` (component id → streams, standing in for
 * what introspection reads from the classes) the stream and field checks run too.
 */
export function diagnose(text: string, outputs?: Record<string, OutputDeclaration>): Diagnostic[] {
  const parsed = parseTopology(text, 'topology.yaml');
  // As the loader does: only a file without a model stops here; other parse errors are listed with the rest.
  if (!parsed.spec) return parsed.diagnostics;
  for (const component of parsed.spec.components) {
    if (outputs?.[component.id]) component.outputs = outputs[component.id];
  }
  return sortDiagnostics([...parsed.diagnostics, ...validateTopology(parsed.spec, { outputsKnown: outputs !== undefined })]);
}

/** The diagnostics as `squall validate` prints them. */
export function report(text: string, outputs?: Record<string, OutputDeclaration>): string {
  return diagnose(text, outputs).map(formatDiagnostic).join('\n');
}
