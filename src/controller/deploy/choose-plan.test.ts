import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DeploymentPolicy, TaskSetRecord } from '../../model/service.js';
import { choosePlan } from './choose-plan.js';
import { daemonFixture, serviceFixture, setFixture } from './fixtures.test-support.js';
import { daemonPlan, rollingPlan } from './plan.js';
import { DEFAULT_CANARY, policyPlan, rollingUpdatePlan } from './policies.js';

/** A revision rollout: `old` serves 4 tasks, `new` (PRIMARY) has none yet. */
const old = setFixture('old', { status: 'ACTIVE', revision: 1, rolloutState: 'COMPLETED' });
const fresh = setFixture('new', { revision: 2, targetCount: 0 });
const sets: TaskSetRecord[] = [old, fresh];
const counts = new Map([['old', 4]]);
const service = serviceFixture();
const policy = (name: DeploymentPolicy['name'], extra: Partial<DeploymentPolicy> = {}): DeploymentPolicy => ({ name, batch: 2, newVersionPercent: 25, evaluationMs: 60_000, canary: DEFAULT_CANARY, ...extra });
const health: NonNullable<DeploymentPolicy['rollingUpdate']> = { type: 'Health', maxBatchSize: 1, minInstancesInService: 3, pauseMs: 0 };
const from = [{ id: 'old', count: 4 }];
const to = { id: 'new', count: 0 };

describe('choosePlan', () => {
  test('an ECS service (no policy) rolls as ECS does', () => {
    assert.deepEqual(choosePlan(service, sets, counts, 'new', undefined, null), { kind: 'ECS_ROLLING', fromSets: ['old'], steps: rollingPlan(4, 100, 200, from, to) });
  });

  test('a DAEMON service follows the DAEMON plan, whatever it is handed', () => {
    const daemon = daemonFixture(4);
    assert.deepEqual(choosePlan(daemon, sets, counts, 'new', undefined, null), { kind: 'ECS_DAEMON', fromSets: ['old'], steps: daemonPlan(4, 0, from, to) });
    assert.equal(choosePlan(daemon, sets, counts, 'new', undefined, 7).kind, 'ROLLBACK');
  });

  for (const name of ['AllAtOnce', 'Rolling', 'RollingWithAdditionalBatch', 'Immutable', 'TrafficSplitting'] as const) {
    test(`a new revision replacing running tasks follows the ${name} policy's plan`, () => {
      const given = policy(name);
      assert.deepEqual(choosePlan(service, sets, counts, 'new', given, null), { kind: name, fromSets: ['old'], steps: policyPlan(name, { ...given, desired: 4, from, to }) });
    });
  }

  test("a policy with a rolling update (an instance-replacing change) follows the rolling update's plan", () => {
    const chosen = choosePlan(service, sets, counts, 'new', policy('Rolling', { rollingUpdate: health }), null);
    assert.deepEqual(chosen, { kind: 'RollingUpdate:Health', fromSets: ['old'], steps: rollingUpdatePlan({ ...health, desired: 4, from, to }) });
    assert.equal(choosePlan(service, sets, counts, 'new', policy('TrafficSplitting', { rollingUpdate: { ...health, type: 'Disabled' } }), null).kind, 'RollingUpdate:Disabled');
  });

  test('scaling (the set has tasks already) and a first revision (nothing to replace) roll as ECS does, policy or not', () => {
    const scaled = choosePlan(serviceFixture({ desiredCount: 6 }), [fresh], new Map([['new', 4]]), 'new', policy('Immutable'), null);
    assert.deepEqual(scaled, { kind: 'ECS_ROLLING', fromSets: [], steps: rollingPlan(6, 100, 200, [], { id: 'new', count: 4 }) });
    assert.equal(choosePlan(service, [fresh], new Map(), 'new', policy('Immutable'), null).kind, 'ECS_ROLLING');
  });

  test('a rollback rolls as ECS does, the failed set planned at what it keeps', () => {
    const failed = setFixture('new', { revision: 2, status: 'ACTIVE', rolloutState: 'FAILED', targetCount: 1 });
    const good = setFixture('old', { targetCount: 4 });
    const chosen = choosePlan(service, [good, failed], new Map([['old', 2], ['new', 3]]), 'old', policy('Immutable'), 5);
    assert.deepEqual(chosen, { kind: 'ROLLBACK', fromSets: ['new'], steps: rollingPlan(4, 100, 200, [{ id: 'new', count: 1 }], { id: 'old', count: 2 }) });
  });

  test("a rollback of a rolling update follows the policy's rolling update", () => {
    const failed = setFixture('new', { revision: 2, status: 'ACTIVE', rolloutState: 'FAILED', targetCount: 1 });
    const good = setFixture('old', { targetCount: 4 });
    const chosen = choosePlan(service, [good, failed], new Map([['old', 2], ['new', 3]]), 'old', policy('Rolling', { rollingUpdate: health }), 5);
    assert.deepEqual(chosen, { kind: 'ROLLBACK', fromSets: ['new'], steps: rollingUpdatePlan({ ...health, desired: 4, from: [{ id: 'new', count: 1 }], to: { id: 'old', count: 2 } }) });
  });

  test('a plan that starts during a traffic split evens the weights first; a rollback sends the set it leaves none', () => {
    const split = [setFixture('old', { status: 'ACTIVE', weight: 75 }), setFixture('new', { revision: 2, weight: 25 })];
    const even = choosePlan(serviceFixture({ desiredCount: 5 }), split, new Map([['old', 4], ['new', 4]]), 'new', undefined, null);
    assert.deepEqual(even.steps[0]?.weights, { old: 100, new: 100 });
    const back = choosePlan(service, split, new Map([['old', 4], ['new', 4]]), 'old', undefined, 3);
    assert.deepEqual(back.steps[0]?.weights, { old: 100, new: 0 });
  });

  test('a TrafficSplitting plan sets its own weights', () => {
    const split = [setFixture('older', { status: 'ACTIVE', weight: 0, targetCount: 0 }), old, fresh];
    const chosen = choosePlan(service, split, counts, 'new', policy('TrafficSplitting'), null);
    assert.deepEqual(chosen.steps, policyPlan('TrafficSplitting', { ...policy('TrafficSplitting'), desired: 4, from: [{ id: 'older', count: 0 }, ...from], to }));
  });
});
