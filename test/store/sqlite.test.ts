/** The store contract on the embedded SQLite store, and what only SQLite does. */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { test } from 'node:test';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite.js';
import { storeContract } from './contract.js';
import { sqliteLocation } from './locations.js';

storeContract('sqlite', sqliteLocation);

test('the SQLite file is in WAL mode, inside the data folder', async (t) => {
  const location = await sqliteLocation(t);
  const store = await location.open();
  const file = join(location.dataDir, SQLITE_FILE_NAME);
  assert.equal(store.info.location, file);
  await store.close();
  const db = new Database(file, { readonly: true });
  try {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  } finally {
    db.close();
  }
});
