/**
 * The meaning of a topology: does every input read a component, stream and fields that
 * exist, are ids legal, is there a spout. DESIGN.md §3. Pure: works on the model, with the
 * locations parseTopology recorded (or none, for a model from the TypeScript builder).
 */
import { diagnosticAt, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { locationsOf, type SourceLocations, type YamlPath } from './locations.js';
import type { ComponentSpec, InputSpec, SourceLocation, TopologySpec } from './model.js';
import { RESERVED_PREFIX } from './model.js';
import { COMPONENT_LEVEL_SETTINGS, SETTING_TYPES, settingValueFits, STORM_TOPOLOGY_SETTINGS, type SettingType } from './storm-settings.js';
import { closestMatch, suggestion } from './suggest.js';
import { forbiddenNameCharacter, legalTopologyName } from './topology-name.js';

/** How each setting type reads in an error, and a value that fits. */
const SETTING_WORDS: Record<SettingType, { phrase: string; example: string }> = {
  'positive integer': { phrase: 'a whole number of at least 1', example: '2' },
  'integer ≥ 0': { phrase: 'a whole number of at least 0', example: '1' },
  integer: { phrase: 'a whole number', example: '5' },
  boolean: { phrase: 'true or false', example: 'true' },
  'map of strings': { phrase: 'a mapping of names to strings', example: '{ NAME: "1" }' },
};
/** Options of validateTopology. */
export interface ValidateOptions {
  /** True when `component.outputs` was read from the component classes: check streams and fields. */
  outputsKnown: boolean;
  /** Locations to point at; defaults to those parseTopology recorded for this spec. */
  locations?: SourceLocations;
}

/** Checks the graph; returns errors and warnings, each with file:line:column and a hint. */
export function validateTopology(spec: TopologySpec, options: ValidateOptions): Diagnostic[] {
  return new TopologyValidator(spec, options).run();
}

class TopologyValidator {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly locations?: SourceLocations;
  private readonly file: string;
  private readonly byId = new Map<string, ComponentSpec>();

  constructor(
    private readonly spec: TopologySpec,
    private readonly options: ValidateOptions,
  ) {
    this.locations = options.locations ?? locationsOf(spec);
    this.file = this.locations?.file ?? spec.file ?? '(builder)';
  }

  run(): Diagnostic[] {
    this.name();
    const spouts = this.spec.components.filter((c) => c.kind === 'spout');
    if (spouts.length === 0 && !this.damaged(['spouts'])) {
      this.error(this.at(['spouts'], 'key'), 'the topology has no spout', 'add a spout under `spouts:`; every tuple tree starts at a spout');
    }
    this.settings(this.spec.config, ['config']);
    for (const component of this.spec.components) {
      this.component(component);
      this.settings(component.config, [...this.pathOf(component), 'config'], component);
    }
    for (const component of this.spec.components) {
      component.inputs.forEach((input, index) => this.input(component, input, index));
    }
    this.cycles();
    return sortDiagnostics(this.diagnostics);
  }

  private name(): void {
    const name = this.spec.name;
    if (!name) {
      if (this.damaged(['name'])) return; // parsing already said what is wrong with it
      const where = this.at(['name'], 'value');
      this.error(where, where.line && this.locations?.value(['name']) ? 'the topology name is empty' : 'the topology has no name', 'add `name: my-topology` at the top of the file');
      return;
    }
    const bad = forbiddenNameCharacter(name);
    if (bad) {
      this.error(this.at(['name'], 'value'), `topology name '${name}' contains '${bad}', which Storm does not allow`, `Storm forbids / . : \\ in topology names; try '${legalTopologyName(name)}'`);
    }
  }

  private component(component: ComponentSpec): void {
    const { id, kind } = component;
    const path = this.pathOf(component);
    const name = `${kind} '${id}'`;
    if (id.startsWith(RESERVED_PREFIX)) {
      this.error(this.at(path, 'key', component), `component id '${id}' is reserved: ids starting with '${RESERVED_PREFIX}' belong to Storm`, `rename it, e.g. '${id.replace(/^_+/, '') || 'component'}'`, id);
    }
    const first = this.byId.get(id);
    if (first) {
      const both = first.kind === kind ? `two ${kind}s are named '${id}'` : `'${id}' is both a ${first.kind} and a ${kind}`;
      this.error(this.at(path, 'key', component), both, 'component ids must be unique across spouts and bolts; rename one of them', id);
    } else {
      this.byId.set(id, component);
    }
    if (!component.script && !this.damaged([...path, 'script'])) {
      this.error(this.at([...path, 'script'], 'value', component), `${name} has no script`, `add \`script: components/${id}.ts\` (the path of its module, relative to the topology file)`, id);
    }
    this.count(component, 'parallelism', component.parallelism);
    if (component.tasks !== undefined) {
      this.count(component, 'tasks', component.tasks);
      if (Number.isInteger(component.tasks) && component.tasks >= 1 && component.tasks < component.parallelism) {
        this.warning(this.at([...path, 'tasks'], 'value', component), `${name} has fewer tasks (${component.tasks}) than parallelism (${component.parallelism})`, `Storm runs at most one executor per task, so only ${component.tasks} executors will run; raise tasks or lower parallelism`, id);
      }
    }
    if (kind === 'spout' && component.inputs.length > 0) {
      this.error(this.at([...path, 'inputs'], 'key', component), `spout '${id}' has inputs, but spouts cannot subscribe to streams`, `move '${id}' under \`bolts:\`, or remove its inputs`, id);
    }
    if (kind === 'bolt' && component.inputs.length === 0 && !this.damaged([...path, 'inputs'])) {
      this.warning(this.at(path, 'key', component), `bolt '${id}' has no inputs: it will only receive tick tuples`, 'add `inputs:` with `- source: <component id>` and `grouping: shuffle`', id);
    }
    for (const stream of Object.keys(component.outputs ?? {})) {
      if (stream.startsWith(RESERVED_PREFIX)) {
        this.error(this.at([...path, 'script'], 'value', component), `${name} declares stream '${stream}', but stream ids starting with '${RESERVED_PREFIX}' belong to Storm`, `rename the stream in \`static outputs\` of ${component.script}`, id);
      }
    }
  }

  /** Storm settings: wrong types fail on submit, typo'd names are silently ignored by Storm. */
  private settings(config: Record<string, unknown>, path: YamlPath, component?: ComponentSpec): void {
    for (const [key, value] of Object.entries(config)) {
      const type = SETTING_TYPES[key];
      if (type && !settingValueFits(type, value)) {
        const words = SETTING_WORDS[type];
        this.error(this.at([...path, key], 'value', component), `${key} must be ${words.phrase}, not ${JSON.stringify(value)}`, `Storm refuses the topology on submit otherwise; e.g. \`${key}: ${words.example}\``, component?.id);
      } else if (key.startsWith('topology.') && !STORM_TOPOLOGY_SETTINGS.includes(key)) {
        const best = closestMatch(key, STORM_TOPOLOGY_SETTINGS);
        if (best) this.warning(this.at([...path, key], 'key', component), `'${key}' is not a Storm setting, so Storm will ignore it`, `did you mean '${best}'?`, component?.id);
      } else if (component && STORM_TOPOLOGY_SETTINGS.includes(key) && !COMPONENT_LEVEL_SETTINGS.includes(key)) {
        const from = this.locations?.key([...path, key]) ? '' : ` (set by \`static config\` in ${component.script})`;
        this.warning(
          this.at([...path, key], 'key', component),
          `${component.kind} '${component.id}' sets ${key}${from}, but Storm ignores it in a component's config`,
          `move it to the topology's \`config:\`; a component may only set ${COMPONENT_LEVEL_SETTINGS.slice(0, 5).join(', ')} and the windowing/state settings`,
          component.id,
        );
      }
    }
  }

  private count(component: ComponentSpec, key: 'parallelism' | 'tasks', value: number): void {
    if (Number.isInteger(value) && value >= 1) return;
    const what = key === 'parallelism' ? 'the number of executors' : 'the number of tasks';
    this.error(
      this.at([...this.pathOf(component), key], 'value', component),
      `${key} of ${component.kind} '${component.id}' must be a whole number of at least 1, not ${value}`,
      `set \`${key}: ${Math.max(1, Math.round(value) || 1)}\` or more (it is ${what})`,
      component.id,
    );
  }

  private input(component: ComponentSpec, input: InputSpec, index: number): void {
    const path = this.inputPath(component, index);
    const name = `${component.kind} '${component.id}'`;
    const source = this.byId.get(input.source);
    const streamPath = this.locations?.value([...path, 'stream']) ? [...path, 'stream'] : [...path, 'source'];
    const streamName = `${input.source}:${input.stream}`;
    if (input.stream.startsWith(RESERVED_PREFIX)) {
      this.error(this.at(streamPath, 'value', component), `${name} reads stream '${input.stream}', but stream ids starting with '${RESERVED_PREFIX}' belong to Storm`, 'read a stream the source component declares', component.id);
      return;
    }
    const duplicate = component.inputs.findIndex((other) => other.source === input.source && other.stream === input.stream);
    if (duplicate < index) {
      this.error(this.at(path, 'value', component), `${name} reads stream ${streamName} twice`, 'Storm keeps one grouping per stream and subscriber; remove one of these inputs', component.id);
      return;
    }
    if (!source) {
      const ids = this.spec.components.map((c) => c.id);
      this.error(this.at([...path, 'source'], 'value', component), `${name} reads from '${input.source}', which is not a component of this topology`, suggestion(input.source, ids, 'the components are'), component.id);
      return;
    }
    const fields = input.grouping.fields ?? [];
    if (input.grouping.type === 'fields' && fields.length === 0) {
      this.error(this.at([...path, 'grouping'], 'value', component), `the fields grouping of ${name} lists no fields`, 'name at least one field, or use `grouping: global` to send every tuple to one task', component.id);
    }
    if (!this.options.outputsKnown || !source.outputs) return;
    const declared = Object.keys(source.outputs);
    const stream = source.outputs[input.stream];
    if (!stream) {
      const hint = declared.length
        ? `${suggestion(input.stream, declared, `'${source.id}' declares`)}; streams are declared in \`static outputs\` of ${source.script}`
        : `'${source.id}' declares no streams: add \`static outputs = { default: ['field'] }\` to the class in ${source.script}`;
      this.error(this.at(streamPath, 'value', component), `${name} reads stream '${input.stream}' of '${source.id}', which '${source.id}' does not declare`, hint, component.id);
      return;
    }
    fields.forEach((field, fieldIndex) => {
      if (stream.fields.includes(field)) return;
      const best = closestMatch(field, stream.fields);
      const known = stream.fields.length ? `fields: ${stream.fields.join(', ')}` : 'it declares no fields';
      this.error(
        this.at([...path, 'grouping', 'fields', fieldIndex], 'value', component),
        `the fields grouping of ${name} uses '${field}', which stream ${streamName} does not declare`,
        best ? `did you mean '${best}'? (${known})` : `${known}; declare the field in \`static outputs\` of ${source.script}`,
        component.id,
      );
    });
    const isDirect = input.grouping.type === 'direct';
    if (isDirect && !stream.direct) {
      this.error(this.at([...path, 'grouping'], 'value', component), `${name} uses a direct grouping on stream ${streamName}, which is not declared direct`, `declare it as \`${input.stream}: { fields: [...], direct: true }\` in \`static outputs\` of ${source.script}, or use another grouping`, component.id);
    }
    if (!isDirect && stream.direct) {
      this.error(this.at([...path, 'grouping'], 'value', component), `${name} uses a ${input.grouping.type} grouping on stream ${streamName}, which is declared direct`, 'use `grouping: direct`: tuples on a direct stream go to the task the emitter picks', component.id);
    }
  }

  /** Storm accepts cycles; a cycle is still worth a warning (tuple trees may never end). */
  private cycles(): void {
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const reported = new Set<string>();
    const visit = (component: ComponentSpec): void => {
      state.set(component.id, 'visiting');
      stack.push(component.id);
      component.inputs.forEach((input, index) => {
        const source = this.byId.get(input.source);
        if (!source) return;
        if (state.get(source.id) === 'visiting') {
          const loop = [...stack.slice(stack.indexOf(source.id)), source.id];
          const key = [...loop].sort().join(' ');
          if (reported.has(key)) return;
          reported.add(key);
          const path = [...this.inputPath(component, index), 'source'];
          // Inputs point upstream, so the data flows against the order we walked.
          this.warning(this.at(path, 'value', component), `bolt '${component.id}' is part of a cycle: ${loop.reverse().join(' → ')}`, 'cycles are legal in Storm, but tuple trees can grow without end; make sure something stops them', component.id);
        } else if (!state.has(source.id)) {
          visit(source);
        }
      });
      stack.pop();
      state.set(component.id, 'done');
    };
    for (const component of this.byId.values()) if (!state.has(component.id)) visit(component);
  }

  private pathOf(component: ComponentSpec): YamlPath {
    return [`${component.kind}s`, component.id];
  }

  /** Where the model's `index`-th input of a component is in the file (refused inputs are not in the model). */
  private inputPath(component: ComponentSpec, index: number): YamlPath {
    const path = this.pathOf(component);
    return [...path, 'inputs', this.locations?.inputIndex(path, index) ?? index];
  }

  /** True when parsing already reported a problem at `path` (or the mapping holding it). */
  private damaged(path: YamlPath): boolean {
    return this.locations?.isDamaged(path) ?? false;
  }

  private at(path: YamlPath, which: 'key' | 'value', component?: ComponentSpec): SourceLocation {
    const found = which === 'key' ? this.locations?.key(path) : this.locations?.value(path);
    return found ?? this.locations?.key(path.slice(0, 2)) ?? component?.location ?? { file: this.file, line: this.locations ? 1 : 0, column: this.locations ? 1 : 0 };
  }

  private error(at: SourceLocation, message: string, hint: string, component?: string): void {
    this.diagnostics.push(diagnosticAt('error', at, message, hint, component));
  }

  private warning(at: SourceLocation, message: string, hint: string, component?: string): void {
    this.diagnostics.push(diagnosticAt('warning', at, message, hint, component));
  }
}
