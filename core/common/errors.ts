/**
 * Errors a user can act on: what went wrong, where (file:line:column or component/task),
 * and what to do about it.
 */

export type SquallErrorKind =
  | 'topology' // a topology file or model is invalid
  | 'component' // a component module cannot be loaded or misbehaves
  | 'protocol' // a multilang peer broke the protocol
  | 'usage' // wrong command-line use
  | 'cluster' // Nimbus / UI / logviewer
  | 'package' // building a JAR
  | 'io'; // files, processes

/** Where an error is: a file position, a component and task, or both. */
export interface ErrorWhere {
  file?: string;
  line?: number;
  column?: number;
  component?: string;
  task?: number;
}

/** An error for the user: its kind, what went wrong, where, and a hint of what to do. */
export class SquallError extends Error {
  constructor(
    readonly kind: SquallErrorKind,
    message: string,
    readonly where: ErrorWhere = {},
    /** What the user should do next. */
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'SquallError';
  }

  /** `file:line:col: message (component x, task 3)\n  hint: ...` */
  format(): string {
    const { file, line, column, component, task } = this.where;
    let prefix = '';
    if (file) prefix = `${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: `;
    const who = component !== undefined ? ` (component '${component}'${task !== undefined ? `, task ${task}` : ''})` : '';
    return `${prefix}${this.message}${who}${this.hint ? `\n  hint: ${this.hint}` : ''}`;
  }
}
