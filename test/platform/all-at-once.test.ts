/**
 * AllAtOnce under steady load (GET and POST, keep-alive and fresh connections): every old instance
 * goes and every new one starts in one step, so, as in Elastic Beanstalk, there is downtime. What
 * must hold is asserted (the deploy completes, only the new version answers afterwards); the
 * downtime is measured by the load client (the longest stretch with no successful answer, the
 * failed requests) and by the router (time with no healthy target), and reported with where the
 * time went (the tasks' and the targets' timelines). An AllAtOnce rollback is measured by
 * bench/policies.ts, not asserted here: it can stall (see rollback-rolling-unhealthy.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PLATFORM_CLUSTER } from '../../src/controller/platform/compile.js';
import { deployUnderLoad, describeFigures, startPolicyEnvironment } from './deploy-load.js';

test('AllAtOnce deploys a new version under load; its downtime is measured and reported', async (t) => {
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
});
