/**
 * The host core: the rules every Squall host applies the same way (the local engine in both
 * modes and the test harness), so a topology run with the same seed gives the same tuples to the
 * same tasks and the same acks, however it is run.
 */
export { checkEmit, EmitRefused } from './emit-rules.js';
export { TopologyRouter } from './topology-router.js';
export { SpoutTreeLedger, type SpoutTreeLedgerOptions, type StartedTree } from './spout-tree-ledger.js';
