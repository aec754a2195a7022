/**
 * The command-line flags every cluster command shares (`-e <env>`, `--nimbus`, `--ui`,
 * `--logviewer`) and their resolution against the cluster profile.
 */
import type { Command } from 'commander';
import path from 'node:path';
import { topologyFilePath } from '../project/load.js';
import { resolveCluster, type ClusterFlags, type ResolvedCluster } from './cluster-profile.js';

/** Which addresses a command needs. */
export type ClusterFlagName = 'nimbus' | 'ui' | 'logviewer';

/** Parsed flags as commander hands them over (the same shape resolveCluster takes). */
export type ClusterFlagValues = ClusterFlags;

/** Adds the flags to a command: `-e, --env` means the same in every cluster command. */
export function addClusterFlags(command: Command, names: readonly ClusterFlagName[]): Command {
  command.option('-e, --env <env>', 'environment of the cluster profile (squall.yaml or .squall/clusters.yaml)');
  if (names.includes('nimbus')) command.option('--nimbus <host[:port]>', 'Nimbus Thrift address (port 6627 by default)');
  if (names.includes('ui')) command.option('--ui <url>', 'Storm UI address, e.g. http://nimbus:8080');
  if (names.includes('logviewer')) command.option('--logviewer <url>', 'logviewer address, e.g. http://worker1:8000 ({host} = the worker host)');
  return command;
}

/** Resolves flags against the profile beside `topologyFile` (if any), then in the current folder. */
export async function clusterFrom(flags: ClusterFlagValues, topologyFile?: string): Promise<ResolvedCluster> {
  // A project folder given for the topology holds the profile itself, not its parent.
  const folders = topologyFile ? [path.dirname(await topologyFilePath(topologyFile)), process.cwd()] : [process.cwd()];
  return resolveCluster(flags, folders);
}
