/**
 * What runs a component, as opposed to what a component author writes (index.ts): the
 * wire-independent executors, reused by the in-process engine, and the multilang launcher.
 */
export { BoltExecutor } from './executor/bolt-executor.js';
export { SpoutExecutor } from './executor/spout-executor.js';
export { ComponentCrash, stackOf } from './executor/crash.js';
export { pickComponentClass, describeComponentClass, isComponentClass, type ComponentDescription } from './component-class.js';
export { attachHost, normaliseOutputs, formatLogArgs, type ComponentHost, type HostEmit, type ComponentClass } from './component.js';
export { runLauncher, EXIT_CRASH, EXIT_PROTOCOL, type LauncherOptions } from './multilang/launcher.js';
export { IDLE_PAUSE_MS } from './multilang/spout-loop.js';
