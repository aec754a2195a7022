/**
 * runSimpleTopology: the quickest test of a chain of components (what Petrel's mock offered).
 * The first element is a spout class or a list of input tuples; every following bolt receives
 * everything the previous component emitted on its default stream. Returns, per element, the
 * values it emitted.
 */
import { Spout } from '../component/index.js';
import { describeComponentClass, type ComponentClass } from '../component/runtime.js';
import type { ComponentSpec, TopologySpec } from '../common/topology/model.js';
import { SquallError } from '../common/errors.js';
import { runTopology } from './run-topology.js';
import type { TopologyRunResult } from './result.js';

/** Options of runSimpleTopology. */
export interface SimpleTopologyOptions {
  /** Topology config given to every component (e.g. tick frequency). */
  config?: Record<string, unknown>;
  /** Field names of input tuples given as values (default `value`, or `v0, v1, …`). */
  fields?: string[];
  /** With a spout class: how many times nextTuple is called at most (default 100). */
  maxSpoutCalls?: number;
  seed?: number;
}

/** What each element of the chain emitted on its default stream, plus the full run. */
export interface SimpleTopologyResult {
  emitted: unknown[][][];
  run: TopologyRunResult;
}

/** Runs a linear chain: [spout class | input tuples, bolt class, bolt class, …]. */
export async function runSimpleTopology(chain: [ComponentClass | unknown[][], ...ComponentClass[]], options: SimpleTopologyOptions = {}): Promise<SimpleTopologyResult> {
  const [head, ...bolts] = chain;
  const components: Record<string, ComponentClass> = {};
  const specs: ComponentSpec[] = [];
  const used = new Set<string>();
  const idFor = (cls: ComponentClass | undefined): string => {
    const base = cls ? cls.name.charAt(0).toLowerCase() + cls.name.slice(1) || 'component' : 'input';
    const safe = base.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^_+/, 'c');
    let id = safe;
    for (let n = 2; used.has(id); n++) id = `${safe}${n}`;
    used.add(id);
    return id;
  };

  let spoutTuples: Record<string, unknown[][]> | undefined;
  if (Array.isArray(head)) {
    const id = idFor(undefined);
    const width = head[0]?.length ?? 1;
    const fields = options.fields ?? (width === 1 ? ['value'] : Array.from({ length: width }, (_, i) => `v${i}`));
    specs.push({ id, kind: 'spout', script: '(input tuples)', parallelism: 1, inputs: [], config: {}, outputs: { default: { fields, direct: false } } });
    spoutTuples = { [id]: head };
  } else {
    if (!(head.prototype instanceof Spout)) throw new SquallError('usage', `the first element of the chain (${head.name}) is not a Spout`, {}, 'start the chain with a Spout class or with a list of input tuples');
    const id = idFor(head);
    components[id] = limitCalls(head, options.maxSpoutCalls ?? 100);
    specs.push({ id, kind: 'spout', script: `(class ${head.name})`, parallelism: 1, inputs: [], config: {}, outputs: describeComponentClass(head, { component: id }).outputs });
  }
  for (const bolt of bolts) {
    const id = idFor(bolt);
    components[id] = bolt;
    specs.push({ id, kind: 'bolt', script: `(class ${bolt.name})`, parallelism: 1, inputs: [{ source: specs.at(-1)!.id, stream: 'default', grouping: { type: 'shuffle' } }], config: {} });
  }
  const spec: TopologySpec = { name: 'simple', config: { ...(options.config ?? {}) }, components: specs };
  const run = await runTopology(spec, { components, spoutTuples, seed: options.seed });
  return { emitted: specs.map((s) => run.values(s.id)), run };
}

/** The same spout, answering at most `max` nextTuple calls (so an endless spout ends). */
function limitCalls(cls: ComponentClass, max: number): ComponentClass {
  const Base = cls as unknown as new () => Spout;
  const original = Base.prototype.nextTuple;
  class Limited extends Base {
    private calls = 0;
    override nextTuple(): void | Promise<void> {
      if (this.calls >= max) return;
      this.calls++;
      return original.call(this);
    }
  }
  Object.assign(Limited, { outputs: cls.outputs, config: cls.config });
  Object.defineProperty(Limited, 'name', { value: cls.name });
  return Limited as unknown as ComponentClass;
}
