/** The local-mode engine: what `squall run`, the debugger, the profiler and the workbench use to run a topology locally. */
export { LocalRun, type LocalRunOptions, type LocalDebugOptions } from './run.js';
export { TaskLogFiles, taskLogName } from './task-logs.js';
export { parseOverride, topologySettings, taskSettings, type TopologySettings, type TaskSettings } from './config.js';
export { DEFAULT_RESTART, type RestartOptions } from './restart-policy.js';
export type * from '../common/run/run-types.js';
export type { TopologyFigures, ComponentFigures, TaskFigures } from '../common/stats/figures.js';
export type { LatencySummary } from '../common/stats/histogram.js';
