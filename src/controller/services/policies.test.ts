import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeploymentStep } from '../../model/service.js';
import { PlanError } from './plan.js';
import { batchTasks, minimumServing, policyPlan } from './policies.js';

const from = (count: number) => [{ id: 'old', count }];
const to = { id: 'new', count: 0 };
const counts = (steps: readonly DeploymentStep[]) => steps.map((s) => `${s.targets.old ?? 0}/${s.targets.new ?? 0}`);

test('batch sizes: a percentage rounds up, a fixed count is capped; at least one task', () => {
  assert.equal(batchTasks(10, 'Percentage', 30), 3);
  assert.equal(batchTasks(4, 'Percentage', 30), 2);
  assert.equal(batchTasks(4, 'Percentage', 100), 4);
  assert.equal(batchTasks(4, 'Fixed', 9), 4);
  assert.equal(batchTasks(4, 'Fixed', 1), 1);
  assert.equal(batchTasks(0, 'Percentage', 50), 1);
});

test('AllAtOnce: one step, every old task stops and every new one starts', () => {
  assert.deepEqual(counts(policyPlan('AllAtOnce', { desired: 4, batch: 4, from: from(4), to })), ['0/4']);
});

test('Rolling: batch by batch; serving never below N minus a batch', () => {
  const steps = policyPlan('Rolling', { desired: 4, batch: 1, from: from(4), to });
  assert.deepEqual(counts(steps), ['3/1', '2/2', '1/3', '0/4']);
  assert.equal(minimumServing(4, steps, 'new'), 3);
  const two = policyPlan('Rolling', { desired: 5, batch: 2, from: from(5), to });
  assert.deepEqual(counts(two), ['3/2', '1/4', '0/5']);
  assert.equal(minimumServing(5, two, 'new'), 3);
});

test('RollingWithAdditionalBatch: an extra batch first, capacity never below N, back to N at the end', () => {
  const steps = policyPlan('RollingWithAdditionalBatch', { desired: 4, batch: 2, from: from(4), to });
  assert.deepEqual(counts(steps), ['4/2', '2/4', '0/4']);
  assert.equal(minimumServing(4, steps, 'new'), 4);
  const odd = policyPlan('RollingWithAdditionalBatch', { desired: 5, batch: 2, from: from(5), to });
  assert.deepEqual(counts(odd), ['5/2', '3/4', '1/5', '0/5']);
  assert.equal(minimumServing(5, odd, 'new'), 5);
  for (const total of [1, 2, 3, 7, 10]) {
    for (const batch of [1, 2, 3]) {
      const plan = policyPlan('RollingWithAdditionalBatch', { desired: total, batch, from: from(total), to });
      assert.equal(minimumServing(total, plan, 'new'), total, `N=${total} batch=${batch}: ${counts(plan).join(' ')}`);
      assert.deepEqual(plan.at(-1)?.targets, { new: total, old: 0 });
    }
  }
});

test('Immutable: one new task, then the rest beside the old set, then the old set stops', () => {
  const steps = policyPlan('Immutable', { desired: 4, batch: 1, from: from(4), to });
  assert.deepEqual(counts(steps), ['4/1', '4/4', '0/4']);
  assert.equal(minimumServing(4, steps, 'new'), 4);
  assert.deepEqual(counts(policyPlan('Immutable', { desired: 1, batch: 1, from: from(1), to })), ['1/1', '0/1'], 'a single instance: one new beside the old');
});

test('TrafficSplitting: a full new set at weight 0, the split held for the evaluation, then all traffic, then the old set stops', () => {
  const steps = policyPlan('TrafficSplitting', { desired: 3, batch: 1, from: from(3), to, newVersionPercent: 15, evaluationMs: 90_000 });
  assert.deepEqual(counts(steps), ['3/3', '3/3', '3/3', '0/3']);
  assert.deepEqual(steps.map((s) => s.weights), [{ new: 0, old: 100 }, { new: 15, old: 85 }, { new: 100, old: 0 }, undefined]);
  assert.equal(steps[1]?.holdMs, 90_000);
  assert.throws(() => policyPlan('TrafficSplitting', { desired: 3, batch: 1, from: from(3), to, newVersionPercent: 0 }), PlanError);
  assert.throws(() => policyPlan('TrafficSplitting', { desired: 3, batch: 1, from: from(3), to, newVersionPercent: 101 }), PlanError);
});
