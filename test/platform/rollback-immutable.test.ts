/**
 * Immutable with a version that never becomes healthy, under steady load: the circuit breaker fails
 * the deployment, the new task set goes, the environment ends Ready on the old version, only the
 * old version answers, and not one request fails. The old set is never touched, so its capacity
 * holds throughout. Here the failing version's app exits at start.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRolledBack, deployUnderLoad, describeFigures, startPolicyEnvironment } from './deploy-load.js';

test('Immutable: a version whose app exits at start rolls back to the old version with zero failed requests and full capacity', async (t) => {
  const env = await startPolicyEnvironment(t, { application: 'rb-immutable', environment: 'rb-immutable', instances: 3, hosts: 3, firstVersion: 'v1', healthCheckTimeout: 4 });
  await env.addVersion('bad', 'exits');
  const figures = await deployUnderLoad(env, { policy: 'Immutable', from: 'v1', to: 'bad', expect: 'rolled back', timeoutMs: 75_000 });
  t.diagnostic(describeFigures(figures));
  await assertRolledBack(env, figures, 'bad');
  assert.ok(figures.minHealthy >= 3, `Immutable keeps every old instance serving (saw ${figures.minHealthy}); target changes:\n${figures.targetChanges.join('\n')}`);
});
