/**
 * What a breakpoint asks V8 to evaluate on every hit, built from the user's condition, hit
 * condition and logpoint text. Everything runs inside the task, so a logpoint or a hit count
 * that is not met never pauses the task (no round trip to the debugger). Pure functions.
 */
import { LOGPOINT_BINDING } from '../../common/debug/hooks.js';
import type { BreakpointOptions } from '../../common/debug/breakpoints.js';
import { SquallError } from '../../common/errors.js';

/** A parsed hit condition: compare the hit number with `n`. */
export interface HitCondition {
  op: '>=' | '==' | '>' | '<' | '<=' | '%';
  n: number;
}

const HIT = /^\s*(>=|==|===|>|<=|<|%)?\s*(\d+)\s*$/;

/** Parses `5`, `>= 5`, `== 5`, `% 3`…; throws a SquallError naming the breakpoint's place when it cannot. */
export function parseHitCondition(text: string, where: { component?: string; file?: string; line?: number } = {}): HitCondition {
  const match = HIT.exec(text);
  if (!match) throw new SquallError('usage', `hit condition '${text}' is not understood`, where, "use a number (pause from that hit on) or one of '>= n', '== n', '> n', '< n', '<= n', '% n'");
  const op = (match[1] === '===' ? '==' : (match[1] ?? '>=')) as HitCondition['op'];
  const n = Number(match[2]);
  if (op === '%' && n === 0) throw new SquallError('usage', "hit condition '% 0' would divide by zero", where, 'use % 1 or more');
  return { op, n };
}

/**
 * Turns logpoint text with `{expression}` parts into a JavaScript template literal. Braces
 * nest (`{ {a: 1}.a }` works); backticks, backslashes and `${` in the text are escaped.
 */
export function logTemplate(message: string): string {
  let out = '`';
  let depth = 0;
  let expression = '';
  for (const char of message) {
    if (depth === 0) {
      if (char === '{') {
        depth = 1;
        expression = '';
      } else out += char === '`' || char === '\\' ? `\\${char}` : char === '$' ? '\\$' : char;
      continue;
    }
    if (char === '{') depth++;
    if (char === '}' && --depth === 0) {
      out += `\${(() => { try { const v = (${expression}); return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v); } catch (e) { return '<' + e + '>'; } })()}`;
      continue;
    }
    expression += char;
  }
  if (depth > 0) out += `{${expression.replace(/[`\\$]/g, (c) => `\\${c}`)}`;
  return `${out}\``;
}

/**
 * The condition V8 evaluates for a breakpoint (undefined = always pause). `id` is the
 * breakpoint's session id (hit counters and logpoint output are keyed by it).
 */
export function breakpointCondition(id: string, options: Pick<BreakpointOptions, 'condition' | 'hitCondition' | 'logMessage' | 'component' | 'file' | 'line'>): string | undefined {
  const parts: string[] = [];
  if (options.condition?.trim()) parts.push(`(${options.condition})`);
  if (options.hitCondition?.trim()) {
    const { op, n } = parseHitCondition(options.hitCondition, { component: options.component, file: options.file, line: options.line });
    const hit = `((globalThis.__squallHits ??= Object.create(null))[${JSON.stringify(id)}] = ((globalThis.__squallHits[${JSON.stringify(id)}] ?? 0) + 1))`;
    parts.push(op === '%' ? `(${hit} % ${n} === 0)` : `(${hit} ${op === '==' ? '===' : op} ${n})`);
  }
  if (options.logMessage !== undefined) {
    // Never console.log: stdout is the multilang channel. The binding reaches the debugger only.
    const send = `(typeof ${LOGPOINT_BINDING} === 'function' && ${LOGPOINT_BINDING}(JSON.stringify([${JSON.stringify(id)}, ${logTemplate(options.logMessage)}])), false)`;
    parts.push(send);
  }
  if (parts.length === 0) return undefined;
  return parts.join(' && ');
}
