import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SetProgress } from './deployment.js';
import { advanceDeployment, canaryVerdict } from './deployment.js';
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

const JUDGE = { errorRatePoints: 1, latencyPercent: 100, minRequests: 20 };
const evaluation = { name: 'shift weight', targets: { new: 4, old: 4 }, weights: { new: 10, old: 90 }, holdMs: 60_000, judge: JUDGE };
const traffic = (requests: number, errors5xx: number, meanMs: number) => ({ requests, errors5xx, secondsSum: (requests * meanMs) / 1000 });

test('canaryVerdict: 5xx share and mean latency against the old set beyond the margins, too few requests judge nothing', () => {
  const judge = (fresh: Partial<SetProgress>, old: Partial<SetProgress>, heldBefore = true) =>
    canaryVerdict(evaluation, 'new', progress({ new: { live: 4, healthy: 4, ...fresh }, old: { live: 4, healthy: 4, ...old } }), heldBefore);
  assert.equal(judge({ traffic: traffic(100, 1, 2) }, { traffic: traffic(900, 9, 2) }), undefined, 'the same error rate');
  assert.equal(judge({ traffic: traffic(100, 2, 2) }, { traffic: traffic(900, 9, 2) }), undefined, '1 point worse is within the margin');
  assert.match(judge({ traffic: traffic(100, 5, 2) }, { traffic: traffic(900, 9, 2) }) ?? '', /answered 5\.0 % of 100 requests with 5xx, the old 1\.0 % of 900/);
  assert.equal(judge({ traffic: traffic(10, 10, 2) }, { traffic: traffic(900, 0, 2) }), undefined, 'fewer than minRequests: not judged on traffic');
  assert.match(judge({ traffic: traffic(100, 0, 50) }, { traffic: traffic(900, 0, 10) }) ?? '', /mean latency 50\.0 ms is above the old's 10\.0 ms by more than 100 %/);
  assert.equal(judge({ traffic: traffic(100, 0, 3) }, { traffic: traffic(900, 0, 1) }), undefined, 'three times slower, but by less than the 5 ms floor');
  assert.equal(judge({ traffic: traffic(100, 0, 19) }, { traffic: traffic(900, 0, 10) }), undefined, 'within 100 %');
  assert.match(judge({ healthy: 3 }, {}) ?? '', /1 task\(s\) of the new version turned unhealthy during the evaluation/);
  assert.equal(judge({ healthy: 3 }, {}, false), undefined, 'before the step first held, a task still starting is not a failure');
  assert.equal(canaryVerdict({ ...evaluation, judge: undefined }, 'new', progress({ new: { live: 4, healthy: 0, traffic: traffic(100, 100, 2) } }), true), undefined, 'an unjudged step');
});

test('a judged step that does worse fails the deployment and always rolls back, whatever the circuit breaker says', () => {
  const holding = deploymentFixture({ stepAppliedAt: NOW, stepHeldSince: NOW, steps: [evaluation, { name: 'shift weight', targets: { new: 4, old: 4 }, weights: { new: 100, old: 0 } }] });
  const noRollback = serviceFixture({ deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: false } } });
  const worse = progress({ new: { live: 4, healthy: 4, traffic: traffic(100, 20, 2) }, old: { live: 4, healthy: 4, traffic: traffic(900, 0, 2) } });
  const decision = advanceDeployment(holding, noRollback, sets(), worse, NOW + 1000);
  assert.equal(decision?.deployment.status, 'FAILED');
  assert.match(decision?.deployment.reason ?? '', /The evaluation of .* failed: the new version answered 20\.0 %/);
  assert.equal(decision?.rollbackTo, 'old');
  const fine = progress({ new: { live: 4, healthy: 4, traffic: traffic(100, 0, 2) }, old: { live: 4, healthy: 4, traffic: traffic(900, 0, 2) } });
  assert.equal(advanceDeployment(holding, noRollback, sets(), fine, NOW + 1000), undefined, 'holding, not yet done');
});

test('a rollback that trips the circuit breaker fails without rolling back in turn', () => {
  const rollback = deploymentFixture({ stepAppliedAt: NOW, kind: 'ROLLBACK', rollbackOf: 1, toSet: 'old', fromSets: ['new'] });
  const tripped = advanceDeployment(rollback, serviceFixture(), sets(), progress({ old: { failed: 10 } }), NOW);
  assert.equal(tripped?.deployment.status, 'FAILED');
  assert.equal(tripped?.rollbackTo, undefined, 'no rollback of the rollback (it would return to the broken set)');
});

test("a FAILED set only has to shrink to its target: its tasks need not become healthy for the rollback's step to hold", () => {
  const failedNew = [setFixture('old', { status: 'PRIMARY' }), setFixture('new', { status: 'ACTIVE', rolloutState: 'FAILED', targetCount: 1 })];
  const rollback = deploymentFixture({ stepAppliedAt: NOW, kind: 'ROLLBACK', rollbackOf: 1, toSet: 'old', fromSets: ['new'], steps: [{ name: 'scale set', targets: { old: 4, new: 1 } }, { name: 'stop set', targets: { old: 4, new: 0 } }] });
  const next = advanceDeployment(rollback, serviceFixture(), failedNew, progress({ old: { live: 4, healthy: 4 }, new: { live: 1, healthy: 0 } }), NOW + 1);
  assert.equal(next?.deployment.cursor, 1, 'the unhealthy task of the failed set does not block the step');
  assert.equal(advanceDeployment(rollback, serviceFixture(), failedNew, progress({ old: { live: 4, healthy: 4 }, new: { live: 2, healthy: 0 } }), NOW + 1), undefined, 'it still has to shrink to its target');
});
