/**
 * A small schema-driven Thrift codec on top of the `thrift` runtime's TBinaryProtocol.
 * Storm's IDL is described as data (see storm-types.ts) and one writer/reader walks it,
 * so the subset of storm.thrift we speak stays a readable table of field ids and types
 * instead of a few thousand lines of generated code. Maps are ES Maps, which is what makes
 * struct keys (ComponentCommon.inputs: map<GlobalStreamId, Grouping>) possible.
 */
import type { TProtocol } from 'thrift';

/** Thrift wire type codes (TType). */
export const TType = {
  STOP: 0,
  BOOL: 2,
  BYTE: 3,
  DOUBLE: 4,
  I16: 6,
  I32: 8,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  MAP: 13,
  SET: 14,
  LIST: 15,
} as const;

/** A primitive Thrift type. `binary` is a string on the wire carried as a Buffer here. */
export type PrimitiveType = 'bool' | 'byte' | 'i16' | 'i32' | 'i64' | 'double' | 'string' | 'binary';

/** Any Thrift type this codec can write and read. */
export type TypeSpec = PrimitiveType | ListSpec | SetSpec | MapSpec | StructSchema;

/** `list<T>`: written from any iterable, read as an array. */
export interface ListSpec {
  list: TypeSpec;
}
/** `set<T>`: written from any iterable, read as an array. */
export interface SetSpec {
  set: TypeSpec;
}
/** `map<K, V>`: written from a Map or an object, read as a Map (keys may be structs). */
export interface MapSpec {
  map: readonly [TypeSpec, TypeSpec];
}

/** One field of a struct, union or exception: its id and type come from the IDL. */
export interface FieldSpec {
  id: number;
  name: string;
  type: TypeSpec;
  required?: boolean;
}

/** A struct (or union, or exception) as the IDL declares it. */
export interface StructSchema {
  struct: string;
  /** A union: exactly one field is set. */
  union?: boolean;
  fields: readonly FieldSpec[];
}

/** Raised when a value does not fit its schema (a bug on our side, never user input). */
export class ThriftCodecError extends Error {
  override name = 'ThriftCodecError';
}

const primitiveCodes: Record<PrimitiveType, number> = {
  bool: TType.BOOL,
  byte: TType.BYTE,
  i16: TType.I16,
  i32: TType.I32,
  i64: TType.I64,
  double: TType.DOUBLE,
  string: TType.STRING,
  binary: TType.STRING,
};

/** The wire type code of a type spec. */
export function typeCode(spec: TypeSpec): number {
  if (typeof spec === 'string') return primitiveCodes[spec];
  if ('list' in spec) return TType.LIST;
  if ('set' in spec) return TType.SET;
  if ('map' in spec) return TType.MAP;
  return TType.STRUCT;
}

/** Writes `value` as a struct of the given schema. */
export function writeStruct(protocol: TProtocol, schema: StructSchema, value: Record<string, unknown>): void {
  protocol.writeStructBegin(schema.struct);
  let set = 0;
  for (const field of schema.fields) {
    const fieldValue = value[field.name];
    if (fieldValue === undefined || fieldValue === null) {
      if (field.required) throw new ThriftCodecError(`${schema.struct}.${field.name} is required`);
      continue;
    }
    set++;
    protocol.writeFieldBegin(field.name, typeCode(field.type) as never, field.id);
    writeValue(protocol, field.type, fieldValue, `${schema.struct}.${field.name}`);
    protocol.writeFieldEnd();
  }
  if (schema.union && set !== 1) throw new ThriftCodecError(`union ${schema.struct} needs exactly one field set, got ${set}`);
  protocol.writeFieldStop();
  protocol.writeStructEnd();
}

function writeValue(protocol: TProtocol, spec: TypeSpec, value: unknown, path: string): void {
  if (typeof spec === 'string') {
    writePrimitive(protocol, spec, value, path);
  } else if ('list' in spec || 'set' in spec) {
    const element = 'list' in spec ? spec.list : spec.set;
    const items = [...(value as Iterable<unknown>)];
    if ('list' in spec) protocol.writeListBegin(typeCode(element) as never, items.length);
    else protocol.writeSetBegin(typeCode(element) as never, items.length);
    for (const item of items) writeValue(protocol, element, item, `${path}[]`);
    if ('list' in spec) protocol.writeListEnd();
    else protocol.writeSetEnd();
  } else if ('map' in spec) {
    const [keySpec, valueSpec] = spec.map;
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
    protocol.writeMapBegin(typeCode(keySpec) as never, typeCode(valueSpec) as never, entries.length);
    for (const [k, v] of entries) {
      writeValue(protocol, keySpec, k, `${path}{key}`);
      writeValue(protocol, valueSpec, v, `${path}{value}`);
    }
    protocol.writeMapEnd();
  } else {
    if (typeof value !== 'object' || value === null) throw new ThriftCodecError(`${path}: expected a ${spec.struct} object`);
    writeStruct(protocol, spec, value as Record<string, unknown>);
  }
}

function writePrimitive(protocol: TProtocol, spec: PrimitiveType, value: unknown, path: string): void {
  const expect = (ok: boolean, what: string): void => {
    if (!ok) throw new ThriftCodecError(`${path}: expected ${what}, got ${typeof value}`);
  };
  switch (spec) {
    case 'bool':
      expect(typeof value === 'boolean', 'a boolean');
      return protocol.writeBool(value as boolean);
    case 'byte':
    case 'i16':
    case 'i32':
    case 'i64':
      expect(typeof value === 'number' && Number.isSafeInteger(value), 'an integer');
      if (spec === 'byte') return protocol.writeByte(value as number);
      if (spec === 'i16') return protocol.writeI16(value as number);
      if (spec === 'i32') return protocol.writeI32(value as number);
      return protocol.writeI64(value as number);
    case 'double':
      expect(typeof value === 'number', 'a number');
      return protocol.writeDouble(value as number);
    case 'string':
      expect(typeof value === 'string', 'a string');
      return protocol.writeString(value as string);
    case 'binary':
      expect(Buffer.isBuffer(value) || value instanceof Uint8Array, 'a Buffer');
      return protocol.writeBinary(Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array));
  }
}

/**
 * Reads a struct of the given schema. Fields the schema does not know (newer Storm versions
 * add many) or whose wire type differs are skipped, the way generated code does.
 */
export function readStruct<T = Record<string, unknown>>(protocol: TProtocol, schema: StructSchema): T {
  const result: Record<string, unknown> = {};
  protocol.readStructBegin();
  for (;;) {
    const { ftype, fid } = protocol.readFieldBegin() as { ftype: number; fid: number };
    if (ftype === TType.STOP) break;
    const field = schema.fields.find((f) => f.id === fid);
    if (field && typeCode(field.type) === ftype) result[field.name] = readValue(protocol, field.type);
    else protocol.skip(ftype as never);
    protocol.readFieldEnd();
  }
  protocol.readStructEnd();
  for (const field of schema.fields) {
    if (field.required && result[field.name] === undefined) {
      throw new ThriftCodecError(`${schema.struct}.${field.name} is required but was not received`);
    }
  }
  return result as T;
}

function readValue(protocol: TProtocol, spec: TypeSpec): unknown {
  if (typeof spec === 'string') return readPrimitive(protocol, spec);
  if ('list' in spec || 'set' in spec) {
    const element = 'list' in spec ? spec.list : spec.set;
    const { size } = 'list' in spec ? protocol.readListBegin() : protocol.readSetBegin();
    const items: unknown[] = [];
    for (let i = 0; i < size; i++) items.push(readValue(protocol, element));
    if ('list' in spec) protocol.readListEnd();
    else protocol.readSetEnd();
    return items;
  }
  if ('map' in spec) {
    const { size } = protocol.readMapBegin();
    const map = new Map<unknown, unknown>();
    for (let i = 0; i < size; i++) {
      const key = readValue(protocol, spec.map[0]);
      map.set(key, readValue(protocol, spec.map[1]));
    }
    protocol.readMapEnd();
    return map;
  }
  return readStruct(protocol, spec);
}

function readPrimitive(protocol: TProtocol, spec: PrimitiveType): unknown {
  switch (spec) {
    case 'bool':
      return protocol.readBool();
    case 'byte':
      return protocol.readByte();
    case 'i16':
      return protocol.readI16();
    case 'i32':
      return protocol.readI32();
    case 'i64':
      return protocol.readI64().toNumber(true);
    case 'double':
      return protocol.readDouble();
    case 'string':
      return protocol.readString();
    case 'binary':
      return Buffer.from(protocol.readBinary());
  }
}
