/**
 * Issue 6, Rolling: v2's deployment is interrupted twice, the controller killed with SIGKILL right
 * after step 2 is recorded (tasks starting and stopping), and again right after the last step is
 * recorded (the old tasks stopping), each time restarted on the same data folder. The restarted
 * controller finishes it on v2 with every task accounted for (see durability-support.ts). The kill
 * at the environment runner's serve/wait step is in durability-serve-wait*.test.ts (at most two
 * restarts per file: a `wharf server` start is the slow part).
 */
import { test } from 'node:test';
import { deploymentsSurviveKills } from './durability-support.js';

test('Rolling: kill -9 of the controller at step 2 and at the last step, restart on the same data folder', async (t) => {
  await deploymentsSurviveKills(t, 'Rolling', [{ kills: ['step 2', 'last step'] }]);
});
