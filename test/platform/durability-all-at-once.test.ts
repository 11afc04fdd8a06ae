/**
 * Issue 6, AllAtOnce: v2's deployment is interrupted twice, the controller killed with SIGKILL at
 * the environment runner's serve/wait step, and (after the restart) right after the deployment's
 * only step is recorded (every old task stopping, every new one starting). The restarted controller
 * finishes it on v2 with every task accounted for (see durability-support.ts).
 */
import { test } from 'node:test';
import { deploymentsSurviveKills } from './durability-support.js';

test('AllAtOnce: kill -9 of the controller at serve/wait and then at its step, restart on the same data folder', async (t) => {
  await deploymentsSurviveKills(t, 'AllAtOnce', [{ kills: ['runner', 'step 2'] }]);
});
