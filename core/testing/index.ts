/**
 * `squall/testing`: run components and whole topologies inside a vitest test, in-process and
 * deterministic — Storm's task ids, groupings, acking, ticks and timeouts, on a fake clock.
 */
export { runTopology, type RunTopologyOptions } from './run-topology.js';
export { runSimpleTopology, type SimpleTopologyOptions, type SimpleTopologyResult } from './simple.js';
export { FakeClock } from './fake-clock.js';
export type { SpoutTupleInput } from './feeder.js';
export type { Until, RunProgress } from './scheduler.js';
export type { TopologyRunResult, EmittedTuple, ReportedError, LogEntry, StopReason } from './result.js';
export { IN_PROCESS_CONF_KEY } from './in-process-topology.js';
