import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogviewerClient, parseLogPage } from '../../core/cluster/logviewer.js';
import { StormUiClient } from '../../core/cluster/storm-ui.js';
import { SquallError } from '../../core/common/errors.js';
import { fakeLogviewer, fakeStormUi, UI_TOPOLOGY_ID, type FakeServer } from './fake-storm-http.js';

const logs = new Map<string, string>();
let logviewer: FakeServer;
let ui: FakeServer;
const FILE = LogviewerClient.workerLog(UI_TOPOLOGY_ID, 6700);

beforeAll(async () => {
  logviewer = await fakeLogviewer(logs);
  ui = await fakeStormUi();
});
afterAll(async () => {
  await logviewer.stop();
  await ui.stop();
});

describe('logviewer client', () => {
  it('unescapes the <pre class="logContent"> text and reads the pager', () => {
    const page = parseLogPage('<div><a href="/api/v1/log?file=a%2F1%2Fworker.log&amp;start=960&amp;length=40" class="btn">Next</a></div><pre class="logContent">a &lt;b&gt; &amp; &quot;c&quot;</pre>');
    expect(page).toEqual({ text: 'a <b> & "c"', nextStart: 960 });
  });

  it('finds the end of a log longer than one page, then reads only what is appended', async () => {
    logs.set(FILE, `${'0123456789'.repeat(10)}\n`);
    const client = new LogviewerClient(logviewer.url);
    const tail = await client.tail(FILE, 40);
    expect(tail).toEqual({ text: logs.get(FILE)!.slice(-40), end: 101 });
    expect(await client.readFrom(FILE, tail.end)).toEqual({ text: '', end: 101 });
    logs.set(FILE, `${logs.get(FILE)}appended line\n`);
    expect(await client.readFrom(FILE, tail.end)).toEqual({ text: 'appended line\n', end: 115 });
  });

  it('reads a log shorter than one page whole', async () => {
    logs.set(FILE, 'short\n');
    expect(await new LogviewerClient(logviewer.url).tail(FILE, 1000)).toEqual({ text: 'short\n', end: 6 });
  });

  it('says which logviewer cannot be reached and how to fix it', async () => {
    const error = await new LogviewerClient('http://127.0.0.1:1').tail(FILE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SquallError);
    expect((error as SquallError).message).toContain('cannot reach the logviewer at http://127.0.0.1:1');
    expect((error as SquallError).hint).toContain('--logviewer');
  });
});

describe('Storm UI client', () => {
  it('reads ids, per-component figures (strings as numbers) and executor placement', async () => {
    const client = new StormUiClient(ui.url);
    expect(await client.topologyId('wordcount')).toBe(UI_TOPOLOGY_ID);
    const topology = await client.topology(UI_TOPOLOGY_ID);
    expect(topology.components.find((c) => c.id === 'split')).toMatchObject({ kind: 'bolt', executors: 2, processLatency: 1.234, executeLatency: 0.052, capacity: 0.001 });
    expect(topology.components.find((c) => c.id === 'sentences')).toMatchObject({ kind: 'spout', completeLatency: 12.5, failed: 2 });
    expect(await client.executors(UI_TOPOLOGY_ID, 'split')).toEqual([
      { id: '[1-1]', host: '127.0.0.1', port: 6700 },
      { id: '[2-2]', host: '127.0.0.1', port: 6701 },
    ]);
    await expect(client.topologyId('ghost')).rejects.toThrow(/knows no topology named 'ghost'/);
  });
});
