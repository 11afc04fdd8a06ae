/**
 * Issue 6, a deployment that rolls back (Rolling, batches of one, a version whose app exits at
 * start): the controller killed with SIGKILL right after the failing deployment's first step is
 * recorded (its tasks failing), and again right after the circuit breaker failed it and the
 * rollback started. The restarted controller ends the environment Ready on v1 with the failure
 * recorded, the rollback complete, every task of the failed version stopped (see durability-support.ts).
 */
import { test } from 'node:test';
import { deploymentsSurviveKills } from './durability-support.js';

test('Rolling rollback: kill -9 of the controller while the new version fails and again mid-rollback, restart on the same data folder', async (t) => {
  await deploymentsSurviveKills(t, 'Rolling', [{ kills: ['step 1', 'rollback'], failing: 'exits' }]);
});
