/**
 * Minimal text edits of a YAML file, located with the yaml package's node ranges. Only the
 * bytes of the edited node change: comments, blank lines, quoting, indentation and key order
 * of everything else stay exactly as the user wrote them (re-stringifying a Document would
 * normalise all of those).
 */
import { Document, isAlias, isCollection, isMap, isScalar, isSeq, parseDocument, Scalar, visit, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { SquallError } from '../errors.js';
import type { YamlPath } from './locations.js';

/** A YAML edit that cannot be made (path missing, wrong shape, malformed file). */
export class YamlEditError extends SquallError {
  constructor(message: string, hint?: string) {
    super('topology', message, {}, hint);
    this.name = 'YamlEditError';
  }
}

// Every edit parses its text twice (edit.ts to find the component, the splice to find the
// node); remembering the last text read makes the second one free. Documents are only read.
let lastParsed: { text: string; doc: Document.Parsed } | undefined;

/**
 * Parses for editing; refuses malformed text (an edit must never make things worse). The
 * document may be shared with the next caller of the same text: read it, never change it.
 */
export function parseForEdit(text: string): Document.Parsed {
  if (lastParsed?.text === text) return lastParsed.doc;
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) throw new YamlEditError(`the topology file is not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`, 'fix the file first (`squall validate` shows where); edits never rewrite a file they cannot read');
  lastParsed = { text, doc };
  return doc;
}

/** The node at `path`, or undefined. Aliases are not followed: an edit must change this file's text. */
export function nodeAt(doc: Document.Parsed, path: YamlPath): Node | undefined {
  let node = doc.contents as Node | null;
  for (const step of path) {
    if (!node) return undefined;
    if (isMap(node)) {
      const pair = findPair(node, step);
      if (!pair) return undefined;
      node = (pair.value as Node | null) ?? null;
    } else if (isSeq(node) && typeof step === 'number') node = (node.items[step] as Node | undefined) ?? null;
    else return undefined;
  }
  return node ?? undefined;
}

/** The pair of `map` whose key is `key`. */
export function findPair(map: YAMLMap, key: string | number): Pair | undefined {
  return (map.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === String(key));
}

/**
 * Runs an edit on LF text and gives the result back in the file's own line endings, so a
 * Windows (CRLF) file does not end up with mixed endings.
 */
function keepLineEndings(text: string, edit: (lf: string) => string): string {
  if (!text.includes('\r\n')) return edit(text);
  return edit(text.replace(/\r\n/g, '\n')).replace(/\n/g, '\r\n');
}

/** Sets the value at `path`, creating missing parent mappings. Returns the new text. */
export function setIn(text: string, path: YamlPath, value: unknown): string {
  return keepLineEndings(text, (lf) => setInLf(lf, path, value));
}

/** Removes the map entry or list item at `path` (no-op when absent). Returns the new text. */
export function deleteIn(text: string, path: YamlPath): string {
  return keepLineEndings(text, (lf) => deleteInLf(lf, path));
}

/** Appends an item to the list at `path`, creating the list when missing or empty. */
export function appendIn(text: string, path: YamlPath, value: unknown): string {
  return keepLineEndings(text, (lf) => appendInLf(lf, path, value));
}

/** Renames the key at `path` in place. */
export function renameKey(text: string, path: YamlPath, newKey: string): string {
  return keepLineEndings(text, (lf) => renameKeyLf(lf, path, newKey));
}

function setInLf(text: string, path: YamlPath, value: unknown): string {
  const doc = parseForEdit(text);
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1]!;
  const parent = nodeAt(doc, parentPath);
  if (parent === undefined && parentPath.length > 0) return setInLf(text, parentPath, { [key]: value });
  if (parent === undefined || isNull(parent)) {
    if (parentPath.length === 0) return `${text}${text && !text.endsWith('\n') ? '\n' : ''}${renderBlock({ [key]: value }, 0)}\n`;
    return setInLf(text, parentPath, { [key]: value });
  }
  if (isSeq(parent)) {
    const item = typeof key === 'number' ? (parent.items[key] as Node | undefined) : undefined;
    if (!item) throw new YamlEditError(`no item ${String(key)} in the list at ${formatPath(parentPath)}`);
    return replaceValue(text, item, value, parent.flow === true);
  }
  if (isAlias(parent)) throw new YamlEditError(`${formatPath(parentPath)} is a YAML alias (*${parent.source}), shared with its anchor`, 'edit the anchored value, or replace the alias with its own mapping first');
  if (!isMap(parent)) throw new YamlEditError(`${formatPath(parentPath)} is not a mapping`);
  const pair = findPair(parent, key);
  if (pair) {
    const old = pair.value as Node | null;
    if (!old || isNull(old)) return fillEmptyValue(text, pair, value, parent.flow === true);
    return replaceValue(text, old, value, parent.flow === true, pair);
  }
  return appendPair(text, parent, String(key), value);
}

function deleteInLf(text: string, path: YamlPath): string {
  const doc = parseForEdit(text);
  const parent = nodeAt(doc, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (isMap(parent)) {
    const pair = findPair(parent, key);
    if (!pair) return text;
    const keyNode = pair.key as Node;
    const start = keyNode.range![0];
    const end = contentEnd(text, pair.value as Node | null, keyNode);
    if (parent.flow) return parent.items.length === 1 ? emptyFlow(text, parent, '{}') : removeFlowEntry(text, start, end);
    const index = parent.items.indexOf(pair);
    if (!onlyIndentBefore(text, start)) {
      // `- key: v` inside a list item: pull the next key up onto the dash line.
      const next = parent.items[index + 1] as Pair | undefined;
      if (next) return text.slice(0, start) + text.slice((next.key as Node).range![0]);
      return `${text.slice(0, start)}{}${text.slice(end)}`;
    }
    return removeLines(text, start, end);
  }
  if (isSeq(parent) && typeof key === 'number') {
    const item = parent.items[key] as Node | undefined;
    if (!item) return text;
    const end = contentEnd(text, item);
    if (parent.flow) return parent.items.length === 1 ? emptyFlow(text, parent, '[]') : removeFlowEntry(text, item.range![0], end);
    const dash = text.lastIndexOf('-', item.range![0]);
    return removeLines(text, dash, end);
  }
  return text;
}

function appendInLf(text: string, path: YamlPath, value: unknown): string {
  const doc = parseForEdit(text);
  const seq = nodeAt(doc, path);
  if (seq === undefined || isNull(seq)) return setInLf(text, path, [value]);
  if (!isSeq(seq)) throw new YamlEditError(`${formatPath(path)} is not a list`);
  if (seq.flow || seq.items.length === 0) {
    // After the last item, so the user's padding before `]` stays where it was.
    const last = seq.items[seq.items.length - 1] as Node | undefined;
    const at = last ? contentEnd(text, last) : text.lastIndexOf(']', seq.range![1]);
    return `${text.slice(0, at)}${last ? ', ' : ''}${inline(text, value)}${text.slice(at)}`;
  }
  const first = seq.items[0] as Node;
  const dash = text.lastIndexOf('-', first.range![0]);
  const column = dash - lineStart(text, dash);
  const at = lineEnd(text, contentEnd(text, seq.items[seq.items.length - 1] as Node));
  return `${text.slice(0, at)}\n${renderItem(value, column)}${text.slice(at)}`;
}

function renameKeyLf(text: string, path: YamlPath, newKey: string): string {
  const doc = parseForEdit(text);
  const parent = nodeAt(doc, path.slice(0, -1));
  const pair = isMap(parent) ? findPair(parent, path[path.length - 1]!) : undefined;
  if (!pair) throw new YamlEditError(`no key at ${formatPath(path)}`);
  const range = (pair.key as Node).range!;
  return text.slice(0, range[0]) + renderInline(newKey) + text.slice(range[1]);
}

function replaceValue(text: string, old: Node, value: unknown, inFlow: boolean, pair?: Pair): string {
  const start = old.range![0];
  const end = contentEnd(text, old);
  const blockOld = isCollection(old) && !old.flow;
  if (!blockOld || inFlow) return text.slice(0, start) + inline(text, value) + text.slice(end);
  if (isBlockable(value)) {
    const column = start - lineStart(text, start);
    return text.slice(0, start) + renderBlock(value, column).trimStart() + text.slice(end);
  }
  // A block collection becomes a scalar: it moves up next to its key.
  const colon = pair ? text.indexOf(':', (pair.key as Node).range![1]) + 1 : start;
  return `${text.slice(0, colon)} ${inline(text, value)}${text.slice(end)}`;
}

function fillEmptyValue(text: string, pair: Pair, value: unknown, inFlow: boolean): string {
  const keyNode = pair.key as Node;
  const colon = text.indexOf(':', keyNode.range![1]) + 1;
  if (inFlow || !isBlockable(value)) return `${text.slice(0, colon)} ${inline(text, value)}${text.slice(colon)}`;
  const column = keyNode.range![0] - lineStart(text, keyNode.range![0]);
  const at = lineEnd(text, colon);
  return `${text.slice(0, at)}\n${renderBlock(value, column + 2)}${text.slice(at)}`;
}

function appendPair(text: string, map: YAMLMap, key: string, value: unknown): string {
  if (map.flow || map.items.length === 0) {
    const last = map.items[map.items.length - 1] as Pair | undefined;
    const at = last ? contentEnd(text, last.value as Node | null, last.key as Node) : text.lastIndexOf('}', map.range![1]);
    return `${text.slice(0, at)}${last ? ', ' : ''}${renderInline(key)}: ${inline(text, value)}${text.slice(at)}`;
  }
  const firstKey = (map.items[0] as Pair).key as Node;
  const column = firstKey.range![0] - lineStart(text, firstKey.range![0]);
  const last = map.items[map.items.length - 1] as Pair;
  const at = lineEnd(text, contentEnd(text, last.value as Node | null, last.key as Node));
  return `${text.slice(0, at)}\n${renderBlock({ [key]: value }, column)}${text.slice(at)}`;
}

/** End offset of a node's own text (not its trailing comment or the blank lines after it). */
function contentEnd(text: string, node: Node | null, fallback?: Node): number {
  if (!node || isNull(node)) return fallback ? contentEnd(text, fallback) : 0;
  let end: number;
  if (isCollection(node) && !node.flow && node.items.length) {
    const last = node.items[node.items.length - 1] as Node | Pair;
    end = isMap(node) ? contentEnd(text, (last as Pair).value as Node | null, (last as Pair).key as Node) : contentEnd(text, last as Node);
  } else {
    end = node.range![1];
  }
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/** Removes whole lines, with the comment lines right above that describe the removed node. */
function removeLines(text: string, start: number, end: number): string {
  let from = lineStart(text, start);
  const indent = text.slice(from, start);
  while (from > 0) {
    const previous = lineStart(text, from - 1);
    const line = text.slice(previous, from - 1);
    if (!line.startsWith(`${indent}#`)) break;
    from = previous;
  }
  const to = lineEnd(text, end);
  return text.slice(0, from) + text.slice(to < text.length ? to + 1 : to);
}

/** A flow collection whose last entry goes becomes `{}` / `[]`, not `{  }`. */
function emptyFlow(text: string, collection: Node, empty: '{}' | '[]'): string {
  const close = text.lastIndexOf(empty[1]!, collection.range![1]);
  return text.slice(0, collection.range![0]) + empty + text.slice(close + 1);
}

function removeFlowEntry(text: string, start: number, end: number): string {
  const after = /^\s*,\s*/.exec(text.slice(end));
  if (after) return text.slice(0, start) + text.slice(end + after[0].length);
  const before = /\s*,\s*$/.exec(text.slice(0, start));
  if (before) return text.slice(0, start - before[0].length) + text.slice(end);
  return text.slice(0, start) + text.slice(end);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end;
}

function onlyIndentBefore(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

function isNull(node: Node): boolean {
  return isScalar(node) && node.value === null && node.range![0] === node.range![1];
}

function isBlockable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

/** A value on one line: a scalar as YAML writes it, a collection in flow style (unpadded). */
export function renderInline(value: unknown): string {
  return renderFlow(value, false, false);
}

/**
 * A value on one line in the file's own flow style: `{ a: 1 }` if the file pads its braces,
 * `[ a ]` if it pads its brackets; unpadded otherwise.
 */
function inline(text: string, value: unknown): string {
  return renderFlow(value, /\{ [^\s}]/.test(text), /\[ [^\s\]]/.test(text));
}

function renderFlow(value: unknown, padMaps: boolean, padSeqs: boolean): string {
  const render = (v: unknown): string => {
    if (Array.isArray(v)) {
      const items = v.map(render).join(', ');
      return v.length === 0 ? '[]' : padSeqs ? `[ ${items} ]` : `[${items}]`;
    }
    if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v).map(([key, item]) => `${renderScalar(key)}: ${render(item)}`);
      return entries.length === 0 ? '{}' : padMaps ? `{ ${entries.join(', ')} }` : `{${entries.join(', ')}}`;
    }
    return renderScalar(v);
  };
  return render(value);
}

/** One scalar that stays on one line: plain when YAML allows it, else double-quoted. */
function renderScalar(value: unknown): string {
  if (value === undefined) return 'null';
  // Written as the item of a flow list, so YAML applies flow-context quoting (`{`, `,`, `]`...).
  const doc = new Document([value], { flow: true });
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd().slice(1, -1);
  // Block scalars (`|-`) and empty output cannot sit inside a line; JSON strings are YAML too.
  if (typeof value === 'string' && (text === '' || text.includes('\n'))) return JSON.stringify(value);
  return text;
}

/** A mapping or list in block style, every line indented by `column`; field lists stay flow. */
function renderBlock(value: unknown, column: number): string {
  const doc = new Document(value);
  visit(doc, {
    Seq(_, seq: YAMLSeq) {
      if (seq.items.every((item) => isScalar(item))) seq.flow = true;
    },
    // Block scalars (`|+`) of whitespace-only or newline-ended text do not survive being
    // spliced into a file; a double-quoted string keeps every character on one line.
    Scalar(_, scalar: Scalar) {
      if (typeof scalar.value === 'string' && scalar.value.includes('\n')) scalar.type = Scalar.QUOTE_DOUBLE;
    },
  });
  const body = doc.toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd();
  return body
    .split('\n')
    .map((line) => (line ? ' '.repeat(column) + line : line))
    .join('\n');
}

/** A list item `- ...` at `column`, its continuation lines aligned under the first key. */
function renderItem(value: unknown, column: number): string {
  const body = isBlockable(value) && !Array.isArray(value) ? renderBlock(value, column + 2).slice(column + 2) : renderFlow(value, false, false);
  return `${' '.repeat(column)}- ${body}`;
}

function formatPath(path: YamlPath): string {
  return path.length ? path.join('.') : '(top)';
}
