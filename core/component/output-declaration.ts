/**
 * Reading `static outputs` off a component class. A class is plain JavaScript at run time, so
 * the shape TypeScript would enforce is checked here, and a wrong one is explained with the
 * declaration it should have been (`static outputs = { default: ['word'] }`), not left to fail
 * later as "fields is not iterable".
 */
import { SquallError } from '../common/errors.js';
import type { OutputDeclaration } from '../common/topology/model.js';

/** Shorthand accepted for `static outputs`. */
export type OutputsInput = Record<string, readonly string[] | { fields: readonly string[]; direct?: boolean }>;

/** Who declared the outputs, for messages: the class, its script and its component id when known. */
export interface OutputsOwner {
  className?: string;
  script?: string;
  component?: string;
}

/** Normalises `static outputs` into the model's OutputDeclaration; throws a SquallError for a wrong shape. */
export function normaliseOutputs(outputs: unknown, owner: OutputsOwner = {}): OutputDeclaration {
  const result: OutputDeclaration = {};
  if (outputs === undefined || outputs === null) return result;
  if (typeof outputs !== 'object' || Array.isArray(outputs)) {
    const fields = Array.isArray(outputs) ? outputs : typeof outputs === 'string' ? fieldsFromText(outputs) : ['word'];
    throw wrongOutputs(owner, `must map each stream id to its fields, not ${describeValue(outputs)}`, `static outputs = { default: ${listText(fields)} }`);
  }
  for (const [stream, declaration] of Object.entries(outputs as Record<string, unknown>)) {
    const direct = isMapping(declaration) ? declaration.direct : undefined;
    const fields = Array.isArray(declaration) ? declaration : isMapping(declaration) ? declaration.fields : undefined;
    if (!Array.isArray(fields)) {
      const suggested = typeof declaration === 'string' ? fieldsFromText(declaration) : ['word'];
      const what = isMapping(declaration) ? `a mapping without a \`fields\` list (${describeValue(fields)})` : describeValue(declaration);
      throw wrongOutputs(owner, `declares stream '${stream}' as ${what}, not a list of field names`, `static outputs = { ${key(stream)}: ${listText(suggested)} }`);
    }
    const bad = fields.findIndex((field) => typeof field !== 'string' || field === '');
    if (bad !== -1) {
      const fixed = fields.map((field, i) => (typeof field === 'string' && field ? field : `field${i + 1}`));
      throw wrongOutputs(owner, `declares stream '${stream}' with field ${bad + 1} being ${describeValue(fields[bad])}; field names are non-empty strings`, `static outputs = { ${key(stream)}: ${listText(fixed)} }`);
    }
    const names = fields as string[];
    const twice = names.find((field, i) => names.indexOf(field) !== i);
    if (twice !== undefined) {
      // Storm's Fields refuses duplicates too ("duplicate field").
      throw wrongOutputs(owner, `declares stream '${stream}' with the field '${twice}' twice`, `static outputs = { ${key(stream)}: ${listText([...new Set(names)])} }`);
    }
    if (direct !== undefined && typeof direct !== 'boolean') {
      throw wrongOutputs(owner, `declares stream '${stream}' with direct: ${describeValue(direct)}; direct is true or false`, `static outputs = { ${key(stream)}: { fields: ${listText(names)}, direct: true } }`);
    }
    result[stream] = { fields: [...names], direct: direct === true };
  }
  return result;
}

function wrongOutputs(owner: OutputsOwner, problem: string, example: string): SquallError {
  const cls = owner.className ? `class ${owner.className}` : 'the component class';
  const where = owner.script && !owner.script.startsWith('(') ? ` in ${owner.script}` : '';
  return new SquallError(
    'component',
    `\`static outputs\` of ${cls}${where} ${problem}`,
    { file: owner.script && !owner.script.startsWith('(') ? owner.script : undefined, component: owner.component },
    `write \`${example}\`: each stream id maps to its list of field names (or to { fields: [...], direct: true } for a direct stream)`,
  );
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 'word count' or 'word,count' → ['word', 'count']: what the author probably meant. */
function fieldsFromText(text: string): string[] {
  const fields = text.split(/[\s,]+/).filter(Boolean);
  return fields.length ? fields : ['word'];
}

function listText(fields: readonly unknown[]): string {
  return `[${fields.map((f) => `'${String(f)}'`).join(', ')}]`;
}

function key(stream: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(stream) ? stream : `'${stream}'`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string '${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'function') return 'a function';
  return 'an object';
}
