import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventBudget } from './refusals.js';

test('a budget records its share a window, counts the rest, and reports them with the next recorded one', () => {
  const budget = new EventBudget(3, 60_000);
  const taken = Array.from({ length: 10 }, (_, i) => budget.take(1_000 + i));
  assert.deepEqual(
    taken.map((t) => t.record),
    [true, true, true, false, false, false, false, false, false, false],
  );
  assert.deepEqual(budget.take(30_000), { record: false, dropped: 0 }, 'still the same window');
  assert.deepEqual(budget.take(61_000), { record: true, dropped: 8 }, 'a new window: the next one says how many were left out');
  assert.deepEqual(budget.take(61_001), { record: true, dropped: 0 });
});
