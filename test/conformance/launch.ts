import path from 'node:path';
import { bundleLauncher } from '../../core/build/bundle.js';
import { StormHost, type HostOptions } from './storm-host.js';

const root = path.resolve(import.meta.dirname, '../..');
/** The fixture topology every conformance test launches components from. */
export const FIXTURE_TOPOLOGY = path.join(import.meta.dirname, 'fixtures', 'topology.yaml');

/** Starts `node bin/squall.mjs launch <fixture topology> <component>` under a StormHost. */
export function launchWithCli(component: string, options: HostOptions = {}): StormHost {
  return new StormHost([process.execPath, path.join(root, 'bin', 'squall.mjs'), 'launch', FIXTURE_TOPOLOGY, component], { cwd: root, ...options });
}

/** Bundles the component's launcher and starts `node <bundle>` under a StormHost (how Storm runs it). */
export async function launchBundle(component: string, script: string, options: HostOptions = {}): Promise<StormHost> {
  const { file } = await bundleLauncher({ script: path.join(import.meta.dirname, 'fixtures', 'components', script), componentId: component });
  return new StormHost([process.execPath, file], options);
}
