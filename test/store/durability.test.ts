/**
 * No acknowledged write is lost when the controller is killed: a child appends events and
 * acknowledges each after its commit returns; the test SIGKILLs it mid-loop, reopens the store and
 * finds every acknowledged event. Runs on both stores.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spawnNodeChild } from '../support/child.js';
import { createTestDatabase } from '../support/postgres.js';
import { openStore } from '../../src/store/open.js';
import type { StoreOptions } from '../../src/store/store.js';
import { tempDir } from '../support/temp.js';

const WRITER = fileURLToPath(new URL('./writer-child.js', import.meta.url));
/** Acknowledgements to wait for before the kill (the kill lands in the middle of later writes). */
const ACKS_BEFORE_KILL = 400;

async function killMidWriteAndCheck(t: TestContext, where: string, options: StoreOptions): Promise<void> {
  const resourceId = `writer-${process.pid}`;
  const writer = spawnNodeChild(WRITER, [where, resourceId], t);
  await writer.waitForLine(/^ready$/, 'the writer to open the store', 30_000);
  await writer.waitForLine(new RegExp(`^ack `), 'a first acknowledged write');
  const deadline = Date.now() + 30_000;
  while (writer.lines.length < ACKS_BEFORE_KILL + 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  await writer.kill('SIGKILL');
  const acked = writer.lines.filter((line) => line.startsWith('ack ')).map((line) => Number(line.slice(4)));
  assert.ok(acked.length >= ACKS_BEFORE_KILL, `the writer acknowledged only ${acked.length} writes:\n${writer.stderr()}`);

  const store = await openStore(options);
  t.after(() => store.close());
  const events = await store.events.query({ resourceType: 'durability', resourceId, limit: acked.length + 10_000 });
  const stored = new Set(events.map((e) => e.id));
  const missing = acked.filter((id) => !stored.has(id));
  assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged events are missing after kill -9`);
  // Events n+1..n+3 (n a multiple of 4) were written in one transaction: all three are kept or none.
  const perTransaction = new Map<number, number>();
  for (const { message } of events) {
    const n = Number(message.replace('event ', ''));
    if (n % 4 !== 0) perTransaction.set(Math.floor(n / 4), (perTransaction.get(Math.floor(n / 4)) ?? 0) + 1);
  }
  for (const [group, count] of perTransaction) assert.equal(count, 3, `transaction ${group} kept ${count} of its 3 events`);
}

test('sqlite: every acknowledged event survives kill -9 of the writer', async (t) => {
  const dataDir = join(await tempDir(t), 'data');
  await killMidWriteAndCheck(t, dataDir, { dataDir });
});

test('postgres: every acknowledged event survives kill -9 of the writer', async (t) => {
  const databaseUrl = await createTestDatabase(t);
  await killMidWriteAndCheck(t, databaseUrl, { dataDir: '.', databaseUrl });
});
