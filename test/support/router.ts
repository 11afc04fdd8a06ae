/** A real router in this process, reading its table from a test controller, stopped after the scope. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { RunningRouter } from '../../src/router/start.js';
import { startRouter } from '../../src/router/start.js';
import type { TestController } from './controller.js';
import type { CleanupScope } from './temp.js';

/** Health checks run 10x faster than their ELBv2 settings say (a 5 s interval checks every 0.5 s). */
export const TEST_HEALTH_CHECK_TIME_SCALE = 0.1;

export async function startTestRouter(scope: CleanupScope, controller: Pick<TestController, 'url' | 'joinToken'>, options: { dataPlane?: 'node' | 'haproxy'; timeScale?: number } = {}): Promise<RunningRouter> {
  // One clean-up for both, in this order: a router still running would write its table into a
  // folder removed before it (whatever order the scope runs separate hooks in).
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'wharf-test-router-'));
  const started: { router?: RunningRouter } = {};
  scope.after(async () => {
    await started.router?.stop();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  });
  const router = await startRouter({
    endpoint: controller.url,
    token: controller.joinToken,
    dataPlane: options.dataPlane ?? 'node',
    host: '127.0.0.1',
    port: 0,
    dataDir,
    adminPort: null,
    healthCheckTimeScale: options.timeScale ?? TEST_HEALTH_CHECK_TIME_SCALE,
    log: pino({ level: 'warn' }),
  });
  started.router = router;
  return router;
}
