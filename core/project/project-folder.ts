/**
 * Creating the folders and files of a new project without Node's `mkdir({ recursive: true })`,
 * which loops forever when a parent exists but refuses children (`/proc/x`: mkdir answers ENOENT
 * for a folder whose parent is there). Folders are made one level at a time, so the work is
 * bounded by the number of path segments, and every failure becomes a SquallError naming the
 * path, the reason and what to do.
 */
import { mkdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SquallError } from '../common/errors.js';

/** What was created, so a failed init can take it back. */
export interface CreatedPaths {
  /** Folders created, outermost first. */
  folders: string[];
  files: string[];
}

/** Why the system refused, in words, by errno code. */
function reason(code: string | undefined): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is exhausted';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    case 'ELOOP':
      return 'too many symbolic links in the path';
    default:
      return code ?? 'unknown error';
  }
}

const CHOOSE_ANOTHER = 'choose a folder on a writable disk, e.g. `squall init ~/my-topology` or `squall init $(mktemp -d)/my-topology`';

/** A SquallError for a path that cannot be created or written. */
function refused(target: string, shown: string, error: NodeJS.ErrnoException, parent?: string): SquallError {
  const code = error.code;
  if (code === 'ENOENT' && parent) {
    // The parent exists (we just checked) yet the system says "no such file": a virtual file system.
    return new SquallError('io', `cannot create ${shown}: ${parent} exists but refuses new entries (ENOENT; a virtual file system such as /proc or /sys?)`, {}, CHOOSE_ANOTHER);
  }
  return new SquallError('io', `cannot create ${shown}: ${reason(code)} (${code ?? error.message}) at ${target}`, {}, code === 'EACCES' || code === 'EPERM' ? `${CHOOSE_ANOTHER}, or fix the permissions of ${path.dirname(target)}` : CHOOSE_ANOTHER);
}

/**
 * Makes `absolute` and its missing parents, one level at a time. Fails with a SquallError
 * when an ancestor is a file, or the system refuses a folder. Returns the folders it created.
 */
export async function makeFolders(absolute: string, shown: string, created: CreatedPaths): Promise<void> {
  const missing: string[] = [];
  let current = absolute;
  let existing: Awaited<ReturnType<typeof stat>> | undefined;
  // Walk up to the deepest ancestor that exists; at most one step per path segment.
  for (;;) {
    try {
      existing = await stat(current);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw refused(current, shown, error as NodeJS.ErrnoException);
      missing.unshift(current);
      const parent = path.dirname(current);
      if (parent === current) throw refused(current, shown, error as NodeJS.ErrnoException);
      current = parent;
    }
  }
  if (!existing.isDirectory()) {
    if (current === absolute) throw new SquallError('usage', `${shown} exists and is not a folder`, {}, 'choose a new folder name for the project');
    throw new SquallError('io', `cannot create ${shown}: ${current} is a file, not a folder`, {}, `choose a path whose parents are folders (${current} is not one)`);
  }
  for (const folder of missing) {
    try {
      await mkdir(folder);
    } catch (error) {
      throw refused(folder, shown, error as NodeJS.ErrnoException, path.dirname(folder));
    }
    created.folders.push(folder);
  }
}

/** Writes one new file of the project, mapping failures to a SquallError. */
export async function writeProjectFile(target: string, content: string, shown: string, created: CreatedPaths): Promise<void> {
  try {
    await writeFile(target, content, { flag: 'wx' });
  } catch (error) {
    throw refused(target, shown, error as NodeJS.ErrnoException, path.dirname(target));
  }
  created.files.push(target);
}

/** Removes what a failed init created (files, then folders innermost first); best effort. */
export async function removeCreated(created: CreatedPaths): Promise<void> {
  for (const file of created.files) await rm(file, { force: true }).catch(() => undefined);
  for (const folder of [...created.folders].reverse()) await rmdir(folder).catch(() => undefined);
}
