/** The store contract on the PostgreSQL store (the suite's private server; see test/support/postgres.ts), and what only PostgreSQL does. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../../src/store/open.js';
import { LATEST_SCHEMA_VERSION } from '../../src/store/migrations.js';
import { createTestDatabase, TEST_DATABASE_URL_ENV } from '../support/postgres.js';
import { storeContract } from './contract.js';
import { postgresLocation, withClient } from './locations.js';

storeContract('postgres', postgresLocation);

/** Controllers started at the same moment against one new database. */
const SIMULTANEOUS_OPENS = 4;

test('controllers opening a new database at once migrate it exactly once', async (t) => {
  const databaseUrl = await createTestDatabase(t);
  const stores = await Promise.all(Array.from({ length: SIMULTANEOUS_OPENS }, () => openStore({ dataDir: '.', databaseUrl })));
  t.after(() => Promise.all(stores.map((store) => store.close())));
  const applied = stores.map((store) => store.info.migrationsApplied.length).sort();
  assert.deepEqual(applied, [...Array<number>(SIMULTANEOUS_OPENS - 1).fill(0), LATEST_SCHEMA_VERSION]);
  const rows = await withClient(databaseUrl, async (client) => (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows);
  assert.deepEqual(
    rows.map((row: { version: number }) => row.version),
    Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1),
  );
});

test('the password is not part of the store location', async (t) => {
  const databaseUrl = new URL(await createTestDatabase(t));
  databaseUrl.password = 'not-checked-under-trust-auth';
  const store = await openStore({ dataDir: '.', databaseUrl: databaseUrl.href });
  t.after(() => store.close());
  assert.equal(store.info.kind, 'postgres');
  assert.ok(!store.info.location.includes('not-checked'), store.info.location);
});

test('createTestDatabase fails loudly outside `npm test`', async () => {
  const saved = process.env[TEST_DATABASE_URL_ENV];
  delete process.env[TEST_DATABASE_URL_ENV];
  try {
    await assert.rejects(createTestDatabase(), /WHARF_TEST_DATABASE_URL is not set.*npm test/s);
  } finally {
    process.env[TEST_DATABASE_URL_ENV] = saved;
  }
});
