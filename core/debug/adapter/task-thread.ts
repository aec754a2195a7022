/**
 * One debugged task (vscode-js-debug's "thread"): its CDP connection, its scripts and maps, the
 * session's breakpoints as set in it, and its paused state. The session manager owns the
 * breakpoints and fans them out; a thread applies them to its task and reports what happened.
 */
import type { Protocol } from 'devtools-protocol';
import type { BreakpointTaskState, Breakpoint, ExceptionPauseMode } from '../../common/debug/breakpoints.js';
import type { DebugEvent } from '../../common/debug/events.js';
import { DEBUG_HOOKS_EXPRESSION, LOGPOINT_BINDING, type TupleView } from '../../common/debug/hooks.js';
import type { PausedState, PauseReason, SourceLocation, StackFrame, WatchValue } from '../../common/debug/paused.js';
import type { EvaluateResult, Scope, Variable } from '../../common/debug/variables.js';
import type { DebugTarget } from '../../common/run/run-types.js';
import type { CdpConnection } from '../cdp/connection.js';
import { BundleSourceMap } from '../source-map/bundle-source-map.js';
import { breakpointCondition } from './breakpoint-condition.js';
import { hasChildren, jsonOf, renderValue, typeOf } from './remote-object.js';
import { ScriptMaps } from './script-maps.js';
import type { VariableStore } from './variable-store.js';

/** What a thread tells its session. */
export interface ThreadOwner {
  fire(event: DebugEvent): void;
  breakpointState(id: string, state: BreakpointTaskState): void;
  readonly variables: VariableStore;
  watches(): readonly string[];
}

/** The function of the runtime that pauses on a component error (debug-hooks.ts; a bundler may add a number). */
const COMPONENT_ERROR_PAUSE = /^pauseOnComponentError\d*$/;
/** Steps that land in the runtime's code climb out at most this often before the task is resumed. */
const MAX_STEP_OUTS = 30;

/** A debugged task. */
export class TaskThread {
  private readonly scripts: ScriptMaps;
  /** Session breakpoint id → the CDP breakpoint ids set for it. */
  private readonly set = new Map<string, string[]>();
  private readonly byCdpId = new Map<string, string>();
  private raw: Protocol.Debugger.PausedEvent | undefined;
  private state: PausedState | undefined;
  private stepping = false;
  private stepOuts = 0;
  private pauseAsked = false;
  /** Settles once the debugger is enabled in the task and its scripts' maps are read. */
  private enabled: Promise<void> | undefined;
  /** Breakpoint changes run one after another, so two changes of one breakpoint never interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly target: DebugTarget,
    readonly cdp: CdpConnection,
    private readonly owner: ThreadOwner,
  ) {
    this.scripts = new ScriptMaps(cdp);
    cdp.on('Debugger.paused', (event) => void this.paused(event).catch((error: unknown) => this.problem(`cannot read the paused state: ${(error as Error).message}`)));
    cdp.on('Debugger.resumed', () => this.resumed());
    cdp.on('Debugger.breakpointResolved', (event) => this.resolved(event));
    cdp.on('Runtime.bindingCalled', (event) => this.logpoint(event));
  }

  get component(): string {
    return this.target.component;
  }
  get task(): number {
    return this.target.task;
  }
  get generation(): number {
    return this.target.generation;
  }
  get pausedState(): PausedState | undefined {
    return this.state;
  }

  /**
   * Enables the debugger in the task, applies the breakpoints and the exception mode, then lets
   * a task that waits for a debugger run: breakpoints are in place before its user code runs.
   */
  async attach(breakpoints: readonly Breakpoint[], exceptions: ExceptionPauseMode): Promise<void> {
    this.enabled = (async () => {
      await this.cdp.send('Runtime.enable');
      await this.cdp.send('Runtime.addBinding', { name: LOGPOINT_BINDING });
      await this.cdp.send('Debugger.enable', {});
      await this.scripts.ready();
    })();
    await this.enabled;
    await this.setExceptionMode(exceptions);
    await Promise.all(breakpoints.map((bp) => this.applyBreakpoint(bp)));
    await this.cdp.send('Runtime.runIfWaitingForDebugger');
  }

  /** Sets (or re-sets) one breakpoint in this task; returns its state here. */
  applyBreakpoint(bp: Breakpoint): Promise<BreakpointTaskState> {
    return this.serial(() => this.apply(bp));
  }

  /** Removes a breakpoint from this task. */
  removeBreakpoint(id: string): Promise<void> {
    return this.serial(() => this.remove(id));
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async apply(bp: Breakpoint): Promise<BreakpointTaskState> {
    await this.enabled;
    await this.remove(bp.id);
    const base = { task: this.task, generation: this.generation };
    if (!bp.enabled) return this.report(bp.id, { ...base, resolved: false, message: 'disabled' });
    await this.scripts.ready();
    const holders = this.scripts.scriptsHolding(bp.file);
    if (holders.length === 0) return this.report(bp.id, { ...base, resolved: false, message: `${bp.file} is not part of the code component '${bp.component}' runs (no source map of its bundle names it)` });
    let condition: string | undefined;
    try {
      condition = breakpointCondition(bp.id, bp);
    } catch (error) {
      return this.report(bp.id, { ...base, resolved: false, message: (error as Error).message });
    }
    const ids: string[] = [];
    let landed: { line: number; column: number } | undefined;
    for (const { script, source } of holders) {
      const target = script.map!.toGenerated(source, bp.line, bp.column);
      if (!target) continue;
      const answer = await this.cdp.send('Debugger.setBreakpointByUrl', { url: script.url, lineNumber: target.generated.line - 1, columnNumber: target.generated.column - 1, ...(condition ? { condition } : {}) });
      ids.push(answer.breakpointId);
      this.byCdpId.set(answer.breakpointId, bp.id);
      const actual = answer.locations[0] ? this.scripts.locate(answer.locations[0]).original : undefined;
      landed ??= actual ? { line: actual.line, column: actual.column } : undefined;
    }
    this.set.set(bp.id, ids);
    if (ids.length === 0) return this.report(bp.id, { ...base, resolved: false, message: `no code at or below ${bp.file}:${bp.line}` });
    if (!landed) return this.report(bp.id, { ...base, resolved: false, message: 'set; waiting for the code to load' });
    return this.report(bp.id, { ...base, resolved: true, line: landed.line, column: landed.column });
  }

  private async remove(id: string): Promise<void> {
    const ids = this.set.get(id);
    if (!ids) return;
    this.set.delete(id);
    for (const cdpId of ids) {
      this.byCdpId.delete(cdpId);
      await this.cdp.send('Debugger.removeBreakpoint', { breakpointId: cdpId }).catch(() => undefined);
    }
  }

  /** 'all': V8 pauses at every throw. 'uncaught': the runtime pauses before a component error crashes the task. */
  async setExceptionMode(mode: ExceptionPauseMode): Promise<void> {
    await this.cdp.send('Debugger.setPauseOnExceptions', { state: mode === 'all' ? 'all' : 'none' });
    await this.cdp.send('Runtime.evaluate', { expression: `(() => { const hooks = ${DEBUG_HOOKS_EXPRESSION}; if (hooks) hooks.pauseOnCrash = ${mode === 'uncaught'}; })()`, silent: true });
  }

  async resume(): Promise<void> {
    if (!this.raw) return;
    await this.cdp.send('Debugger.resume', {});
  }

  async pause(): Promise<void> {
    if (this.raw) return;
    this.pauseAsked = true;
    await this.cdp.send('Debugger.pause');
  }

  async step(kind: 'over' | 'into' | 'out'): Promise<void> {
    if (!this.raw) return;
    this.stepping = true;
    this.stepOuts = 0;
    if (kind === 'over') await this.cdp.send('Debugger.stepOver', {});
    else if (kind === 'into') await this.cdp.send('Debugger.stepInto', {});
    else await this.cdp.send('Debugger.stepOut');
  }

  /** The scopes of a frame of the paused task. */
  scopes(frameIndex: number): Scope[] {
    const frame = this.frame(frameIndex);
    return frame.scopeChain
      .filter((scope) => scope.object.objectId !== undefined)
      .map((scope) => ({
        name: scope.name ? `${scopeName(scope.type)}: ${scope.name}` : scopeName(scope.type),
        type: scope.type,
        variablesReference: this.owner.variables.add(this.task, scope.object.objectId!),
        expensive: scope.type === 'global',
      }));
  }

  /** The children of an object of this task. */
  async variables(objectId: string): Promise<Variable[]> {
    const answer = await this.cdp.send('Runtime.getProperties', { objectId, ownProperties: true, generatePreview: false });
    const variables: Variable[] = [];
    for (const property of answer.result) {
      if (!property.value) {
        if (property.get) variables.push({ name: property.name, value: '(getter)', type: 'accessor', variablesReference: 0 });
        continue;
      }
      variables.push(this.variable(property.name, property.value));
    }
    return variables;
  }

  /** Evaluates in a frame of the paused task, or globally when it runs. */
  async evaluate(expression: string, options: { frame?: number; json?: boolean } = {}): Promise<EvaluateResult> {
    const common = { expression, silent: true, returnByValue: options.json === true, generatePreview: false };
    const answer = this.raw ? await this.cdp.send('Debugger.evaluateOnCallFrame', { callFrameId: this.frame(options.frame ?? 0).callFrameId, ...common }) : await this.cdp.send('Runtime.evaluate', common as Protocol.Runtime.EvaluateRequest);
    if (answer.exceptionDetails) {
      const text = answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text;
      return { value: text, type: 'error', variablesReference: 0, error: text.split('\n')[0] };
    }
    const variable = this.variable('', answer.result);
    const result: EvaluateResult = { value: variable.value, type: variable.type, variablesReference: variable.variablesReference };
    const json = options.json ? answer.result.value : jsonOf(answer.result);
    if (json !== undefined || answer.result.type === 'undefined') result.json = json ?? null;
    return result;
  }

  /** Resumes, takes this session's breakpoints and exception settings out of the task, and closes. */
  async detach(): Promise<void> {
    if (this.cdp.closed) return;
    try {
      for (const id of [...this.set.keys()]) await this.removeBreakpoint(id);
      await this.setExceptionMode('none');
      if (this.raw) await this.cdp.send('Debugger.resume', {});
    } catch {
      // The task may be gone already: closing is all that is left.
    }
    await this.cdp.close();
  }

  // ---- events from the task ----

  private async paused(event: Protocol.Debugger.PausedEvent): Promise<void> {
    this.raw = event;
    const callStack = event.callFrames.map((frame, index) => this.stackFrame(frame, index));
    const top = event.callFrames[0];
    if (this.stepping && callStack[0] && !callStack[0].userCode) {
      // A step left the user's code (into the runtime): climb back out, or run on when no user frame is left.
      const userBelow = callStack.some((frame) => frame.userCode);
      if (userBelow && this.stepOuts++ < MAX_STEP_OUTS) return void (await this.cdp.send('Debugger.stepOut'));
      this.stepping = false;
      return void (await this.cdp.send('Debugger.resume', {}));
    }
    const hits = (event.hitBreakpoints ?? []).map((id) => this.byCdpId.get(id)).filter((id): id is string => id !== undefined);
    let reason: PauseReason;
    let exception: string | undefined;
    let thrownAt: SourceLocation | undefined;
    if (event.reason === 'exception' || event.reason === 'promiseRejection') {
      reason = 'exception';
      exception = (event.data as { description?: string } | undefined)?.description;
    } else if (top && COMPONENT_ERROR_PAUSE.test(top.functionName)) {
      reason = 'exception';
      const text = (await this.evaluateRaw('String(error?.stack ?? error)', top.callFrameId)) as string | undefined;
      if (text) {
        exception = this.scripts.mapStackText(text);
        thrownAt = this.scripts.firstUserFrame(text);
      }
    } else if (hits.length > 0) reason = 'breakpoint';
    else if (this.stepping) reason = 'step';
    else if (this.pauseAsked) reason = 'pause';
    else if (event.reason === 'other') reason = 'debugger-statement';
    else reason = 'other';
    this.stepping = false;
    this.pauseAsked = false;
    const tuple = top ? ((await this.evaluateRaw(`${DEBUG_HOOKS_EXPRESSION}?.currentTuple?.()`, top.callFrameId)) as TupleView | undefined) : undefined;
    const watches: WatchValue[] = [];
    for (const expression of this.owner.watches()) watches.push(await this.watch(expression));
    const state: PausedState = {
      component: this.component,
      task: this.task,
      generation: this.generation,
      reason,
      callStack,
      breakpoints: hits,
      watches,
      time: Date.now(),
    };
    // A component error pauses in the runtime, after the user's frames unwound: show where it was thrown.
    const location = thrownAt ?? callStack[0]?.location;
    if (location) state.location = location;
    if (tuple) state.tuple = tuple;
    if (exception) state.exception = exception;
    if (this.raw !== event) return; // resumed meanwhile
    this.state = state;
    this.owner.fire({ type: 'paused', ...state });
  }

  private resumed(): void {
    const was = this.raw !== undefined;
    this.raw = undefined;
    this.state = undefined;
    this.owner.variables.releaseTask(this.task);
    if (was && !this.stepping) this.owner.fire({ type: 'resumed', component: this.component, task: this.task, generation: this.generation, time: Date.now() });
  }

  private resolved(event: Protocol.Debugger.BreakpointResolvedEvent): void {
    const id = this.byCdpId.get(event.breakpointId);
    if (!id) return;
    const original = this.scripts.locate(event.location).original;
    this.report(id, { task: this.task, generation: this.generation, resolved: true, ...(original ? { line: original.line, column: original.column } : {}) });
  }

  private logpoint(event: Protocol.Runtime.BindingCalledEvent): void {
    if (event.name !== LOGPOINT_BINDING) return;
    try {
      const [breakpoint, text] = JSON.parse(event.payload) as [string, string];
      this.owner.fire({ type: 'output', component: this.component, task: this.task, breakpoint, text, time: Date.now() });
    } catch {
      this.problem('a logpoint sent output that is not [id, text]');
    }
  }

  // ---- helpers ----

  private report(id: string, state: BreakpointTaskState): BreakpointTaskState {
    this.owner.breakpointState(id, state);
    return state;
  }

  private frame(index: number): Protocol.Debugger.CallFrame {
    const frame = this.raw?.callFrames[index];
    if (!frame) throw new Error(this.raw ? `the paused task has no frame ${index}` : `task ${this.task} is not paused`);
    return frame;
  }

  private stackFrame(frame: Protocol.Debugger.CallFrame, index: number): StackFrame {
    const { generated, original } = this.scripts.locate(frame.location);
    const script = this.scripts.get(frame.location.scriptId);
    const userCode = original ? BundleSourceMap.isUserSource(original.file) : script !== undefined && !script.map && script.url.startsWith('file:') && BundleSourceMap.isUserSource(generated.file);
    const stackFrame: StackFrame = { index, name: frame.functionName || '(anonymous)', generated, userCode };
    if (original) stackFrame.location = original;
    return stackFrame;
  }

  private variable(name: string, value: Protocol.Runtime.RemoteObject): Variable {
    return { name, value: renderValue(value), type: typeOf(value), variablesReference: hasChildren(value) ? this.owner.variables.add(this.task, value.objectId!) : 0 };
  }

  private async evaluateRaw(expression: string, callFrameId: string): Promise<unknown> {
    try {
      const answer = await this.cdp.send('Debugger.evaluateOnCallFrame', { callFrameId, expression, returnByValue: true, silent: true });
      return answer.exceptionDetails ? undefined : answer.result.value;
    } catch {
      return undefined;
    }
  }

  private async watch(expression: string): Promise<WatchValue> {
    try {
      const result = await this.evaluate(expression);
      return result.error !== undefined ? { expression, error: result.error, variablesReference: 0 } : { expression, value: result.value, type: result.type, variablesReference: result.variablesReference };
    } catch (error) {
      return { expression, error: (error as Error).message, variablesReference: 0 };
    }
  }

  private problem(message: string): void {
    this.owner.fire({ type: 'problem', component: this.component, task: this.task, message, time: Date.now() });
  }
}

function scopeName(type: string): string {
  return { local: 'Local', closure: 'Closure', block: 'Block', script: 'Script', module: 'Module', global: 'Global', catch: 'Catch', with: 'With', eval: 'Eval', wasmExpressionStack: 'Stack' }[type] ?? type;
}
