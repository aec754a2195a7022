/** The version of Squall itself, as its package.json says (shown by --version, written into every JAR). */
import { readFile } from 'node:fs/promises';

let cached: Promise<string> | undefined;

/** Squall's version, read once per process. */
export function squallVersion(): Promise<string> {
  cached ??= readFile(new URL('../../package.json', import.meta.url), 'utf8').then((text) => (JSON.parse(text) as { version: string }).version);
  return cached;
}
