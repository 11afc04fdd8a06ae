/**
 * Issue 6, the environment runner's serve/wait steps with Immutable: v2's deployment interrupted by
 * SIGKILL of the controller as soon as the runner has recorded its serve or wait step. The
 * restarted controller finishes it on v2 with every task accounted for (see durability-support.ts).
 */
import { test } from 'node:test';
import { deploymentsSurviveKills } from './durability-support.js';

test('Immutable: kill -9 of the controller at serve/wait, restart on the same data folder', async (t) => {
  await deploymentsSurviveKills(t, 'Immutable', [{ kills: ['runner'] }]);
});
