/** The authoring API: what a component file imports from 'squall'. */
export { Spout, Bolt, BasicBolt, type BoltEmitOptions, type SpoutEmitOptions, type Logger, type OutputsInput } from './component.js';
export { Tuple } from './tuple.js';
export { TopologyContext } from './context.js';
