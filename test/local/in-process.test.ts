import { describe, expect, it } from 'vitest';
import { Spout } from 'squall';
import { assignTasks, handshakeContext } from '../../core/common/routing/tasks.js';
import type { TopologySpec } from '../../core/common/topology/model.js';
import { InProcessChannel } from '../../core/local/in-process-channel.js';
import { allAcked, chain, localSandbox, waitFor } from './helpers.js';

const sandbox = localSandbox();

describe('in-process mode (labelled, same host-side rules)', () => {
  it('runs the reliable chain inside this process: every id acked, ticks delivered, no child process', async () => {
    const spec = chain({ name: 'inproc', config: { 'test.ids': 3000, 'test.rate': 100_000, 'topology.max.spout.pending': 200 }, bolt: 'count.ts', boltConfig: { 'topology.tick.tuple.freq.secs': 1 } });
    const { engine, events } = await sandbox.start(spec, { inProcess: true });
    await waitFor(() => allAcked(events), 20_000, 'every id acked');
    await waitFor(() => events.some((e) => e.type === 'log' && e.text.startsWith('TICK')), 5_000, 'a tick');
    const figures = engine.figures();
    expect(figures.mode).toBe('in-process');
    expect(events.find((e) => e.type === 'started')).toMatchObject({ mode: 'in-process' });
    const spout = figures.components.find((c) => c.component === 'spout')!;
    expect(spout).toMatchObject({ acked: 3000, failed: 0, emitted: 3000 });
    const sink = figures.components.find((c) => c.component === 'sink')!;
    expect(sink.acked).toBe(6000);
    // Every task reports this process's pid: nothing else was started.
    expect(new Set(figures.tasks.map((t) => t.pid))).toEqual(new Set([process.pid]));
  }, 30_000);
});

describe('InProcessChannel (one in-process task)', () => {
  it('stops like a closed stdin: no call into the spout beside its pending nextTuple, exit code 0', async () => {
    const calls: string[] = [];
    let release!: () => void;
    class SlowSpout extends Spout {
      static outputs = { default: ['n'] };
      async nextTuple(): Promise<void> {
        calls.push('nextTuple');
        await new Promise<void>((resolve) => (release = resolve));
      }
      override deactivate(): void {
        calls.push('deactivate');
      }
    }
    const spec: TopologySpec = { name: 'stop', config: {}, components: [{ id: 'slow', kind: 'spout', script: '', parallelism: 1, inputs: [], config: {} }] };
    const layout = assignTasks(spec);
    const messages: unknown[] = [];
    const exits: Array<number | null> = [];
    const channel = new InProcessChannel(SlowSpout, { onMessages: (list) => messages.push(...list), onProtocolError: () => {}, onStderr: () => {}, onExit: (code) => exits.push(code) });
    channel.send({ conf: {}, pidDir: '', context: handshakeContext(spec, layout, layout.componentTasks.get('slow')![0]!) });
    await waitFor(() => messages.length > 0, 5_000, 'the pid reply');
    channel.send({ command: 'next', id: '' });
    await waitFor(() => calls.length > 0, 5_000, 'nextTuple to start');
    await channel.stop();
    release();
    await waitFor(() => exits.length > 0, 5_000, 'the exit');
    expect(calls).toEqual(['nextTuple']);
    expect(exits).toEqual([0]);
    expect(channel.alive).toBe(false);
  });
});
