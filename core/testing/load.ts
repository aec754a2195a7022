/**
 * Loads a topology for the in-process harness: the YAML is parsed and checked by the project
 * loader, but component classes are imported into this process (no child process), and their
 * `static outputs` / `static config` fill in the model.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SquallError } from '../common/errors.js';
import { hasErrors, TopologyError } from '../common/topology/diagnostics.js';
import { locationsOf } from '../common/topology/locations.js';
import type { TopologySpec } from '../common/topology/model.js';
import { validateTopology } from '../common/topology/validate.js';
import { describeComponentClass, pickComponentClass, type ComponentClass } from '../component/runtime.js';
import { loadTopologyFile } from '../project/load.js';

/** A topology ready to run in-process: the model and each component's class. */
export interface LoadedTopology {
  spec: TopologySpec;
  classes: Map<string, ComponentClass>;
}

/** Reads a topology file and imports its component classes into this process. */
export async function loadTopologyInProcess(file: string): Promise<LoadedTopology> {
  const spec = await loadTopologyFile(file, { introspect: false });
  const classes = new Map<string, ComponentClass>();
  const folder = path.dirname(spec.file ?? path.resolve(file));
  for (const component of spec.components) {
    const script = path.resolve(folder, component.script);
    let namespace: Record<string, unknown>;
    try {
      namespace = (await import(pathToFileURL(script).href)) as Record<string, unknown>;
    } catch (error) {
      const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new SquallError('component', `cannot import the module of '${component.id}': ${why}`, { file: script, component: component.id }, `the module throws while it is imported: fix it there (\`squall validate ${file}\` checks every component module)`);
    }
    classes.set(component.id, pickComponentClass(namespace, component.script));
  }
  return { spec: resolveWithClasses(spec, classes), classes };
}

/**
 * Fills `outputs` and class-level config from the classes (the YAML's config wins), then
 * validates the result with outputs known (fields groupings on undeclared fields, …).
 */
export function resolveWithClasses(spec: TopologySpec, classes: ReadonlyMap<string, ComponentClass>): TopologySpec {
  const resolved: TopologySpec = { ...spec, components: spec.components.map((c) => ({ ...c, config: { ...c.config }, inputs: [...c.inputs] })) };
  let outputsKnown = true;
  for (const component of resolved.components) {
    const cls = classes.get(component.id);
    if (!cls) {
      if (!component.outputs) outputsKnown = false;
      continue;
    }
    const description = describeComponentClass(cls, { script: component.script || undefined, component: component.id });
    if (description.kind !== component.kind) {
      throw new SquallError('topology', `'${component.id}' is a ${component.kind} in the topology but its class is a ${description.kind}`, { component: component.id, file: component.location?.file, line: component.location?.line }, `make the class extend ${component.kind === 'spout' ? 'Spout' : 'Bolt'}, or move the component`);
    }
    component.outputs = component.outputs ?? description.outputs;
    // A class given directly needs no module path.
    if (!component.script) component.script = `(class ${cls.name})`;
    component.config = { ...description.config, ...component.config };
  }
  const locations = locationsOf(spec);
  const diagnostics = validateTopology(resolved, locations ? { outputsKnown, locations } : { outputsKnown });
  if (hasErrors(diagnostics)) throw new TopologyError(diagnostics);
  return resolved;
}
