/**
 * Submitting without Java: package (unless given a JAR), check the name is free (or kill
 * the running topology with --force and wait until Nimbus forgot it), upload in chunks,
 * submitTopologyWithOpts with ShellComponents.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SquallError } from '../common/errors.js';
import type { TopologySpec } from '../common/topology/model.js';
import { forbiddenNameCharacter, legalTopologyName } from '../common/topology/topology-name.js';
import { cacheFolder } from '../build/bundle.js';
import { readPackageDescription } from '../package/package-description.js';
import { packageTopology } from '../package/package-topology.js';
import { topologyFilePath } from '../project/load.js';
import { formatAddress, type NimbusAddress } from './nimbus-address.js';
import { NimbusClient, type NimbusClientOptions } from './nimbus-client.js';
import { squallVersion } from '../project/version.js';
import { checkStormVersion, clusterStormVersion, jdkVersionField } from './client-versions.js';
import { topologyConf, toStormTopology } from './storm-topology.js';
import type { ClusterSummary } from './thrift/storm-types.js';

/** Progress events, in order: package → (kill) → upload % → submit. */
export type SubmitProgress =
  | { stage: 'package'; jar: string; bytes: number; warnings: string[] }
  | { stage: 'kill'; name: string; waitSecs: number }
  | { stage: 'killed'; name: string }
  | { stage: 'upload'; sent: number; total: number }
  | { stage: 'submit'; name: string; location: string; stormVersion?: string };

/** Where and how to submit. */
export interface SubmitOptions {
  nimbus: NimbusAddress;
  /** Topology name on the cluster; default the file's `name:`. */
  name?: string;
  /** Topology config overrides (profile options, then `-o`). */
  overrides?: Record<string, unknown>;
  /** Submit deactivated (spouts not called until `squall activate`). */
  inactive?: boolean;
  /** Kill a running topology of the same name first. */
  force?: boolean;
  /** wait_secs of that kill (Storm's default is 30). */
  killWaitSecs?: number;
  /** Where to write the JAR when packaging (default: the project's .squall-cache). */
  out?: string;
  onProgress?: (event: SubmitProgress) => void;
  client?: NimbusClientOptions;
  /** How often to poll Nimbus while a killed topology goes away (ms). */
  pollMs?: number;
  /**
   * The StormTopology's storm_version (Nimbus picks the worker classpath by it); default: the
   * version the cluster's Nimbus reports, else unset (Nimbus then assumes its own).
   */
  stormVersion?: string;
}

/** What was submitted: the name on the cluster, the JAR, its location on Nimbus and the topology. */
export interface SubmitResult {
  name: string;
  jar: string;
  location: string;
  spec: TopologySpec;
  /** The StormTopology's storm_version and jdk_version as sent. */
  stormVersion?: string;
  jdkVersion: string;
}

/** Submits a topology file or a JAR built by `squall package`. */
export async function submit(input: string, options: SubmitOptions): Promise<SubmitResult> {
  if (options.name !== undefined) checkTopologyName(options.name);
  const requestedVersion = options.stormVersion === undefined ? undefined : checkStormVersion(options.stormVersion, 'storm version');
  const { spec, jar } = await prepareJar(input, options);
  const name = options.name ?? spec.name;
  checkTopologyName(name);
  const conf = topologyConf(spec, name, options.overrides);
  const topology = toStormTopology(spec);
  const jarBytes = await readFile(jar);
  const client = await NimbusClient.connect(options.nimbus, options.client);
  try {
    const cluster = await client.getClusterInfo();
    await makeRoom(client, name, options, cluster);
    // What Storm's own submitter fills in (Utils.addVersions), with values true of this client.
    const stormVersion = requestedVersion ?? clusterStormVersion(cluster);
    if (stormVersion !== undefined) topology.storm_version = stormVersion;
    topology.jdk_version = jdkVersionField(await squallVersion());
    const location = await client.uploadJar(jarBytes, (sent, total) => options.onProgress?.({ stage: 'upload', sent, total }));
    options.onProgress?.({ stage: 'submit', name, location, stormVersion });
    await client.submitTopology(name, location, conf, topology, { inactive: options.inactive });
    return { name, jar, location, spec, stormVersion, jdkVersion: topology.jdk_version };
  } finally {
    client.close();
  }
}

/** Nimbus refuses names with `/ . : \\` (they become paths and ZooKeeper nodes); say so before uploading. */
export function checkTopologyName(name: string): void {
  if (!name || forbiddenNameCharacter(name)) {
    throw new SquallError('usage', `'${name}' is not a topology name Nimbus accepts: it may not be empty or contain / . : or \\`, {}, `pass --name ${legalTopologyName(name)}`);
  }
}

async function prepareJar(input: string, options: SubmitOptions): Promise<{ spec: TopologySpec; jar: string }> {
  if (input.endsWith('.jar')) {
    const description = await readPackageDescription(input);
    return { spec: description.topology, jar: path.resolve(input) };
  }
  // One JAR per topology folder in the cache, replaced by each submit.
  const file = await topologyFilePath(input);
  const out = options.out ?? path.join(cacheFolder(file), 'jars', `${path.basename(path.dirname(file))}.jar`);
  const result = await packageTopology(file, { out });
  options.onProgress?.({ stage: 'package', jar: result.jar, bytes: result.bytes, warnings: result.warnings });
  return { spec: result.spec, jar: result.jar };
}

/** Fails if the name is taken, unless --force: then kills it and waits until Nimbus lists it no more. */
async function makeRoom(client: NimbusClient, name: string, options: SubmitOptions, cluster: ClusterSummary): Promise<void> {
  const running = cluster.topologies.find((t) => t.name === name);
  if (!running) return;
  if (!options.force) {
    throw new SquallError(
      'cluster',
      `a topology named '${name}' is already on Nimbus at ${formatAddress(options.nimbus)} (status ${running.status}, id ${running.id})`,
      {},
      `pass --force to kill it and submit this one (add --wait <s> to give in-flight tuples time; Storm's default is 30 s), or choose another --name`,
    );
  }
  const waitSecs = options.killWaitSecs ?? 30;
  if (running.status !== 'KILLED') {
    options.onProgress?.({ stage: 'kill', name, waitSecs });
    await client.killTopology(name, waitSecs);
  }
  // Nimbus keeps a killed topology (status KILLED) until wait_secs pass and its workers stop.
  const deadline = Date.now() + (waitSecs + 120) * 1000;
  const pollMs = options.pollMs ?? 1000;
  for (;;) {
    const still = (await client.getClusterInfo()).topologies.some((t) => t.name === name);
    if (!still) break;
    if (Date.now() > deadline) {
      throw new SquallError('cluster', `'${name}' was killed but Nimbus still lists it after ${waitSecs + 120} s`, {}, 'check Nimbus and the supervisors (storm list / the UI), then submit again');
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  options.onProgress?.({ stage: 'killed', name });
}
