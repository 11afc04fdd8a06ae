import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SetProgress } from './deployment.js';
import { advanceDeployment } from './deployment.js';
import { NOW, deploymentFixture, serviceFixture, setFixture } from './fixtures.test-support.js';

const sets = () => [setFixture('old', { status: 'ACTIVE', rolloutState: 'COMPLETED' }), setFixture('new', { targetCount: 0 })];
const progress = (entries: Record<string, Partial<SetProgress>>) => new Map(Object.entries(entries).map(([id, p]) => [id, { live: 0, healthy: 0, failed: 0, ...p }]));

test('a step is applied (targets written) before anything waits on it', () => {
  const decision = advanceDeployment(deploymentFixture(), serviceFixture(), sets(), progress({ old: { live: 4, healthy: 4 } }), NOW);
  assert.ok(decision);
  assert.equal(decision.deployment.stepAppliedAt, NOW);
  assert.deepEqual(decision.sets.map((s) => [s.id, s.targetCount]), [['new', 4]]);
  assert.match(decision.events[0]!.message, /step 1\/2 \(start set\): new=4, old=4/);
});

test('the engine waits until every set holds its target, healthy, then moves on; at the end it completes', () => {
  const applied = deploymentFixture({ stepAppliedAt: NOW });
  assert.equal(advanceDeployment(applied, serviceFixture(), sets(), progress({ old: { live: 4, healthy: 4 }, new: { live: 4, healthy: 2 } }), NOW + 1), undefined);
  const next = advanceDeployment(applied, serviceFixture(), sets(), progress({ old: { live: 4, healthy: 4 }, new: { live: 4, healthy: 4 } }), NOW + 2);
  assert.equal(next?.deployment.cursor, 1);
  assert.equal(next?.deployment.stepAppliedAt, null);

  const done = advanceDeployment(deploymentFixture({ cursor: 2 }), serviceFixture(), sets(), progress({}), NOW + 3);
  assert.equal(done?.deployment.status, 'COMPLETED');
  assert.deepEqual(done?.sets.map((s) => [s.id, s.status, s.rolloutState]), [
    ['old', 'INACTIVE', 'COMPLETED'],
    ['new', 'PRIMARY', 'COMPLETED'],
  ]);
  assert.match(done!.events[0]!.message, /has reached a steady state/);
});

test('a hold time keeps the step until it passed with the targets holding', () => {
  const holding = deploymentFixture({ stepAppliedAt: NOW, steps: [{ name: 'shift weight', targets: { new: 4 }, weights: { new: 10 }, holdMs: 5000 }] });
  const ok = progress({ new: { live: 4, healthy: 4 } });
  const started = advanceDeployment(holding, serviceFixture(), sets(), ok, NOW + 1);
  assert.equal(started?.deployment.stepHeldSince, NOW + 1);
  assert.equal(advanceDeployment(started!.deployment, serviceFixture(), sets(), ok, NOW + 3000), undefined);
  assert.equal(advanceDeployment(started!.deployment, serviceFixture(), sets(), ok, NOW + 5001)?.deployment.cursor, 1);
  const broken = advanceDeployment(started!.deployment, serviceFixture(), sets(), progress({ new: { live: 4, healthy: 3 } }), NOW + 4000);
  assert.equal(broken?.deployment.stepHeldSince, null, 'the hold starts again when the targets stop holding');
});

test('the circuit breaker fails the deployment at its threshold and asks for a rollback to the old set', () => {
  const applied = deploymentFixture({ stepAppliedAt: NOW });
  assert.equal(advanceDeployment(applied, serviceFixture(), sets(), progress({ new: { failed: 9 } }), NOW), undefined, 'below the threshold of 10');
  const tripped = advanceDeployment(applied, serviceFixture(), sets(), progress({ new: { failed: 10, healthy: 1 } }), NOW);
  assert.equal(tripped?.deployment.status, 'FAILED');
  assert.equal(tripped?.rollbackTo, 'old');
  assert.deepEqual(tripped?.sets.map((s) => [s.id, s.rolloutState, s.targetCount]), [['new', 'FAILED', 1]]);
  const noRollback = advanceDeployment(applied, serviceFixture({ deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: false } } }), sets(), progress({ new: { failed: 10 } }), NOW);
  assert.equal(noRollback?.rollbackTo, undefined);
  const off = advanceDeployment(applied, serviceFixture({ deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: false, rollback: false } } }), sets(), progress({ new: { failed: 50 } }), NOW);
  assert.equal(off, undefined);
});
