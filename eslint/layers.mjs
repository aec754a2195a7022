// The import layers of DESIGN.md §2, enforced the way VS Code enforces its own: a bad import is
// a lint error that names the rule it breaks. The table itself is eslint/layer-table.mjs.
import path from 'node:path';
import { builtinModules } from 'node:module';
import { LAYERS, NODE_FREE, NODE_GLOBALS, NODE_IMPORT_META } from './layer-table.mjs';
import { selfImportResolver } from './self-imports.mjs';

const root = path.resolve(import.meta.dirname, '..');
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const resolveSelf = selfImportResolver(root);
const TABLE = 'eslint/layer-table.mjs';

/** A path relative to the repository, with forward slashes. */
function repoPath(file) {
  return path.relative(root, file).split(path.sep).join('/');
}

/**
 * Which layer a file belongs to: 'core/<folder>' (listed or not), 'electron', 'renderer'; 'core'
 * for a file directly in core/; undefined for files outside the layers (test/, bench/, ...).
 */
export function layerOf(file) {
  const rel = repoPath(file);
  if (rel.startsWith('core/')) {
    const parts = rel.split('/');
    return parts.length > 2 ? `core/${parts[1]}` : 'core';
  }
  for (const top of ['electron', 'renderer']) if (rel.startsWith(`${top}/`)) return top;
  return undefined;
}

/** The module specifier of an import-like node, when it is a literal. */
function literalSpec(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  if (node.type === 'TSLiteralType') return literalSpec(node.literal);
  return undefined;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the Squall import layers (DESIGN.md §2, table in eslint/layer-table.mjs)' },
    schema: [],
  },
  create(context) {
    const from = layerOf(context.filename);
    if (!from) return {};
    const listed = Object.hasOwn(LAYERS, from);
    const noNode = NODE_FREE.has(from);

    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec === 'electron' || spec.startsWith('electron/')) {
        if (from !== 'electron') context.report({ node, message: `${from} must not import electron: only electron/ may (DESIGN.md §2).` });
        return;
      }
      if (nodeBuiltins.has(spec)) {
        if (noNode) context.report({ node, message: `${from} must not import the Node module '${spec}': it runs where Node APIs do not exist (DESIGN.md §2).` });
        return;
      }
      let target;
      let via = '';
      if (spec.startsWith('.') || spec.startsWith('/')) {
        target = path.resolve(path.dirname(context.filename), spec);
      } else {
        const self = resolveSelf(spec);
        if (!self) return; // a dependency from node_modules
        if (self.unexported) {
          context.report({ node, message: `'${spec}' is not exported by package.json: import the file by a relative path, or add it to "exports" (DESIGN.md §2).` });
          return;
        }
        target = self.file;
        via = ` (through '${spec}')`;
      }
      const to = layerOf(target);
      if (to === from) return;
      if (!to) {
        context.report({ node, message: `${from} must not import ${repoPath(target)}: it is outside the layers (DESIGN.md §2); only core/*, electron/ and renderer/ code may be imported.` });
        return;
      }
      if (from.startsWith('core') && (to === 'electron' || to === 'renderer')) {
        context.report({ node, message: `${from} must not import ${to}${via}: core never depends on the UI (DESIGN.md §2).` });
        return;
      }
      if (!listed) return; // the file itself is reported once, at Program
      const may = LAYERS[from];
      if (!may.includes(to)) {
        const list = may.length ? may.join(', ') : 'nothing outside itself';
        context.report({ node, message: `${from} must not import ${to}${via}: it may import ${list} (DESIGN.md §2).` });
      }
    }

    function reportNodeGlobal(node, name) {
      context.report({ node, message: `${from} must not use the Node global '${name}': it runs where Node APIs do not exist; let a Node layer pass the value in (DESIGN.md §2).` });
    }

    const visitors = {
      Program(node) {
        if (listed) return;
        const message = from === 'core'
          ? `${repoPath(context.filename)} is directly in core/, outside every layer: move it into a layer folder listed in ${TABLE} (DESIGN.md §2).`
          : `${from} is not in the layer table: add it to ${TABLE} with the layers it may import (DESIGN.md §2).`;
        context.report({ node, loc: { line: 1, column: 0 }, message });
      },
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, literalSpec(node.source)),
      TSImportEqualsDeclaration: (node) => node.moduleReference.type === 'TSExternalModuleReference' && check(node, literalSpec(node.moduleReference.expression)),
      TSImportType: (node) => check(node, literalSpec(node.source ?? node.argument)),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) check(node, literalSpec(node.arguments[0]));
      },
    };
    if (!noNode) return visitors;

    // Node globals are found by scope analysis, so a local variable named `process` is fine and a
    // type reference such as `Buffer` or `NodeJS.Timeout` is caught like a value.
    visitors['Program:exit'] = (node) => {
      const globalScope = context.sourceCode.getScope(node);
      const references = [...globalScope.through];
      // Globals declared in the eslint config (or by TypeScript's libs) hold their references.
      for (const variable of globalScope.variables) if (variable.defs.length === 0) references.push(...variable.references);
      for (const reference of references) {
        const name = reference.identifier.name;
        if (NODE_GLOBALS.has(name)) reportNodeGlobal(reference.identifier, name);
      }
    };
    visitors.MemberExpression = (node) => {
      const property = node.computed ? literalSpec(node.property) : node.property.name;
      if (node.object.type === 'Identifier' && node.object.name === 'globalThis' && NODE_GLOBALS.has(property)) reportNodeGlobal(node, property);
      if (node.object.type === 'MetaProperty' && node.object.meta.name === 'import' && NODE_IMPORT_META.has(property)) {
        context.report({ node, message: `${from} must not use import.meta.${property}: only Node defines it (DESIGN.md §2).` });
      }
    };
    return visitors;
  },
};

export default { rules: { layers: rule } };
