// The layer table of DESIGN.md §2: every layer, and the layers it may import besides itself.
// Enforced by eslint/layers.mjs. A folder under core/ that is not listed here is a lint error
// until it is added, so a new layer is placed deliberately, never by accident.
//
//   layer           may import                                   why
//   core/common     nothing                                      pure model, types and math; runs in the renderer too
//   core/component  common                                       runs inside a component process
//   core/build      common, component                            bundles component code with core/component's runtime
//   core/project    common, component, build                     loads a topology project; introspection bundles and runs classes
//   core/package    common, component, build, project           the JAR: bundles of a loaded project
//   core/local      common, component, build, project           the engine: bundles and runs a loaded project (never packages)
//   core/testing    common, component, build, project, local    harness; shares the engine's conf rules
//   core/cluster    common, build, project, package             submit packages a project, talks to Nimbus / UI / logviewer
//   core/debug      common, component, build, project, local,   inspector sessions of local tasks and of workers on a cluster
//                   cluster                                      (source maps from build, debug bootloader facts from component)
//   core/profile    common, build, project, local, cluster,     latency figures, CPU profiles taken through debug, advice
//                   debug
//   core/workbench  every core layer except cli                  the backend behind the UI
//   core/cli        every core layer                             the `squall` command (also starts the workbench)
//   electron        core/workbench, core/common                  windows, menus, the IPC bridge
//   renderer        core/common                                  the UI; reaches the rest through the typed WorkbenchApi
//
// core/package and core/local are siblings: local mode never builds a JAR, packaging never runs
// the engine. Nothing in core imports electron or renderer, and only electron/ imports 'electron'.

const common = 'core/common';
const component = 'core/component';
const build = 'core/build';
const project = 'core/project';
const packaging = 'core/package';
const local = 'core/local';
const testing = 'core/testing';
const cluster = 'core/cluster';
const debug = 'core/debug';
const profile = 'core/profile';
const workbench = 'core/workbench';
const cli = 'core/cli';

/** Each layer and the layers it may import (besides itself). */
export const LAYERS = {
  [common]: [],
  [component]: [common],
  [build]: [common, component],
  [project]: [common, component, build],
  [packaging]: [common, component, build, project],
  [local]: [common, component, build, project],
  [testing]: [common, component, build, project, local],
  [cluster]: [common, build, project, packaging],
  [debug]: [common, component, build, project, local, cluster],
  [profile]: [common, build, project, local, cluster, debug],
  [workbench]: [common, component, build, project, packaging, local, testing, cluster, debug, profile],
  [cli]: [common, component, build, project, packaging, local, testing, cluster, debug, profile, workbench],
  electron: [workbench, common],
  renderer: [common],
};

/** Layers that run where Node does not exist (a browser, the renderer): no Node modules or globals. */
export const NODE_FREE = new Set([common, 'renderer']);

/**
 * Globals that exist only under Node. Timers, URL, TextEncoder, performance, queueMicrotask and
 * structuredClone are left out: browsers have them too.
 */
export const NODE_GLOBALS = new Set(['process', 'Buffer', '__dirname', '__filename', 'require', 'module', 'exports', 'global', 'setImmediate', 'clearImmediate', 'NodeJS']);

/** `import.meta` properties only Node defines. */
export const NODE_IMPORT_META = new Set(['dirname', 'filename']);
