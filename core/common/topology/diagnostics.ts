/**
 * Diagnostics: what parsing and validating a topology found, each pointing at a file,
 * line and column and saying what to do about it.
 */
import { SquallError } from '../errors.js';
import type { SourceLocation } from './model.js';

/** One problem (or suspicious thing) found in a topology. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  file: string;
  /** 1-based; 0 when the model did not come from a file (TypeScript builder). */
  line: number;
  /** 1-based; 0 when unknown. */
  column: number;
  /** What the user should do. */
  hint?: string;
  /** The component the problem is about, when there is one. */
  component?: string;
}

/** `file:line:col: error: message` plus an indented `hint:` line, like a compiler. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const { file, line, column } = diagnostic;
  const where = line > 0 ? `${file}:${line}:${column}` : file;
  const hint = diagnostic.hint ? `\n  hint: ${diagnostic.hint}` : '';
  return `${where}: ${diagnostic.severity}: ${diagnostic.message}${hint}`;
}

/** True when at least one diagnostic is an error (warnings never block). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Diagnostics in file order (line, then column), as a compiler lists them; stable otherwise. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : 0));
}

/** Builds a diagnostic at a location. */
export function diagnosticAt(
  severity: Diagnostic['severity'],
  at: SourceLocation,
  message: string,
  hint?: string,
  component?: string,
): Diagnostic {
  const diagnostic: Diagnostic = { severity, message, file: at.file, line: at.line, column: at.column };
  if (hint) diagnostic.hint = hint;
  if (component !== undefined) diagnostic.component = component;
  return diagnostic;
}

/** Thrown when a topology cannot be used; carries every diagnostic, errors and warnings. */
export class TopologyError extends SquallError {
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const single = errors.length === 1 ? errors[0] : undefined;
    super(
      'topology',
      single ? single.message : `${errors.length} errors in the topology:\n${errors.map(formatDiagnostic).join('\n')}`,
      single ? { file: single.file, line: single.line || undefined, column: single.column || undefined, component: single.component } : {},
      single ? single.hint : 'fix the errors above (`squall validate <topology.yaml>` lists them again)',
    );
    this.name = 'TopologyError';
  }
}
