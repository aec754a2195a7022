/**
 * Edits of a topology file as the graph editor makes them. Each takes the file's text and
 * returns the new text; only the edited lines change, so comments, key order and the
 * user's formatting survive (see yaml-splice.ts).
 */
import { isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { YamlPath } from './locations.js';
import type { ComponentKind, Grouping } from './model.js';
import { DEFAULT_STREAM } from './model.js';
import { inputData } from './to-yaml.js';
import { appendIn, deleteIn, nodeAt, parseForEdit, renameKey, setIn, YamlEditError } from './yaml-splice.js';

/** A component to add; the same keys as in the file. */
export interface NewComponent {
  id: string;
  kind: ComponentKind;
  script: string;
  parallelism?: number;
  tasks?: number;
  inputs?: NewInput[];
  config?: Record<string, unknown>;
}

/** An input to add to a bolt; `stream` defaults to `default`. */
export interface NewInput {
  source: string;
  stream?: string;
  grouping: Grouping;
}

/** An edit as data (what the workbench sends over IPC); see applyEdit. */
export type TopologyEdit =
  | { op: 'addComponent'; component: NewComponent }
  | { op: 'removeComponent'; id: string }
  | { op: 'renameComponent'; from: string; to: string }
  | { op: 'addInput'; bolt: string; input: NewInput }
  | { op: 'removeInput'; bolt: string; source: string; stream?: string }
  | { op: 'setGrouping'; bolt: string; source: string; stream?: string; grouping: Grouping }
  | { op: 'setFields'; bolt: string; source: string; stream?: string; fields: string[] }
  | { op: 'setParallelism'; component: string; parallelism: number }
  | { op: 'setTasks'; component: string; tasks: number | undefined }
  | { op: 'setScript'; component: string; script: string }
  | { op: 'setConfig'; key: string; value: unknown; component?: string }
  | { op: 'unsetConfig'; key: string; component?: string };

/** Applies one edit to the text of a topology file. */
export function applyEdit(text: string, edit: TopologyEdit): string {
  switch (edit.op) {
    case 'addComponent':
      return addComponent(text, edit.component);
    case 'removeComponent':
      return removeComponent(text, edit.id);
    case 'renameComponent':
      return renameComponent(text, edit.from, edit.to);
    case 'addInput':
      return addInput(text, edit.bolt, edit.input);
    case 'removeInput':
      return removeInput(text, edit.bolt, edit.source, edit.stream);
    case 'setGrouping':
      return setGrouping(text, edit.bolt, edit.source, edit.grouping, edit.stream);
    case 'setFields':
      return setFields(text, edit.bolt, edit.source, edit.fields, edit.stream);
    case 'setParallelism':
      return setParallelism(text, edit.component, edit.parallelism);
    case 'setTasks':
      return setTasks(text, edit.component, edit.tasks);
    case 'setScript':
      return setScript(text, edit.component, edit.script);
    case 'setConfig':
      return setConfig(text, edit.key, edit.value, edit.component);
    case 'unsetConfig':
      return unsetConfig(text, edit.key, edit.component);
  }
}

/** Applies edits in order. */
export function applyEdits(text: string, edits: readonly TopologyEdit[]): string {
  return edits.reduce(applyEdit, text);
}

/** Adds a spout or bolt at the end of its section (creating the section if needed). */
export function addComponent(text: string, component: NewComponent): string {
  if (!component.id) throw new YamlEditError('a component needs an id', 'pick a name such as `split`');
  const doc = parseForEdit(text);
  const existing = sectionOf(doc, component.id);
  if (existing) throw new YamlEditError(`'${component.id}' already exists in ${existing}`, 'component ids must be unique across spouts and bolts; pick another id');
  const data: Record<string, unknown> = { script: component.script, parallelism: component.parallelism ?? 1 };
  if (component.tasks !== undefined) data.tasks = component.tasks;
  if (component.inputs?.length) data.inputs = component.inputs.map((i) => inputData({ ...i, stream: i.stream ?? DEFAULT_STREAM }));
  if (component.config && Object.keys(component.config).length) data.config = component.config;
  return setIn(text, [sectionFor(component.kind), component.id], data);
}

/** Removes a component and every input that reads from it. */
export function removeComponent(text: string, id: string): string {
  const section = requireSection(parseForEdit(text), id);
  let result = deleteIn(text, [section, id]);
  for (const [bolt, indexes] of inputsFrom(parseForEdit(result), id)) {
    for (const index of indexes.reverse()) result = deleteIn(result, ['bolts', bolt, 'inputs', index]);
    result = dropIfEmpty(result, ['bolts', bolt, 'inputs']);
  }
  return result;
}

/** Renames a component and every input that reads from it. */
export function renameComponent(text: string, from: string, to: string): string {
  const doc = parseForEdit(text);
  const section = requireSection(doc, from);
  if (from === to) return text;
  if (!to) throw new YamlEditError('a component needs an id', 'pick a name such as `split`');
  const taken = sectionOf(doc, to);
  if (taken) throw new YamlEditError(`cannot rename '${from}' to '${to}': '${to}' already exists in ${taken}`, 'pick an id no other spout or bolt uses');
  let result = renameKey(text, [section, from], to);
  for (const [bolt, indexes] of inputsFrom(parseForEdit(result), from)) {
    for (const index of indexes) result = setIn(result, ['bolts', bolt, 'inputs', index, 'source'], to);
  }
  return result;
}

/** Subscribes a bolt to a stream. */
export function addInput(text: string, bolt: string, input: NewInput): string {
  const doc = parseForEdit(text);
  requireBolt(doc, bolt);
  const stream = input.stream ?? DEFAULT_STREAM;
  if (findInput(doc, bolt, input.source, stream) !== undefined) {
    throw new YamlEditError(`bolt '${bolt}' already reads ${input.source}:${stream}`, 'change its grouping instead (Storm keeps one grouping per stream and subscriber)');
  }
  return appendIn(text, ['bolts', bolt, 'inputs'], inputData({ source: input.source, stream, grouping: input.grouping }));
}

/** Unsubscribes a bolt from a stream; drops `inputs:` when it becomes empty. */
export function removeInput(text: string, bolt: string, source: string, stream: string = DEFAULT_STREAM): string {
  const index = requireInput(parseForEdit(text), bolt, source, stream);
  return dropIfEmpty(deleteIn(text, ['bolts', bolt, 'inputs', index]), ['bolts', bolt, 'inputs']);
}

/** Changes the grouping of one input of a bolt. */
export function setGrouping(text: string, bolt: string, source: string, grouping: Grouping, stream: string = DEFAULT_STREAM): string {
  const index = requireInput(parseForEdit(text), bolt, source, stream);
  const value = inputData({ source, stream, grouping }).grouping;
  return setIn(text, ['bolts', bolt, 'inputs', index, 'grouping'], value);
}

/** Sets the fields of an input's grouping (making it a fields grouping). */
export function setFields(text: string, bolt: string, source: string, fields: readonly string[], stream: string = DEFAULT_STREAM): string {
  const doc = parseForEdit(text);
  const index = requireInput(doc, bolt, source, stream);
  const grouping = nodeAt(doc, ['bolts', bolt, 'inputs', index, 'grouping']);
  // Keep the user's layout (block or flow) of an existing fields grouping: only the list changes.
  if (isMap(grouping) && nodeAt(doc, ['bolts', bolt, 'inputs', index, 'grouping', 'fields'])) {
    return setIn(text, ['bolts', bolt, 'inputs', index, 'grouping', 'fields'], [...fields]);
  }
  return setGrouping(text, bolt, source, { type: 'fields', fields: [...fields] }, stream);
}

/** Sets a component's parallelism hint. */
export function setParallelism(text: string, component: string, parallelism: number): string {
  const section = requireSection(parseForEdit(text), component);
  return setIn(text, [section, component, 'parallelism'], parallelism);
}

/** Sets (or with undefined, removes) a component's task count. */
export function setTasks(text: string, component: string, tasks: number | undefined): string {
  const section = requireSection(parseForEdit(text), component);
  return tasks === undefined ? deleteIn(text, [section, component, 'tasks']) : setIn(text, [section, component, 'tasks'], tasks);
}

/** Points a component at another module. */
export function setScript(text: string, component: string, script: string): string {
  const section = requireSection(parseForEdit(text), component);
  return setIn(text, [section, component, 'script'], script);
}

/** Sets a Storm setting of the topology, or of one component when `component` is given. */
export function setConfig(text: string, key: string, value: unknown, component?: string): string {
  return setIn(text, [...configPath(text, component), key], value);
}

/** Removes a Storm setting; drops `config:` when it becomes empty. */
export function unsetConfig(text: string, key: string, component?: string): string {
  const path = configPath(text, component);
  return dropIfEmpty(deleteIn(text, [...path, key]), path);
}

function configPath(text: string, component: string | undefined): YamlPath {
  if (component === undefined) return ['config'];
  return [requireSection(parseForEdit(text), component), component, 'config'];
}

function sectionFor(kind: ComponentKind): 'spouts' | 'bolts' {
  return kind === 'spout' ? 'spouts' : 'bolts';
}

function sectionOf(doc: Document.Parsed, id: string): 'spouts' | 'bolts' | undefined {
  for (const section of ['spouts', 'bolts'] as const) {
    const map = nodeAt(doc, [section]);
    if (isMap(map) && (map.items as Pair[]).some((p) => isScalar(p.key) && String(p.key.value) === id)) return section;
  }
  return undefined;
}

function requireSection(doc: Document.Parsed, id: string): 'spouts' | 'bolts' {
  const section = sectionOf(doc, id);
  if (!section) throw new YamlEditError(`there is no component '${id}' in the topology`, 'check the id (spouts and bolts are keys under `spouts:` and `bolts:`)');
  return section;
}

function requireBolt(doc: Document.Parsed, bolt: string): void {
  const section = requireSection(doc, bolt);
  if (section !== 'bolts') throw new YamlEditError(`'${bolt}' is a spout; only bolts have inputs`, 'add the input to a bolt');
}

/** Index in the file's `inputs:` list of the input reading source:stream. */
function findInput(doc: Document.Parsed, bolt: string, source: string, stream: string): number | undefined {
  const inputs = nodeAt(doc, ['bolts', bolt, 'inputs']);
  if (!isSeq(inputs)) return undefined;
  const index = inputs.items.findIndex((item) => {
    if (!isMap(item)) return false;
    const itemStream = scalarText(item.get('stream', true) as Node | undefined) ?? DEFAULT_STREAM;
    return scalarText(item.get('source', true) as Node | undefined) === source && itemStream === stream;
  });
  return index === -1 ? undefined : index;
}

function requireInput(doc: Document.Parsed, bolt: string, source: string, stream: string): number {
  requireBolt(doc, bolt);
  const index = findInput(doc, bolt, source, stream);
  if (index === undefined) throw new YamlEditError(`bolt '${bolt}' has no input from ${source}:${stream}`, 'add it with addInput first');
  return index;
}

/** For every bolt, the indexes of its inputs whose source is `source`. */
function inputsFrom(doc: Document.Parsed, source: string): Array<[string, number[]]> {
  const bolts = nodeAt(doc, ['bolts']);
  if (!isMap(bolts)) return [];
  const found: Array<[string, number[]]> = [];
  for (const pair of bolts.items as Pair[]) {
    const bolt = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const inputs = isMap(pair.value) ? pair.value.get('inputs', true) : undefined;
    if (bolt === undefined || !isSeq(inputs)) continue;
    const indexes = inputs.items.flatMap((item, index) => (isMap(item) && scalarText(item.get('source', true) as Node | undefined) === source ? [index] : []));
    if (indexes.length) found.push([bolt, indexes]);
  }
  return found;
}

/** Removes the key at `path` when its value is now empty (`inputs:` with no items). */
function dropIfEmpty(text: string, path: YamlPath): string {
  const node = nodeAt(parseForEdit(text), path);
  const empty = !node || (isScalar(node) && node.value === null) || ((isMap(node) || isSeq(node)) && node.items.length === 0);
  return empty ? deleteIn(text, path) : text;
}

function scalarText(node: Node | undefined): string | undefined {
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}
