/**
 * Loads a topology file from disk: parse, check that every script exists, read streams and
 * class-level config from the component classes (in a child process), then validate.
 * The entry point every command (describe, run, package, submit) and the workbench use.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { SquallError } from '../common/errors.js';
import { diagnosticAt, hasErrors, sortDiagnostics, TopologyError, type Diagnostic } from '../common/topology/diagnostics.js';
import { locationsOf, type SourceLocations } from '../common/topology/locations.js';
import type { ComponentSpec, SourceLocation, TopologySpec } from '../common/topology/model.js';
import { parseTopology } from '../common/topology/parse.js';
import { closestMatch } from '../common/topology/suggest.js';
import { validateTopology } from '../common/topology/validate.js';
import type { IntrospectionResult, IntrospectOptions } from './introspect.js';

/** Options of loadTopologyFile. */
export interface LoadOptions {
  /**
   * Load every component class in a child process to read its streams, output fields,
   * kind and `static config` (default true). False: structure only, `outputs` stays unset.
   */
  introspect?: boolean;
  /** The file's text, when the caller has it (an unsaved editor buffer): the file is not read. */
  text?: string;
  /** How long component modules may take to load before introspection names them as stuck (default 30 s). */
  introspectionTimeoutMs?: number;
}

/** What loadTopology returns: the model (when there were no errors) and every diagnostic. */
export interface LoadResult {
  spec?: TopologySpec;
  diagnostics: Diagnostic[];
}

/**
 * Reads, checks and resolves a topology file. Throws a TopologyError (a SquallError
 * listing every error as file:line:col: message + hint) when the topology cannot be used;
 * warnings do not throw.
 */
export async function loadTopologyFile(file: string, options: LoadOptions = {}): Promise<TopologySpec> {
  const { spec, diagnostics } = await loadTopology(file, options);
  if (!spec || hasErrors(diagnostics)) throw new TopologyError(diagnostics);
  return spec;
}

/** Like loadTopologyFile, but returns the diagnostics (for `squall validate` and the workbench). */
export async function loadTopology(file: string, options: LoadOptions = {}): Promise<LoadResult> {
  const absolute = await topologyFilePath(file);
  const shown = displayPath(absolute);
  let text: string;
  try {
    text = options.text ?? (await readFile(absolute, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(err)})`;
    throw new SquallError('io', `topology file ${shown} ${why}`, {}, 'pass the path of a topology.yaml (create one with `squall init <dir>`)');
  }
  const parsed = parseTopology(text, shown);
  const spec = parsed.spec;
  // Malformed YAML leaves no model; any other error leaves one built around the bad values, and
  // everything else is still checked, so one run lists every problem (docs/topology.md).
  if (!spec) return { diagnostics: parsed.diagnostics };
  spec.file = absolute;
  const locations = locationsOf(spec)!;
  const folder = path.dirname(absolute);
  const diagnostics = [...parsed.diagnostics];
  const { diagnostics: missing, present } = await checkScripts(spec, folder, locations);
  diagnostics.push(...missing);
  let outputsKnown = false;
  if (options.introspect !== false && present.length > 0) {
    diagnostics.push(...(await introspect(spec, present, folder, locations, options.introspectionTimeoutMs)));
    // Components whose class could not be read keep `outputs` unset: validation skips their streams.
    outputsKnown = true;
  }
  diagnostics.push(...validateTopology(spec, { outputsKnown, locations }));
  const sorted = sortDiagnostics(diagnostics);
  return hasErrors(sorted) ? { diagnostics: sorted } : { spec, diagnostics: sorted };
}

/**
 * The absolute path of a topology file; a project folder stands for its topology.yaml. Every
 * command that takes a topology path resolves it here, so they all agree on the folder.
 */
export async function topologyFilePath(file: string): Promise<string> {
  const absolute = path.resolve(file);
  const isFolder = (await stat(absolute).catch(() => undefined))?.isDirectory() === true;
  return isFolder ? path.join(absolute, 'topology.yaml') : absolute;
}

/**
 * The components whose script exists, and a diagnostic for each script that does not, at its
 * `script:` line with a nearby-name suggestion.
 */
async function checkScripts(spec: TopologySpec, folder: string, locations: SourceLocations): Promise<{ diagnostics: Diagnostic[]; present: ComponentSpec[] }> {
  const diagnostics: Diagnostic[] = [];
  const present: ComponentSpec[] = [];
  for (const component of spec.components) {
    if (!component.script) continue;
    const absolute = path.resolve(folder, component.script);
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isFile()) {
      present.push(component);
      continue;
    }
    const at = scriptLocation(component, locations);
    const what = info ? 'is a folder, not a module' : 'does not exist';
    const nearby = info ? undefined : await nearbyFile(absolute, folder);
    const hint = nearby
      ? `did you mean '${nearby}'? (paths are relative to the topology file's folder)`
      : `looked for ${displayPath(absolute)}; paths are relative to the topology file's folder — create the file or fix the path`;
    diagnostics.push(diagnosticAt('error', at, `script '${component.script}' of ${component.kind} '${component.id}' ${what}`, hint, component.id));
  }
  return { diagnostics, present };
}

/** A file next to the missing one whose name is a plausible typo of it. */
async function nearbyFile(missing: string, folder: string): Promise<string | undefined> {
  const dir = path.dirname(missing);
  const names = await readdir(dir).catch(() => [] as string[]);
  const best = closestMatch(path.basename(missing), names);
  return best === undefined ? undefined : path.relative(folder, path.join(dir, best)).split(path.sep).join('/');
}

/** Fills outputs and class-level config from the classes of `components`; reports load failures and kind mismatches. */
async function introspect(spec: TopologySpec, components: ComponentSpec[], folder: string, locations: SourceLocations, timeoutMs: number | undefined): Promise<Diagnostic[]> {
  const scripts = spec.components.map((c) => path.resolve(folder, c.script));
  const wanted = [...new Set(components.map((c) => path.resolve(folder, c.script)))];
  const introspectEach = await introspector();
  const { found, failures } = await introspectEach(wanted, { timeoutMs });
  const diagnostics: Diagnostic[] = [];
  // One diagnostic per broken script, at the `script:` line of (the first) component using it.
  for (const script of wanted) {
    const failure = failures.get(script);
    if (failure) diagnostics.push(loadFailureDiagnostic(failure, spec, scripts, folder, locations));
  }
  for (const component of components) {
    const info = found.get(path.resolve(folder, component.script));
    if (!info) continue;
    if (info.kind !== component.kind) {
      const section = component.kind === 'spout' ? 'spouts' : 'bolts';
      const other = info.kind === 'spout' ? 'spouts' : 'bolts';
      diagnostics.push(
        diagnosticAt('error', locations.key([section, component.id]) ?? scriptLocation(component, locations), `'${component.id}' is listed under ${section}: but ${component.script} exports a ${capitalize(info.kind)}`, `move '${component.id}' under ${other}:, or make the class extend ${capitalize(component.kind)}`, component.id),
      );
    }
    component.outputs = info.outputs;
    // The YAML wins over the class: the file is where a topology is tuned.
    component.config = { ...info.config, ...component.config };
  }
  return diagnostics;
}

/** A component module that failed to load, reported at the `script:` line of its component when known. */
function loadFailureDiagnostic(err: SquallError, spec: TopologySpec, scripts: string[], folder: string, locations: SourceLocations): Diagnostic {
  const index = err.where.file === undefined ? -1 : scripts.indexOf(path.resolve(folder, err.where.file));
  const culprit = index === -1 ? undefined : spec.components[index];
  const at = culprit ? scriptLocation(culprit, locations) : { file: locations.file, line: 1, column: 1 };
  // The message may start with the absolute script path; the diagnostic already points at `script:`.
  const prefix = err.where.file ? `${err.where.file}: ` : '';
  let message = prefix && err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  if (culprit && err.where.file) {
    // Compilers name the script absolutely or relative to the working folder; show it as the YAML does.
    const absolute = scripts[index]!;
    const spellings = [...new Set([path.relative(process.cwd(), absolute), absolute, err.where.file])].sort((a, b) => b.length - a.length);
    for (const spelling of spellings) message = message.split(spelling).join(culprit.script);
  }
  // Add the line inside the script unless the message (now in the YAML's spelling) has it.
  const scriptLine = culprit && err.where.line ? `${culprit.script}:${err.where.line}` : '';
  const detail = scriptLine && !message.includes(scriptLine) ? ` (${displayPath(scripts[index]!)}:${err.where.line})` : '';
  const subject = culprit ? `${culprit.kind} '${culprit.id}': ` : '';
  return diagnosticAt('error', at, `${subject}${message}${detail}`, err.hint ?? 'fix the component module, then run `squall validate` again', culprit?.id);
}

type IntrospectEach = (scripts: string[], options: IntrospectOptions) => Promise<IntrospectionResult>;

/** The runtime's introspection, loaded lazily: it brings esbuild and starts a child process. */
async function introspector(): Promise<IntrospectEach> {
  const { introspectEach } = await import('./introspect.js');
  return introspectEach;
}

function scriptLocation(component: ComponentSpec, locations: SourceLocations): SourceLocation {
  const section = component.kind === 'spout' ? 'spouts' : 'bolts';
  return locations.value([section, component.id, 'script']) ?? component.location ?? { file: locations.file, line: 1, column: 1 };
}

/** A path relative to the working directory when it is inside it, else absolute. */
export function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : absolute;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
