import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeploymentStep } from '../../model/service.js';
import { PlanError } from './plan.js';
import { batchTasks, minimumServing, policyPlan, rollingUpdateBatch, rollingUpdateKind, rollingUpdatePlan } from './policies.js';

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

const rolling = (type: 'Disabled' | 'Time' | 'Health' | 'Immutable', desired: number, maxBatchSize: number, minInstancesInService: number, pauseMs = 0) =>
  rollingUpdatePlan({ type, desired, maxBatchSize, minInstancesInService, pauseMs, from: from(desired), to });

test('rolling update batches: min(MaxBatchSize, N - MinInstancesInService), at least one', () => {
  assert.equal(rollingUpdateBatch(3, 1, 2), 1);
  assert.equal(rollingUpdateBatch(6, 4, 2), 4);
  assert.equal(rollingUpdateBatch(6, 4, 4), 2, 'MinInstancesInService caps the batch');
  assert.equal(rollingUpdateBatch(3, 2, 3), 1, 'no room: still one');
  assert.equal(rollingUpdateKind('Health'), 'RollingUpdate:Health');
});

test('rolling update Health: batch by batch, never fewer than MinInstancesInService serving, no pause', () => {
  const steps = rolling('Health', 3, 1, 2);
  assert.deepEqual(counts(steps), ['2/1', '1/2', '0/3']);
  assert.deepEqual(steps.map((s) => s.name), ['start set', 'scale set', 'stop set']);
  assert.equal(minimumServing(3, steps, 'new'), 2);
  assert.ok(steps.every((s) => s.holdMs === undefined), 'Health does not pause');
  const wide = rolling('Health', 7, 3, 2);
  assert.deepEqual(counts(wide), ['4/3', '1/6', '0/7'], 'batches of 3: MaxBatchSize below N - MinInstancesInService');
  assert.equal(minimumServing(7, wide, 'new'), 4);
  const capped = rolling('Health', 6, 5, 4);
  assert.deepEqual(counts(capped), ['4/2', '2/4', '0/6'], 'batches of 2: N - MinInstancesInService below MaxBatchSize');
  assert.equal(minimumServing(6, capped, 'new'), 4);
  for (const total of [1, 2, 3, 5, 8]) {
    for (const maxBatch of [1, 2, 3, 10]) {
      for (const minIn of [0, 1, 2, total - 1, total, total + 1].filter((m) => m >= 0)) {
        const plan = rolling('Health', total, maxBatch, minIn);
        const label = `N=${total} MaxBatchSize=${maxBatch} MinInstancesInService=${minIn}: ${counts(plan).join(' ')}`;
        assert.ok(minimumServing(total, plan, 'new') >= Math.min(minIn, total), label);
        assert.deepEqual(plan.at(-1)?.targets, { new: total, old: 0 }, label);
        const started = plan.map((s, i) => (s.targets.new ?? 0) - (i === 0 ? 0 : (plan[i - 1]?.targets.new ?? 0)));
        assert.ok(started.every((n) => n <= rollingUpdateBatch(total, maxBatch, minIn)), `${label}: no step starts more than a batch`);
      }
    }
  }
});

test('rolling update with no room for a batch (MinInstancesInService >= N): each batch starts before its old tasks stop', () => {
  const steps = rolling('Health', 3, 1, 3);
  assert.deepEqual(counts(steps), ['3/1', '2/1', '2/2', '1/2', '1/3', '0/3']);
  assert.equal(minimumServing(3, steps, 'new'), 3);
  assert.deepEqual(counts(rolling('Health', 1, 1, 1)), ['1/1', '0/1'], 'one instance kept in service');
  assert.deepEqual(counts(rolling('Health', 1, 1, 0)), ['0/1'], 'MinInstancesInService 0: replaced in place');
});

test('rolling update Time: each batch held PauseTime once healthy before the next; the last batch does not wait', () => {
  const steps = rolling('Time', 3, 1, 2, 30_000);
  assert.deepEqual(counts(steps), ['2/1', '1/2', '0/3']);
  assert.deepEqual(steps.map((s) => s.holdMs), [30_000, 30_000, undefined]);
  const noRoom = rolling('Time', 2, 1, 2, 5_000);
  assert.deepEqual(counts(noRoom), ['2/1', '1/1', '1/2', '0/2']);
  assert.deepEqual(noRoom.map((s) => s.holdMs), [undefined, 5_000, undefined, undefined], 'the pause follows a whole batch (its start and its stop)');
  assert.ok(rolling('Time', 3, 1, 2, 0).every((s) => s.holdMs === undefined), 'PauseTime PT0S: no hold');
});

test('rolling update Disabled is all at once; Immutable is the Immutable plan', () => {
  assert.deepEqual(counts(rolling('Disabled', 4, 1, 3)), ['0/4']);
  assert.deepEqual(rolling('Immutable', 4, 1, 3), policyPlan('Immutable', { desired: 4, batch: 4, from: from(4), to }));
  assert.equal(minimumServing(4, rolling('Immutable', 4, 1, 3), 'new'), 4);
});

test('a rolling update back to a set that still has tasks (a rollback) and old sets beyond N (a scale-in)', () => {
  const back = rollingUpdatePlan({ type: 'Health', desired: 3, maxBatchSize: 1, minInstancesInService: 2, from: [{ id: 'old', count: 1 }], to: { id: 'new', count: 2 } });
  assert.deepEqual(counts(back), ['0/3']);
  assert.equal(back[0]?.name, 'stop set');
  const shrink = rollingUpdatePlan({ type: 'Health', desired: 2, maxBatchSize: 1, minInstancesInService: 1, from: [{ id: 'a', count: 2 }, { id: 'old', count: 2 }], to });
  assert.deepEqual(shrink.map((s) => [s.targets.a, s.targets.old, s.targets.new]), [[0, 1, 1], [0, 0, 2]], 'the oldest set goes first, the extra tasks with the first batch');
  assert.ok(minimumServing(4, shrink, 'new') >= 1);
});

test('rolling update: bad inputs are refused', () => {
  assert.throws(() => rolling('Health', 3, 0, 2), PlanError);
  assert.throws(() => rolling('Health', 3, 1, -1), PlanError);
  assert.throws(() => rolling('Time', 3, 1, 2, -5), PlanError);
  assert.throws(() => rollingUpdatePlan({ type: 'Health', desired: 1.5, maxBatchSize: 1, minInstancesInService: 0, from: from(1), to }), PlanError);
});
