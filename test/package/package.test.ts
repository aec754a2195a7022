/**
 * The topology JAR: reproducible, complete, and runnable the way Storm runs it
 * (`cd resources && node <launcher>`, multilang on stdin/stdout).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageTopology, type PackageResult } from '../../core/package/package-topology.js';
import { readPackageDescription } from '../../core/package/package-description.js';
import { extractResources, handshake, launch } from './multilang-child.js';
import { squall } from '../cluster/run-cli.js';

const WORDCOUNT = path.resolve(import.meta.dirname, '../../examples/wordcount/topology.yaml');
let tmp: string;
let wordcount: PackageResult;
let resources: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'squall-jar-'));
  wordcount = await packageTopology(WORDCOUNT, { out: path.join(tmp, 'wc.jar') });
  await extractResources(wordcount.jar, path.join(tmp, 'worker'));
  resources = path.join(tmp, 'worker', 'resources');
  mkdirSync(path.join(tmp, 'pids'));
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('squall package (wordcount)', () => {
  it('holds a launcher, a bundle and a source map per component, the description and the topology file', () => {
    const expected = ['META-INF/MANIFEST.MF', 'resources/squall-topology.json', 'resources/topology.yaml'];
    for (const id of ['sentences', 'split', 'count']) expected.push(`resources/${id}.mjs`, `resources/${id}.bundle.mjs`, `resources/${id}.bundle.mjs.map`);
    expect(wordcount.entries).toEqual(expected.sort());
    expect(wordcount.bytes).toBeLessThan(2_000_000);
  });

  it('is byte-identical when built again from the same input', async () => {
    const again = await packageTopology(WORDCOUNT, { out: path.join(tmp, 'again', 'wc.jar') });
    expect(readFileSync(again.jar).equals(readFileSync(wordcount.jar))).toBe(true);
  });

  it('holds no absolute path of the build machine, so the bytes do not depend on where the checkout lives', () => {
    const checkout = path.resolve(import.meta.dirname, '../..');
    for (const entry of readdirSync(resources)) {
      const text = readFileSync(path.join(resources, entry), 'utf8');
      expect(text.includes(checkout), `${entry} mentions ${checkout}`).toBe(false);
    }
  });

  it('keeps TypeScript source maps beside the bundles, with paths relative to the topology', () => {
    const bundle = readFileSync(path.join(resources, 'split.bundle.mjs'), 'utf8');
    expect(bundle.trimEnd().endsWith('//# sourceMappingURL=split.bundle.mjs.map')).toBe(true);
    const map = JSON.parse(readFileSync(path.join(resources, 'split.bundle.mjs.map'), 'utf8')) as { sources: string[]; sourcesContent: string[] };
    const index = map.sources.indexOf('components/split.ts');
    expect(index).toBeGreaterThanOrEqual(0);
    expect(map.sourcesContent[index]).toContain('class SplitSentenceBolt');
    expect(map.sources.every((s) => !path.isAbsolute(s))).toBe(true);
  });

  it('describes the resolved topology in resources/squall-topology.json', async () => {
    const description = await readPackageDescription(wordcount.jar);
    expect(description).toMatchObject({ schema: 'squall.package/1', node: '>=20', topologyFile: 'topology.yaml', setup: null, natives: [] });
    expect(description.components.split).toEqual({ kind: 'bolt', launcher: 'split.mjs', bundle: 'split.bundle.mjs' });
    const count = description.topology.components.find((c) => c.id === 'count')!;
    expect(count.outputs).toEqual({ default: { fields: ['word', 'count'], direct: false } });
    expect(count.inputs[0]!.grouping).toEqual({ type: 'fields', fields: ['word'] });
  });

  it('runs a bolt from resources/ as Storm starts it: handshake → pid, tuple → emits + ack', async () => {
    const bolt = launch(resources, 'split.mjs');
    try {
      bolt.send(handshake('split', 2, path.join(tmp, 'pids'), { default: ['word'] }));
      const pid = await bolt.next();
      expect(pid).toEqual({ pid: bolt.process.pid });
      expect(existsSync(path.join(tmp, 'pids', String(bolt.process.pid)))).toBe(true);
      bolt.send({ id: '-12345', comp: 'sentences', stream: 'default', task: 1, tuple: ['snow white'] });
      expect(await bolt.next()).toMatchObject({ command: 'emit', anchors: ['-12345'], tuple: ['snow'] });
      expect(await bolt.next()).toMatchObject({ command: 'emit', anchors: ['-12345'], tuple: ['white'] });
      expect(await bolt.next()).toEqual({ command: 'ack', id: '-12345' });
    } finally {
      bolt.process.stdin!.end();
      expect(await bolt.exit()).toBe(0);
    }
  });

  it('runs a spout from resources/: next → emit with a message id, then sync', async () => {
    const spout = launch(resources, 'sentences.mjs');
    try {
      spout.send(handshake('sentences', 1, path.join(tmp, 'pids'), { default: ['sentence'] }));
      expect(await spout.next()).toEqual({ pid: spout.process.pid });
      spout.send({ command: 'next' });
      const emit = await spout.next();
      expect(emit).toMatchObject({ command: 'emit', id: 'sentence-1-0' });
      expect(typeof (emit.tuple as string[])[0]).toBe('string');
      expect(await spout.next()).toEqual({ command: 'sync' });
    } finally {
      spout.process.stdin!.end();
      await spout.exit();
    }
  });

  it('`squall package` prints the JAR, its size and entry count', async () => {
    const out = path.join(tmp, 'cli', 'wc.jar');
    const result = await squall(['package', WORDCOUNT, '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 12 files, \\d+ kB`));
    expect(readFileSync(out).equals(readFileSync(wordcount.jar))).toBe(true);
  });

  it('packages a project folder as its topology.yaml, resolving scripts from that folder', async () => {
    const fromFolder = await packageTopology(path.dirname(WORDCOUNT), { out: path.join(tmp, 'folder', 'wc.jar') });
    expect(readFileSync(fromFolder.jar).equals(readFileSync(wordcount.jar))).toBe(true);
  });

  it('names a JAR that is not a zip, instead of failing with a raw stack', async () => {
    const broken = path.join(tmp, 'broken.jar');
    writeFileSync(broken, 'not a zip');
    await expect(readPackageDescription(broken)).rejects.toMatchObject({ kind: 'package', message: expect.stringContaining(`${broken} is not a readable JAR`) });
  });

  it('`squall describe x.jar` reads the packaged description', async () => {
    const result = await squall(['describe', wordcount.jar, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { name: string; file: string; bolts: Array<{ id: string }> };
    expect(json.name).toBe('wordcount');
    expect(json.file).toBe('topology.yaml');
    expect(json.bolts.map((b) => b.id)).toEqual(['split', 'count']);
  });
});
