import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskRecord } from '../../model/task.js';
import { NOW, serviceFixture, serviceTask, setFixture } from './fixtures.test-support.js';
import type { TaskHealthState } from './reconcile.js';
import { reconcileService, taskHealthState } from './reconcile.js';

const healthy = (tasks: TaskRecord[], state: TaskHealthState = 'healthy') => new Map(tasks.map((t) => [t.id, state]));

test('task health: load balancer first, then the container check, then time running; grace blocks unhealthy', () => {
  const running = serviceTask('s', { startedAt: NOW - 10_000, healthStatus: 'UNHEALTHY' });
  const timings = { graceMs: 0, settleMs: 40_000 };
  assert.equal(taskHealthState(running, { hasHealthCheck: false, targetHealth: 'healthy' }, timings, NOW), 'healthy');
  assert.equal(taskHealthState(running, { hasHealthCheck: true }, timings, NOW), 'unhealthy');
  assert.equal(taskHealthState(running, { hasHealthCheck: true }, { graceMs: 30_000, settleMs: 0 }, NOW), 'pending', 'within the grace period');
  assert.equal(taskHealthState(running, { hasHealthCheck: false }, timings, NOW), 'pending', 'running 10 s of the 40 s settle time');
  assert.equal(taskHealthState(running, { hasHealthCheck: false }, timings, NOW + 30_000), 'healthy');
  assert.equal(taskHealthState(serviceTask('s', { lastStatus: 'PENDING', startedAt: null }), { hasHealthCheck: false }, timings, NOW), 'pending');
});

test('a set below its target places the missing tasks; above it stops pending ones first, then the newest', () => {
  const tasks = [serviceTask('a'), serviceTask('a')];
  assert.deepEqual(reconcileService({ service: serviceFixture(), sets: [setFixture('a')], tasks, health: healthy(tasks), drainingHosts: new Set() }).place, [{ setId: 'a', count: 2 }]);

  const five = [serviceTask('a'), serviceTask('a'), serviceTask('a'), serviceTask('a', { lastStatus: 'PENDING', startedAt: null }), serviceTask('a')];
  const plan = reconcileService({ service: serviceFixture(), sets: [setFixture('a')], tasks: five, health: healthy(five), drainingHosts: new Set() });
  assert.deepEqual(plan.place, []);
  assert.deepEqual(plan.stop.map((s) => s.taskId), [five[3]!.id], 'the pending task goes first');
});

test('unhealthy tasks are stopped as failures and replaced', () => {
  const tasks = [serviceTask('a'), serviceTask('a'), serviceTask('a'), serviceTask('a')];
  const health = healthy(tasks);
  health.set(tasks[1]!.id, 'unhealthy');
  const plan = reconcileService({ service: serviceFixture(), sets: [setFixture('a')], tasks, health, drainingHosts: new Set() });
  assert.deepEqual(plan.stop, [{ taskId: tasks[1]!.id, setId: 'a', reason: 'Task failed health checks', failure: true }]);
  assert.deepEqual(plan.place, [{ setId: 'a', count: 1 }]);
});

test('tasks on a draining host: replacements first while min healthy 100% needs them, then the move', () => {
  const tasks = [serviceTask('a'), serviceTask('a'), serviceTask('a', { containerInstanceId: 'drain' }), serviceTask('a', { containerInstanceId: 'drain' })];
  const input = { service: serviceFixture(), sets: [setFixture('a')], tasks, health: healthy(tasks), drainingHosts: new Set(['drain']) };
  const first = reconcileService(input);
  assert.deepEqual(first.place, [{ setId: 'a', count: 2 }], 'two replacements within maximumPercent 200');
  assert.deepEqual(first.stop, [], 'nothing stops while min healthy 100% needs the draining ones');

  const replaced = [...tasks, serviceTask('a'), serviceTask('a')];
  const second = reconcileService({ ...input, tasks: replaced, health: healthy(replaced) });
  assert.deepEqual(second.place, []);
  assert.deepEqual(second.stop.map((s) => s.taskId).sort(), [tasks[2]!.id, tasks[3]!.id].sort());

  const loose = reconcileService({ ...input, service: serviceFixture({ deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100, deploymentCircuitBreaker: { enable: false, rollback: false } } }) });
  assert.equal(loose.stop.length, 2, 'with min 50% both draining tasks stop at once');
  assert.deepEqual(loose.place, [], 'no headroom above maximumPercent 100 for replacements yet');
});

test('a deleted (DRAINING) service stops everything', () => {
  const tasks = [serviceTask('a'), serviceTask('a')];
  const plan = reconcileService({ service: serviceFixture({ status: 'DRAINING' }), sets: [setFixture('a')], tasks, health: healthy(tasks), drainingHosts: new Set() });
  assert.equal(plan.stop.length, 2);
  assert.deepEqual(plan.place, []);
});
