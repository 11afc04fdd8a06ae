/**
 * Rolling with a version that never becomes healthy, under steady load (GET and POST, keep-alive
 * and fresh connections): the circuit breaker fails the deployment, the service rolls back, the
 * environment ends Ready on the old version with the failure in its health, only the old version
 * answers, and not one request fails. Here the failing version's app exits at start.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRolledBack, deployUnderLoad, describeFigures, startPolicyEnvironment } from './deploy-load.js';

test('Rolling: a version whose app exits at start rolls back to the old version with zero failed requests', async (t) => {
  const env = await startPolicyEnvironment(t, { application: 'rb-rolling', environment: 'rb-rolling', instances: 3, hosts: 3, firstVersion: 'v1', healthCheckTimeout: 4 });
  await env.addVersion('bad', 'exits');
  const figures = await deployUnderLoad(env, { policy: 'Rolling', from: 'v1', to: 'bad', batch: { type: 'Fixed', size: 1 }, expect: 'rolled back' });
  t.diagnostic(describeFigures(figures));
  await assertRolledBack(env, figures, 'bad');
  assert.ok(figures.minHealthy >= 2, `Rolling keeps N minus a batch serving while it fails and rolls back (saw ${figures.minHealthy}); target changes:\n${figures.targetChanges.join('\n')}`);
});
