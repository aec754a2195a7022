import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requireNimbus, resolveCluster } from '../../core/cluster/cluster-profile.js';
import { SquallError } from '../../core/common/errors.js';

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'squall-profile-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const PROFILE = `default: dev
environments:
  dev:
    nimbus: 127.0.0.1
    ui: http://127.0.0.1:8080/
  prod:
    nimbus: nimbus.example.com:7000
    logviewer: http://{host}:8000
    options:
      topology.workers: 8
`;

describe('cluster profiles', () => {
  it('uses the default environment when -e is not given', async () => {
    const cluster = await resolveCluster({}, [folder({ 'squall.yaml': PROFILE })]);
    expect(cluster).toMatchObject({ nimbus: { host: '127.0.0.1', port: 6627 }, ui: 'http://127.0.0.1:8080', environment: 'dev', options: {} });
  });

  it('picks an environment with -e, from .squall/clusters.yaml too, and lets flags win', async () => {
    const dir = folder({ '.squall/clusters.yaml': PROFILE });
    const prod = await resolveCluster({ env: 'prod' }, [dir]);
    expect(prod).toMatchObject({ nimbus: { host: 'nimbus.example.com', port: 7000 }, logviewer: 'http://{host}:8000', options: { 'topology.workers': 8 } });
    const flagged = await resolveCluster({ env: 'prod', nimbus: '10.0.0.1:6627' }, [dir]);
    expect(flagged.nimbus).toEqual({ host: '10.0.0.1', port: 6627 });
  });

  it('looks beside the topology first, then in the next folders', async () => {
    const beside = folder({ 'squall.yaml': 'environments:\n  only:\n    nimbus: beside:6627\n' });
    const cwd = folder({ 'squall.yaml': PROFILE });
    expect((await resolveCluster({}, [beside, cwd])).nimbus).toEqual({ host: 'beside', port: 6627 });
  });

  it('refuses a profile whose aliases expand without bound, naming the file and the line of the value', async () => {
    const refusal = (text: string): Promise<SquallError | undefined> =>
      resolveCluster({}, [folder({ 'squall.yaml': text })]).then(
        () => undefined,
        (e: unknown) => e as SquallError,
      );
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]'];
    const atTop = await refusal([...laughs, 'c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'environments:', '  dev: { nimbus: 127.0.0.1 }', ''].join('\n'));
    expect(atTop).toBeInstanceOf(SquallError);
    expect(atTop!.format()).toMatch(
      /\/squall\.yaml:3:1: cannot read cluster profile: a value expands YAML aliases more than 100 times\n {2}hint: write the values out, or nest fewer aliases: Squall refuses YAML whose aliases \(\*name\) expand more than 100 times \(the "billion laughs" pattern\)$/,
    );
    const inOptions = await refusal([...laughs, 'environments:', '  dev:', '    nimbus: 127.0.0.1', '    options:', '      topology.workers: 2', '      my.list: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', ''].join('\n'));
    expect(inOptions!.format()).toMatch(/\/squall\.yaml:8:7: cannot read cluster profile: a value expands YAML aliases more than 100 times\n/);
  });

  it('names the line of malformed YAML in a profile, without a stack', async () => {
    const error = await resolveCluster({}, [folder({ 'squall.yaml': 'environments:\n  dev:\n    nimbus: [127.0.0.1\n' })]).then(
      () => undefined,
      (e: unknown) => e as SquallError,
    );
    expect(error).toBeInstanceOf(SquallError);
    expect(error!.where.line).toBeGreaterThanOrEqual(3);
    expect(error!.format()).toMatch(/\/squall\.yaml:\d+:\d+: cannot read cluster profile: .+\n {2}hint: fix the YAML \(see docs\/cluster\.md for the format\)$/);
  });

  it('explains a missing address and an unknown environment', async () => {
    const empty = folder({});
    expect(() => requireNimbus({ options: {} })).toThrow(/no Nimbus address/);
    await expect(resolveCluster({ env: 'prod' }, [empty])).rejects.toThrow(/no cluster profile found/);
    await expect(resolveCluster({ env: 'staging' }, [folder({ 'squall.yaml': PROFILE })])).rejects.toThrow(/no such environment/);
  });

  it('refuses a default that names no environment, and environments or options that are not mappings', async () => {
    const typo = folder({ 'squall.yaml': PROFILE.replace('default: dev', 'default: dve') });
    await expect(resolveCluster({}, [typo])).rejects.toMatchObject({ message: 'default: "dve" names no environment of the cluster profile', hint: 'known environments: dev, prod' });
    const scalar = folder({ 'squall.yaml': 'environments:\n  prod: nimbus.example.com\n' });
    await expect(resolveCluster({}, [scalar])).rejects.toThrow(/environment 'prod' must be a mapping/);
    const listed = folder({ 'squall.yaml': 'environments:\n  prod:\n    options: [topology.workers]\n' });
    await expect(resolveCluster({}, [listed])).rejects.toThrow(/environment 'prod': options must be a mapping/);
  });
});
