// What a controller caches about keys and policies never outlives a change: on the controller that
// made it, at once (warm caches, the next call); and on a controller that led before and leads again
// after another leader changed IAM records (two controllers on one PostgreSQL database, leadership
// moved by ending the leader's database session).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { pino } from 'pino';
import { resolveSettings } from '../../src/config/settings.js';
import type { RunningController } from '../../src/controller/controller.js';
import { startController } from '../../src/controller/controller.js';
import type { Credentials } from '../../src/model/sigv4.js';
import { PG_LOCK_CLASS, PG_LOCK_LEADER } from '../../src/store/postgres-leadership.js';
import { createTestDatabase } from '../support/postgres.js';
import { credentialsInDataDir, signedFetch } from '../support/signing.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

const DESCRIBE = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:DescribeClusters', Resource: '*' }] });

async function call(url: string, operation: string, body: unknown, credentials: Credentials): Promise<{ status: number; json: any }> {
  const res = await signedFetch(`${url}${operation}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, credentials });
  return { status: res.status, json: await res.json() };
}

async function role(url: string): Promise<string> {
  return ((await (await fetch(`${url}/healthz`)).json()) as { role: string }).role;
}

test('a policy removed or a key made inactive is refused on the next call, though the same call was just allowed', async (t) => {
  const dataDir = await tempDir(t);
  const controller = await startController(resolveSettings({ dataDir, apiPort: 0, logLevel: 'error' }, {}), pino({ level: 'silent' }));
  t.after(() => controller.stop());
  await controller.leading;
  const root = credentialsInDataDir(dataDir);
  const iam = async (operation: string, body: unknown) => {
    const res = await call(controller.url, `/v1/iam/${operation}`, body, root);
    assert.equal(res.status, 200, `${operation}: ${JSON.stringify(res.json)}`);
    return res.json;
  };
  await iam('CreateUser', { UserName: 'erin' });
  const { AccessKey } = await iam('CreateAccessKey', { UserName: 'erin' });
  const erin = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
  const describe = () => call(controller.url, '/v1/clusters/describe', { clusters: ['default'] }, erin);

  await iam('PutUserPolicy', { UserName: 'erin', PolicyName: 'describe', PolicyDocument: DESCRIBE });
  for (let i = 0; i < 3; i++) assert.equal((await describe()).status, 200, 'allowed, and the decision kept');
  await iam('DeleteUserPolicy', { UserName: 'erin', PolicyName: 'describe' });
  assert.equal((await describe()).json.awsCode, 'AccessDenied', 'the policy is gone: denied at once');

  await iam('PutUserPolicy', { UserName: 'erin', PolicyName: 'describe', PolicyDocument: DESCRIBE });
  assert.equal((await describe()).status, 200);
  await iam('UpdateAccessKey', { UserName: 'erin', AccessKeyId: erin.accessKeyId, Status: 'Inactive' });
  assert.equal((await describe()).json.awsCode, 'InvalidClientTokenId', 'the key is inactive: refused at once');
});

test('a controller that leads again reads keys afresh: a key made inactive by the other leader meanwhile is refused', async (t) => {
  const databaseUrl = await createTestDatabase(t);
  const secretsKey = randomBytes(32).toString('base64');
  const firstDir = await tempDir(t);
  const start = async (dataDir: string): Promise<RunningController> => {
    const settings = resolveSettings({ dataDir, apiPort: 0, logLevel: 'error', databaseUrl, secretsKey, leaderPollIntervalMs: 50 }, {});
    const controller = await startController(settings, pino({ level: 'silent' }));
    t.after(() => controller.stop());
    return controller;
  };
  const first = await start(firstDir);
  await first.leading;
  const second = await start(await tempDir(t));
  // The root key the first made is the account's: the second signs with it too.
  const root = credentialsInDataDir(firstDir);

  // Ends sessions of the controllers; the database is dropped (its sessions ended) after the test.
  const admin = new pg.Client({ connectionString: databaseUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  t.after(() => admin.end().catch(() => undefined));
  /** Ends the leader's lock session until `next` leads (the other may win the lock back first). */
  const moveLeadershipTo = async (next: RunningController, other: RunningController): Promise<void> => {
    await waitFor(`${next.url} to lead`, async () => {
      if ((await role(next.url)) === 'leader' && (await role(other.url)) === 'standby') return true;
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND granted", [PG_LOCK_CLASS, PG_LOCK_LEADER]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return false;
    }, { timeoutMs: 30_000 });
  };

  const iam = async (url: string, operation: string, body: unknown) => {
    const res = await call(url, `/v1/iam/${operation}`, body, root);
    assert.equal(res.status, 200, `${operation}: ${JSON.stringify(res.json)}`);
    return res.json;
  };
  await iam(first.url, 'CreateUser', { UserName: 'frank' });
  await iam(first.url, 'PutUserPolicy', { UserName: 'frank', PolicyName: 'describe', PolicyDocument: DESCRIBE });
  const { AccessKey } = await iam(first.url, 'CreateAccessKey', { UserName: 'frank' });
  const frank = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
  const describe = (url: string) => call(url, '/v1/clusters/describe', { clusters: ['default'] }, frank);
  assert.equal((await describe(first.url)).status, 200, 'the first controller now holds the key in its cache');

  await moveLeadershipTo(second, first);
  await iam(second.url, 'UpdateAccessKey', { UserName: 'frank', AccessKeyId: frank.accessKeyId, Status: 'Inactive' });
  assert.equal((await describe(second.url)).json.awsCode, 'InvalidClientTokenId');

  await moveLeadershipTo(first, second);
  assert.equal((await describe(first.url)).json.awsCode, 'InvalidClientTokenId', 'the first controller did not serve its cached key');
});
