/**
 * Task ids and the handshake context, computed the way Storm computes them, so a shell
 * component sees the same `taskid`, `task->component` and groupings under `squall run` as
 * inside a Storm worker.
 *
 * Storm (StormCommon.stormTaskInfo) numbers tasks over the *system* topology: components
 * sorted by id (Java String order = UTF-16 code units, so `__acker` sorts after upper-case
 * and before lower-case ids), ids from 1, `topology.tasks` tasks per component. `__system`
 * has no task of its own; its tuples (ticks) carry task -1.
 */
import type { TopologySpec } from '../topology/model.js';
import type { HandshakeContext, WireGrouping } from '../multilang/messages.js';
import { systemTopology, type SystemComponent, type SystemTopologyOptions } from './system-topology.js';

/** Which component each task runs, and each component's tasks (ascending). */
export interface TaskLayout {
  taskToComponent: Map<number, string>;
  componentTasks: Map<string, number[]>;
}

/** Java's natural String order (UTF-16 code units), which is also JS's default sort order. */
function javaStringCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Assigns task ids as Storm does: components sorted by id, ids from 1, `__acker` included. */
export function assignTasks(spec: TopologySpec, options: SystemTopologyOptions = {}): TaskLayout {
  return layoutOf(systemTopology(spec, options));
}

function layoutOf(components: SystemComponent[]): TaskLayout {
  const taskToComponent = new Map<number, string>();
  const componentTasks = new Map<string, number[]>();
  let next = 1;
  for (const component of [...components].sort((a, b) => javaStringCompare(a.id, b.id))) {
    const tasks: number[] = [];
    for (let i = 0; i < component.tasks; i++) {
      taskToComponent.set(next, component.id);
      tasks.push(next++);
    }
    componentTasks.set(component.id, tasks);
  }
  return { taskToComponent, componentTasks };
}

/**
 * The handshake `context` for one task, as TopologyContext.toJSONString builds it: this
 * component's streams (system streams included) and output fields, who consumes each stream
 * and how, what it subscribes to and the fields of every stream of each source.
 * Storm writes these maps from HashMaps (no defined order); here keys come sorted.
 */
export function handshakeContext(spec: TopologySpec, layout: TaskLayout, taskId: number): HandshakeContext {
  const componentId = layout.taskToComponent.get(taskId);
  if (componentId === undefined) throw new RangeError(`task ${taskId} does not exist in topology '${spec.name}'`);
  const components = systemTopology(spec);
  const byId = new Map(components.map((c) => [c.id, c]));
  const self = byId.get(componentId)!;

  const taskToComponent: Record<string, string> = {};
  for (const [task, component] of [...layout.taskToComponent].sort(([a], [b]) => a - b)) taskToComponent[String(task)] = component;

  const streams = Object.keys(self.streams).sort(javaStringCompare);
  const outputFields: Record<string, string[]> = {};
  for (const stream of streams) outputFields[stream] = [...self.streams[stream]!.fields];

  const targets: Record<string, Record<string, WireGrouping>> = {};
  for (const other of [...components].sort((a, b) => javaStringCompare(a.id, b.id))) {
    for (const input of other.inputs) {
      if (input.source !== componentId) continue;
      (targets[input.stream] ??= {})[other.id] = copyGrouping(input.grouping);
    }
  }

  const sources: Record<string, Record<string, WireGrouping>> = {};
  const sourceFields: Record<string, Record<string, string[]>> = {};
  for (const input of self.inputs) {
    (sources[input.source] ??= {})[input.stream] = copyGrouping(input.grouping);
    const source = byId.get(input.source);
    if (!source || sourceFields[input.source]) continue;
    // getThisInputFields lists every stream of each source, not only the subscribed ones.
    const fieldsOfSource: Record<string, string[]> = {};
    for (const stream of Object.keys(source.streams).sort(javaStringCompare)) fieldsOfSource[stream] = [...source.streams[stream]!.fields];
    sourceFields[input.source] = fieldsOfSource;
  }

  return {
    taskid: taskId,
    componentid: componentId,
    'task->component': taskToComponent,
    streams,
    'stream->outputfields': outputFields,
    'stream->target->grouping': sortKeys(targets),
    'source->stream->grouping': sortKeys(sources),
    'source->stream->fields': sortKeys(sourceFields),
  };
}

function copyGrouping(grouping: WireGrouping): WireGrouping {
  return grouping.fields ? { type: grouping.type, fields: [...grouping.fields] } : { type: grouping.type };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const sorted: Record<string, T> = {};
  for (const key of Object.keys(record).sort(javaStringCompare)) sorted[key] = record[key]!;
  return sorted;
}
