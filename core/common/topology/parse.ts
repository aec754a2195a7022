/**
 * Reads a `topology.yaml` into the model. Structural problems (malformed YAML, unknown or
 * duplicate keys, values of the wrong shape) become diagnostics with line and column; the
 * meaning of the graph (sources, streams, fields) is checked by validate.ts.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { diagnosticAt, type Diagnostic } from './diagnostics.js';
import { GROUPING_NAMES, parseGroupingName } from './groupings.js';
import { rememberLocations, SourceLocations, type YamlPath } from './locations.js';
import type { ComponentKind, ComponentSpec, Grouping, InputSpec, SourceLocation, TopologySpec } from './model.js';
import { DEFAULT_STREAM } from './model.js';
import { closestMatch, suggestion } from './suggest.js';
import { ALIAS_EXPANSION_HINT, isAliasExpansionError, MAX_YAML_ALIAS_EXPANSIONS } from './yaml-limits.js';

/** What parseTopology returns: the model when the file was readable, and what it found. */
export interface ParseResult {
  /** Present unless the file is not a mapping at all; may be partial when there are errors. */
  spec?: TopologySpec;
  diagnostics: Diagnostic[];
  /** Where every key and value was written (also reachable with locationsOf(spec)). */
  locations?: SourceLocations;
}

/** Keys allowed at the top of a topology file, in canonical order. */
export const TOPOLOGY_KEYS = ['name', 'node', 'config', 'spouts', 'bolts'] as const;
/** Keys allowed in a spout or bolt. */
export const COMPONENT_KEYS = ['script', 'parallelism', 'tasks', 'inputs', 'config'] as const;
/** Keys allowed in one input of a bolt. */
export const INPUT_KEYS = ['source', 'stream', 'grouping'] as const;

/** Hint for an unknown top-level key that is really a Storm setting. */
function topLevelNote(key: string): string | undefined {
  if (closestMatch(key, TOPOLOGY_KEYS)) return undefined;
  const setting = key.includes('.') ? key : `topology.${key}`;
  return `the top-level keys are: ${TOPOLOGY_KEYS.map((k) => `'${k}'`).join(', ')}; Storm settings such as \`${setting}\` go under \`config:\``;
}

/** Hint for streams written in the file, where Squall never reads them. */
function componentNote(key: string): string | undefined {
  if (!['outputs', 'streams', 'fields', 'output', 'declare'].includes(key)) return undefined;
  return 'streams and output fields are declared once, on the component class (`static outputs = { default: [...] }`), not in the topology file';
}

const START_HINT = 'a topology file starts with `name: my-topology`, then `spouts:` and `bolts:` (run `squall init` for an example)';

/** Parses the text of a topology file. Pure: `file` is only used in diagnostics. */
export function parseTopology(text: string, file: string): ParseResult {
  return new TopologyReader(text, file).read();
}

class TopologyReader {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly lineCounter = new LineCounter();
  private readonly locations: SourceLocations;
  private doc!: Document.Parsed;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.locations = new SourceLocations(file);
  }

  read(): ParseResult {
    this.doc = parseDocument(this.text, { lineCounter: this.lineCounter, uniqueKeys: false, prettyErrors: false });
    for (const error of this.doc.errors) {
      this.error(this.at(error.pos[0]), `malformed YAML: ${yamlMessage(error.code, error.message)}`, yamlHint(error.code));
    }
    if (this.doc.errors.length) return { diagnostics: this.diagnostics };
    const root = this.resolve(this.doc.contents);
    if (!root || (isScalar(root) && root.value === null)) {
      this.error(this.at(0), 'the topology file is empty', START_HINT);
      return { diagnostics: this.diagnostics };
    }
    if (!isMap(root)) {
      this.error(this.nodeAt(root), `the topology file must be a mapping of ${TOPOLOGY_KEYS.join(', ')}, not ${describe(root)}`, START_HINT);
      return { diagnostics: this.diagnostics };
    }
    const spec: TopologySpec = { name: '', config: {}, components: [] };
    for (const [key, value] of this.entries(root, [], TOPOLOGY_KEYS, 'the top-level keys are', '', undefined, topLevelNote)) {
      if (key === 'name') spec.name = this.string(value, ['name'], `'name'`, '`name: my-topology`') ?? '';
      else if (key === 'node') {
        const node = this.string(value, ['node'], `'node'`, '`node: ">=20"` (a semver range)');
        if (node !== undefined) spec.node = node;
      } else if (key === 'config') spec.config = this.config(value, ['config'], 'config');
      else this.section(value, key as 'spouts' | 'bolts', spec);
    }
    // Spouts first, then bolts, each in file order, whichever section the file writes first.
    spec.components.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'spout' ? -1 : 1));
    rememberLocations(spec, this.locations);
    return { spec, diagnostics: this.diagnostics, locations: this.locations };
  }

  /** `spouts:` or `bolts:`: a mapping of component id to component. */
  private section(node: Node | null, section: 'spouts' | 'bolts', spec: TopologySpec): void {
    const kind: ComponentKind = section === 'spouts' ? 'spout' : 'bolt';
    if (isEmpty(node)) return;
    if (!isMap(node)) {
      this.locations.setDamaged([section]);
      this.error(this.nodeAt(node), `${section} must be a mapping of ${kind} id to ${kind}, not ${describe(node)}`, `write \`${section}:\`, then each ${kind} id on its own line, indented, with its \`script:\` under it`);
      return;
    }
    for (const [id, value, pair] of this.entries(node, [section], undefined, '', ` in ${section}`)) {
      const path = [section, id];
      const component: ComponentSpec = { id, kind, script: '', parallelism: 1, inputs: [], config: {}, location: this.keyAt(pair) };
      spec.components.push(component);
      this.component(value, path, component);
    }
  }

  private component(node: Node | null, path: YamlPath, component: ComponentSpec): void {
    const name = `${component.kind} '${component.id}'`;
    if (!isMap(node)) {
      const got = isEmpty(node) ? 'empty' : describe(node);
      this.locations.setDamaged(path);
      this.error(this.nodeAt(node, component.location!), `${name} must be a mapping with at least a script, not ${got}`, `add \`script: components/${component.id}.ts\` under it, indented`, component.id);
      return;
    }
    for (const [key, value] of this.entries(node, path, COMPONENT_KEYS, "a component's keys are", ` in ${name}`, component.id, componentNote)) {
      const here = [...path, key];
      if (key === 'script') component.script = this.string(value, here, `script of ${name}`, `\`script: components/${component.id}.ts\``, component.id) ?? '';
      else if (key === 'parallelism' || key === 'tasks') {
        const count = this.count(value, here, `${key} of ${name}`, component.id);
        if (count !== undefined) component[key] = count;
      } else if (key === 'config') component.config = this.config(value, here, `config of ${name}`, component.id);
      else component.inputs = this.inputs(value, here, name, component.id);
    }
  }

  private inputs(node: Node | null, path: YamlPath, owner: string, componentId: string): InputSpec[] {
    if (isEmpty(node)) return [];
    if (!isSeq(node)) {
      this.locations.setDamaged(path);
      this.error(this.nodeAt(node), `inputs of ${owner} must be a list, not ${describe(node)}`, 'write each input as `- source: <component id>` with `grouping: shuffle` under it', componentId);
      return [];
    }
    const inputs: InputSpec[] = [];
    // The file's index of each input kept: a refused input is left out of the model.
    const kept: number[] = [];
    node.items.forEach((raw, index) => {
      const item = this.resolve(raw as Node);
      const here = [...path, index];
      this.locations.setValue(here, this.nodeAt(item));
      if (!isMap(item)) {
        this.locations.setDamaged(here);
        this.error(this.nodeAt(item), `an input of ${owner} must be a mapping with source and grouping, not ${describe(item)}`, 'write `- source: <component id>` with `grouping: shuffle` under it', componentId);
        return;
      }
      let source: string | undefined;
      let stream: string | undefined;
      let grouping: Grouping | undefined;
      let groupingNode: Node | null = null;
      const reported = this.diagnostics.length;
      for (const [key, value] of this.entries(item, here, INPUT_KEYS, "an input's keys are", ` in an input of ${owner}`, componentId)) {
        const valuePath = [...here, key];
        if (key === 'source') source = this.string(value, valuePath, `source of an input of ${owner}`, '`source: <component id>`', componentId);
        else if (key === 'stream') stream = this.string(value, valuePath, `stream of an input of ${owner}`, '`stream: <stream id>` (or leave it out for `default`)', componentId);
        else {
          groupingNode = value;
          grouping = this.grouping(value, valuePath, owner, componentId);
        }
      }
      // A typo'd key was already reported; "no source" on top of it would only be noise.
      if (this.diagnostics.length > reported) {
        this.locations.setDamaged(here);
        return;
      }
      if (source === undefined) {
        this.locations.setDamaged(here);
        if (!item.items.some((p) => keyName(p) === 'source')) {
          this.error(this.nodeAt(item), `an input of ${owner} has no source`, 'add `source: <component id>` (the spout or bolt it reads from)', componentId);
        }
        return;
      }
      if (grouping === undefined) {
        this.locations.setDamaged(here);
        if (groupingNode === null && !item.items.some((p) => keyName(p) === 'grouping')) {
          this.error(this.nodeAt(item), `the input of ${owner} from '${source}' has no grouping`, `add \`grouping: shuffle\` (or ${GROUPING_NAMES.filter((g) => g !== 'shuffle').join(', ')}, { fields: [...] })`, componentId);
        }
        return;
      }
      inputs.push({ source, stream: stream ?? DEFAULT_STREAM, grouping });
      kept.push(index);
    });
    this.locations.setInputIndexes(path.slice(0, -1), kept);
    // A refused input was meant to be there: "no inputs" would be noise.
    if (kept.length < node.items.length) this.locations.setDamaged(path);
    return inputs;
  }

  private grouping(node: Node | null, path: YamlPath, owner: string, componentId: string): Grouping | undefined {
    const forms = `a grouping is one of ${GROUPING_NAMES.join(', ')} or { fields: [field, ...] }`;
    if (isScalar(node) && typeof node.value === 'string') {
      if (node.value === 'fields') {
        this.error(this.nodeAt(node), `the fields grouping of ${owner} needs the fields to group on`, 'write `grouping: { fields: [word] }`', componentId);
        return undefined;
      }
      const type = parseGroupingName(node.value);
      if (type) return { type };
      this.error(this.nodeAt(node), `unknown grouping '${node.value}' in ${owner}`, suggestion(node.value, GROUPING_NAMES, 'groupings'), componentId);
      return undefined;
    }
    if (!isMap(node)) {
      this.error(this.nodeAt(node, this.locations.key(path)!), `grouping of ${owner} must be a name or { fields: [...] }, not ${describe(node)}`, forms, componentId);
      return undefined;
    }
    let grouping: Grouping | undefined;
    for (const [key, value] of this.entries(node, path, ['fields'], 'a grouping mapping has one key', ` in a grouping of ${owner}`, componentId)) {
      const fieldsPath = [...path, key];
      if (!isSeq(value) || !value.items.every((f) => isScalar(this.resolve(f as Node)) && typeof (this.resolve(f as Node) as { value: unknown }).value === 'string')) {
        this.error(this.nodeAt(value, this.locations.key(fieldsPath)!), `fields of the fields grouping of ${owner} must be a list of field names, not ${describe(value)}`, 'write `grouping: { fields: [word] }`', componentId);
        return undefined;
      }
      const fields = value.items.map((raw, index) => {
        const field = this.resolve(raw as Node) as Node;
        this.locations.setValue([...fieldsPath, index], this.nodeAt(field));
        return String((field as { value: unknown }).value);
      });
      grouping = { type: 'fields', fields };
    }
    if (!grouping && node.items.length === 0) {
      this.error(this.nodeAt(node), `grouping of ${owner} is an empty mapping`, 'write `grouping: { fields: [word] }` or a grouping name such as `shuffle`', componentId);
    }
    return grouping;
  }

  private config(node: Node | null, path: YamlPath, what: string, componentId?: string): Record<string, unknown> {
    if (isEmpty(node)) return {};
    if (!isMap(node)) {
      this.locations.setDamaged(path);
      this.error(this.nodeAt(node), `${what} must be a mapping of Storm settings, not ${describe(node)}`, 'write one `topology.some.setting: value` per line, indented under `config:`', componentId);
      return {};
    }
    const config: Record<string, unknown> = {};
    for (const [key, value] of this.entries(node, path, undefined, '', ` in ${what}`, componentId)) {
      try {
        config[key] = value === null ? null : (value as Node).toJS(this.doc, { maxAliasCount: MAX_YAML_ALIAS_EXPANSIONS });
      } catch (error) {
        const at = this.locations.key([...path, key]) ?? this.nodeAt(value);
        this.locations.setDamaged([...path, key]);
        if (isAliasExpansionError(error)) this.error(at, `the value of '${key}' in ${what} expands YAML aliases more than ${MAX_YAML_ALIAS_EXPANSIONS} times`, ALIAS_EXPANSION_HINT, componentId);
        else this.error(at, `the value of '${key}' in ${what} cannot be read: ${firstLine((error as Error).message)}`, 'check the anchors (&name) and aliases (*name) it uses', componentId);
      }
    }
    return config;
  }

  /** A whole number (parallelism, tasks); range is checked by validate. */
  private count(node: Node | null, path: YamlPath, what: string, componentId: string): number | undefined {
    if (isScalar(node) && typeof node.value === 'number') return node.value;
    this.locations.setDamaged(path);
    this.error(this.nodeAt(node, this.locations.key(path)!), `${what} must be a whole number, not ${describe(node)}`, `write \`${String(path[path.length - 1])}: 2\``, componentId);
    return undefined;
  }

  private string(node: Node | null, path: YamlPath, what: string, example: string, componentId?: string): string | undefined {
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value);
    this.locations.setDamaged(path);
    this.error(this.nodeAt(node, this.locations.key(path)!), `${what} must be a string, not ${describe(node)}`, `write ${example}`, componentId);
    return undefined;
  }

  /**
   * The entries of a mapping as [key, value, pair], recording locations, reporting
   * non-scalar, duplicate and (when `allowed` is given) unknown keys.
   */
  private entries(
    map: YAMLMap,
    path: YamlPath,
    allowed: readonly string[] | undefined,
    allowedLabel: string,
    where: string,
    componentId?: string,
    note?: (key: string) => string | undefined,
  ): Array<[string, Node | null, Pair]> {
    const result: Array<[string, Node | null, Pair]> = [];
    const seen = new Map<string, SourceLocation>();
    for (const pair of map.items as Pair[]) {
      const keyNode = pair.key as Node | null;
      const at = this.nodeAt(keyNode, this.nodeAt(map));
      const key = keyName(pair);
      if (key === undefined) {
        this.locations.setDamaged(path);
        this.error(at, `keys must be plain names, not ${describe(keyNode)}${where}`, 'write `name: value`', componentId);
        continue;
      }
      const first = seen.get(key);
      if (first) {
        this.locations.setDamaged([...path, key]);
        this.error(at, `duplicate key '${key}'${where}`, `'${key}' is already defined at line ${first.line}; YAML would keep only the last one, so rename or remove one`, componentId);
        continue;
      }
      seen.set(key, at);
      if (allowed && !allowed.includes(key)) {
        // A misspelt key stands for the key it is closest to; otherwise for anything in this mapping.
        const meant = closestMatch(key, allowed);
        this.locations.setDamaged(meant === undefined ? path : [...path, meant]);
        this.error(at, `unknown key '${key}'${where}`, note?.(key) ?? suggestion(key, allowed, allowedLabel), componentId);
        continue;
      }
      const value = this.resolve(pair.value as Node | null);
      const here = [...path, key];
      this.locations.setKey(here, at);
      if (value && !isEmpty(value)) this.locations.setValue(here, this.nodeAt(value));
      result.push([key, value, pair]);
    }
    return result;
  }

  private resolve(node: Node | null | undefined): Node | null {
    if (!node) return null;
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node;
  }

  private keyAt(pair: Pair): SourceLocation {
    return this.nodeAt(pair.key as Node);
  }

  /** Where a node starts; `fallback` (else the file's start) for a node without a position. */
  private nodeAt(node: Node | null | undefined, fallback?: SourceLocation): SourceLocation {
    if (node?.range) return this.at(node.range[0]);
    return fallback ?? this.at(0);
  }

  private at(offset: number): SourceLocation {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }

  private error(at: SourceLocation, message: string, hint?: string, componentId?: string): void {
    this.diagnostics.push(diagnosticAt('error', at, message, hint, componentId));
  }
}

function keyName(pair: Pair): string | undefined {
  const key = pair.key as Node | null;
  if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  return undefined;
}

function isEmpty(node: Node | null | undefined): boolean {
  return !node || (isScalar(node) && node.value === null);
}

/** How a YAML value reads in an error message: "a list", "the number 3", "empty". */
function describe(node: Node | null | undefined): string {
  if (isEmpty(node)) return 'empty';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value === 'string') return `the string '${value}'`;
    if (typeof value === 'number') return `the number ${value}`;
    if (typeof value === 'boolean') return `the boolean ${value}`;
  }
  return 'an unsupported value';
}

function yamlMessage(code: string, message: string): string {
  if (code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document';
  return firstLine(message);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function yamlHint(code: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'YAML does not allow tabs for indentation; indent with spaces';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'check the indentation and the `key: value` colons on this line and the one above';
    case 'MULTIPLE_DOCS':
      return 'a topology file holds one YAML document: remove the `---` separator and what follows';
    default:
      return 'check the quoting and indentation around this line';
  }
}
