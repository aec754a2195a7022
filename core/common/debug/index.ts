/** The debugger's data types (renderer-importable: types and constants only). */
export * from './breakpoints.js';
export * from './events.js';
export * from './hooks.js';
export * from './paused.js';
export * from './variables.js';
