// A DAEMON rollout end to end on a fake clock: the deployment engine, the daemon plan and the
// reconciler drive simulated hosts whose agents take a tick to start or stop a task.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeploymentRecord, ServiceRecord, TaskSetRecord } from '../../model/service.js';
import type { TaskRecord } from '../../model/task.js';
import type { SetProgress } from '../deploy/deployment.js';
import { advanceDeployment } from '../deploy/deployment.js';
import { NOW, daemonFixture, deploymentFixture, serviceTask, setFixture } from '../deploy/fixtures.test-support.js';
import { daemonPlan } from '../deploy/plan.js';
import type { TaskHealthState } from './reconcile.js';
import { reconcileService, taskHealthState } from './reconcile.js';

const TICK_MS = 1000;
const TIMINGS = { graceMs: 0, settleMs: 2 * TICK_MS };

interface World {
  service: ServiceRecord;
  sets: TaskSetRecord[];
  deployment: DeploymentRecord;
  tasks: TaskRecord[];
  now: number;
  /** A set whose tasks exit right after they start (a bad revision), and its exits so far. */
  failing?: string;
  failed: number;
}

/** One tick: agents move tasks one state, the engine moves one step, the reconciler's plan is applied. */
function tick(w: World, hosts: readonly string[]): void {
  w.now += TICK_MS;
  w.tasks = w.tasks
    .map((t): TaskRecord => {
      if (t.desiredStatus === 'STOPPED') return { ...t, lastStatus: 'STOPPED' };
      if (t.startedBy === w.failing && t.lastStatus === 'RUNNING') {
        w.failed += 1;
        return { ...t, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited' };
      }
      if (t.lastStatus === 'PENDING') return { ...t, lastStatus: 'RUNNING', startedAt: w.now };
      return t;
    })
    .filter((t) => t.lastStatus !== 'STOPPED');
  const health = new Map<string, TaskHealthState>(w.tasks.map((t) => [t.id, taskHealthState(t, { hasHealthCheck: false }, TIMINGS, w.now)]));
  const progress = new Map<string, SetProgress>(
    w.sets.map((s) => {
      const live = w.tasks.filter((t) => t.startedBy === s.id && t.desiredStatus === 'RUNNING');
      return [s.id, { live: live.length, healthy: live.filter((t) => health.get(t.id) === 'healthy').length, failed: s.id === w.failing ? w.failed : 0 }];
    }),
  );
  const decision = advanceDeployment(w.deployment, w.service, w.sets, progress, w.now);
  if (decision) {
    w.deployment = decision.deployment;
    w.sets = w.sets.map((s) => decision.sets.find((d) => d.id === s.id) ?? s).filter((s) => s.status !== 'INACTIVE');
    if (decision.rollbackTo) {
      // As the runner's rollBack: the good set becomes PRIMARY and a deployment to it starts.
      const good = decision.rollbackTo;
      w.sets = w.sets.map((s) => (s.id === good ? { ...s, status: 'PRIMARY', createdAt: w.now } : { ...s, status: 'ACTIVE' }));
      const live = (id: string) => w.tasks.filter((t) => t.startedBy === id && t.desiredStatus === 'RUNNING').length;
      const from = w.sets.filter((s) => s.id !== good).map((s) => ({ id: s.id, count: live(s.id) }));
      const steps = daemonPlan(hosts.length, w.service.deploymentConfiguration.minimumHealthyPercent, from, { id: good, count: live(good) });
      w.deployment = deploymentFixture({ id: w.deployment.id + 1, kind: 'ROLLBACK', toSet: good, fromSets: from.map((s) => s.id), steps, rollbackOf: w.deployment.id });
    }
  }
  const plan = reconcileService({ service: w.service, sets: w.sets, tasks: w.tasks, health, drainingHosts: new Set(), eligibleHosts: hosts });
  w.tasks = w.tasks.map((t) => (plan.stop.some((s) => s.taskId === t.id) ? { ...t, desiredStatus: 'STOPPED' } : t));
  for (const p of plan.place) {
    assert.equal(p.hosts?.length, p.count, 'a DAEMON placement names its hosts');
    for (const host of p.hosts ?? []) w.tasks.push(serviceTask(p.setId, { containerInstanceId: host, lastStatus: 'PENDING', startedAt: null, createdAt: w.now }));
  }
}

/** Runs a rollout from `old` (one healthy task per host) to `new` until COMPLETED, checking every tick. */
function rollOut(hosts: string[], minimumHealthyPercent: number, failing?: string): { maxPerHost: number; minHealthy: number; ticks: number; world: World; failedDeployments: DeploymentRecord[] } {
  const service = daemonFixture(hosts.length, { deploymentConfiguration: { minimumHealthyPercent, maximumPercent: 100, deploymentCircuitBreaker: { enable: true, rollback: true } } });
  const steps = daemonPlan(hosts.length, minimumHealthyPercent, [{ id: 'old', count: hosts.length }], { id: 'new', count: 0 });
  const world: World = {
    service,
    sets: [setFixture('old', { status: 'ACTIVE', rolloutState: 'COMPLETED', targetCount: hosts.length, createdAt: NOW - 1 }), setFixture('new', { targetCount: 0 })],
    deployment: deploymentFixture({ kind: 'ECS_DAEMON', steps }),
    tasks: hosts.map((h) => serviceTask('old', { containerInstanceId: h, startedAt: NOW - 60_000 })),
    now: NOW,
    failed: 0,
    ...(failing ? { failing } : {}),
  };
  const failedDeployments: DeploymentRecord[] = [];
  let maxPerHost = 0;
  let minHealthy = Infinity;
  let ticks = 0;
  while (world.deployment.status === 'IN_PROGRESS') {
    assert.ok(++ticks < 200, `the rollout did not finish: ${JSON.stringify(world.deployment)}`);
    const before = world.deployment;
    tick(world, hosts);
    if (world.deployment.id !== before.id) failedDeployments.push({ ...before, status: 'FAILED' });
    for (const h of hosts) maxPerHost = Math.max(maxPerHost, world.tasks.filter((t) => t.containerInstanceId === h).length);
    minHealthy = Math.min(minHealthy, world.tasks.filter((t) => t.desiredStatus === 'RUNNING' && taskHealthState(t, { hasHealthCheck: false }, TIMINGS, world.now) === 'healthy').length);
  }
  return { maxPerHost, minHealthy, ticks, world, failedDeployments };
}

test('0/100 on 3 hosts: every host gets the new revision, never two tasks (stopping ones included) on one host', () => {
  const { maxPerHost, world } = rollOut(['h1', 'h2', 'h3'], 0);
  assert.equal(world.deployment.status, 'COMPLETED');
  assert.equal(maxPerHost, 1);
  assert.deepEqual(world.tasks.map((t) => [t.containerInstanceId, t.startedBy]).sort(), [
    ['h1', 'new'],
    ['h2', 'new'],
    ['h3', 'new'],
  ]);
  assert.deepEqual(world.sets.map((s) => s.id), ['new'], 'the old set is INACTIVE');
});

test('50/100 on 4 hosts: two hosts at a time, at least 2 healthy tasks throughout, one task per host', () => {
  const { maxPerHost, minHealthy, world } = rollOut(['h1', 'h2', 'h3', 'h4'], 50);
  assert.equal(world.deployment.status, 'COMPLETED');
  assert.equal(maxPerHost, 1);
  assert.ok(minHealthy >= 2, `healthy tasks fell to ${minHealthy}`);
  assert.equal(world.tasks.filter((t) => t.startedBy === 'new').length, 4);
});

test('75/100 on 4 hosts is host by host: at least 3 healthy throughout, and it takes longer', () => {
  const batched = rollOut(['h1', 'h2', 'h3', 'h4'], 50);
  const oneByOne = rollOut(['h1', 'h2', 'h3', 'h4'], 75);
  assert.equal(oneByOne.maxPerHost, 1);
  assert.ok(oneByOne.minHealthy >= 3, `healthy tasks fell to ${oneByOne.minHealthy}`);
  assert.ok(oneByOne.ticks > batched.ticks, `${oneByOne.ticks} ticks one by one, ${batched.ticks} two by two`);
});

test('a revision whose tasks keep exiting trips the circuit breaker (threshold 10) and rolls back host by host', () => {
  const { maxPerHost, world, failedDeployments } = rollOut(['h1', 'h2', 'h3'], 0, 'new');
  assert.equal(failedDeployments.length, 1, 'one deployment failed');
  assert.ok(world.failed >= 10, `${world.failed} exits`);
  assert.equal(world.deployment.kind, 'ROLLBACK');
  assert.equal(world.deployment.status, 'COMPLETED');
  assert.equal(maxPerHost, 1);
  assert.deepEqual(world.tasks.map((t) => [t.containerInstanceId, t.startedBy]).sort(), [
    ['h1', 'old'],
    ['h2', 'old'],
    ['h3', 'old'],
  ]);
});
