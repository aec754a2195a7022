/**
 * Cluster profiles (streamparse's config.json idea): `squall.yaml` or `.squall/clusters.yaml`
 * beside the topology (or in the current folder) names environments with their Nimbus, UI
 * and logviewer addresses and default topology options; `-e <env>` picks one.
 *
 * ```yaml
 * default: prod
 * environments:
 *   prod:
 *     nimbus: nimbus.example.com:6627
 *     ui: http://nimbus.example.com:8080
 *     logviewer: http://{host}:8000
 *     options: { topology.workers: 4 }
 * ```
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { SquallError } from '../common/errors.js';
import { ALIAS_EXPANSION_HINT, aliasExpansionOffset, isAliasExpansionError, MAX_YAML_ALIAS_EXPANSIONS } from '../common/topology/yaml-limits.js';
import { parseNimbusAddress, type NimbusAddress } from './nimbus-address.js';

/** Where profiles are looked for, in each candidate folder. */
export const PROFILE_FILES = ['squall.yaml', path.join('.squall', 'clusters.yaml')];

/** One named environment. */
export interface ClusterEnvironment {
  name: string;
  nimbus?: string;
  ui?: string;
  logviewer?: string;
  /** Topology config applied at submit, under the command line's `-o`. */
  options: Record<string, unknown>;
  /** storm_version sent with a submitted topology (default: what Nimbus reports). */
  stormVersion?: string;
}

/** A profile file. */
export interface ClusterProfile {
  file: string;
  defaultEnvironment?: string;
  environments: Map<string, ClusterEnvironment>;
}

/** Addresses and options after flags, environment and defaults are combined. */
export interface ResolvedCluster {
  nimbus?: NimbusAddress;
  ui?: string;
  logviewer?: string;
  options: Record<string, unknown>;
  /** The environment's `storm_version`, if it sets one. */
  stormVersion?: string;
  /** The environment used, if any (for messages). */
  environment?: string;
  profile?: string;
}

/** Finds and reads the first profile in `folders` (in order); undefined when none exists. */
export async function findClusterProfile(folders: readonly string[]): Promise<ClusterProfile | undefined> {
  for (const folder of folders) {
    for (const name of PROFILE_FILES) {
      const file = path.resolve(folder, name);
      if (existsSync(file)) return readClusterProfile(file);
    }
  }
  return undefined;
}

/** Reads one profile file. */
export async function readClusterProfile(file: string): Promise<ClusterProfile> {
  const data = parseProfile(await readFile(file, 'utf8'), file);
  const root = (data ?? {}) as Record<string, unknown>;
  const envs = (root.environments ?? root.envs) as Record<string, unknown> | undefined;
  if (!envs || !isMapping(envs)) {
    throw new SquallError('usage', 'the cluster profile has no `environments:` map', { file }, 'add environments: { <name>: { nimbus: host:6627, ui: http://host:8080 } }');
  }
  const environments = new Map<string, ClusterEnvironment>();
  for (const [name, raw] of Object.entries(envs)) {
    if (!isMapping(raw ?? {})) {
      throw new SquallError('usage', `environment '${name}' must be a mapping of nimbus, ui, logviewer and options`, { file }, `e.g. ${name}: { nimbus: host:6627, ui: http://host:8080 }`);
    }
    const env = (raw ?? {}) as Record<string, unknown>;
    for (const key of ['nimbus', 'ui', 'logviewer'] as const) {
      if (env[key] !== undefined && typeof env[key] !== 'string') {
        throw new SquallError('usage', `environment '${name}': ${key} must be a string`, { file }, key === 'nimbus' ? 'e.g. nimbus: nimbus.example.com:6627' : `e.g. ${key}: http://host:${key === 'ui' ? 8080 : 8000}`);
      }
    }
    let stormVersion: string | undefined;
    if (env.storm_version !== undefined) {
      const given = typeof env.storm_version === 'number' ? String(env.storm_version) : env.storm_version;
      if (typeof given !== 'string' || !/^\d+[._-]+\d+/.test(given.trim())) {
        throw new SquallError('usage', `environment '${name}': storm_version ${JSON.stringify(env.storm_version)} is not a Storm version`, { file }, 'e.g. storm_version: "2.4.0" (quoted), the Storm version of the cluster');
      }
      stormVersion = given.trim();
    }
    if (!isMapping(env.options ?? {})) {
      throw new SquallError('usage', `environment '${name}': options must be a mapping of topology settings`, { file }, 'e.g. options: { topology.workers: 4 }');
    }
    environments.set(name, {
      name,
      nimbus: env.nimbus as string | undefined,
      ui: env.ui as string | undefined,
      logviewer: env.logviewer as string | undefined,
      options: { ...((env.options ?? {}) as Record<string, unknown>) },
      stormVersion,
    });
  }
  if (root.default !== undefined && (typeof root.default !== 'string' || !environments.has(root.default))) {
    throw new SquallError('usage', `default: ${JSON.stringify(root.default)} names no environment of the cluster profile`, { file }, `known environments: ${[...environments.keys()].join(', ') || 'none'}`);
  }
  const defaultEnvironment = typeof root.default === 'string' ? root.default : environments.size === 1 ? [...environments.keys()][0] : undefined;
  return { file, defaultEnvironment, environments };
}

/** The profile's YAML as plain values; malformed YAML and alias bombs are refused with their line. */
function parseProfile(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined): { file: string; line?: number; column?: number } => {
    if (offset === undefined) return { file };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const [syntax] = doc.errors;
  if (syntax) throw new SquallError('usage', `cannot read cluster profile: ${syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, at(syntax.pos[0]), 'fix the YAML (see docs/cluster.md for the format)');
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_EXPANSIONS });
  } catch (error) {
    if (isAliasExpansionError(error)) throw new SquallError('usage', `cannot read cluster profile: a value expands YAML aliases more than ${MAX_YAML_ALIAS_EXPANSIONS} times`, at(aliasExpansionOffset(doc)), ALIAS_EXPANSION_HINT);
    throw new SquallError('usage', `cannot read cluster profile: ${(error as Error).message}`, { file }, 'fix the YAML (see docs/cluster.md for the format)');
  }
}

function isMapping(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the command line gave. */
export interface ClusterFlags {
  env?: string;
  nimbus?: string;
  ui?: string;
  logviewer?: string;
}

/**
 * Combines flags (win) with the chosen environment of the first profile found in `folders`.
 * Missing addresses stay undefined; the command that needs one says so.
 */
export async function resolveCluster(flags: ClusterFlags, folders: readonly string[]): Promise<ResolvedCluster> {
  const profile = await findClusterProfile(folders);
  let environment: ClusterEnvironment | undefined;
  if (flags.env) {
    if (!profile) {
      throw new SquallError('usage', `-e ${flags.env}: no cluster profile found`, {}, `create squall.yaml (or .squall/clusters.yaml) in ${folders.map((f) => path.resolve(f)).join(' or ')} with environments: { ${flags.env}: { nimbus: host:6627 } }`);
    }
    environment = profile.environments.get(flags.env);
    if (!environment) {
      throw new SquallError('usage', `-e ${flags.env}: no such environment in the cluster profile`, { file: profile.file }, `known environments: ${[...profile.environments.keys()].join(', ') || 'none'}`);
    }
  } else if (profile?.defaultEnvironment) {
    environment = profile.environments.get(profile.defaultEnvironment);
  }
  const nimbusText = flags.nimbus ?? environment?.nimbus;
  return {
    nimbus: nimbusText ? parseNimbusAddress(nimbusText) : undefined,
    ui: trimSlash(flags.ui ?? environment?.ui),
    logviewer: trimSlash(flags.logviewer ?? environment?.logviewer),
    options: environment?.options ?? {},
    stormVersion: environment?.stormVersion,
    environment: environment?.name,
    profile: profile?.file,
  };
}

function trimSlash(url: string | undefined): string | undefined {
  return url?.replace(/\/+$/, '');
}

/** The Nimbus address, or a usage error saying how to give one. */
export function requireNimbus(cluster: ResolvedCluster): NimbusAddress {
  if (cluster.nimbus) return cluster.nimbus;
  throw new SquallError(
    'usage',
    'no Nimbus address',
    {},
    'pass --nimbus host[:6627], or add `nimbus:` to an environment in squall.yaml and pick it with -e <env>',
  );
}

/** The Storm UI base URL, or a usage error saying how to give one. */
export function requireUi(cluster: ResolvedCluster): string {
  if (cluster.ui) return cluster.ui;
  throw new SquallError('usage', 'no Storm UI address', {}, 'pass --ui http://host:8080, or add `ui:` to an environment in squall.yaml and pick it with -e <env>');
}
