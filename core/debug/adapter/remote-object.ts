/** How CDP values read in a debugger: one-line renderings and the type shown next to them. */
import type { Protocol } from 'devtools-protocol';

/** A one-line rendering of a value: `"text"`, `42`, `null`, `Array(3)`, `SplitBolt`, `ƒ process(tuple)`. */
export function renderValue(object: Protocol.Runtime.RemoteObject): string {
  switch (object.type) {
    case 'string':
      return JSON.stringify(object.value);
    case 'undefined':
      return 'undefined';
    case 'bigint':
      return object.unserializableValue ?? `${String(object.value)}n`;
    case 'number':
      return object.unserializableValue ?? String(object.value);
    case 'boolean':
      return String(object.value);
    case 'symbol':
      return object.description ?? 'Symbol()';
    case 'function':
      return `ƒ ${(object.description ?? '').split('\n')[0]!.replace(/^(async )?function\s*/, '$1').replace(/\s*\{$/, '').slice(0, 120)}`;
    case 'object':
      if (object.subtype === 'null') return 'null';
      return object.description ?? object.className ?? 'Object';
    default:
      return object.description ?? String(object.value);
  }
}

/** `string`, `number`, `object`, `array`, `map`, `null`, `function`… */
export function typeOf(object: Protocol.Runtime.RemoteObject): string {
  return object.type === 'object' && object.subtype ? object.subtype : object.type;
}

/** True when the value has children to expand. */
export function hasChildren(object: Protocol.Runtime.RemoteObject): boolean {
  return object.objectId !== undefined && (object.type === 'object' || object.type === 'function') && object.subtype !== 'null';
}

/** A JSON-safe value for primitives (undefined when the value is an object). */
export function jsonOf(object: Protocol.Runtime.RemoteObject): unknown {
  if (object.type === 'object' && object.subtype === 'null') return null;
  if (object.type === 'string' || object.type === 'boolean') return object.value;
  if (object.type === 'number') return object.unserializableValue === undefined ? object.value : object.unserializableValue;
  if (object.type === 'undefined') return null;
  return object.objectId === undefined ? object.value : undefined;
}
