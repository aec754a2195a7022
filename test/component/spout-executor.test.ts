import { describe, expect, it } from 'vitest';
import { Spout, TopologyContext } from '../../core/component/index.js';
import { ComponentCrash, SpoutExecutor } from '../../core/component/runtime.js';
import { RecordingHost } from './fake-host.js';

const context = new TopologyContext({ taskid: 1, componentid: 'spout', 'task->component': { '1': 'spout' } });

class Numbers extends Spout {
  n = 0;
  events: string[] = [];
  nextTuple(): void {
    if (this.n < 2) this.emit([this.n], { id: `m${this.n++}` });
  }
  override ack(id: string | number): void {
    this.events.push(`ack ${typeof id} ${id}`);
  }
  override fail(id: string | number): void {
    this.events.push(`fail ${typeof id} ${id}`);
  }
  override activate(): void {
    this.events.push('activate');
  }
  override deactivate(): void {
    this.events.push('deactivate');
  }
}

describe('SpoutExecutor', () => {
  it('counts emits per call so the runtime knows when nextTuple was idle', async () => {
    const host = new RecordingHost();
    const executor = new SpoutExecutor(new Numbers(), host, {}, context);
    await executor.nextTuple();
    expect(executor.takeEmitCount()).toBe(1);
    await executor.nextTuple();
    await executor.nextTuple();
    expect(executor.takeEmitCount()).toBe(1);
    expect(host.of('emit')).toEqual([
      ['emit', [0], { id: 'm0', needTaskIds: false }],
      ['emit', [1], { id: 'm1', needTaskIds: false }],
    ]);
  });

  it('passes message ids to ack/fail verbatim and calls activate/deactivate', async () => {
    const spout = new Numbers();
    const executor = new SpoutExecutor(spout, new RecordingHost(), {}, context);
    await executor.activate();
    await executor.ack('m0');
    await executor.fail(7);
    await executor.deactivate();
    expect(spout.events).toEqual(['activate', 'ack string m0', 'fail number 7', 'deactivate']);
  });

  it('turns an exception in nextTuple or ack into a ComponentCrash naming where it happened', async () => {
    class Broken extends Spout {
      nextTuple(): Promise<void> {
        return Promise.reject(new Error('source gone'));
      }
      override ack(): void {
        throw new Error('bad ack');
      }
    }
    const executor = new SpoutExecutor(new Broken(), new RecordingHost(), {}, context);
    const next = (await executor.nextTuple().catch((e: unknown) => e)) as ComponentCrash;
    expect(next).toBeInstanceOf(ComponentCrash);
    expect(next.during).toBe('nextTuple');
    const ack = (await executor.ack('m9').catch((e: unknown) => e)) as ComponentCrash;
    expect(ack.report()).toContain('message id: "m9"');
  });
});
