// The layering of docs/architecture.md holds and is enforced: ESLint's wharf/layers rule refuses an
// import that points up or sideways (proved here on planted files), and the controller's areas
// import each other without a cycle.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../support/paths.js';

/** Lints `code` as if it were the file at `file` (relative to the repository), with the project's own config. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'wharf/layers').map((m) => m.message);
}

describe('the layers lint rule', () => {
  const planted: [file: string, source: string][] = [
    ['src/model/planted.ts', '../store/store.js'],
    ['src/model/api/planted.ts', '../../controller/controller.js'],
    ['src/model/planted.ts', '../log.js'],
    ['src/config/planted.ts', '../store/store.js'],
    ['src/store/planted.ts', '../controller/controller.js'],
    ['src/store/planted.ts', '../config/settings.js'],
    ['src/agent/planted.ts', '../controller/controller.js'],
    ['src/agent/drivers/planted.ts', '../../store/store.js'],
    ['src/router/planted.ts', '../controller/controller.js'],
    ['src/router/planted.ts', '../agent/agent.js'],
    ['src/cli/planted.ts', '../controller/controller.js'],
    ['src/cli/commands/eb/planted.ts', '../../../controller/platform/views.js'],
    ['src/cli/planted.ts', '../store/store.js'],
    ['src/cli/planted.ts', '../agent/agent.js'],
    ['src/cli/planted.ts', '../router/router.js'],
    ['src/cli/planted.ts', '../launch/up.js'],
    ['src/controller/planted.ts', '../agent/agent.js'],
    ['src/controller/planted.ts', '../cli/client.js'],
    ['src/controller/compute/planted.ts', '../../../test/support/temp.js'],
  ];
  for (const [file, source] of planted) {
    test(`${file} importing '${source}' fails lint`, async () => {
      for (const statement of [`import { x } from '${source}';\nexport const y = x;\n`, `export const y = await import('${source}');\n`, `export type { X } from '${source}';\n`]) {
        const errors = await layerErrors(file, statement);
        assert.equal(errors.length, 1, `one layers error for: ${statement}`);
      }
    });
  }

  test('the error names both layers and what the importer may use', async () => {
    const [message] = await layerErrors('src/cli/planted.ts', "import { x } from '../controller/controller.js';\nexport const y = x;\n");
    assert.match(message ?? '', /src\/cli may not import src\/controller/);
    assert.match(message ?? '', /cli may import only base, model, config, bundle/);
  });

  test('a folder that is no layer is refused until it is named', async () => {
    const errors = await layerErrors('src/cli/planted.ts', "import { x } from '../somewhere/new.js';\nexport const y = x;\n");
    assert.match(errors[0] ?? '', /'somewhere' is not a layer/);
  });

  test('imports down the layers, within a layer, and of packages pass', async () => {
    const allowed: [file: string, source: string][] = [
      ['src/cli/planted.ts', '../model/api/services.js'],
      ['src/cli/commands/eb/planted.ts', '../../../config/settings.js'],
      ['src/cli/planted.ts', './client.js'],
      ['src/controller/services/planted.ts', '../../store/store.js'],
      ['src/controller/services/planted.ts', '../compute/tasks.js'],
      ['src/agent/planted.ts', '../log.js'],
      ['src/launch/planted.ts', '../controller/controller.js'],
      ['src/main.ts', './launch/up.js'],
      ['src/controller/compute/planted.test.ts', '../../../test/support/temp.js'],
      ['src/model/planted.ts', 'zod'],
    ];
    for (const [file, source] of allowed) {
      assert.deepEqual(await layerErrors(file, `import { x } from '${source}';\nexport const y = x;\n`), [], `${file} may import ${source}`);
    }
  });
});

/** The source files under `dir` (tests excluded), recursively. */
function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts') && !/\.test(-support)?\.ts$/.test(entry.name)) files.push(full);
  }
  return files;
}

/** The area of a file under src/controller: its folder, or its own name for a top-level file. */
function areaOf(controllerDir: string, file: string): string | undefined {
  const relative = path.relative(controllerDir, file);
  if (relative.startsWith('..')) return undefined;
  const [first = ''] = relative.split(path.sep);
  return first.replace(/\.(ts|js)$/, '');
}

/** Which controller areas each area imports (every relative import, types included). */
function areaGraph(controllerDir: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const specifier = /(?:from\s+|import\s*\(\s*)'(\.[^']+)'/g;
  for (const file of sourceFiles(controllerDir)) {
    const from = areaOf(controllerDir, file) as string;
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const match of readFileSync(file, 'utf8').matchAll(specifier)) {
      const to = areaOf(controllerDir, path.resolve(path.dirname(file), match[1] as string));
      if (to !== undefined && to !== from) edges.add(to);
    }
  }
  return graph;
}

/** A cycle in the graph as a path that starts and ends at the same node, or undefined when there is none. */
function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...trail.slice(trail.indexOf(node)), node];
    state.set(node, 'open');
    trail.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the controller areas', () => {
  test('the cycle finder finds a planted cycle and passes a chain', () => {
    const edges = (pairs: [string, string][]) => {
      const graph = new Map<string, Set<string>>();
      for (const [from, to] of pairs) graph.set(from, (graph.get(from) ?? new Set()).add(to));
      return graph;
    };
    assert.deepEqual(findCycle(edges([['services', 'load-balancing'], ['load-balancing', 'compute'], ['compute', 'services']])), ['compute', 'services', 'load-balancing', 'compute']);
    assert.equal(findCycle(edges([['platform', 'services'], ['services', 'compute'], ['platform', 'compute']])), undefined);
  });

  test('import each other without a cycle', () => {
    const graph = areaGraph(path.join(REPO_ROOT, 'src', 'controller'));
    assert.ok(graph.size > 5, 'the controller has its areas');
    const cycle = findCycle(graph);
    assert.equal(cycle, undefined, `controller areas import in a cycle: ${cycle?.join(' → ')}`);
  });
});
