/**
 * What a Storm host refuses in an emit before routing it, checked the same way by the local
 * engine (both modes) and the test harness: a stream the component does not declare (Storm's
 * "Unknown stream ID"), and a tuple whose value count differs from the stream's declared fields
 * (LocalCluster's TupleImpl sanity check: "Tuple created with wrong number of fields"). On a real
 * cluster the second goes unchecked and a bolt reading a missing field gets garbage; locally it
 * is refused so the bug shows where it is made.
 */
import { SquallError } from '../errors.js';
import type { ComponentSpec } from '../topology/model.js';

/** An emit the host refuses, with what the user must change. */
export class EmitRefused extends SquallError {
  constructor(
    message: string,
    where: { component: string; task?: number },
    hint: string,
    /** The values of the refused emit. */
    readonly values: readonly unknown[],
  ) {
    super('component', message, where, hint);
    this.name = 'EmitRefused';
  }
}

/**
 * Checks one emit against the component's declared outputs; throws EmitRefused. A component
 * whose outputs are unknown (not introspected) is not checked.
 */
export function checkEmit(component: ComponentSpec, task: number | undefined, stream: string, values: readonly unknown[]): void {
  const outputs = component.outputs;
  if (!outputs) return;
  const where = task === undefined ? { component: component.id } : { component: component.id, task };
  const declared = outputs[stream];
  if (!declared) {
    const streams = Object.keys(outputs);
    throw new EmitRefused(
      `Unknown stream ID: '${component.id}' emitted on stream '${stream}', which it does not declare (declared: ${streams.length ? streams.map((s) => `'${s}'`).join(', ') : 'none'}); values ${preview(values)}`,
      where,
      `declare the stream on the class: static outputs = { ${JSON.stringify(stream)}: [...] }, or emit on a declared one`,
      values,
    );
  }
  if (values.length !== declared.fields.length) {
    const fields = declared.fields;
    throw new EmitRefused(
      `'${component.id}' emitted ${values.length} value${values.length === 1 ? '' : 's'} on stream '${stream}', which declares ${fields.length} field${fields.length === 1 ? '' : 's'} (${fields.join(', ') || 'none'}): ${preview(values)} — Storm's LocalCluster refuses it ("Tuple created with wrong number of fields. Expected ${fields.length} fields but got ${values.length} fields")`,
      where,
      `emit one value per declared field, in order: [${fields.join(', ')}]`,
      values,
    );
  }
}

function preview(values: readonly unknown[]): string {
  let text: string;
  try {
    text = JSON.stringify(values) ?? String(values);
  } catch {
    text = String(values);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
