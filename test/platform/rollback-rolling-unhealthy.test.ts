/**
 * Rolling with a version that runs but fails its health check (it answers 500), under steady load:
 * the circuit breaker fails the deployment and the service must roll back to the old version, with
 * the failing version's last task gone.
 *
 * TODO until the engine fixes it: the rollback plans from the failing set's *live* task count
 * (startDeployment ← ServiceRunner.rollBack ← liveCounts), so with a failing task live at the trip
 * its first step is {old: 3, failing: 1}; that step waits for the failing task to be healthy,
 * which it never is, so the rollback deployment stays IN_PROGRESS and the failing set crash-loops
 * one task for ever (no request fails: the old set serves at full capacity).
 */
import { test } from 'node:test';
import { assertRolledBack, deployUnderLoad, describeFigures, startPolicyEnvironment } from './deploy-load.js';

test(
  'Rolling: a version failing its health check rolls back to the old version, its last task gone, with zero failed requests',
  { todo: 'the rollback deployment waits for the failing set to be healthy (see the file comment)' },
  async (t) => {
    const env = await startPolicyEnvironment(t, { application: 'rb-rolling-500', environment: 'rb-rolling-500', instances: 3, hosts: 3, firstVersion: 'v1', unhealthyThreshold: 3, healthCheckTimeout: 4 });
    await env.addVersion('bad', 'unhealthy');
    const figures = await deployUnderLoad(env, { policy: 'Rolling', from: 'v1', to: 'bad', batch: { type: 'Fixed', size: 1 }, expect: 'rolled back', timeoutMs: 40_000 });
    t.diagnostic(describeFigures(figures));
    await assertRolledBack(env, figures, 'bad');
  },
);
