/** A real router in this process, reading its table from a test controller, stopped after the scope. */
import { pino } from 'pino';
import type { RunningRouter } from '../../src/router/start.js';
import { startRouter } from '../../src/router/start.js';
import type { TestController } from './controller.js';
import type { CleanupScope } from './temp.js';
import { tempDir } from './temp.js';

/** Health checks run 10x faster than their ELBv2 settings say (a 5 s interval checks every 0.5 s). */
export const TEST_HEALTH_CHECK_TIME_SCALE = 0.1;

export async function startTestRouter(scope: CleanupScope, controller: Pick<TestController, 'url' | 'joinToken'>, options: { dataPlane?: 'node' | 'haproxy'; timeScale?: number } = {}): Promise<RunningRouter> {
  const router = await startRouter({
    endpoint: controller.url,
    token: controller.joinToken,
    dataPlane: options.dataPlane ?? 'node',
    host: '127.0.0.1',
    port: 0,
    dataDir: await tempDir(scope),
    adminPort: null,
    healthCheckTimeScale: options.timeScale ?? TEST_HEALTH_CHECK_TIME_SCALE,
    log: pino({ level: 'warn' }),
  });
  scope.after(() => router.stop());
  return router;
}
