/**
 * Variable references: small numbers the UI passes back to expand a value. Each stands for a
 * CDP object of one paused task and dies when that task resumes (V8 frees the objects then).
 */

/** What a reference points at. */
export interface VariableHandle {
  task: number;
  objectId: string;
}

/** The references of a session. */
export class VariableStore {
  private next = 1;
  private readonly handles = new Map<number, VariableHandle>();

  /** A new reference to an object of a task. */
  add(task: number, objectId: string): number {
    const reference = this.next++;
    this.handles.set(reference, { task, objectId });
    return reference;
  }

  get(reference: number): VariableHandle | undefined {
    return this.handles.get(reference);
  }

  /** Forgets every reference of a task (it resumed, or went away). */
  releaseTask(task: number): void {
    for (const [reference, handle] of this.handles) if (handle.task === task) this.handles.delete(reference);
  }
}
