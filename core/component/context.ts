import type { HandshakeContext } from '../common/multilang/messages.js';

/** What a task knows of its place in the topology (Storm's TopologyContext, shell view). */
export class TopologyContext {
  constructor(readonly raw: HandshakeContext) {}

  get taskId(): number {
    return this.raw.taskid;
  }

  get componentId(): string {
    return this.raw.componentid;
  }

  /** Task id → component id, for every task of the topology (includes `__acker`). */
  get taskToComponent(): Record<string, string> {
    return this.raw['task->component'];
  }

  /** Sorted task ids of a component. */
  componentTasks(componentId: string): number[] {
    return Object.entries(this.taskToComponent)
      .filter(([, c]) => c === componentId)
      .map(([t]) => Number(t))
      .sort((a, b) => a - b);
  }

  /** Index of this task among its component's tasks (0-based). */
  get taskIndex(): number {
    return this.componentTasks(this.componentId).indexOf(this.taskId);
  }

  /** Output fields of one of this component's streams. */
  outputFields(stream = 'default'): string[] {
    return this.raw['stream->outputfields']?.[stream] ?? [];
  }

  /** Fields of an input stream (source component, stream). */
  sourceFields(source: string, stream: string): string[] {
    return this.raw['source->stream->fields']?.[source]?.[stream] ?? [];
  }
}
