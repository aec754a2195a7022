// The import layers of DESIGN.md §2, enforced the way VS Code enforces its own:
// a bad import is a lint error that names the rule it breaks.
import path from 'node:path';
import { builtinModules } from 'node:module';

const root = path.resolve(import.meta.dirname, '..');
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Which layer a repository path belongs to, or undefined for files outside the layers. */
export function layerOf(file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('core/')) return `core/${rel.split('/')[1]}`;
  for (const top of ['electron', 'renderer']) if (rel.startsWith(`${top}/`)) return top;
  return undefined;
}

/** Layers each layer may import from (besides itself). Missing = unrestricted within core. */
const allowed = {
  'core/common': [],
  'core/component': ['core/common'],
  renderer: ['core/common'],
  electron: ['core/workbench', 'core/common'],
};
const noNode = new Set(['core/common', 'renderer']);

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the Squall import layers (DESIGN.md §2)' },
    schema: [],
  },
  create(context) {
    const from = layerOf(context.filename);
    if (!from) return {};
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec === 'electron' && from !== 'electron') {
        context.report({ node, message: `${from} must not import electron: only electron/ may (DESIGN.md §2).` });
        return;
      }
      if (noNode.has(from) && nodeBuiltins.has(spec)) {
        context.report({ node, message: `${from} must not import the Node module '${spec}': it runs where Node APIs do not exist (DESIGN.md §2).` });
        return;
      }
      if (!spec.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(context.filename), spec));
      if (!to || to === from) return;
      if (from.startsWith('core/') && (to === 'electron' || to === 'renderer')) {
        context.report({ node, message: `${from} must not import ${to}: core never depends on the UI (DESIGN.md §2).` });
        return;
      }
      const list = allowed[from];
      if (list && !list.includes(to)) {
        const may = list.length ? list.join(', ') : 'nothing outside itself';
        context.report({ node, message: `${from} must not import ${to}: it may import ${may} (DESIGN.md §2).` });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { layers: rule } };
