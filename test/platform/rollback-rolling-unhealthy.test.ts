/**
 * Rolling with a version that runs but fails its health check (it answers 500), under steady load:
 * the circuit breaker fails the deployment and the service must roll back to the old version, with
 * the failing version's last task gone.
 *
 * A failing task is usually live when the breaker trips: the rollback plans the failed set at the
 * tasks it kept healthy, and a FAILED set's step only waits for it to shrink, so the rollback
 * cannot wait for ever on a task that never becomes healthy.
 */
import { test } from 'node:test';
import { assertRolledBack, deployUnderLoad, describeFigures, startPolicyEnvironment } from './deploy-load.js';

test(
  'Rolling: a version failing its health check rolls back to the old version, its last task gone, with zero failed requests',
  async (t) => {
    const env = await startPolicyEnvironment(t, { application: 'rb-rolling-500', environment: 'rb-rolling-500', instances: 3, hosts: 3, firstVersion: 'v1', unhealthyThreshold: 3, healthCheckTimeout: 4 });
    await env.addVersion('bad', 'unhealthy');
    const figures = await deployUnderLoad(env, { policy: 'Rolling', from: 'v1', to: 'bad', batch: { type: 'Fixed', size: 1 }, expect: 'rolled back', timeoutMs: 40_000 });
    t.diagnostic(describeFigures(figures));
    await assertRolledBack(env, figures, 'bad');
  },
);
