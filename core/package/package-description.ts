/**
 * `resources/squall-topology.json`: the machine-readable description inside every JAR, what
 * `squall describe x.jar` and `squall submit x.jar` read instead of the YAML and the classes.
 */
import yauzl from 'yauzl';
import { SquallError } from '../common/errors.js';
import type { ComponentKind, TopologySpec } from '../common/topology/model.js';

/** Version tag of the description; bumped only on incompatible changes. */
export const PACKAGE_SCHEMA = 'squall.package/1';

/** Its file name inside resources/. */
export const DESCRIPTION_FILE = 'squall-topology.json';

/** The description's shape. */
export interface PackageDescription {
  schema: typeof PACKAGE_SCHEMA;
  /** The Squall version that built the JAR. */
  squall: string;
  /** The Node range the launchers check on the worker. */
  node: string;
  /** The topology file's name inside resources/. */
  topologyFile: string;
  /** `setup.sh` / `setup.mjs`, or null. */
  setup: string | null;
  /** Dependencies shipped in resources/node_modules because they hold native addons. */
  natives: string[];
  components: Record<string, { kind: ComponentKind; launcher: string; bundle: string }>;
  /** The resolved topology (streams read from the classes), paths relative to its folder. */
  topology: TopologySpec;
}

/** Reads one entry of a zip into memory; undefined when absent. */
export function readJarEntry(jar: string, entryPath: string): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    // A truncated or corrupt JAR fails at open, at an entry or mid-stream: each names the JAR.
    const unreadable = (error: Error | null | undefined): void =>
      reject(new SquallError('package', `${jar} is not a readable JAR: ${error?.message ?? 'unknown error'}`, { file: jar }, 'build it again with `squall package`'));
    yauzl.open(jar, { lazyEntries: true, autoClose: true }, (openError, zip) => {
      if (openError || !zip) {
        unreadable(openError);
        return;
      }
      let found = false;
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== entryPath) {
          zip.readEntry();
          return;
        }
        found = true;
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) {
            unreadable(streamError);
            zip.close();
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks));
          });
          stream.on('error', unreadable);
        });
      });
      zip.on('end', () => {
        if (!found) resolve(undefined);
      });
      zip.on('error', unreadable);
      zip.readEntry();
    });
  });
}

/** Reads the description of a JAR built by `squall package`. */
export async function readPackageDescription(jar: string): Promise<PackageDescription> {
  const bytes = await readJarEntry(jar, `resources/${DESCRIPTION_FILE}`);
  if (!bytes) {
    throw new SquallError('package', `${jar} has no resources/${DESCRIPTION_FILE}`, { file: jar }, 'only JARs built by `squall package` can be described or submitted by Squall');
  }
  let description: PackageDescription;
  try {
    description = JSON.parse(bytes.toString('utf8')) as PackageDescription;
  } catch (error) {
    throw new SquallError('package', `${jar}: resources/${DESCRIPTION_FILE} is not JSON (${(error as Error).message})`, { file: jar }, 'the JAR was altered after `squall package`; build it again');
  }
  if (description?.schema !== PACKAGE_SCHEMA) {
    throw new SquallError('package', `${jar} was built by Squall ${description?.squall} (${String(description?.schema)}), which this version cannot read`, { file: jar }, 'package the topology again with this version of Squall');
  }
  return description;
}
