import { afterEach, describe, expect, it } from 'vitest';
import type { PausedState } from '../../core/common/debug/paused.js';
import { DebugSessionManager } from '../../core/debug/session-manager.js';
import { allAcked, localSandbox, problemsOf, waitFor } from '../local/helpers.js';
import { COUNT_TS, SPLIT_TS, nextDebugEvent, recordDebug, wordcount } from './helpers.js';

const sandbox = localSandbox();
let session: DebugSessionManager | undefined;
afterEach(async () => {
  await session?.detach();
  session = undefined;
});

describe('debug session on a local run', () => {
  it('a breakpoint set before start catches the very first tuple, and one in split with parallelism 3 is hit in all three tasks', async () => {
    const { engine, events } = sandbox.create(wordcount({ name: 'dbg-all-tasks', ids: 30, split: 3 }), { debug: { components: ['split'], waitSecs: 30 }, seed: 1 });
    session = DebugSessionManager.forRun(engine);
    const debugEvents = recordDebug(session);
    const bp = await session.setBreakpoint({ component: 'split', file: SPLIT_TS, line: 9 });
    expect(bp.tasks).toEqual([]);
    const hits: PausedState[] = [];
    session.onEvent((event) => {
      if (event.type !== 'paused') return;
      hits.push(event);
      void session!.resume({ task: event.task });
    });
    engine.onDebugTargets(() => void session!.start());
    await engine.start();
    await session.start();
    await waitFor(() => allAcked(events), 30_000, 'every sentence acked');
    expect(hits).toHaveLength(30);
    expect(new Set(hits.map((h) => h.task)).size).toBe(3);
    expect(hits.map((h) => h.tuple?.values.sentence)).toContain('id-0 word-0');
    for (const hit of hits) {
      expect(hit).toMatchObject({ component: 'split', reason: 'breakpoint', breakpoints: [bp.id], location: { file: SPLIT_TS, line: 9 } });
      expect(hit.tuple).toMatchObject({ component: 'sentences', stream: 'default', values: { sentence: expect.stringMatching(/^id-\d+ word-\d+$/) } });
    }
    const resolved = session.breakpoints()[0]!.tasks;
    expect(resolved.map((t) => [t.resolved, t.line])).toEqual([[true, 9], [true, 9], [true, 9]]);
    expect(debugEvents.filter((e) => e.type === 'task-attached').map((e) => e.type === 'task-attached' && e.channel)).toEqual(['relay', 'relay', 'relay']);
    expect(problemsOf(events, 'task-died')).toEqual([]);
  }, 60_000);

  it('shows scopes, expands variables, evaluates, reports watches and steps over to the next TypeScript line', async () => {
    const { engine } = await sandbox.start(wordcount({ name: 'dbg-inspect', ids: 400, rate: 20 }), { debug: { components: ['split'] } });
    session = DebugSessionManager.forRun(engine);
    await session.start();
    session.addWatch('sentence.length');
    session.addWatch('nosuchname');
    const paused = nextDebugEvent(session, 'paused');
    await session.setBreakpoint({ component: 'split', file: SPLIT_TS, line: 9 });
    const hit = await paused;
    expect(hit.callStack[0]).toMatchObject({ name: 'process', userCode: true, location: { file: SPLIT_TS, line: 9 } });
    expect(hit.callStack.some((frame) => !frame.userCode)).toBe(true);
    expect(hit.watches[0]).toMatchObject({ expression: 'sentence.length', type: 'number', value: String(hit.tuple!.values.sentence!.toString().length) });
    expect(hit.watches[1]!.error).toMatch(/nosuchname is not defined/);
    const scopes = session.scopes(hit.task);
    expect(scopes[0]).toMatchObject({ name: expect.stringMatching(/^Local/), type: 'local', expensive: false });
    const locals = await session.variablesOf(scopes[0]!.variablesReference);
    const tuple = locals.find((v) => v.name === 'tuple')!;
    expect(tuple).toMatchObject({ type: 'object', value: 'Tuple' });
    const fields = await session.variablesOf(tuple.variablesReference);
    expect(fields.find((v) => v.name === 'stream')).toMatchObject({ value: '"default"', type: 'string', variablesReference: 0 });
    expect(locals.find((v) => v.name === 'sentence')?.value).toBe(JSON.stringify(hit.tuple!.values.sentence));
    expect(await session.evaluate(hit.task, "tuple.getString('sentence').toUpperCase()")).toMatchObject({ type: 'string', json: String(hit.tuple!.values.sentence).toUpperCase() });
    expect((await session.evaluate(hit.task, 'missing.value')).error).toMatch(/ReferenceError: missing is not defined/);
    const stepped = nextDebugEvent(session, 'paused', (e) => e.reason === 'step');
    await session.stepOver(hit.task);
    expect((await stepped).location).toMatchObject({ file: SPLIT_TS, line: 10 });
    await session.resume();
    await expect(session.variablesOf(tuple.variablesReference)).rejects.toThrow(/not valid/);
  }, 60_000);

  it('a logpoint prints through the debugger, never on stdout: the protocol stays intact and every tuple is acked', async () => {
    const { engine, events } = sandbox.create(wordcount({ name: 'dbg-logpoint', ids: 40 }), { debug: { components: ['split'], waitSecs: 30 } });
    session = DebugSessionManager.forRun(engine);
    const outputs: string[] = [];
    session.onEvent((event) => void (event.type === 'output' && outputs.push(event.text)));
    await session.setBreakpoint({ component: 'split', file: SPLIT_TS, line: 10, logMessage: 'words={JSON.stringify(words)}\nend\n`${"x"}` {words.length}' });
    engine.onDebugTargets(() => void session!.start());
    await engine.start();
    await waitFor(() => allAcked(events), 30_000, 'every sentence acked');
    expect(outputs).toHaveLength(40);
    expect(outputs).toContain('words=["id-0","word-0"]\nend\n`$x` 2');
    expect(session.paused()).toEqual([]);
    expect(problemsOf(events, 'task-died')).toEqual([]);
    expect(events.filter((e) => e.type === 'log' && e.text.includes('words='))).toEqual([]);
  }, 60_000);

  it('conditions and hit counts are evaluated in the task', async () => {
    const { engine, events } = sandbox.create(wordcount({ name: 'dbg-condition', ids: 20 }), { debug: { components: ['split'], waitSecs: 30 } });
    session = DebugSessionManager.forRun(engine);
    await session.setBreakpoint({ component: 'split', file: SPLIT_TS, line: 9, condition: "sentence.endsWith('word-3') || sentence.endsWith('word-5') || sentence.endsWith('word-9')", hitCondition: '>= 2' });
    const hits: string[] = [];
    session.onEvent((event) => {
      if (event.type !== 'paused') return;
      hits.push(String(event.tuple?.values.sentence));
      void session!.resume();
    });
    engine.onDebugTargets(() => void session!.start());
    await engine.start();
    await waitFor(() => allAcked(events), 30_000, 'every sentence acked');
    expect(hits).toEqual(['id-5 word-5', 'id-9 word-9']);
  }, 60_000);

  it('"uncaught" pauses when an error escapes process(), with the error, the tuple and where it was thrown', async () => {
    const spec = wordcount({ name: 'dbg-uncaught', ids: 10, config: { 'test.bad': 'id-3' } });
    const { engine, events } = sandbox.create(spec, { debug: { components: ['count'], waitSecs: 30 }, restart: { initialDelayMs: 10 } });
    session = DebugSessionManager.forRun(engine);
    await session.setExceptionPause('uncaught');
    const crash = nextDebugEvent(session, 'paused');
    engine.onDebugTargets(() => void session!.start());
    await engine.start();
    const paused = await crash;
    expect(paused).toMatchObject({ component: 'count', reason: 'exception', tuple: { values: { word: 'id-3' } } });
    expect(paused.exception).toMatch(/Error: cannot count id-3/);
    expect(paused.exception).toContain(`${COUNT_TS}:11:`);
    expect(paused.location).toMatchObject({ file: COUNT_TS, line: 11 });
    // A BasicBolt's error fails the tuple and the task lives on.
    await session.setExceptionPause('none');
    await session.resume();
    await waitFor(() => events.some((e) => e.type === 'log' && e.text === 'FAILED 3'), 15_000, 'the failed tuple');
    expect(problemsOf(events, 'task-died')).toEqual([]);
  }, 60_000);

  it('"all" pauses at the throw site in the TypeScript source', async () => {
    const spec = wordcount({ name: 'dbg-all-exceptions', ids: 10, config: { 'test.bad': 'id-3' } });
    const { engine } = sandbox.create(spec, { debug: { components: ['count'], waitSecs: 30 }, restart: { initialDelayMs: 10 } });
    session = DebugSessionManager.forRun(engine);
    await session.setExceptionPause('all');
    const thrown = nextDebugEvent(session, 'paused', (e) => e.reason === 'exception' && /cannot count/.test(e.exception ?? ''));
    // Node and the runtime may throw and catch their own exceptions: run past those.
    session.onEvent((event) => void (event.type === 'paused' && !/cannot count/.test(event.exception ?? '') && session!.resume({ task: event.task })));
    engine.onDebugTargets(() => void session!.start());
    await engine.start();
    const paused = await thrown;
    expect(paused.location).toMatchObject({ file: COUNT_TS, line: 11 });
    expect(paused.callStack[0]).toMatchObject({ name: 'process', userCode: true });
    expect(paused.tuple?.values.word).toBe('id-3');
  }, 60_000);

  it('a restarted task gets its breakpoints again, and detach resumes everything', async () => {
    const { engine, events } = sandbox.create(wordcount({ name: 'dbg-restart', ids: 30, rate: 20 }), { debug: { components: ['split'], waitSecs: 30 }, restart: { initialDelayMs: 10 } });
    session = DebugSessionManager.forRun(engine);
    const bp = await session.setBreakpoint({ component: 'split', file: SPLIT_TS, line: 8 });
    const first = nextDebugEvent(session, 'paused');
    engine.onDebugTargets(() => void session!.start());
    await engine.start();
    const hit = await first;
    expect(hit.generation).toBe(0);
    const again = nextDebugEvent(session, 'paused', (e) => e.generation === 1, 20_000);
    engine.restartTask(hit.task);
    const second = await again;
    expect(second).toMatchObject({ reason: 'breakpoint', breakpoints: [bp.id], location: { file: SPLIT_TS, line: 8 } });
    expect(session.breakpoints()[0]!.tasks).toEqual([expect.objectContaining({ task: hit.task, generation: 1, resolved: true, line: 8 })]);
    await session.detach();
    session = undefined;
    await waitFor(() => allAcked(events), 30_000, 'every sentence acked after detach');
  }, 60_000);

  it('refuses a breakpoint on a component the topology does not have', async () => {
    const { engine } = sandbox.create(wordcount({ name: 'dbg-typo', ids: 1 }), { debug: { components: ['split'] } });
    session = DebugSessionManager.forRun(engine);
    await expect(session.setBreakpoint({ component: 'splt', file: SPLIT_TS, line: 8 })).rejects.toThrow(/'splt' is not a component/);
    await expect(session.setBreakpoint({ component: 'split', file: SPLIT_TS, line: 0 })).rejects.toThrow(/whole number from 1/);
  });
});
