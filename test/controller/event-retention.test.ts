// Events past the retention setting are deleted by the leader when it takes the lead (and hourly);
// newer ones stay. A real controller on a real SQLite data folder, restarted on it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestController } from '../support/controller.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

const DAY_MS = 86_400_000;

test('a controller deletes events older than WHARF_EVENT_RETENTION_DAYS when it leads, and keeps the rest', async (t) => {
  const dataDir = await tempDir(t);
  const first = await startTestController(t, { dataDir, eventRetentionDays: 30 });
  const now = Date.now();
  await first.store.events.append({ resourceType: 'cluster', resourceId: 'old', severity: 'INFO', message: 'forty days ago', requestId: null, time: now - 40 * DAY_MS });
  await first.store.events.append({ resourceType: 'cluster', resourceId: 'recent', severity: 'INFO', message: 'twenty days ago', requestId: null, time: now - 20 * DAY_MS });
  await first.stop();

  const second = await startTestController(t, { dataDir, eventRetentionDays: 30 });
  const remaining = await waitFor(
    'the forty-day-old event to be deleted',
    async () => {
      const events = await second.store.events.query({ resourceType: 'cluster', limit: 100 });
      return events.some((e) => e.resourceId === 'old') ? undefined : events;
    },
    { timeoutMs: 10_000 },
  );
  assert.deepEqual(
    remaining.filter((e) => e.resourceId === 'recent').map((e) => e.message),
    ['twenty days ago'],
  );
});
