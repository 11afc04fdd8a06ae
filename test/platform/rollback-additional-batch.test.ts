/**
 * RollingWithAdditionalBatch with a version that never becomes healthy, under steady load: the
 * circuit breaker fails the deployment, the service rolls back, the environment ends Ready on the
 * old version, only the old version answers, and not one request fails. Here the failing version
 * runs but answers 500 to everything, its health check included, so its targets never take traffic.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRolledBack, deployUnderLoad, describeFigures, startPolicyEnvironment } from './deploy-load.js';

test('RollingWithAdditionalBatch: a version failing its health check rolls back to the old version with zero failed requests and full capacity', async (t) => {
  const env = await startPolicyEnvironment(t, { application: 'rb-batch', environment: 'rb-batch', instances: 3, hosts: 3, firstVersion: 'v1', unhealthyThreshold: 3, healthCheckTimeout: 4 });
  await env.addVersion('bad', 'unhealthy');
  const figures = await deployUnderLoad(env, { policy: 'RollingWithAdditionalBatch', from: 'v1', to: 'bad', batch: { type: 'Fixed', size: 1 }, expect: 'rolled back' });
  t.diagnostic(describeFigures(figures));
  await assertRolledBack(env, figures, 'bad');
  assert.ok(figures.minHealthy >= 3, `the additional batch keeps N serving while it fails and rolls back (saw ${figures.minHealthy}); target changes:\n${figures.targetChanges.join('\n')}`);
});
