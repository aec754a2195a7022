/**
 * The TypeScript way to write a topology, for people who generate them. Produces the same
 * TopologySpec as the equivalent topology.yaml (toYaml() writes that file).
 *
 *   new TopologyBuilder('wordcount')
 *     .spout('sentences', 'components/sentences.ts')
 *     .bolt('split', 'components/split.ts', { parallelism: 2 }).shuffle('sentences')
 *     .bolt('count', 'components/count.ts', { parallelism: 2 }).fields('split', ['word'])
 *     .build();
 */
import type { ComponentSpec, Grouping, GroupingType, TopologySpec } from './model.js';
import { DEFAULT_STREAM } from './model.js';

/** Options of a spout or bolt in the builder (the keys of a component in the YAML). */
export interface ComponentOptions {
  parallelism?: number;
  tasks?: number;
  config?: Record<string, unknown>;
}

/** Builds a TopologySpec; input methods (shuffle, fields, ...) apply to the last bolt added. */
export class TopologyBuilder {
  private readonly spec: TopologySpec;
  private current?: ComponentSpec;

  constructor(name: string) {
    this.spec = { name, config: {}, components: [] };
  }

  /** Node semver range the workers must run (`node:` in the YAML). */
  node(range: string): this {
    this.spec.node = range;
    return this;
  }

  /** Topology-level Storm config; merged over what was set before. */
  config(config: Record<string, unknown>): this {
    Object.assign(this.spec.config, config);
    return this;
  }

  /** Adds a spout. */
  spout(id: string, script: string, options: ComponentOptions = {}): this {
    this.add(id, 'spout', script, options);
    this.current = undefined;
    return this;
  }

  /** Adds a bolt; follow with its inputs. */
  bolt(id: string, script: string, options: ComponentOptions = {}): this {
    this.current = this.add(id, 'bolt', script, options);
    return this;
  }

  /** Subscribes the current bolt to a stream with any grouping. */
  input(source: string, grouping: Grouping, stream: string = DEFAULT_STREAM): this {
    if (!this.current) throw new Error(`input from '${source}': add a bolt with .bolt(id, script) before its inputs`);
    const copy: Grouping = grouping.type === 'fields' ? { type: 'fields', fields: [...(grouping.fields ?? [])] } : { type: grouping.type };
    this.current.inputs.push({ source, stream, grouping: copy });
    return this;
  }

  /** Random, even distribution over the bolt's tasks. */
  shuffle(source: string, stream?: string): this {
    return this.plain('shuffle', source, stream);
  }

  /** Equal values of `fields` always go to the same task. */
  fields(source: string, fields: readonly string[], stream?: string): this {
    return this.input(source, { type: 'fields', fields: [...fields] }, stream);
  }

  /** Every task gets every tuple. */
  all(source: string, stream?: string): this {
    return this.plain('all', source, stream);
  }

  /** Every tuple goes to the task with the lowest id. */
  global(source: string, stream?: string): this {
    return this.plain('global', source, stream);
  }

  /** No preference (Storm treats it as shuffle). */
  none(source: string, stream?: string): this {
    return this.plain('none', source, stream);
  }

  /** The emitter picks the task (the stream must be declared direct). */
  direct(source: string, stream?: string): this {
    return this.plain('direct', source, stream);
  }

  /** Shuffle, preferring tasks in the same worker. */
  localOrShuffle(source: string, stream?: string): this {
    return this.plain('local_or_shuffle', source, stream);
  }

  /** The model (a fresh copy; the builder can keep going). Validate it with validateTopology. */
  build(): TopologySpec {
    return structuredClone(this.spec);
  }

  private plain(type: Exclude<GroupingType, 'fields'>, source: string, stream?: string): this {
    return this.input(source, { type }, stream);
  }

  private add(id: string, kind: ComponentSpec['kind'], script: string, options: ComponentOptions): ComponentSpec {
    const component: ComponentSpec = { id, kind, script, parallelism: options.parallelism ?? 1, inputs: [], config: { ...(options.config ?? {}) } };
    if (options.tasks !== undefined) component.tasks = options.tasks;
    this.spec.components.push(component);
    return component;
  }
}
