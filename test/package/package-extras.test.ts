/**
 * What a JAR carries besides code: manifest.txt extras (a glob matching nothing is an error
 * naming its line), the setup hook run once per resources folder, the Node version check the
 * launcher reports through multilang, and native addons.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SquallError } from '../../core/common/errors.js';
import { binaryTarget } from '../../core/package/native-addons.js';
import { packageTopology } from '../../core/package/package-topology.js';
import { SETUP_LOCK } from '../../core/package/launcher-wrapper.js';
import { packagedSourceName } from '../../core/package/source-map.js';
import { readPackageDescription } from '../../core/package/package-description.js';
import { squall } from '../cluster/run-cli.js';
import { writeFixtureProject } from './fixture-project.js';
import { extractResources, handshake, launch } from './multilang-child.js';

/** A tiny N-API addon: `triple(n)` returns 3n. */
const TRIPLE_ADDON = `#include <node_api.h>
static napi_value Triple(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1]; double n = 0; napi_value out;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_value_double(env, argv[0], &n);
  napi_create_double(env, n * 3, &out);
  return out;
}
NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "triple", NAPI_AUTO_LENGTH, Triple, NULL, &fn);
  napi_set_named_property(env, exports, "triple", fn);
  return exports;
}
`;

/** Node's headers: next to this Node (official tarballs), else the distribution's /usr/include/node. */
function nodeHeaders(): string {
  const beside = path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node');
  return existsSync(path.join(beside, 'node_api.h')) ? beside : '/usr/include/node';
}

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(options: Parameters<typeof writeFixtureProject>[0]): { file: string; dir: string } {
  const file = writeFixtureProject(options);
  cleanup.push(path.dirname(file));
  return { file, dir: path.dirname(file) };
}

async function packageAndExtract(file: string): Promise<{ resources: string; pids: string; jar: string; warnings: string[] }> {
  const dir = path.dirname(file);
  const result = await packageTopology(file, { out: path.join(dir, 'out.jar') });
  await extractResources(result.jar, path.join(dir, 'worker'));
  mkdirSync(path.join(dir, 'pids'));
  return { resources: path.join(dir, 'worker', 'resources'), pids: path.join(dir, 'pids'), jar: result.jar, warnings: result.warnings };
}

describe('manifest.txt', () => {
  it('adds the files its globs match under resources/', async () => {
    const { file } = project({ manifest: '# model files\ndata/*.txt\nconfig.json  # runtime config\n', files: { 'data/a.txt': 'A', 'data/b.txt': 'B', 'config.json': '{}' } });
    const result = await packageTopology(file, { out: path.join(path.dirname(file), 'out.jar') });
    expect(result.entries).toEqual(expect.arrayContaining(['resources/data/a.txt', 'resources/data/b.txt', 'resources/config.json']));
  });

  it('refuses a glob that matches nothing, naming the line', async () => {
    const { file, dir } = project({ manifest: 'data/*.txt\nmodels/*.bin\n', files: { 'data/a.txt': 'A' } });
    const error = await packageTopology(file, { out: path.join(dir, 'out.jar') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SquallError);
    expect((error as SquallError).where).toMatchObject({ file: path.join(dir, 'manifest.txt'), line: 2 });
    expect((error as SquallError).message).toBe("'models/*.bin' matches no file");
    const cli = await squall(['package', file, '-o', path.join(dir, 'cli.jar')]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`${path.join(dir, 'manifest.txt')}:2: 'models/*.bin' matches no file`);
  });
});

describe('the launcher on a worker', () => {
  it('reports a wrong Node version through multilang (pid, error, log) and exits non-zero', async () => {
    const { file } = project({ node: '>=99' });
    const { resources, pids } = await packageAndExtract(file);
    const bolt = launch(resources, 'double.mjs');
    bolt.send(handshake('double', 2, pids, { default: ['n', 'twice'] }));
    expect(await bolt.next()).toEqual({ pid: bolt.process.pid });
    const error = await bolt.next();
    expect(error.command).toBe('error');
    expect(error.msg).toContain(`component 'double' needs Node >=99 but this worker runs Node ${process.version}`);
    expect(await bolt.next()).toMatchObject({ command: 'log', level: 4 });
    expect(await bolt.exit()).toBe(1);

    // A spout may only speak after a command: it answers the first one with the error.
    const spout = launch(resources, 'numbers.mjs');
    spout.send(handshake('numbers', 1, pids, { default: ['n'] }));
    expect(await spout.next()).toEqual({ pid: spout.process.pid });
    spout.send({ command: 'next' });
    expect(await spout.next()).toMatchObject({ command: 'error' });
    await spout.next();
    expect(await spout.exit()).toBe(1);
  });

  it('runs the setup hook once when several tasks start together, then every task works', async () => {
    const { file } = project({ setup: { name: 'setup.sh', text: 'echo ran >> setup-runs.txt\nsleep 0.5\necho setup done\n' } });
    const { resources, pids, jar } = await packageAndExtract(file);
    expect((await readPackageDescription(jar)).setup).toBe('setup.sh');
    const tasks = [launch(resources, 'double.mjs'), launch(resources, 'double.mjs'), launch(resources, 'numbers.mjs')];
    try {
      tasks.forEach((task, i) => task.send(handshake(i < 2 ? 'double' : 'numbers', i + 1, pids, { default: i < 2 ? ['n', 'twice'] : ['n'] })));
      for (const task of tasks) expect(await task.next()).toEqual({ pid: task.process.pid });
      expect(readFileSync(path.join(resources, 'setup-runs.txt'), 'utf8')).toBe('ran\n');
      expect(readFileSync(path.join(resources, 'squall-setup.log'), 'utf8')).toContain('setup done');
      tasks[0]!.send({ id: '7', comp: 'numbers', stream: 'default', task: 3, tuple: [21] });
      expect(await tasks[0]!.next()).toMatchObject({ command: 'emit', tuple: [21, 42] });
    } finally {
      for (const task of tasks) task.process.stdin!.end();
      await Promise.all(tasks.map((t) => t.exit()));
    }
    // A later task (a restarted worker) does not run it again.
    const later = launch(resources, 'double.mjs');
    later.send(handshake('double', 2, pids, { default: ['n', 'twice'] }));
    expect(await later.next()).toEqual({ pid: later.process.pid });
    later.process.stdin!.end();
    await later.exit();
    expect(readFileSync(path.join(resources, 'setup-runs.txt'), 'utf8')).toBe('ran\n');
  });

  it('takes over the setup lock of a task that was killed while running the hook', async () => {
    const { file } = project({ setup: { name: 'setup.sh', text: 'echo ran >> setup-runs.txt\n' } });
    const { resources, pids } = await packageAndExtract(file);
    // A lock left behind by a task that no longer exists (its pid has exited).
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    mkdirSync(path.join(resources, SETUP_LOCK));
    writeFileSync(path.join(resources, SETUP_LOCK, 'owner'), String(gone));
    const bolt = launch(resources, 'double.mjs');
    bolt.send(handshake('double', 2, pids, { default: ['n', 'twice'] }));
    expect(await bolt.next()).toEqual({ pid: bolt.process.pid });
    expect(readFileSync(path.join(resources, 'setup-runs.txt'), 'utf8')).toBe('ran\n');
    bolt.process.stdin!.end();
    expect(await bolt.exit()).toBe(0);
  });

  it('reports a failing setup hook with the end of its output', async () => {
    const { file } = project({ setup: { name: 'setup.mjs', text: "console.log('fetching model');\nprocess.exit(3);\n" } });
    const { resources, pids } = await packageAndExtract(file);
    const bolt = launch(resources, 'double.mjs');
    bolt.send(handshake('double', 2, pids, { default: ['n', 'twice'] }));
    await bolt.next();
    const error = await bolt.next();
    expect(error.msg).toMatch(/the setup hook setup\.mjs failed \(exit code 3\)[\s\S]*fetching model/);
    expect(await bolt.exit()).toBe(1);
  });
});

describe('native addons', () => {
  it('reads the target of ELF, Mach-O and PE binaries', () => {
    const elf = Buffer.alloc(64);
    elf.writeUInt32BE(0x7f454c46, 0);
    elf[4] = 2;
    elf[5] = 1;
    elf.writeUInt16LE(0xb7, 18);
    expect(binaryTarget(elf)).toEqual({ platform: 'linux', arch: 'arm64' });
    elf.writeUInt16LE(0x3e, 18);
    expect(binaryTarget(elf)).toEqual({ platform: 'linux', arch: 'x64' });
    const macho = Buffer.alloc(16);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(0x0100000c, 4);
    expect(binaryTarget(macho)).toEqual({ platform: 'darwin', arch: 'arm64' });
    const pe = Buffer.alloc(128);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(64, 60);
    pe.write('PE\0\0', 64, 'latin1');
    pe.writeUInt16LE(0x8664, 68);
    expect(binaryTarget(pe)).toEqual({ platform: 'win32', arch: 'x64' });
    expect(binaryTarget(Buffer.from('#!/bin/sh'))).toBeUndefined();
  });

  it('ships native dependencies in resources/node_modules and warns about a binary built for another platform', async () => {
    const macho = Buffer.alloc(32);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(0x0100000c, 4);
    const { file } = project({
      dependencies: { 'fake-native': '1.0.0', 'pure-js': '1.0.0' },
      files: {
        'node_modules/fake-native/package.json': JSON.stringify({ name: 'fake-native', version: '1.0.0', main: 'index.js', dependencies: { 'fake-bindings': '1.0.0' } }),
        'node_modules/fake-native/index.js': "module.exports = require('fake-bindings')('addon');",
        'node_modules/fake-native/binding.gyp': '{}',
        'node_modules/fake-native/build/Release/addon.node': macho,
        'node_modules/fake-bindings/package.json': JSON.stringify({ name: 'fake-bindings', version: '1.0.0' }),
        'node_modules/fake-bindings/index.js': 'module.exports = () => ({});',
        'node_modules/pure-js/package.json': JSON.stringify({ name: 'pure-js', version: '1.0.0' }),
        'node_modules/pure-js/index.js': 'module.exports = 1;',
      },
    });
    const { jar, warnings } = await packageAndExtract(file);
    expect(warnings).toEqual([expect.stringContaining('fake-native/build/Release/addon.node was built for darwin-arm64, but Storm workers run linux-x64')]);
    const description = await readPackageDescription(jar);
    expect(description.natives).toEqual(['fake-native']);
    const resources = path.join(path.dirname(file), 'worker', 'resources');
    expect(readFileSync(path.join(resources, 'node_modules/fake-native/build/Release/addon.node')).equals(macho)).toBe(true);
    expect(readFileSync(path.join(resources, 'node_modules/fake-bindings/index.js'), 'utf8')).toContain('module.exports');
    expect(() => readFileSync(path.join(resources, 'node_modules/pure-js/index.js'))).toThrow();
    const cli = await squall(['package', file, '-o', path.join(path.dirname(file), 'cli.jar')]);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toContain('squall: warning: fake-native/build/Release/addon.node was built for darwin-arm64');
  });

  it('packages a component importing a real native addon, which runs from resources/node_modules', async () => {
    const { file, dir } = project({
      dependencies: { 'tiny-native': '1.0.0' },
      files: {
        'components/double.ts': [
          "import { BasicBolt, type Tuple } from 'squall';",
          "import native from 'tiny-native';",
          'export default class Triple extends BasicBolt {',
          "  static outputs = { default: ['n', 'thrice'] };",
          '  process(tuple: Tuple): void {',
          '    const n = tuple.values[0] as number;',
          '    this.emit([n, native.triple(n)]);',
          '  }',
          '}',
        ].join('\n'),
        'node_modules/tiny-native/package.json': JSON.stringify({ name: 'tiny-native', version: '1.0.0', main: 'index.js' }),
        'node_modules/tiny-native/index.js': "module.exports = require('./build/Release/triple.node');",
        'node_modules/tiny-native/binding.gyp': JSON.stringify({ targets: [{ target_name: 'triple', sources: ['triple.c'] }] }),
        'node_modules/tiny-native/triple.c': TRIPLE_ADDON,
      },
    });
    const addonDir = path.join(dir, 'node_modules/tiny-native');
    mkdirSync(path.join(addonDir, 'build/Release'), { recursive: true });
    // What node-gyp would do, in one compiler call against the installed Node's N-API headers.
    execFileSync('cc', ['-shared', '-fPIC', '-O1', `-I${nodeHeaders()}`, '-o', path.join(addonDir, 'build/Release/triple.node'), path.join(addonDir, 'triple.c')]);

    const { resources, pids, jar, warnings } = await packageAndExtract(file);
    expect(warnings).toEqual([]);
    expect((await readPackageDescription(jar)).natives).toEqual(['tiny-native']);
    expect(readFileSync(path.join(resources, 'double.bundle.mjs'), 'utf8')).toMatch(/from "tiny-native"/);
    // The worker must find the addon in resources/node_modules, not in the project.
    rmSync(addonDir, { recursive: true });
    const bolt = launch(resources, 'double.mjs');
    try {
      bolt.send(handshake('double', 2, pids, { default: ['n', 'thrice'] }));
      expect(await bolt.next()).toEqual({ pid: bolt.process.pid });
      bolt.send({ id: '7', comp: 'numbers', stream: 'default', task: 1, tuple: [14] });
      expect(await bolt.next()).toMatchObject({ command: 'emit', anchors: ['7'], tuple: [14, 42] });
      expect(await bolt.next()).toEqual({ command: 'ack', id: '7' });
    } finally {
      bolt.process.stdin!.end();
      expect(await bolt.exit()).toBe(0);
    }
  });

  it('explains that a .node file imported by path cannot be bundled', async () => {
    const { file, dir } = project({
      files: {
        'components/double.ts': "import { BasicBolt } from 'squall';\nimport addon from './addon.node';\nexport default class Double extends BasicBolt {\n  static outputs = { default: ['n'] };\n  process(): void {\n    this.emit([addon]);\n  }\n}\n",
        'components/addon.node': Buffer.alloc(64),
      },
    });
    const error = await packageTopology(file, { out: path.join(dir, 'out.jar') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SquallError);
    expect(String((error as SquallError).format())).toMatch(/component 'double' imports a native addon \(\.node file\) by path, which cannot be bundled[\s\S]*hint: put the addon in a package/);
  });
});

describe('crash stacks inside a packaged JAR', () => {
  it('names sources: Squall\'s code as squall/…, a topology\'s own files (even inside the Squall checkout) relative to its folder', () => {
    expect(packagedSourceName('/repo/examples/wc/components/split.ts', '/repo/examples/wc', '/repo')).toBe('components/split.ts');
    expect(packagedSourceName('/repo/core/component/tuple.ts', '/repo/examples/wc', '/repo')).toBe('squall/core/component/tuple.ts');
    expect(packagedSourceName('/repo/core/component/tuple.ts', '/repo', '/repo')).toBe('squall/core/component/tuple.ts');
    expect(packagedSourceName('/repo/node_modules/yaml/dist/index.js', '/home/me/wc', '/repo')).toBe('squall/node_modules/yaml/dist/index.js');
    expect(packagedSourceName('/home/me/wc/node_modules/lodash/get.js', '/home/me/wc', '/repo')).toBe('node_modules/lodash/get.js');
    expect(packagedSourceName('/home/me/shared/util.ts', '/home/me/wc', '/repo')).toBe('../shared/util.ts');
  });

  it("name the user's files relative to the project and Squall's as squall/…, never the build machine's paths", async () => {
    const crashing = ["import { BasicBolt, type Tuple } from 'squall';", 'export default class Double extends BasicBolt {', "  static outputs = { default: ['n', 'twice'] };", '  process(tuple: Tuple): void {', "    throw new Error(`cannot double ${String(tuple.values[0])}`);", '  }', '}'].join('\n');
    const { file, dir } = project({ files: { 'components/double.ts': crashing } });
    const result = await packageTopology(file, { out: path.join(dir, 'out.jar') });
    // A worker elsewhere: nothing of the project or of Squall's checkout next to it.
    const worker = mkdtempSync(path.join(os.tmpdir(), 'squall-worker-'));
    cleanup.push(worker);
    await extractResources(result.jar, worker);
    const resources = path.join(worker, 'resources');
    mkdirSync(path.join(worker, 'pids'));

    const map = JSON.parse(readFileSync(path.join(resources, 'double.bundle.mjs.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('components/double.ts');
    expect(map.sources).toContain('squall/core/component/executor/bolt-executor.ts');
    expect(map.sources.filter((s) => s.startsWith('..') || path.isAbsolute(s))).toEqual([]);

    const bolt = launch(resources, 'double.mjs');
    bolt.send(handshake('double', 2, path.join(worker, 'pids'), { default: ['n', 'twice'] }));
    expect(await bolt.next()).toEqual({ pid: bolt.process.pid });
    bolt.send({ id: '5', comp: 'numbers', stream: 'default', task: 1, tuple: [21] });
    expect(await bolt.next()).toEqual({ command: 'fail', id: '5' });
    const error = await bolt.next();
    expect(error.command).toBe('error');
    const stack = error.msg as string;
    expect(stack).toMatch(/^Error: cannot double 21\n {4}at Double\.process \(components\/double\.ts:5:11\)\n {4}at BoltExecutor\.\w+ \(squall\/core\/component\/executor\/bolt-executor\.ts:\d+:\d+\)/);
    const repo = path.resolve(import.meta.dirname, '../..');
    for (const elsewhere of [repo, dir, resources, 'resources/']) expect(stack).not.toContain(elsewhere);
    bolt.process.stdin!.end();
    await bolt.exit();
  });
});
