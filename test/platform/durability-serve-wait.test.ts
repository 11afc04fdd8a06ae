/**
 * Issue 6, the environment runner's serve/wait steps: v2 deployed with Rolling and v3 with
 * RollingWithAdditionalBatch (the policy given with the version), each interrupted by SIGKILL of the
 * controller as soon as the runner has recorded its serve or wait step (the service deployment
 * being created or just begun). The restarted controller finishes each on its version with every
 * task accounted for (see durability-support.ts).
 */
import { test } from 'node:test';
import { deploymentsSurviveKills } from './durability-support.js';

test('Rolling, then RollingWithAdditionalBatch: kill -9 of the controller at serve/wait, restart on the same data folder', async (t) => {
  await deploymentsSurviveKills(t, 'Rolling', [{ kills: ['runner'] }, { kills: ['runner'], policy: 'RollingWithAdditionalBatch' }]);
});
