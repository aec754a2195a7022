/**
 * Every cluster command, run as a user would (`node bin/squall.mjs ...`) against the fake
 * Nimbus, fake Storm UI and fake logviewer on 127.0.0.1.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeNimbus, validateLikeNimbus } from './fake-nimbus.js';
import { fakeLogviewer, fakeStormUi, UI_TOPOLOGY_ID, type FakeServer } from './fake-storm-http.js';
import { squall, startSquall } from './run-cli.js';

let nimbus: FakeNimbus;
let tmp: string;
let jar: string;

beforeAll(async () => {
  // A killed topology lingers as KILLED for a moment, as on a real Nimbus, so --force must wait.
  nimbus = await new FakeNimbus({ killLingerMs: 300 }).start();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'squall-cluster-'));
  jar = path.join(tmp, 'wc.jar');
  const built = await squall(['package', 'examples/wordcount/topology.yaml', '-o', jar]);
  expect(built.code, built.stderr).toBe(0);
});

afterAll(async () => {
  await nimbus.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('squall submit', () => {
  it('uploads the JAR and submits a topology the fake Nimbus accepts', async () => {
    const result = await squall(['submit', jar, '--nimbus', nimbus.address, '-o', 'topology.workers=2', '-o', 'topology.debug=true']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`submitted 'wordcount' to Nimbus at ${nimbus.address}`);
    const submitted = nimbus.topologies.get('wordcount')!;
    expect(submitted.jar.equals(readFileSync(jar))).toBe(true);
    expect(submitted.status).toBe('ACTIVE');
    expect(submitted.conf).toMatchObject({ 'topology.name': 'wordcount', 'topology.workers': 2, 'topology.debug': true, 'topology.max.spout.pending': 1000 });
    expect(() => validateLikeNimbus(submitted.topology)).not.toThrow();
    const split = submitted.topology.bolts.get('split')!;
    expect(split.bolt_object.shell).toEqual({ execution_command: 'node', script: 'split.mjs' });
    expect(split.common.parallelism_hint).toBe(2);
    expect(split.common.streams.get('default')).toEqual({ output_fields: ['word'], direct: false });
    const count = submitted.topology.bolts.get('count')!;
    expect([...count.common.inputs].map(([id, g]) => [id.componentId, id.streamId, g])).toEqual([['split', 'default', { fields: ['word'] }]]);
    expect(submitted.topology.spouts.get('sentences')!.common.json_conf).toBe('{}');
    // What Storm's submitter fills in (Utils.addVersions), with values true of this client.
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(submitted.topology.storm_version).toBe('2.4.0'); // the cluster's version, as its Nimbus reports it
    expect(submitted.topology.jdk_version).toBe(`none (not a JVM client: squall ${version} on Node.js ${process.version})`);
    expect(result.stderr).toContain("submitting 'wordcount' (storm_version 2.4.0)");
  });

  it('sends --storm-version as storm_version, refuses one Nimbus could not parse, and takes a profile storm_version', async () => {
    const chosen = await squall(['submit', jar, '--nimbus', nimbus.address, '--name', 'wc-version', '--storm-version', '2.5.1']);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(nimbus.topologies.get('wc-version')!.topology.storm_version).toBe('2.5.1');
    expect(nimbus.topologies.get('wc-version')!.topology.jdk_version).toMatch(/^none \(not a JVM client: squall /);

    const uploads = nimbus.callsOf('beginFileUpload').length;
    const bad = await squall(['submit', jar, '--nimbus', nimbus.address, '--name', 'wc-bad-version', '--storm-version', 'latest']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("squall: --storm-version 'latest' is not a Storm version\n  hint: give the Storm version of the cluster, e.g. 2.4.0 (Nimbus refuses versions it cannot read as <major>.<minor>)\n");
    expect(nimbus.callsOf('beginFileUpload').length).toBe(uploads);

    const project = mkdtempSync(path.join(tmp, 'version-profile-'));
    writeFileSync(path.join(project, 'squall.yaml'), `environments:\n  old:\n    nimbus: ${nimbus.address}\n    storm_version: "2.2.0"\n`);
    const profiled = await squall(['submit', jar, '-e', 'old', '--name', 'wc-profile-version'], { cwd: project });
    expect(profiled.code, profiled.stderr).toBe(0);
    expect(nimbus.topologies.get('wc-profile-version')!.topology.storm_version).toBe('2.2.0');
    const listed = await squall(['list', '--json', '--nimbus', nimbus.address]);
    expect((JSON.parse(listed.stdout) as Array<{ name: string; storm_version?: string }>).find((t) => t.name === 'wc-profile-version')!.storm_version).toBe('2.2.0');
    for (const name of ['wc-version', 'wc-profile-version']) await squall(['kill', name, '--wait', '0', '--nimbus', nimbus.address]);
  });

  it('leaves storm_version unset when Nimbus reports no version it could parse, and still says what submitted', async () => {
    const quiet = await new FakeNimbus({ version: 'VERSION_NOT_PROVIDED' }).start();
    try {
      const result = await squall(['submit', jar, '--nimbus', quiet.address]);
      expect(result.code, result.stderr).toBe(0);
      const submitted = quiet.topologies.get('wordcount')!.topology;
      expect(submitted.storm_version).toBeUndefined();
      expect(submitted.jdk_version).toMatch(/^none \(not a JVM client: squall \S+ on Node\.js v\d+/);
      expect(result.stderr).toContain("submitting 'wordcount' (storm_version unset: Nimbus's own)");
    } finally {
      await quiet.stop();
    }
  });

  it('refuses a name already running and suggests --force', async () => {
    const result = await squall(['submit', jar, '--nimbus', nimbus.address]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("a topology named 'wordcount' is already on Nimbus");
    expect(result.stderr).toContain('--force');
  });

  it('--force kills the running topology with --wait, waits until it is gone, then submits', async () => {
    const before = nimbus.topologies.get('wordcount')!;
    const result = await squall(['submit', jar, '--nimbus', nimbus.address, '--force', '--wait', '0']);
    expect(result.code, result.stderr).toBe(0);
    expect(nimbus.callsOf('killTopologyWithOpts').at(-1)!.args).toEqual({ name: 'wordcount', options: { wait_secs: 0 } });
    expect(result.stderr).toMatch(/killing the running 'wordcount'[\s\S]*is gone[\s\S]*uploading[\s\S]*submitting/);
    const calls = nimbus.calls.map((c) => c.method);
    const kill = calls.lastIndexOf('killTopologyWithOpts');
    // At least one poll saw it still there (KILLED) before the upload began.
    expect(calls.slice(kill + 1, calls.lastIndexOf('beginFileUpload')).filter((m) => m === 'getClusterInfo').length).toBeGreaterThanOrEqual(2);
    expect(nimbus.topologies.get('wordcount')!.id).not.toBe(before.id);
  });

  it('packages a topology file, shows package → upload % → submit, and honours --name and --inactive', async () => {
    const result = await squall(['submit', 'examples/wordcount/topology.yaml', '--nimbus', nimbus.address, '--name', 'wc-inactive', '--inactive', '--out', path.join(tmp, 'wc2.jar')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/packaged [^\n]*wc2\.jar[\s\S]*uploading to 127\.0\.0\.1:\d+: 100%[\s\S]*submitting 'wc-inactive'/);
    expect(nimbus.topologies.get('wc-inactive')!.status).toBe('INACTIVE');
    expect(nimbus.topologies.get('wc-inactive')!.conf['topology.name']).toBe('wc-inactive');
  });

  it("surfaces Nimbus's InvalidTopologyException and AuthorizationException messages", async () => {
    nimbus.failNext('submitTopologyWithOpts', 'InvalidTopologyException', 'Component: [count] subscribes from non-existent component [splitt]');
    let result = await squall(['submit', jar, '--nimbus', nimbus.address, '--name', 'wc-bad']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('InvalidTopologyException: Component: [count] subscribes from non-existent component [splitt]');
    nimbus.failNext('beginFileUpload', 'AuthorizationException', 'bob is not authorized to beginFileUpload');
    result = await squall(['submit', jar, '--nimbus', nimbus.address, '--name', 'wc-bad']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('AuthorizationException: bob is not authorized to beginFileUpload');
    expect(result.stderr).toContain('nimbus.authorizer');
  });

  it('says which host:port is unreachable and how to fix it', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await squall(['list', '--nimbus', `127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach Nimbus at 127.0.0.1:${port}: connection refused`);
    expect(result.stderr).toContain('ssh -L');
  });
});

describe('squall list / deactivate / activate / rebalance / kill', () => {
  it('lists the running topologies', async () => {
    const result = await squall(['list', '--nimbus', nimbus.address]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^NAME\s+STATUS\s+UPTIME\s+WORKERS\s+EXECUTORS\s+TASKS\s+ID/);
    expect(result.stdout).toMatch(/wc-inactive\s+INACTIVE/);
    expect(result.stdout).toMatch(/wordcount\s+ACTIVE/);
  });

  it('changes status, rebalances and kills through Nimbus', async () => {
    expect((await squall(['deactivate', 'wordcount', '--nimbus', nimbus.address])).code).toBe(0);
    expect(nimbus.topologies.get('wordcount')!.status).toBe('INACTIVE');
    expect((await squall(['activate', 'wordcount', '--nimbus', nimbus.address])).code).toBe(0);
    expect(nimbus.topologies.get('wordcount')!.status).toBe('ACTIVE');
    const rebalance = await squall(['rebalance', 'wordcount', '-n', '3', '--executors', 'split=4', '--executors', 'count=3', '--wait', '5', '--nimbus', nimbus.address]);
    expect(rebalance.code, rebalance.stderr).toBe(0);
    expect(nimbus.topologies.get('wordcount')!.rebalances.at(-1)).toEqual({ wait_secs: 5, num_workers: 3, num_executors: new Map([['split', 4], ['count', 3]]) });
    const badComponent = await squall(['rebalance', 'wordcount', '--executors', 'nope=2', '--nimbus', nimbus.address]);
    expect(badComponent.code).toBe(1);
    expect(badComponent.stderr).toContain('InvalidTopologyException: Invalid component in rebalance: nope');
    const kill = await squall(['kill', 'wc-inactive', '--wait', '0', '--nimbus', nimbus.address]);
    expect(kill.code, kill.stderr).toBe(0);
    expect(nimbus.callsOf('killTopologyWithOpts').at(-1)!.args).toEqual({ name: 'wc-inactive', options: { wait_secs: 0 } });
    const ghost = await squall(['kill', 'ghost', '--nimbus', nimbus.address]);
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toContain('NotAliveException: ghost is not alive');
    expect(ghost.stderr).toContain('squall list');
  });

  it('rebalance takes -e as the environment like every cluster command, and explains the old `-e component=count`', async () => {
    const project = mkdtempSync(path.join(tmp, 'rebalance-env-'));
    writeFileSync(path.join(project, 'squall.yaml'), `environments:\n  test:\n    nimbus: ${nimbus.address}\n`);
    const before = nimbus.topologies.get('wordcount')!.rebalances.length;
    const byEnv = await squall(['rebalance', 'wordcount', '-n', '2', '--wait', '0', '-e', 'test'], { cwd: project });
    expect(byEnv.code, byEnv.stderr).toBe(0);
    expect(nimbus.topologies.get('wordcount')!.rebalances.slice(before)).toEqual([{ wait_secs: 0, num_workers: 2 }]);
    const old = await squall(['rebalance', 'wordcount', '-e', 'split=4', '--nimbus', nimbus.address]);
    expect(old.code).toBe(1);
    expect(old.stderr).toBe(
      "squall: '-e split=4' looks like an executor count, but -e picks the cluster environment in every squall command\n  hint: write --executors split=4 (repeatable; Storm's own CLI spells it `storm rebalance -e`)\n",
    );
    expect(nimbus.topologies.get('wordcount')!.rebalances.length).toBe(before + 1);
  });

  it('takes addresses and default options from a cluster profile chosen with -e', async () => {
    const project = mkdtempSync(path.join(tmp, 'profile-'));
    writeFileSync(
      path.join(project, 'squall.yaml'),
      `environments:\n  test:\n    nimbus: ${nimbus.address}\n    options:\n      topology.workers: 5\n  other:\n    nimbus: 127.0.0.1:1\n`,
    );
    const listed = await squall(['list', '-e', 'test'], { cwd: project });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('wordcount');
    const submitted = await squall(['submit', jar, '-e', 'test', '--name', 'wc-profile'], { cwd: project });
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(nimbus.topologies.get('wc-profile')!.conf['topology.workers']).toBe(5);
    const unknown = await squall(['list', '-e', 'prod'], { cwd: project });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('known environments: test, other');
  });
});

describe('squall stats and tail (Storm UI and logviewer)', () => {
  let ui: FakeServer;
  let logviewer: FakeServer;
  const logs = new Map<string, string>();

  beforeAll(async () => {
    ui = await fakeStormUi();
    logs.set(`${UI_TOPOLOGY_ID}/6700/worker.log`, '2026-11-21 10:00:00 split <b>started</b>\n');
    logs.set(`${UI_TOPOLOGY_ID}/6701/worker.log`, `${'x'.repeat(100)}\n2026-11-21 10:00:01 count started\n`);
    logviewer = await fakeLogviewer(logs);
  });
  afterAll(async () => {
    await ui.stop();
    await logviewer.stop();
  });

  it('prints the per-component table with process latency and the shell-bolt note', async () => {
    const result = await squall(['stats', 'wordcount', '--ui', ui.url]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`wordcount (${UI_TOPOLOGY_ID}) ACTIVE`);
    expect(result.stdout).toMatch(/sentences\s+spout\s+1\s+5000\s+5000\s+4990\s+2\s+12\.500/);
    expect(result.stdout).toMatch(/split\s+bolt\s+2\s+30000\s+30000\s+5000\s+0\s+1\.234\s+0\.052\s+0\.001/);
    expect(result.stdout).toMatch(/count\s+bolt[^\n]*java\.lang\.RuntimeException: boom/);
    expect(result.stdout).toContain('process latency (receive → ack) is the real time per tuple');
  });

  it('prints the end of the worker logs of one component', async () => {
    const result = await squall(['tail', 'wordcount', '--component', 'count', '--bytes', '40', '--ui', ui.url, '--logviewer', logviewer.url]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(logs.get(`${UI_TOPOLOGY_ID}/6701/worker.log`)!.slice(-40));
    expect(logviewer.requests.some((r) => r.includes(encodeURIComponent(`${UI_TOPOLOGY_ID}/6701/worker.log`)))).toBe(true);
  });

  it('refuses a --bytes or --interval that is not a positive whole number before asking the cluster', async () => {
    const requests = ui.requests.length;
    const interval = await squall(['tail', 'wordcount', '-f', '--interval', 'soon', '--ui', ui.url]);
    expect(interval.code).toBe(1);
    expect(interval.stderr).toContain("--interval must be a whole number of at least 1, got 'soon'");
    const bytes = await squall(['tail', 'wordcount', '--bytes', '0', '--ui', ui.url]);
    expect(bytes.stderr).toContain("--bytes must be a whole number of at least 1, got '0'");
    expect(ui.requests.length).toBe(requests);
  });

  it('-f follows what every worker appends, labelled by host:port, including a log that appears later', async () => {
    const late = `${UI_TOPOLOGY_ID}/6701/worker.log`;
    const lateText = logs.get(late)!;
    logs.delete(late);
    const running = startSquall(['tail', 'wordcount', '-f', '--interval', '100', '--ui', ui.url, '--logviewer', logviewer.url]);
    try {
      await running.waitFor('[127.0.0.1:6700] 2026-11-21 10:00:00 split <b>started</b>');
      await vi.waitFor(() => expect(running.errors()).toMatch(/\[127\.0\.0\.1:6701\] the logviewer at .* answered 404/), { timeout: 10_000 });
      logs.set(late, lateText);
      await running.waitFor('[127.0.0.1:6701] 2026-11-21 10:00:01 count started');
      const key = `${UI_TOPOLOGY_ID}/6700/worker.log`;
      logs.set(key, `${logs.get(key)}2026-11-21 10:00:05 split emitted 3 words\n`);
      await running.waitFor('[127.0.0.1:6700] 2026-11-21 10:00:05 split emitted 3 words');
      expect(running.output().match(/count started/g)).toHaveLength(1);
    } finally {
      const exited = new Promise((resolve) => running.child.once('exit', resolve));
      running.child.kill('SIGTERM');
      await exited;
    }
  });
});
