import { SquallError } from '../common/errors.js';
import type { ComponentKind, OutputDeclaration } from '../common/topology/model.js';
import { Bolt, Spout, type ComponentClass } from './component.js';
import { normaliseOutputs } from './output-declaration.js';

/** What the toolkit learns from a component class without running it. */
export interface ComponentDescription {
  kind: ComponentKind;
  outputs: OutputDeclaration;
  config: Record<string, unknown>;
}

/** True when a value is a class extending Spout or Bolt. */
export function isComponentClass(value: unknown): value is ComponentClass {
  return typeof value === 'function' && (value.prototype instanceof Spout || value.prototype instanceof Bolt);
}

/**
 * Picks the component class of a module: its default export, or else its only named export
 * that extends Spout or Bolt. Throws a SquallError naming the script otherwise.
 */
export function pickComponentClass(namespace: Record<string, unknown>, script: string): ComponentClass {
  if (isComponentClass(namespace.default)) return namespace.default;
  const named = Object.entries(namespace).filter(([name, value]) => name !== 'default' && isComponentClass(value));
  if (named.length === 1) return named[0]![1] as ComponentClass;
  if (named.length > 1) {
    throw new SquallError(
      'component',
      `${script} exports several components (${named.map(([n]) => n).join(', ')}) and no default one`,
      { file: script },
      'export the component of this file as default: `export default class X extends Bolt`',
    );
  }
  const hasDefault = 'default' in namespace && namespace.default !== undefined;
  throw new SquallError(
    'component',
    hasDefault
      ? `the default export of ${script} is not a Spout or Bolt subclass`
      : `${script} exports no Spout or Bolt subclass`,
    { file: script },
    "export the class as default: `import { Bolt } from 'squall'; export default class X extends Bolt { ... }`",
  );
}

/**
 * Kind, output streams (from `static outputs`) and config (from `static config`) of a class.
 * `where` (the script, the component id) is named when `static outputs` has a wrong shape.
 */
export function describeComponentClass(cls: ComponentClass, where: { script?: string; component?: string } = {}): ComponentDescription {
  return {
    kind: cls.prototype instanceof Spout ? 'spout' : 'bolt',
    outputs: normaliseOutputs(cls.outputs, { className: cls.name || undefined, ...where }),
    config: { ...(cls.config ?? {}) },
  };
}
