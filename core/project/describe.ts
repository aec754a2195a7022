/**
 * The resolved topology as people and programs read it: `squall describe` prints
 * formatTopology(); `--json` prints topologyJson(). Reused by `describe x.jar`.
 */
import type { ComponentSpec, Grouping, TopologySpec } from '../common/topology/model.js';

/** Version tag of the JSON form; bumped only on incompatible changes. */
export const TOPOLOGY_JSON_SCHEMA = 'squall.topology/1';

/** One component in the JSON form. */
export interface ComponentJson {
  id: string;
  kind: 'spout' | 'bolt';
  script: string;
  parallelism: number;
  /** Equal to parallelism unless the file sets `tasks`. */
  tasks: number;
  /** Merged class-level and file config. */
  config: Record<string, unknown>;
  /** Output streams read from the class; null when the classes were not loaded. */
  streams: Record<string, { fields: string[]; direct: boolean }> | null;
  inputs: Array<{ source: string; stream: string; grouping: { type: Grouping['type']; fields?: string[] } }>;
}

/** The JSON form of `squall describe --json`: stable key order, plain data. */
export interface TopologyJson {
  schema: typeof TOPOLOGY_JSON_SCHEMA;
  name: string;
  file: string | null;
  node: string | null;
  config: Record<string, unknown>;
  spouts: ComponentJson[];
  bolts: ComponentJson[];
}

/** Builds the JSON form (spouts then bolts, each in file order). */
export function topologyJson(spec: TopologySpec): TopologyJson {
  return {
    schema: TOPOLOGY_JSON_SCHEMA,
    name: spec.name,
    file: spec.file ?? null,
    node: spec.node ?? null,
    config: { ...spec.config },
    spouts: spec.components.filter((c) => c.kind === 'spout').map(componentJson),
    bolts: spec.components.filter((c) => c.kind === 'bolt').map(componentJson),
  };
}

function componentJson(component: ComponentSpec): ComponentJson {
  return {
    id: component.id,
    kind: component.kind,
    script: component.script,
    parallelism: component.parallelism,
    tasks: component.tasks ?? component.parallelism,
    config: { ...component.config },
    streams: component.outputs
      ? Object.fromEntries(Object.entries(component.outputs).map(([id, s]) => [id, { fields: [...s.fields], direct: s.direct }]))
      : null,
    inputs: component.inputs.map((input) => ({
      source: input.source,
      stream: input.stream,
      grouping: input.grouping.type === 'fields' ? { type: 'fields', fields: [...(input.grouping.fields ?? [])] } : { type: input.grouping.type },
    })),
  };
}

/** A grouping as written in the file: `shuffle`, `fields(word, lang)`. */
export function formatGrouping(grouping: Grouping): string {
  return grouping.type === 'fields' ? `fields(${(grouping.fields ?? []).join(', ')})` : grouping.type;
}

/** Human-readable description, one block per component. */
export function formatTopology(spec: TopologySpec): string {
  const lines: string[] = [];
  lines.push(`topology ${spec.name}${spec.file ? `  (${spec.file})` : ''}`);
  if (spec.node) lines.push(`  node ${spec.node}`);
  lines.push(...formatConfig(spec.config, '  '));
  for (const component of [...spec.components.filter((c) => c.kind === 'spout'), ...spec.components.filter((c) => c.kind === 'bolt')]) {
    lines.push('');
    const tasks = component.tasks !== undefined && component.tasks !== component.parallelism ? `, tasks ${component.tasks}` : '';
    lines.push(`${component.kind} ${component.id}  ${component.script}  parallelism ${component.parallelism}${tasks}`);
    for (const input of component.inputs) {
      lines.push(`  reads  ${input.source}:${input.stream}  ${formatGrouping(input.grouping)}`);
    }
    if (component.outputs) {
      const streams = Object.entries(component.outputs);
      if (streams.length === 0) lines.push('  emits  nothing (no streams declared)');
      for (const [stream, def] of streams) lines.push(`  emits  ${stream} [${def.fields.join(', ')}]${def.direct ? ' direct' : ''}`);
    } else {
      lines.push('  emits  (not read: component classes were not loaded)');
    }
    lines.push(...formatConfig(component.config, '  '));
  }
  return `${lines.join('\n')}\n`;
}

function formatConfig(config: Record<string, unknown>, indent: string): string[] {
  const entries = Object.entries(config);
  if (entries.length === 0) return [];
  return [`${indent}config`, ...entries.map(([key, value]) => `${indent}  ${key}: ${JSON.stringify(value)}`)];
}
