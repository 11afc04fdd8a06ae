/**
 * Leadership on PostgreSQL: one controller leads, the others wait; the lock moves on release, on
 * kill -9 of the leader (over TCP loopback and over the unix socket), and a leader whose
 * connection is cut hears about it through onLost.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spawnNodeChild, type NodeChild } from '../support/child.js';
import { createTestDatabase, socketUrlOf } from '../support/postgres.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { waitFor } from '../support/wait.js';
import { withClient } from './locations.js';

const LEADER = fileURLToPath(new URL('./leader-child.js', import.meta.url));
/** Standbys poll this often in these tests. */
const POLL_MS = 100;
/** A standby must take over within this after the leader dies or lets go. */
const TAKEOVER_DEADLINE_MS = 5000;
/** How long a standby is watched to check that it does not lead while another does. */
const STANDBY_WATCH_MS = 600;

async function openPg(t: TestContext, databaseUrl: string): Promise<Store> {
  const store = await openStore({ dataDir: '.', databaseUrl });
  t.after(() => store.close());
  return store;
}

function leaderChild(t: TestContext, url: string, holder: string): NodeChild {
  return spawnNodeChild(LEADER, [url, holder, String(POLL_MS)], t);
}

async function killLeaderAndWatchTakeover(t: TestContext, url: string): Promise<void> {
  const a = leaderChild(t, url, 'a');
  await a.waitForLine(/^leader a$/, 'child a to lead', 30_000);
  const b = leaderChild(t, url, 'b');
  await b.waitForLine(/^waiting$/, 'child b to start competing', 30_000);
  await new Promise((resolve) => setTimeout(resolve, STANDBY_WATCH_MS));
  assert.ok(!b.lines.includes('leader b'), 'b leads while a still holds the lock');

  const killedAt = Date.now();
  await a.kill('SIGKILL');
  await b.waitForLine(/^leader b$/, 'child b to take over after kill -9 of a', TAKEOVER_DEADLINE_MS);
  t.diagnostic(`takeover after kill -9 took ${Date.now() - killedAt} ms`);
}

test('a standby takes over within seconds when the leader is killed (TCP loopback)', async (t) => {
  await killLeaderAndWatchTakeover(t, await createTestDatabase(t));
});

test('a standby takes over within seconds when the leader is killed (unix socket)', async (t) => {
  await killLeaderAndWatchTakeover(t, socketUrlOf(await createTestDatabase(t)));
});

test('the lock moves to the waiting controller when the leader releases it', async (t) => {
  const url = await createTestDatabase(t);
  const [one, two] = [await openPg(t, url), await openPg(t, url)];
  const first = one.leadership({ pollIntervalMs: POLL_MS, holder: 'one' });
  const second = two.leadership({ pollIntervalMs: POLL_MS, holder: 'two' });
  await first.acquire();
  let secondLeads = false;
  const waiting = second.acquire().then(() => (secondLeads = true));
  await new Promise((resolve) => setTimeout(resolve, STANDBY_WATCH_MS));
  assert.equal(secondLeads, false, 'the second controller leads while the first holds the lock');
  assert.equal(second.isLeader(), false);

  await first.release();
  await waitFor('the second controller to lead after the first released', () => secondLeads, { timeoutMs: TAKEOVER_DEADLINE_MS });
  await waiting;
  assert.equal(second.isLeader(), true);
  assert.equal(first.isLeader(), false);
});

test('a leader whose connection is cut loses leadership and hears it through onLost', async (t) => {
  const url = await createTestDatabase(t);
  const store = await openPg(t, url);
  const leadership = store.leadership({ pollIntervalMs: POLL_MS, holder: 'cut' });
  const lost: Error[] = [];
  leadership.onLost((reason) => lost.push(reason));
  await leadership.acquire();
  const database = new URL(url).pathname.slice(1);
  await withClient(url, (client) =>
    client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'wharf-leader %'", [database]),
  );
  await waitFor('onLost after the leadership connection was terminated', () => lost.length > 0, { timeoutMs: TAKEOVER_DEADLINE_MS });
  assert.equal(lost.length, 1);
  assert.equal(leadership.isLeader(), false);
  // It can lead again on a new connection.
  await leadership.acquire();
  assert.equal(leadership.isLeader(), true);
});

test('a waiting acquire stops on abort and on release, and never leads afterwards', async (t) => {
  const url = await createTestDatabase(t);
  const [one, two] = [await openPg(t, url), await openPg(t, url)];
  const holder = one.leadership({ pollIntervalMs: POLL_MS, holder: 'holder' });
  await holder.acquire();
  const standby = two.leadership({ pollIntervalMs: POLL_MS, holder: 'standby' });

  const abort = new AbortController();
  const aborted = standby.acquire(abort.signal);
  abort.abort(new Error('shutting down'));
  await assert.rejects(aborted, /shutting down/);

  const released = standby.acquire();
  await standby.release();
  await assert.rejects(released, /released/);

  await holder.release();
  await new Promise((resolve) => setTimeout(resolve, POLL_MS * 4));
  assert.equal(standby.isLeader(), false);
  // The lock is free: a third party gets it at once.
  const third = one.leadership({ pollIntervalMs: POLL_MS, holder: 'third' });
  await third.acquire();
  assert.equal(third.isLeader(), true);
});
