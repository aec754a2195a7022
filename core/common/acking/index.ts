/** The XOR acker and tuple-tree edge ids. */
export { AckerLedger, type AckerVerdict, type AckerLedgerOptions, type ExpiredTree } from './acker.js';
export { createEdgeIdSource, formatEdgeId, parseEdgeId, randomEdgeId, xorEdges, type EdgeValue } from './edge-ids.js';
