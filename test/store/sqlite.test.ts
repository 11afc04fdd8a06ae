/** The store contract on the embedded SQLite store, and what only SQLite does. */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { chmodSync, statSync } from 'node:fs';
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

test('the data folder and the database, -wal and -shm files are their owner\'s only (no one else lists or reads them), even under umask 022', async (t) => {
  const umask = process.umask(0o022);
  t.after(() => void process.umask(umask));
  const mode = (file: string) => statSync(file).mode & 0o777;
  const location = await sqliteLocation(t);
  const file = join(location.dataDir, SQLITE_FILE_NAME);

  const fresh = await location.open();
  await fresh.events.append({ resourceType: 'cluster', resourceId: 'default', severity: 'INFO', message: 'written to the WAL', requestId: null });
  assert.deepEqual(
    [location.dataDir, file, `${file}-wal`, `${file}-shm`].map(mode),
    [0o700, 0o600, 0o600, 0o600],
    'a new data folder, its database and the -wal and -shm SQLite creates later',
  );
  await fresh.close();

  // What an older Wharf left 0755 and 0644 is tightened when the store opens.
  const older = new Database(file);
  older.pragma('journal_mode = WAL');
  older.exec('CREATE TABLE IF NOT EXISTS keep_wal_open (x)');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) chmodSync(f, 0o644);
  chmodSync(location.dataDir, 0o755);
  const reopened = await location.open();
  older.close();
  await reopened.events.append({ resourceType: 'cluster', resourceId: 'default', severity: 'INFO', message: 'after the upgrade', requestId: null });
  // The folder keeps only the others' search permission (x), which the task user passes through.
  assert.deepEqual([location.dataDir, file, `${file}-wal`, `${file}-shm`].map(mode), [0o711, 0o600, 0o600, 0o600], 'an existing folder and files are tightened');
});
