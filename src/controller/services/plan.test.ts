import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlanError, rollingPlan } from './plan.js';

const shape = (steps: ReturnType<typeof rollingPlan>) => steps.map((s) => [s.name, s.targets.new, s.targets.old]);

test('100/200: start the whole new set, then stop the old one', () => {
  assert.deepEqual(shape(rollingPlan(4, 100, 200, [{ id: 'old', count: 4 }], { id: 'new', count: 0 })), [
    ['start set', 4, 4],
    ['stop set', 4, 0],
  ]);
});

test('50/100: stop half, start half, and so on, never above 4 nor below 2', () => {
  const steps = rollingPlan(4, 50, 100, [{ id: 'old', count: 4 }], { id: 'new', count: 0 });
  assert.deepEqual(shape(steps), [
    ['scale set', 0, 2],
    ['scale set', 2, 2],
    ['stop set', 2, 0],
    ['scale set', 4, 0],
  ]);
  for (const s of steps) {
    const total = (s.targets.new ?? 0) + (s.targets.old ?? 0);
    assert.ok(total <= 4 && total >= 2, JSON.stringify(s));
  }
});

test('100/125 with 8 tasks: batches of 2', () => {
  const steps = rollingPlan(8, 100, 125, [{ id: 'old', count: 8 }], { id: 'new', count: 0 });
  assert.equal(steps.length, 8);
  for (const s of steps) assert.ok((s.targets.new ?? 0) + (s.targets.old ?? 0) <= 10);
  assert.deepEqual(steps.at(-1)?.targets, { new: 8, old: 0 });
});

test('several old sets shrink oldest first', () => {
  const steps = rollingPlan(4, 50, 100, [{ id: 'older', count: 1 }, { id: 'old', count: 3 }], { id: 'new', count: 0 });
  assert.deepEqual(steps[0]?.targets, { new: 0, older: 0, old: 2 });
});

test('a first deployment (no old sets) starts the set; scaling to 0 stops it', () => {
  assert.deepEqual(shape(rollingPlan(3, 100, 200, [], { id: 'new', count: 0 })), [['start set', 3, undefined]]);
  assert.deepEqual(rollingPlan(0, 100, 200, [], { id: 'new', count: 3 }).at(-1)?.targets, { new: 0 });
});

test('bounds that allow neither starting nor stopping are a PlanError naming them', () => {
  assert.throws(() => rollingPlan(4, 100, 100, [{ id: 'old', count: 4 }], { id: 'new', count: 0 }), (e: unknown) => e instanceof PlanError && /minimumHealthyPercent 100 and maximumPercent 100/.test(e.message));
});
