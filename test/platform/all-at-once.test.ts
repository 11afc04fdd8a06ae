/**
 * AllAtOnce under steady load (GET and POST, keep-alive and fresh connections): every old instance
 * goes and every new one starts in one step, so, as in Elastic Beanstalk, there is downtime. What
 * must hold is asserted (the deploy completes, only the new version answers afterwards); the
 * downtime is measured by the load client (the longest stretch with no successful answer, the
 * failed requests) and by the router (time with no healthy target), and reported with where the
 * time went (the tasks' and the targets' timelines). Then a failing version, rolled back by the
 * circuit breaker: the environment ends on the previous version, which answers again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PLATFORM_CLUSTER } from '../../src/controller/platform/compile.js';
import { deployUnderLoad, describeFigures, startPolicyEnvironment } from './deploy-load.js';

test('AllAtOnce deploys a new version, then rolls a failing one back, under load; the downtime of each is measured and reported', async (t) => {
  const env = await startPolicyEnvironment(t, { application: 'all-at-once', environment: 'all-at-once', instances: 3, hosts: 3, firstVersion: 'v1', healthCheckTimeout: 4 });
  await env.addVersion('v2');
  const figures = await deployUnderLoad(env, { policy: 'AllAtOnce', from: 'v1', to: 'v2', expect: 'deployed' });
  t.diagnostic(describeFigures(figures));
  const gapFrom = figures.load.longestGapFrom === undefined ? '-' : `+${figures.load.longestGapFrom - figures.updatedAt} ms`;
  t.diagnostic(
    `AllAtOnce downtime: longest stretch without a successful answer ${figures.load.longestGapMs} ms (from ${gapFrom} after UpdateEnvironment), ` +
      `${figures.load.failed} of ${figures.load.ok + figures.load.failed} requests failed, no healthy target for ${figures.noHealthyMs} ms; first failure: ${figures.load.failures[0] ?? '-'}`,
  );
  // Where the time went: each task's milestones after UpdateEnvironment, and the router's view.
  const at = (ms: number | null): string => (ms === null ? '-' : `+${ms - figures.updatedAt}`);
  const tasks = (await env.cluster.controller.store.tasks.list({ cluster: PLATFORM_CLUSTER, limit: 1000 })).filter((task) => (task.stoppingAt ?? task.createdAt) >= figures.updatedAt);
  t.diagnostic(`tasks (ms: created/started/stopping/stopped): ${tasks.map((task) => `r${task.revision} ${at(task.createdAt)}/${at(task.startedAt)}/${at(task.stoppingAt)}/${at(task.stoppedAt)}`).join(', ')}`);
  t.diagnostic(`router: ${figures.targetChanges.join(', ')}`);

  assert.equal(figures.environment.VersionLabel, 'v2');
  assert.equal(figures.environment.Operation?.Failure, undefined);
  assert.deepEqual([...figures.tail.keys()], ['v2'], 'only the new version answers afterwards');
  assert.ok((figures.load.versions.get('v1') ?? 0) > 0, 'the old version served before the switch');
  assert.ok(figures.load.ok > 100, `the load ran (${figures.load.ok})`);

  // A version whose app exits at start, AllAtOnce: every old instance goes, nothing new becomes
  // healthy, the circuit breaker rolls back (in one step too: minimum healthy 0 %); measured.
  await env.addVersion('bad', 'exits');
  const rollback = await deployUnderLoad(env, { policy: 'AllAtOnce', from: 'v2', to: 'bad', expect: 'rolled back' });
  t.diagnostic(describeFigures(rollback));
  t.diagnostic(`AllAtOnce rollback downtime: longest stretch without a successful answer ${rollback.load.longestGapMs} ms, ${rollback.load.failed} of ${rollback.load.ok + rollback.load.failed} requests failed, no healthy target for ${rollback.noHealthyMs} ms`);
  assert.equal(rollback.environment.VersionLabel, 'v2');
  assert.match(rollback.environment.Operation.Failure, /circuit breaker/);
  assert.deepEqual([...rollback.load.versions.keys()], ['v2'], 'the failing version never answered');
  assert.deepEqual([...rollback.tail.keys()], ['v2'], 'the old version answers again afterwards');
});
