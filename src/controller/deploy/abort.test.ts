import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abortPlan } from './abort.js';
import type { SetProgress } from './deployment.js';
import { advanceDeployment } from './deployment.js';
import { NOW, deploymentFixture, serviceFixture, setFixture } from './fixtures.test-support.js';

const progress = (entries: Record<string, Partial<SetProgress>>) => new Map(Object.entries(entries).map(([id, p]) => [id, { live: 0, healthy: 0, failed: 0, ...p }]));

test('an abort plan brings the previous set back to full strength first, then stops the aborted sets', () => {
  const steps = abortPlan({ desired: 3, back: { id: 'old', count: 2 }, aborted: [{ id: 'new', count: 1 }], split: false });
  assert.deepEqual(steps, [
    { name: 'scale set', targets: { old: 3 } },
    { name: 'stop set', targets: { old: 3, new: 0 } },
  ]);
});

test('a service that may not exceed its desired count (maximumPercent 100) swaps the sets in one step', () => {
  assert.deepEqual(abortPlan({ desired: 1, back: { id: 'old', count: 0 }, aborted: [{ id: 'new', count: 1 }], split: false, atOnce: true }), [{ name: 'start set', targets: { old: 1, new: 0 } }]);
});

test('an abort during a traffic split gives the previous set all the traffic at once', () => {
  const [first] = abortPlan({ desired: 2, back: { id: 'old', count: 2 }, aborted: [{ id: 'new', count: 2 }, { id: 'older', count: 0 }], split: true });
  assert.deepEqual(first?.weights, { old: 100, new: 0, older: 0 });
});

test('the first step holds on the previous set alone: aborted tasks that never turn healthy do not stall the rollback', () => {
  const sets = [setFixture('old', { targetCount: 1 }), setFixture('new', { status: 'ACTIVE', rolloutState: 'FAILED', targetCount: 1, revision: 2 })];
  const service = serviceFixture({ desiredCount: 2 });
  const deployment = deploymentFixture({ kind: 'ROLLBACK', toSet: 'old', fromSets: ['new'], rollbackOf: 1, steps: abortPlan({ desired: 2, back: { id: 'old', count: 1 }, aborted: [{ id: 'new', count: 1 }], split: false }) });
  const applied = advanceDeployment(deployment, service, sets, progress({ old: { live: 1, healthy: 1 }, new: { live: 1, healthy: 0 } }), NOW);
  assert.deepEqual(applied?.sets.map((s) => [s.id, s.targetCount]), [['old', 2]], 'the aborted set keeps its tasks while the previous one grows');
  const grown = sets.map((s) => applied!.sets.find((c) => c.id === s.id) ?? s);
  assert.equal(advanceDeployment(applied!.deployment, service, grown, progress({ old: { live: 2, healthy: 1 }, new: { live: 1, healthy: 0 } }), NOW + 1), undefined, 'waits for the previous set');
  const moved = advanceDeployment(applied!.deployment, service, grown, progress({ old: { live: 2, healthy: 2 }, new: { live: 1, healthy: 0 } }), NOW + 2);
  assert.equal(moved?.deployment.cursor, 1, 'the unhealthy aborted task does not hold it up');
  const stopping = advanceDeployment(moved!.deployment, service, grown, progress({ old: { live: 2, healthy: 2 }, new: { live: 1, healthy: 0 } }), NOW + 3);
  assert.deepEqual(stopping?.sets.map((s) => [s.id, s.targetCount]), [['new', 0]]);
});
