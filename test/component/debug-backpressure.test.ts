/**
 * Debug mode hands output to an I/O thread; that hand-off must be bounded like process.stdout
 * is outside debug mode, or a host that stops reading makes the task buffer without limit.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputWindow } from '../../core/component/multilang/debug-io.js';
import { ProtocolWriter } from '../../core/component/multilang/writer.js';
import { bundleLauncher } from '../../core/build/bundle.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'squall-debug-bp-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('OutputWindow', () => {
  it('asks the writer to wait past the high-water mark and lets it go once everything is written', async () => {
    const window = new OutputWindow(10);
    const written: Array<() => void> = [];
    const pauses: boolean[] = [];
    const writer = new ProtocolWriter(
      {
        write: (text, done) => {
          written.push(() => {
            done();
            window.written(text.length);
          });
          return window.sent(text.length);
        },
        onDrain: (listener) => window.onDrain(listener),
      },
      (blocked) => pauses.push(blocked),
    );
    writer.send('0123456789ab');
    await turn();
    expect(pauses).toEqual([true]);
    writer.send('cd');
    await turn();
    expect(written).toHaveLength(1); // held while the window is full
    written.shift()!();
    expect(pauses).toEqual([true, false]);
    expect(written).toHaveLength(1); // the held batch left on drain
    written.shift()!();
    expect(window.pending).toBe(0);
  });
});

describe('debug mode output', () => {
  it('stops reading input while the host does not read its output, then delivers everything in order', async () => {
    const { file } = await bundleLauncher({
      script: path.join(import.meta.dirname, '..', 'conformance', 'fixtures', 'components', 'echo-bolt.ts'),
      componentId: 'echo',
      outFile: path.join(work, 'echo.mjs'),
    });
    const child = spawn(process.execPath, [file], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SQUALL_DEBUG: '1' } });
    try {
      const stdout = child.stdout!;
      stdout.setEncoding('utf8');
      let buffer = '';
      const messages: Array<Record<string, unknown>> = [];
      stdout.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\nend\n'); end !== -1; end = buffer.indexOf('\nend\n')) {
          messages.push(JSON.parse(buffer.slice(0, end)) as Record<string, unknown>);
          buffer = buffer.slice(end + 5);
        }
      });
      const waitFor = async (done: () => boolean): Promise<void> => {
        for (let i = 0; i < 400 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
      };
      const send = (message: unknown): boolean => child.stdin!.write(`${JSON.stringify(message)}\nend\n`);
      send({ conf: {}, pidDir: work, context: { taskid: 2, componentid: 'echo', 'task->component': { '1': 'numbers', '2': 'echo' }, 'source->stream->fields': { numbers: { default: ['n'] } } } });
      await waitFor(() => messages.length > 0);
      expect(messages[0]).toEqual({ pid: child.pid });

      // The host stops reading, then sends 4 MB of tuples (each echoed back: about as much output).
      stdout.pause();
      const tuples = 12_000;
      const padding = 'x'.repeat(300);
      for (let i = 0; i < tuples; i++) send({ id: String(i), comp: 'numbers', stream: 'default', task: 1, tuple: [`${i} ${padding}`] });
      // Wait until the child has stopped taking input (what it took no longer changes).
      let unread = -1;
      await waitFor(() => {
        const now = child.stdin!.writableLength;
        const settled = now === unread;
        unread = now;
        return settled && now > 0;
      });
      // Pipes, the I/O thread's window and the read buffers hold well under 1 MB: most input is still with us.
      expect(child.stdin!.writableLength).toBeGreaterThan(2_000_000);

      stdout.resume();
      await waitFor(() => messages.filter((m) => m.command === 'ack').length === tuples);
      const acks = messages.filter((m) => m.command === 'ack').map((m) => m.id);
      expect(acks).toEqual(Array.from({ length: tuples }, (_, i) => String(i)));
      child.stdin!.end();
      expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
