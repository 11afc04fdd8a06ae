// Wharf's layering, checked by ESLint on every import of our own code.
//
// Each folder under src/ is a layer; a file may import its own layer and the layers listed for it,
// never one above it or beside it. Imports are resolved against the importing file, so the check
// does not depend on how many `../` a path has. Tests beside the code may also import test/support.
import path from 'node:path';

/**
 * What each layer may import besides itself (see docs/architecture.md, "Layers"). The order
 * reads bottom-up: `model` is plain data and imports none of ours; `main.ts` composes everything.
 */
export const LAYERS = {
  base: [],
  model: [],
  config: ['base', 'model'],
  store: ['base', 'model'],
  bundle: ['base', 'model'],
  agent: ['base', 'model', 'config'],
  router: ['base', 'model', 'config'],
  cli: ['base', 'model', 'config', 'bundle'],
  controller: ['base', 'model', 'config', 'store', 'bundle'],
  launch: ['base', 'model', 'config', 'store', 'bundle', 'agent', 'router', 'controller', 'cli'],
  main: ['base', 'model', 'config', 'store', 'bundle', 'agent', 'router', 'controller', 'cli', 'launch'],
};

const TEST_FILE = /\.test(-support)?\.ts$/;

/** The small helpers at the root of src/ that every process uses (logging, files, secrets, host users, the version). */
const BASE_FILES = new Set(['log', 'files', 'secrets', 'users', 'version']);

/**
 * The layer a file under `<root>/src` belongs to: its first folder, `main` for src/main.ts,
 * `base` for the root helpers; undefined outside src.
 */
export function layerOf(root, file) {
  const relative = path.relative(path.join(root, 'src'), file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const parts = relative.split(path.sep);
  if (parts.length > 1) return parts[0];
  const name = parts[0].replace(/(\.test)?\.(ts|js)$/, '');
  if (name === 'main') return 'main';
  return BASE_FILES.has(name) ? 'base' : name;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'An import may point only down the layers of docs/architecture.md, never up or sideways.' },
    schema: [],
    messages: {
      unknownLayer: "'{{layer}}' is not a layer Wharf knows: add it to eslint/layers.js and docs/architecture.md, or put the file in an existing layer.",
      upward: "src/{{from}} may not import src/{{to}} ('{{source}}'): {{from}} may import only {{allowed}}. Move what both need down to a layer both may import (often src/model).",
      testSupport: "Only tests may import test/ ('{{source}}').",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = layerOf(root, file);
    if (from === undefined) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      if (path.relative(path.join(root, 'test'), target).startsWith('..') === false) {
        if (!TEST_FILE.test(file)) context.report({ node, messageId: 'testSupport', data: { source } });
        return;
      }
      const to = layerOf(root, target);
      if (to === undefined || to === from) return;
      const allowed = LAYERS[from];
      for (const layer of [from, to]) {
        if (LAYERS[layer] === undefined) {
          context.report({ node, messageId: 'unknownLayer', data: { layer } });
          return;
        }
      }
      if (!allowed.includes(to)) {
        context.report({ node, messageId: 'upward', data: { from, to, source, allowed: allowed.length === 0 ? 'nothing of ours' : allowed.join(', ') } });
      }
    };
    const fromSource = (node) => check(node, node.source?.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
    };
  },
};
