/** The XOR acker, tuple-tree edge ids, and the executor-side tuple-tree bookkeeping. */
export { AckerLedger, type AckerVerdict, type AckerLedgerOptions, type ExpiredTree } from './acker.js';
export { createEdgeIdSource, formatEdgeId, parseEdgeId, randomEdgeId, xorEdges, type EdgeValue } from './edge-ids.js';
export { TupleTrees, type Anchor, type Settled, type SpoutTree, type TreeMembership, type TreeOutcome, type TupleTreesOptions } from './tuple-trees.js';
