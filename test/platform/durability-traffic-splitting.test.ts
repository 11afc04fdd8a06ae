/**
 * Issue 6, TrafficSplitting: v2's deployment is interrupted twice, the controller killed with
 * SIGKILL right after step 2 is recorded (the evaluation: half the requests go to the new set,
 * held for 15 s; the hold time is persisted, so a restart neither restarts nor skips it) and again
 * right after the last step is recorded (the old set stopping), each time restarted on the same
 * data folder. The restarted controller finishes it on v2 with every task accounted for (see
 * durability-support.ts).
 */
import { test } from 'node:test';
import { deploymentsSurviveKills } from './durability-support.js';

test('TrafficSplitting: kill -9 of the controller during the evaluation and at the last step, restart on the same data folder', async (t) => {
  await deploymentsSurviveKills(t, 'TrafficSplitting', [{ kills: ['step 2', 'last step'] }]);
});
