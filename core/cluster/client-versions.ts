/**
 * The two version fields of a StormTopology that Storm's own submitter fills in
 * (Utils.addVersions): `storm_version`, the Storm client's version, and `jdk_version`, the
 * submitting JVM's `java.version`. Nimbus picks the worker classpath for a topology by its
 * storm_version (supervisor.worker.version.classpath.map) and refuses one it cannot parse
 * (SimpleVersion: `<major>.<minor>…`); Storm UI shows it per topology. Squall is not a Storm
 * client library and runs no JVM, so it says so in jdk_version (only logged by Nimbus).
 */
import { SquallError } from '../common/errors.js';
import type { ClusterSummary } from './thrift/storm-types.js';

/** What Nimbus's SimpleVersion accepts: `2.4.0`, `2.4.0-SNAPSHOT`, `1_2`. */
const STORM_VERSION = /^\d+[._-]+\d+/;

/** A Storm version Nimbus can parse, or a usage error naming where it came from. */
export function checkStormVersion(version: string, from: string): string {
  const trimmed = version.trim();
  if (STORM_VERSION.test(trimmed)) return trimmed;
  throw new SquallError('usage', `${from} '${version}' is not a Storm version`, {}, 'give the Storm version of the cluster, e.g. 2.4.0 (Nimbus refuses versions it cannot read as <major>.<minor>)');
}

/**
 * The cluster's Storm version as Nimbus reports it (the leader's, else any Nimbus's, else a
 * supervisor's); undefined when none reports a version Nimbus could parse.
 */
export function clusterStormVersion(cluster: ClusterSummary): string | undefined {
  const nimbuses = [...cluster.nimbuses].sort((a, b) => Number(b.isLeader) - Number(a.isLeader));
  const candidates = [...nimbuses.map((n) => n.version), ...cluster.supervisors.map((s) => s.version)];
  return candidates.find((version): version is string => typeof version === 'string' && STORM_VERSION.test(version));
}

/** The jdk_version Squall sends: no JVM submitted this topology, and what did. */
export function jdkVersionField(squallVersion: string, nodeVersion: string = process.version): string {
  return `none (not a JVM client: squall ${squallVersion} on Node.js ${nodeVersion})`;
}
