import { TICK_STREAM, HEARTBEAT_STREAM, SYSTEM_COMPONENT } from '../common/multilang/messages.js';

/** A tuple received by a bolt: its values plus where it came from. */
export class Tuple {
  constructor(
    /** Storm's tuple id (a 64-bit number kept as a string). */
    readonly id: string,
    /** Id of the component that emitted it. */
    readonly component: string,
    readonly stream: string,
    /** Task id of the emitting task (-1 for system tuples). */
    readonly task: number,
    readonly values: unknown[],
    /** Field names of (component, stream), when the topology declares them. */
    readonly fields: readonly string[] = [],
  ) {}

  /** True for a tick tuple (stream `__tick` from `__system`). */
  get isTick(): boolean {
    return this.stream === TICK_STREAM && this.component === SYSTEM_COMPONENT;
  }

  /** True for Storm's shell heartbeat (never delivered to user code). */
  get isHeartbeat(): boolean {
    return this.stream === HEARTBEAT_STREAM;
  }

  /** The value of a field by name; throws a clear error for an unknown field. */
  get(field: string): unknown {
    const index = this.fields.indexOf(field);
    if (index === -1) {
      const known = this.fields.length ? this.fields.join(', ') : 'none declared';
      throw new Error(`tuple from ${this.component}:${this.stream} has no field '${field}' (fields: ${known})`);
    }
    return this.values[index];
  }

  getString(field: string): string {
    return String(this.get(field));
  }

  getNumber(field: string): number {
    return Number(this.get(field));
  }

  /** Values by field name. */
  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.fields.forEach((f, i) => (out[f] = this.values[i]));
    return out;
  }
}
