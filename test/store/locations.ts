/**
 * Store locations for the tests: a SQLite data folder in a temp folder, or a fresh PostgreSQL
 * database on the suite's server. Each registers its own clean-up with the test: stores it opened
 * are closed, then the folder or database is removed.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../src/store/open.js';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type CleanupContext } from '../support/postgres.js';
import { tempDir } from '../support/temp.js';
import type { StoreLocation } from './contract.js';

/** Tracks the stores a test opened so that they are closed before their location is removed. */
function storeTracker(t: CleanupContext, open: () => Promise<Store>): () => Promise<Store> {
  const opened: Store[] = [];
  t.after(async () => {
    await Promise.all(opened.map((store) => store.close()));
  });
  return async () => {
    const store = await open();
    opened.push(store);
    return store;
  };
}

/** A SQLite data folder in a new temp folder. */
export async function sqliteLocation(t: CleanupContext): Promise<StoreLocation & { readonly dataDir: string }> {
  const dataDir = join(await tempDir(t, 'wharf-store-'), 'data');
  const file = join(dataDir, SQLITE_FILE_NAME);
  return {
    dataDir,
    open: storeTracker(t, () => openStore({ dataDir })),
    async recordSchemaVersion(version) {
      const db = new Database(file);
      try {
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(version, 'from a newer wharf', Date.now());
      } finally {
        db.close();
      }
    },
    async snapshot() {
      return createHash('sha256').update(readFileSync(file)).digest('hex');
    },
  };
}

/** A fresh database on the suite's PostgreSQL. */
export async function postgresLocation(t: CleanupContext): Promise<StoreLocation & { readonly databaseUrl: string }> {
  const databaseUrl = await createTestDatabase(t);
  return {
    databaseUrl,
    open: storeTracker(t, () => openStore({ dataDir: '/nonexistent-unused', databaseUrl })),
    async recordSchemaVersion(version) {
      await withClient(databaseUrl, (client) =>
        client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [version, 'from a newer wharf', Date.now()]),
      );
    },
    async snapshot() {
      return withClient(databaseUrl, async (client) => {
        const tables = await client.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
        );
        const dump: Record<string, unknown> = {};
        for (const { table_name: table } of tables.rows) {
          dump[table] = (await client.query(`SELECT * FROM ${pg.escapeIdentifier(table)} ORDER BY 1`)).rows;
        }
        return JSON.stringify(dump);
      });
    },
  };
}

/** Runs `work` on a plain client connected to `url`. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
