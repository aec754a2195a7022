/**
 * From Squall's topology model to what Nimbus's submitTopologyWithOpts takes: a
 * StormTopology of ShellComponents (workers run `node <id>.mjs` in resources/) and the
 * topology conf as JSON.
 */
import { SquallError } from '../common/errors.js';
import type { ComponentSpec, Grouping, TopologySpec } from '../common/topology/model.js';
import type { Bolt, ComponentCommon, GlobalStreamId, SpoutSpec, StormTopology, StreamInfo, ThriftGrouping } from './thrift/storm-types.js';

/** What Storm's ShellComponent runs for a component: `node <componentId>.mjs`. */
export function shellCommandFor(componentId: string): { execution_command: string; script: string } {
  return { execution_command: 'node', script: launcherFileName(componentId) };
}

/** The launcher file of a component inside resources/. */
export function launcherFileName(componentId: string): string {
  return `${componentId}.mjs`;
}

/** Storm's Grouping union for one of our groupings (global = fields with no field). */
export function thriftGrouping(grouping: Grouping): ThriftGrouping {
  switch (grouping.type) {
    case 'shuffle':
      return { shuffle: {} };
    case 'fields':
      return { fields: [...(grouping.fields ?? [])] };
    case 'global':
      return { fields: [] };
    case 'all':
      return { all: {} };
    case 'none':
      return { none: {} };
    case 'direct':
      return { direct: {} };
    case 'local_or_shuffle':
      return { local_or_shuffle: {} };
  }
}

/** Sorts object keys so the same config always serialises to the same JSON. */
export function stableJson(value: Record<string, unknown>): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function componentCommon(component: ComponentSpec): ComponentCommon {
  if (!component.outputs) {
    throw new SquallError(
      'topology',
      'its output streams are unknown (the component class was not read)',
      { component: component.id, file: component.location?.file, line: component.location?.line },
      'load the topology with introspection so `static outputs` is read from the component class',
    );
  }
  const inputs = new Map<GlobalStreamId, ThriftGrouping>();
  for (const input of component.inputs) {
    inputs.set({ componentId: input.source, streamId: input.stream }, thriftGrouping(input.grouping));
  }
  const streams = new Map<string, StreamInfo>();
  for (const stream of Object.keys(component.outputs).sort()) {
    const def = component.outputs[stream]!;
    streams.set(stream, { output_fields: [...def.fields], direct: def.direct });
  }
  // topology.tasks is how Storm's builders carry a task count different from the executors.
  const conf: Record<string, unknown> = { ...component.config };
  if (component.tasks !== undefined) conf['topology.tasks'] = component.tasks;
  return { inputs, streams, parallelism_hint: component.parallelism, json_conf: stableJson(conf) };
}

/** The StormTopology Nimbus receives: ShellComponent spouts and bolts, no state spouts. */
export function toStormTopology(spec: TopologySpec): StormTopology {
  const spouts = new Map<string, SpoutSpec>();
  const bolts = new Map<string, Bolt>();
  for (const component of spec.components) {
    const common = componentCommon(component);
    const shell = shellCommandFor(component.id);
    if (component.kind === 'spout') spouts.set(component.id, { spout_object: { shell }, common });
    else bolts.set(component.id, { bolt_object: { shell }, common });
  }
  return { spouts, bolts, state_spouts: new Map() };
}

/**
 * The topology conf submitted with the topology: the file's `config`, then the profile's and
 * command line's overrides, and `topology.name` (Nimbus and the UI read it).
 */
export function topologyConf(spec: TopologySpec, name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return sortKeys({ ...spec.config, ...overrides, 'topology.name': name }) as Record<string, unknown>;
}
