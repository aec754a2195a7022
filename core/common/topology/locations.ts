/**
 * Where each key and value of a topology file was written, so validation (which sees only
 * the model) can point at the exact line and column.
 */
import type { SourceLocation, TopologySpec } from './model.js';

/** A path into the file: `['bolts', 'split', 'inputs', 0, 'source']`. */
export type YamlPath = ReadonlyArray<string | number>;

/**
 * Key and value locations of every node parseTopology saw; which parts it refused (so
 * validation, which still runs on the rest, does not report their absence a second time); and
 * which input of the file each input of the model is (refused inputs are left out of the model).
 */
export class SourceLocations {
  private readonly values = new Map<string, SourceLocation>();
  private readonly keys = new Map<string, SourceLocation>();
  private readonly damaged = new Set<string>();
  private readonly inputIndexes = new Map<string, number[]>();

  constructor(readonly file: string) {}

  setValue(path: YamlPath, at: SourceLocation): void {
    this.values.set(JSON.stringify(path), at);
  }

  setKey(path: YamlPath, at: SourceLocation): void {
    this.keys.set(JSON.stringify(path), at);
  }

  /** Where the value at `path` starts (falls back to its key). */
  value(path: YamlPath): SourceLocation | undefined {
    const id = JSON.stringify(path);
    return this.values.get(id) ?? this.keys.get(id);
  }

  /** Where the key at `path` is written (falls back to its value). */
  key(path: YamlPath): SourceLocation | undefined {
    const id = JSON.stringify(path);
    return this.keys.get(id) ?? this.values.get(id);
  }

  /** Parsing reported an error at `path` (a value of the wrong shape, or a mapping with a bad key). */
  setDamaged(path: YamlPath): void {
    this.damaged.add(JSON.stringify(path));
  }

  /** True when parsing reported an error at `path` or at a mapping holding it: what is missing there may only be misspelt. */
  isDamaged(path: YamlPath): boolean {
    for (let length = 0; length <= path.length; length++) {
      if (this.damaged.has(JSON.stringify(path.slice(0, length)))) return true;
    }
    return false;
  }

  /** The file's index of each input the model kept for the component at `path`. */
  setInputIndexes(path: YamlPath, indexes: number[]): void {
    this.inputIndexes.set(JSON.stringify(path), indexes);
  }

  /** The file's index of the model's `index`-th input of the component at `path`. */
  inputIndex(path: YamlPath, index: number): number {
    return this.inputIndexes.get(JSON.stringify(path))?.[index] ?? index;
  }
}

// A side table rather than a field of the model: the model stays plain JSON (describe --json,
// IPC to the workbench) while anyone holding the parsed spec can still find its locations.
const locationsBySpec = new WeakMap<TopologySpec, SourceLocations>();

/** Remembers where the parts of `spec` were written. */
export function rememberLocations(spec: TopologySpec, locations: SourceLocations): void {
  locationsBySpec.set(spec, locations);
}

/** Locations recorded by parseTopology for this very spec object, if any. */
export function locationsOf(spec: TopologySpec): SourceLocations | undefined {
  return locationsBySpec.get(spec);
}
