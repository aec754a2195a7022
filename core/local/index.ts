/** The local-mode engine: what `squall run` and the workbench use to run a topology locally. */
export { LocalEngine, type LocalEngineOptions } from './engine.js';
export { EngineEvents, type EngineEvent, type EngineEventType, type EngineEventOf, type StopReason, type Subscription } from './events.js';
export { TaskLogFiles, taskLogName } from './task-logs.js';
export { parseOverride, topologySettings, taskSettings, type TopologySettings, type TaskSettings } from './config.js';
export { DEFAULT_RESTART, type RestartOptions } from './restart-policy.js';
export type { TopologyFigures, ComponentFigures, TaskFigures } from '../common/stats/figures.js';
export type { LatencySummary } from '../common/stats/histogram.js';
