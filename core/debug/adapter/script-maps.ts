/**
 * The scripts a task runs and their source maps, as Debugger.scriptParsed announces them.
 * A map is read from disk when the script's file is here (local runs), else through the
 * task's debug hooks (a task inside a Storm worker reads its own file).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Protocol } from 'devtools-protocol';
import { DEBUG_HOOKS_EXPRESSION } from '../../common/debug/hooks.js';
import type { SourceLocation } from '../../common/debug/paused.js';
import type { CdpConnection } from '../cdp/connection.js';
import { BundleSourceMap } from '../source-map/bundle-source-map.js';

const STACK_POSITION = /(file:\/\/[^\s():]+):(\d+):(\d+)/g;

/** One parsed script. */
export interface ScriptInfo {
  id: string;
  url: string;
  map?: BundleSourceMap;
}

/** The scripts of one task. */
export class ScriptMaps {
  private readonly scripts = new Map<string, ScriptInfo>();
  private readonly loads: Promise<void>[] = [];

  constructor(private readonly cdp: CdpConnection) {
    cdp.on('Debugger.scriptParsed', (event) => this.parsed(event));
  }

  /** Resolves once every map announced so far is loaded. */
  async ready(): Promise<void> {
    await Promise.all(this.loads);
  }

  /** Scripts whose map holds `file`, with the map's name for it. */
  scriptsHolding(file: string): Array<{ script: ScriptInfo; source: string }> {
    const found: Array<{ script: ScriptInfo; source: string }> = [];
    for (const script of this.scripts.values()) {
      const source = script.map?.findSource(file);
      if (source) found.push({ script, source });
    }
    return found;
  }

  get(scriptId: string): ScriptInfo | undefined {
    return this.scripts.get(scriptId);
  }

  /** The generated and (when mapped) source position of a CDP location. */
  locate(location: Protocol.Debugger.Location): { generated: SourceLocation; original?: SourceLocation } {
    const script = this.scripts.get(location.scriptId);
    const url = script?.url ?? `script ${location.scriptId}`;
    const generated = { file: url.startsWith('file:') ? fileURLToPath(url) : url, line: location.lineNumber + 1, column: (location.columnNumber ?? 0) + 1 };
    const original = script?.map?.toOriginal(generated.line, generated.column);
    return original ? { generated, original } : { generated };
  }

  /** Rewrites `file:///…bundle.mjs:L:C` positions in a stack text to their sources. */
  mapStackText(text: string): string {
    return text.replace(STACK_POSITION, (whole, url: string, line: string, column: string) => {
      const original = this.byUrl(url)?.map?.toOriginal(Number(line), Number(column));
      return original ? `${original.file}:${original.line}:${original.column}` : whole;
    });
  }

  /** The first position of a stack text that maps to the user's code. */
  firstUserFrame(text: string): SourceLocation | undefined {
    for (const match of text.matchAll(STACK_POSITION)) {
      const original = this.byUrl(match[1]!)?.map?.toOriginal(Number(match[2]), Number(match[3]));
      if (original && BundleSourceMap.isUserSource(original.file)) return original;
    }
    return undefined;
  }

  private byUrl(url: string): ScriptInfo | undefined {
    for (const script of this.scripts.values()) if (script.url === url) return script;
    return undefined;
  }

  private parsed(event: Protocol.Debugger.ScriptParsedEvent): void {
    if (!event.url || event.url.startsWith('node:')) return;
    const script: ScriptInfo = { id: event.scriptId, url: event.url };
    this.scripts.set(event.scriptId, script);
    if (event.sourceMapURL) this.loads.push(this.loadMap(script, event.sourceMapURL));
  }

  private async loadMap(script: ScriptInfo, reference: string): Promise<void> {
    const text = (await this.readMapHere(script.url, reference)) ?? (await this.readMapThere(script.url));
    if (!text) return;
    try {
      script.map = new BundleSourceMap(text, script.url);
    } catch {
      // An unreadable map leaves the script unmapped: breakpoints in it report "not in this bundle".
    }
  }

  private async readMapHere(url: string, reference: string): Promise<string | undefined> {
    const inline = 'data:application/json;base64,';
    if (reference.startsWith(inline)) return Buffer.from(reference.slice(inline.length), 'base64').toString('utf8');
    if (!url.startsWith('file:')) return undefined;
    try {
      return await readFile(path.resolve(path.dirname(fileURLToPath(url)), reference), 'utf8');
    } catch {
      return undefined;
    }
  }

  private async readMapThere(url: string): Promise<string | undefined> {
    try {
      const answer = await this.cdp.send('Runtime.evaluate', { expression: `${DEBUG_HOOKS_EXPRESSION}?.sourceMap?.(${JSON.stringify(url)})`, returnByValue: true, silent: true });
      return typeof answer.result.value === 'string' ? answer.result.value : undefined;
    } catch {
      return undefined;
    }
  }
}
