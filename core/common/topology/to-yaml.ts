/** Writes a model as a fresh topology.yaml in the canonical layout (what `squall init` writes). */
import { Document, isSeq, visit } from 'yaml';
import type { ComponentSpec, InputSpec, TopologySpec } from './model.js';
import { DEFAULT_STREAM } from './model.js';

/** The YAML text of a topology: name, node, config, spouts, bolts; defaults left out. */
export function toYaml(spec: TopologySpec): string {
  const data: Record<string, unknown> = { name: spec.name };
  if (spec.node !== undefined) data.node = spec.node;
  if (Object.keys(spec.config).length) data.config = spec.config;
  const section = (kind: ComponentSpec['kind']): Record<string, unknown> | undefined => {
    const components = spec.components.filter((c) => c.kind === kind);
    return components.length ? Object.fromEntries(components.map((c) => [c.id, componentData(c)])) : undefined;
  };
  data.spouts = section('spout') ?? {};
  const bolts = section('bolt');
  if (bolts) data.bolts = bolts;
  const doc = new Document(data);
  // Field lists read best on one line: `fields: [word, lang]`.
  visit(doc, {
    Pair(_, pair) {
      if ((pair.key as { value?: unknown } | null)?.value === 'fields' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function componentData(component: ComponentSpec): Record<string, unknown> {
  const data: Record<string, unknown> = { script: component.script, parallelism: component.parallelism };
  if (component.tasks !== undefined) data.tasks = component.tasks;
  if (component.inputs.length) data.inputs = component.inputs.map(inputData);
  if (Object.keys(component.config).length) data.config = component.config;
  return data;
}

/** One input as the file writes it: stream only when not `default`, fields as a mapping. */
export function inputData(input: InputSpec): Record<string, unknown> {
  const data: Record<string, unknown> = { source: input.source };
  if (input.stream !== DEFAULT_STREAM) data.stream = input.stream;
  data.grouping = input.grouping.type === 'fields' ? { fields: [...(input.grouping.fields ?? [])] } : input.grouping.type;
  return data;
}
