import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TARGET_WEIGHT_MAX } from '../../model/routing.js';
import { splitWeights } from './routing-table.js';

const tasks = (set: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${set}-${i}`, startedBy: set }));

test('sets of the same weight: no per-task weights (every task takes the same share)', () => {
  const sets = [{ id: 'a', status: 'ACTIVE' as const, weight: 100 }, { id: 'b', status: 'PRIMARY' as const, weight: 100 }];
  assert.equal(splitWeights(sets, [...tasks('a', 3), ...tasks('b', 1)]).size, 0);
});

test('a split shares each set weight among its tasks, so the sets take their shares whatever their sizes', () => {
  const sets = [{ id: 'old', status: 'ACTIVE' as const, weight: 80 }, { id: 'new', status: 'PRIMARY' as const, weight: 20 }];
  const weights = splitWeights(sets, [...tasks('old', 4), ...tasks('new', 2)]);
  const share = (set: string) => [...weights].filter(([id]) => id.startsWith(set)).reduce((n, [, w]) => n + w, 0);
  // Per task: old 80 / 4 = 20, new 20 / 2 = 10; the heaviest weighs TARGET_WEIGHT_MAX.
  assert.equal(weights.get('old-0'), TARGET_WEIGHT_MAX);
  assert.equal(weights.get('new-0'), TARGET_WEIGHT_MAX / 2);
  assert.equal(Math.max(...weights.values()), TARGET_WEIGHT_MAX);
  assert.ok(Math.abs((100 * share('new')) / (share('new') + share('old')) - 20) < 0.5, 'the new set gets 20 %');
});

test('a set of weight 0 gets none; a small share never rounds to nothing; inactive sets and sets without tasks do not count', () => {
  const zero = splitWeights([{ id: 'old', status: 'ACTIVE', weight: 100 }, { id: 'new', status: 'PRIMARY', weight: 0 }], [...tasks('old', 3), ...tasks('new', 3)]);
  assert.deepEqual([...zero.values()], [TARGET_WEIGHT_MAX, TARGET_WEIGHT_MAX, TARGET_WEIGHT_MAX, 0, 0, 0]);
  const tiny = splitWeights([{ id: 'old', status: 'ACTIVE', weight: 99 }, { id: 'new', status: 'PRIMARY', weight: 1 }], [...tasks('old', 1), ...tasks('new', 50)]);
  assert.equal(tiny.get('new-0'), 1);
  const gone = splitWeights([{ id: 'old', status: 'INACTIVE', weight: 0 }, { id: 'empty', status: 'ACTIVE', weight: 30 }, { id: 'new', status: 'PRIMARY', weight: 100 }], tasks('new', 2));
  assert.equal(gone.size, 0);
});
