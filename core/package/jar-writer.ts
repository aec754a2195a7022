/**
 * Writes a JAR (a zip) reproducibly: entries sorted, every directory listed, one fixed
 * timestamp in DOS form only (no extended-time field, so the time zone does not leak in),
 * fixed modes. The same entries always give the same bytes.
 */
import yazl from 'yazl';

/** One file of the JAR, by its path inside the archive (forward slashes). */
export interface JarEntry {
  path: string;
  data: Buffer;
  /** Unix permission bits; default 0o644. */
  mode?: number;
}

// Local-time components on purpose: DOS timestamps have no zone, and yazl reads local fields.
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);

/** Builds the archive in memory. */
export async function writeJar(entries: readonly JarEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const files = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set<string>();
  for (const entry of files) {
    if (seen.has(entry.path)) throw new Error(`duplicate JAR entry ${entry.path}`);
    seen.add(entry.path);
  }
  const directories = new Set<string>();
  for (const entry of files) {
    const parts = entry.path.split('/');
    for (let i = 1; i < parts.length; i++) directories.add(`${parts.slice(0, i).join('/')}/`);
  }
  // Directories first, then files, both sorted: a stable order for `jar tf` and extractors.
  for (const directory of [...directories].sort()) {
    zip.addEmptyDirectory(directory, { mtime: FIXED_MTIME, mode: 0o40755, forceDosTimestamp: true });
  }
  for (const entry of files) {
    zip.addBuffer(entry.data, entry.path, { mtime: FIXED_MTIME, mode: 0o100000 | (entry.mode ?? 0o644), compress: true, forceDosTimestamp: true });
  }
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
  zip.end();
  return done;
}

/** The JAR manifest Java tools expect as the first entry's content. */
export function jarManifest(createdBy: string): Buffer {
  return Buffer.from(`Manifest-Version: 1.0\r\nCreated-By: ${createdBy}\r\n\r\n`);
}
