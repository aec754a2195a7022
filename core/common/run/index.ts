/** Run data shared by the engine, the CLI, the workbench backend and the renderer. */
export type * from './run-types.js';
export { formatInspectorAnnouncement, parseInspectorAnnouncement, type InspectorAnnouncement } from './inspector-announcement.js';
