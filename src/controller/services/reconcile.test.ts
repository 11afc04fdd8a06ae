import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TaskRecord } from '../../model/task.js';
import { NOW, daemonFixture, serviceFixture, serviceTask, setFixture } from '../deploy/fixtures.test-support.js';
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

describe('DAEMON: one task on each eligible host', () => {
  const on = (host: string, setId = 'a', overrides: Partial<TaskRecord> = {}) => serviceTask(setId, { containerInstanceId: host, ...overrides });
  const daemon = (hosts: string[], tasks: TaskRecord[], o: { target?: number; draining?: string[]; health?: Map<string, TaskHealthState> } = {}) =>
    reconcileService({
      service: daemonFixture(hosts.length),
      sets: [setFixture('a', { targetCount: o.target ?? hosts.length })],
      tasks,
      health: o.health ?? healthy(tasks),
      drainingHosts: new Set(o.draining ?? []),
      eligibleHosts: hosts,
    });

  test('3 hosts: 3 tasks, each pinned to its host', () => {
    assert.deepEqual(daemon(['h1', 'h2', 'h3'], []), { place: [{ setId: 'a', count: 3, hosts: ['h1', 'h2', 'h3'] }], stop: [] });
  });

  test('a 4th host joins: once the target follows (4), it alone gets a task', () => {
    const tasks = [on('h1'), on('h2'), on('h3')];
    assert.deepEqual(daemon(['h1', 'h2', 'h3', 'h4'], tasks, { target: 3 }).place, [], 'the target decides, not the host list');
    assert.deepEqual(daemon(['h1', 'h2', 'h3', 'h4'], tasks), { place: [{ setId: 'a', count: 1, hosts: ['h4'] }], stop: [] });
  });

  test('a DRAINING host: its task stops and is not moved, even before the target follows', () => {
    const tasks = [on('h1'), on('h2'), on('h3')];
    for (const target of [3, 2]) {
      const plan = daemon(['h1', 'h3'], tasks, { target, draining: ['h2'] });
      assert.deepEqual(plan.stop, [{ taskId: tasks[1]!.id, setId: 'a', reason: 'Daemon task stopped: container instance h2 is DRAINING', failure: false }]);
      assert.deepEqual(plan.place, []);
    }
  });

  test('a host failing a constraint (or lost) gets no task, and a task it has stops', () => {
    const tasks = [on('h1'), on('h2')];
    const plan = daemon(['h1'], tasks, { target: 1 });
    assert.deepEqual(plan.place, []);
    assert.deepEqual(plan.stop.map((s) => [s.taskId, s.failure]), [[tasks[1]!.id, false]]);
    assert.match(plan.stop[0]!.reason, /container instance h2 no longer meets the service's placement constraints/);
  });

  test('an unhealthy task stops as a failure; its host takes the replacement once the old one is STOPPED', () => {
    const tasks = [on('h1'), on('h2')];
    const health = healthy(tasks);
    health.set(tasks[0]!.id, 'unhealthy');
    const first = daemon(['h1', 'h2'], tasks, { health });
    assert.deepEqual(first.stop, [{ taskId: tasks[0]!.id, setId: 'a', reason: 'Task failed health checks', failure: true }]);
    assert.deepEqual(first.place, [], 'h1 still has its (stopping) task');
    const stopping = [{ ...tasks[0]!, desiredStatus: 'STOPPED' as const }, tasks[1]!];
    assert.deepEqual(daemon(['h1', 'h2'], stopping).place, [], 'not while it is stopping');
    assert.deepEqual(daemon(['h1', 'h2'], [tasks[1]!]).place, [{ setId: 'a', count: 1, hosts: ['h1'] }]);
  });

  test('two sets: the new one fills free hosts first; extras stop; a host never gets a second task', () => {
    const old = [on('h1', 'old'), on('h2', 'old'), on('h3', 'old')];
    const sets = [setFixture('old', { status: 'ACTIVE', targetCount: 1, createdAt: NOW - 10 }), setFixture('new', { targetCount: 2 })];
    const input = { service: daemonFixture(3), sets, tasks: old, health: healthy(old), drainingHosts: new Set<string>(), eligibleHosts: ['h1', 'h2', 'h3'] };
    const plan = reconcileService(input);
    assert.equal(plan.stop.length, 2);
    assert.deepEqual(plan.place, [], 'the freed hosts are not free until their tasks are STOPPED');
    const kept = old.filter((t) => !plan.stop.some((s) => s.taskId === t.id));
    const after = reconcileService({ ...input, tasks: kept, health: healthy(kept) });
    assert.deepEqual(after.place, [{ setId: 'new', count: 2, hosts: ['h1', 'h2', 'h3'].filter((h) => h !== kept[0]!.containerInstanceId) }]);
  });

  test('two tasks on one host: the healthy one stays; a deleted service stops everything', () => {
    const pending = on('h1', 'a', { lastStatus: 'PENDING', startedAt: null });
    const running = on('h1');
    const health = healthy([running]);
    health.set(pending.id, 'pending');
    assert.deepEqual(daemon(['h1'], [pending, running], { health }).stop.map((s) => s.taskId), [pending.id]);
    const tasks = [on('h1'), on('h2')];
    const deleted = reconcileService({ service: daemonFixture(2, { status: 'DRAINING' }), sets: [setFixture('a', { targetCount: 2 })], tasks, health: healthy(tasks), drainingHosts: new Set(), eligibleHosts: ['h1', 'h2'] });
    assert.equal(deleted.stop.length, 2);
    assert.deepEqual(deleted.place, []);
  });
});
