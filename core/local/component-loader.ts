/**
 * How the engine obtains runnable code for a component: the bundled launcher (the very file a
 * Storm worker runs) for the multiprocess mode, or the component class itself for the
 * in-process mode. Both come from core/build's bundler, cached by content.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ComponentSpec } from '../common/topology/model.js';
import type { ComponentClass } from '../component/runtime.js';

/** Bundles (or reuses) the launcher of a component; returns its file. */
export async function launcherFile(component: ComponentSpec, baseDir: string): Promise<string> {
  const { bundleLauncher } = await import('../build/bundle.js');
  const { file } = await bundleLauncher({ script: path.resolve(baseDir, component.script), componentId: component.id });
  return file;
}

/** Bundles the component module alone and loads its class into this process. */
export async function componentClass(component: ComponentSpec, baseDir: string): Promise<ComponentClass> {
  const [{ bundleComponentModule }, { pickComponentClass }] = await Promise.all([import('../build/bundle.js'), import('../component/runtime.js')]);
  const { file } = await bundleComponentModule({ script: path.resolve(baseDir, component.script) });
  const namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  return pickComponentClass(namespace, component.script);
}
