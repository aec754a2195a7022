/** Storm's routing math: task ids, handshake context, stream groupings, Java hash codes. */
export { assignTasks, handshakeContext, type TaskLayout } from './tasks.js';
export { createRouter, chooseTaskIndex, floorMod, type Router, type RouterOptions } from './grouping.js';
export { createStreamRouter, streamSubscriptions, type Subscription, type StreamRouterOptions } from './stream-router.js';
export { javaHashCode, javaListHash, javaStringHash, javaLongHash, javaDoubleHash, javaNumberKind } from './java-hash.js';
export { createRandom, deriveSeed, shuffled, type RandomSource } from './random.js';
export * from './system-topology.js';
