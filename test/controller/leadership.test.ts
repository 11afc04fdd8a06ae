// Two `wharf server` processes on one PostgreSQL database: one leads, the other stands by and takes
// over when the leader is SIGKILLed. Real processes, real PostgreSQL, real HTTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { runWharf, spawnWharf } from '../support/cli.js';
import { credentialsInDataDir, rememberCredentials } from '../support/signing.js';
import { freePort } from '../support/net.js';
import { createTestDatabase } from '../support/postgres.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

async function health(url: string): Promise<{ role: string; store: { kind: string } }> {
  return (await (await fetch(`${url}/healthz`)).json()) as { role: string; store: { kind: string } };
}

test('one controller leads, the other stands by and takes over when the leader is killed', async (t) => {
  const databaseUrl = await createTestDatabase(t);
  const args = (dataDir: string): string[] => ['server', '--database-url', databaseUrl, '--data-dir', dataDir, '--api-port', '0', '--log-level', 'warn'];
  // Controllers sharing a database share the key that seals its secrets.
  const env = { WHARF_LEADER_POLL_INTERVAL_MS: '100', WHARF_SECRETS_KEY: randomBytes(32).toString('base64') };

  const firstDir = await tempDir(t);
  const first = spawnWharf(t, args(firstDir), { env });
  const firstUrl = JSON.parse((await first.waitForOutput(/^\{"event":"leader".*\}$/m))[0]).url as string;
  assert.equal((await health(firstUrl)).role, 'leader');
  assert.equal((await health(firstUrl)).store.kind, 'postgres');

  const second = spawnWharf(t, args(await tempDir(t)), { env });
  const secondUrl = JSON.parse((await second.waitForOutput(/^\{"event":"listening".*\}$/m))[0]).url as string;
  // The root key the first made is the account's: the second (its own data folder) signs with it too.
  const root = credentialsInDataDir(firstDir);
  rememberCredentials(firstUrl, root);
  rememberCredentials(secondUrl, root);
  // Give the standby several polls at the lock: it must stay a standby while the leader lives.
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal((await health(secondUrl)).role, 'standby');
  const refused = await fetch(`${secondUrl}/v1/clusters`);
  assert.equal(refused.status, 503);
  assert.equal(((await refused.json()) as { code: string }).code, 'WHARF_E_STANDBY');

  // The leader writes through the API; the standby must see it after taking over.
  const created = await runWharf(['--endpoint', firstUrl, 'ecs', 'create-cluster', '--cluster-name', 'before-failover']);
  assert.equal(created.code, 0, created.stderr);

  const killedAt = Date.now();
  first.child.kill('SIGKILL');
  await first.exited;
  await waitFor('the standby to become leader', async () => (await health(secondUrl)).role === 'leader', { timeoutMs: 15_000 });
  const takeoverMs = Date.now() - killedAt;
  t.diagnostic(`takeover after SIGKILL: ${takeoverMs} ms`);

  const listed = await runWharf(['--endpoint', secondUrl, 'ecs', 'describe-clusters', '--clusters', 'before-failover', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(JSON.parse(listed.stdout).clusters[0].status, 'ACTIVE');
  const events = await runWharf(['--endpoint', secondUrl, 'events', '--resource-type', 'controller', '--json']);
  assert.equal(JSON.parse(events.stdout).events.length, 2, 'one leadership event per leader');

  second.child.kill('SIGTERM');
  assert.equal((await second.exited).code, 0, second.stderr());
});

test('wharf server with a PostgreSQL URL that does not answer fails in bounded time with a clear error', async (t) => {
  const port = await freePort();
  const started = Date.now();
  const res = await runWharf(['server', '--database-url', `postgres://wharf@127.0.0.1:${port}/wharf`, '--data-dir', await tempDir(t), '--api-port', '0'], {
    env: { WHARF_DATABASE_CONNECT_TIMEOUT_MS: '2000' },
  });
  assert.equal(res.code, 1);
  assert.match(res.stderr, new RegExp(`PostgreSQL at .*127\\.0\\.0\\.1:${port}.* did not answer`));
  assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack');
  assert.ok(Date.now() - started < 10_000, 'bounded time');
});
