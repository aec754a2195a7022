import net from 'node:net';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEBUG_HOOKS_EXPRESSION, type RelayEndpoint } from '../../core/common/debug/hooks.js';
import type { CdpConnection } from '../../core/debug/cdp/connection.js';
import { connectInspector } from '../../core/debug/cdp/connect.js';
import { connectRelay } from '../../core/debug/cdp/relay-connection.js';
import { connectWebSocket } from '../../core/debug/cdp/websocket-connection.js';
import { chain, localSandbox, waitFor } from '../local/helpers.js';

const sandbox = localSandbox();

async function debugRun(name: string, waitSecs = 0) {
  const spec = chain({ name, config: { 'test.ids': 200, 'test.rate': 200 }, bolt: 'count.ts', boltParallelism: 1, splitParallelism: 1 });
  const recorded = await sandbox.start(spec, { debug: { components: ['sink'], waitSecs } });
  await waitFor(() => recorded.engine.debugTargets().length === 1, 15_000, 'the debug target');
  return { ...recorded, target: recorded.engine.debugTargets()[0]! };
}

async function relayOf(url: string): Promise<RelayEndpoint> {
  const ws = await connectWebSocket(url);
  try {
    const answer = await ws.send('Runtime.evaluate', { expression: `${DEBUG_HOOKS_EXPRESSION}.relay()`, returnByValue: true });
    return answer.result.value as RelayEndpoint;
  } finally {
    await ws.close();
  }
}

/** Writes `line` to the relay and returns what it answers before closing. */
function rawRelay(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(line));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    setTimeout(() => socket.destroy(), 3000).unref();
  });
}

describe('CDP connection to a debugged task', () => {
  it('switches to the task relay (fast path) and carries commands and events', async () => {
    const { target } = await debugRun('cdp-relay');
    const cdp: CdpConnection = await connectInspector(target.url);
    try {
      expect(cdp.channel).toBe('relay');
      const sum = await cdp.send('Runtime.evaluate', { expression: '6 * 7', returnByValue: true });
      expect(sum.result.value).toBe(42);
      const scripts: string[] = [];
      cdp.on('Debugger.scriptParsed', (script) => scripts.push(script.url));
      await cdp.send('Debugger.enable');
      await waitFor(() => scripts.some((url) => url.endsWith('.mjs')), 5000, 'the bundle among the parsed scripts');
      await expect(cdp.send('Debugger.getScriptSource', { scriptId: 'no-such-script' })).rejects.toThrow(/Debugger.getScriptSource/);
    } finally {
      await cdp.close();
    }
    expect(cdp.closed).toBe(true);
    await expect(cdp.send('Runtime.evaluate', { expression: '1' })).rejects.toThrow(/closed/);
  }, 30_000);

  it('uses the inspector WebSocket when asked, and the announcement names the relay port', async () => {
    const { target, events } = await debugRun('cdp-websocket');
    const cdp = await connectInspector(target.url, { prefer: 'websocket' });
    try {
      expect(cdp.channel).toBe('websocket');
      const answer = await cdp.send('Runtime.evaluate', { expression: `typeof ${DEBUG_HOOKS_EXPRESSION}.currentTuple`, returnByValue: true });
      expect(answer.result.value).toBe('function');
    } finally {
      await cdp.close();
    }
    const announcement = events.find((e) => e.type === 'log' && e.text.startsWith('debugger listening on'));
    expect(announcement && announcement.type === 'log' ? announcement.text : '').toMatch(/\(pid \d+, relay port \d+\)$/);
  }, 30_000);

  it('the relay refuses a wrong secret and a client that sends no secret, and listens on loopback only', async () => {
    const { target } = await debugRun('cdp-refuse');
    const endpoint = await relayOf(target.url);
    expect(endpoint.host).toBe('127.0.0.1');
    await expect(connectRelay({ ...endpoint, secret: 'not-the-secret' })).rejects.toThrow(/refused: wrong secret/);
    expect(await rawRelay(endpoint.port, '{"id":1,"method":"Runtime.evaluate","params":{"expression":"process.pid"}}\n')).toMatch(/refused: wrong secret/);
    const elsewhere = Object.values(os.networkInterfaces()).flat().find((address) => address && address.family === 'IPv4' && !address.internal);
    if (elsewhere) {
      await expect(new Promise((resolve, reject) => net.connect(endpoint.port, elsewhere.address).on('connect', resolve).on('error', reject))).rejects.toThrow(/ECONNREFUSED/);
    }
    const good = await connectRelay(endpoint);
    expect((await good.send('Runtime.evaluate', { expression: '1 + 1', returnByValue: true })).result.value).toBe(2);
    await good.close();
  }, 30_000);

  it('--debug-wait holds user code back at most that long, then the task runs without a debugger', async () => {
    const { engine, target } = await debugRun('cdp-bounded-wait', 1);
    expect(target.waiting).toBe(true);
    await waitFor(() => (engine.figures().components.find((c) => c.component === 'sink')?.acked ?? 0) > 0, 15_000, 'the waiting task to run on its own');
    expect(engine.snapshot().tasks.find((t) => t.component === 'sink')?.generation).toBe(0);
  }, 30_000);

  it('a debugger that attaches to a waiting task lets it run at once with runIfWaitingForDebugger', async () => {
    const { engine, target } = await debugRun('cdp-release', 60);
    expect(target.waiting).toBe(true);
    const sinkAcked = () => engine.figures().components.find((c) => c.component === 'sink')?.acked ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sinkAcked()).toBe(0);
    const cdp = await connectInspector(target.url);
    await cdp.send('Runtime.runIfWaitingForDebugger');
    await waitFor(() => sinkAcked() > 0, 15_000, 'the released task to process tuples');
    await cdp.close();
  }, 30_000);
});
