/**
 * Opening the store with bad settings or a broken environment fails with a catalogue error, in
 * bounded time, and leaves nothing behind: unusable data folders, a folder another live controller
 * holds (and a stale lock, which is taken over), malformed database URLs, PostgreSQL not answering.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { WharfError, type ErrorCode } from '../../src/model/errors.js';
import { DATA_DIR_LOCK_FILE } from '../../src/store/datadir-lock.js';
import { openStore } from '../../src/store/open.js';
import type { StoreOptions } from '../../src/store/store.js';
import { freePort } from '../support/net.js';
import { tempDir } from '../support/temp.js';

/** The connect timeout the unreachable-server tests use. */
const SHORT_CONNECT_TIMEOUT_MS = 300;
/** How much longer than its connect timeout an open may take to fail (process and socket slack). */
const FAILURE_SLACK_MS = 2000;

function expectCode(code: ErrorCode, detail?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof WharfError, `expected ${code}, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (detail) assert.match(error.message, detail);
    return true;
  };
}

async function openFails(options: StoreOptions, code: ErrorCode, detail?: RegExp): Promise<number> {
  const started = Date.now();
  await assert.rejects(openStore(options), expectCode(code, detail));
  return Date.now() - started;
}

/** A TCP server on a loopback port that accepts connections and never sends a byte. */
async function silentServer(t: TestContext): Promise<number> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  assert.ok(typeof address === 'object' && address !== null);
  return address.port;
}

test('a data folder under a regular file is not writable', async (t) => {
  const file = join(await tempDir(t), 'a-file');
  writeFileSync(file, 'not a folder');
  await openFails({ dataDir: join(file, 'data') }, 'WHARF_E_DATA_DIR_NOT_WRITABLE', /a-file\/data/);
  await openFails({ dataDir: file }, 'WHARF_E_DATA_DIR_NOT_WRITABLE');
});

test('a data folder under /proc is not writable', async () => {
  // Root can write through chmod 000, but not into /proc.
  await openFails({ dataDir: '/proc/wharf-test-data' }, 'WHARF_E_DATA_DIR_NOT_WRITABLE');
  await openFails({ dataDir: '/proc/self' }, 'WHARF_E_DATA_DIR_NOT_WRITABLE');
});

test('a data folder held by a live controller is refused, naming its pid', async (t) => {
  const dataDir = await tempDir(t);
  const store = await openStore({ dataDir });
  t.after(() => store.close());
  assert.equal(readFileSync(join(dataDir, DATA_DIR_LOCK_FILE), 'utf8').trim(), String(process.pid));
  await openFails({ dataDir }, 'WHARF_E_DATA_DIR_LOCKED', new RegExp(`pid ${process.pid}\\b`));
  await store.close();
  assert.equal(existsSync(join(dataDir, DATA_DIR_LOCK_FILE)), false, 'close removes the lock');

  // Another live process's pid in the lock file.
  const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  t.after(() => {
    other.kill('SIGKILL');
  });
  writeFileSync(join(dataDir, DATA_DIR_LOCK_FILE), `${other.pid}\n`);
  await openFails({ dataDir }, 'WHARF_E_DATA_DIR_LOCKED', new RegExp(`pid ${other.pid}\\b`));
  assert.equal(readFileSync(join(dataDir, DATA_DIR_LOCK_FILE), 'utf8').trim(), String(other.pid), 'a refused open leaves the lock alone');
});

test('a stale lock (its process is gone) or a garbled one is taken over', async (t) => {
  const dataDir = await tempDir(t);
  const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => gone.once('exit', resolve));
  for (const content of [`${gone.pid}\n`, '', 'not a pid']) {
    writeFileSync(join(dataDir, DATA_DIR_LOCK_FILE), content);
    const store = await openStore({ dataDir });
    assert.equal(readFileSync(join(dataDir, DATA_DIR_LOCK_FILE), 'utf8').trim(), String(process.pid), `lock ${JSON.stringify(content)} taken over`);
    await store.close();
  }
});

test('malformed database URLs are refused before anything connects', async () => {
  const cases: Array<[string, RegExp]> = [
    ['mysql://user@localhost/wharf', /only postgres:\/\/ and postgresql:\/\//],
    ['postgres://localhost:99999/wharf', /not a valid URL/],
    ['postgres:///wharf', /names no host/],
    ['postgresql://user:p%zzw@localhost/wharf', /percent-escape/],
    ['postgres://localhost:0/wharf', /port 0/],
    ['not a url', /only postgres/],
  ];
  for (const [databaseUrl, reason] of cases) {
    const elapsed = await openFails({ dataDir: '.', databaseUrl }, 'WHARF_E_DATABASE_URL_INVALID', reason);
    assert.ok(elapsed < 100, `${databaseUrl} took ${elapsed} ms to refuse`);
  }
  // The password never appears in the message.
  await assert.rejects(
    openStore({ dataDir: '.', databaseUrl: 'postgres://user:hunter2@localhost:99999/wharf' }),
    (error: unknown) => error instanceof WharfError && !error.message.includes('hunter2'),
  );
});

test('PostgreSQL on a closed port fails fast with DATABASE_UNREACHABLE', async () => {
  const port = await freePort();
  const elapsed = await openFails(
    { dataDir: '.', databaseUrl: `postgres://wharf:secret@127.0.0.1:${port}/wharf`, connectTimeoutMs: SHORT_CONNECT_TIMEOUT_MS },
    'WHARF_E_DATABASE_UNREACHABLE',
    /ECONNREFUSED/,
  );
  assert.ok(elapsed < SHORT_CONNECT_TIMEOUT_MS + FAILURE_SLACK_MS, `took ${elapsed} ms`);
});

test('PostgreSQL that accepts but never answers fails within the connect timeout', async (t) => {
  const port = await silentServer(t);
  const databaseUrl = `postgres://wharf:secret@127.0.0.1:${port}/wharf`;
  const elapsed = await openFails({ dataDir: '.', databaseUrl, connectTimeoutMs: SHORT_CONNECT_TIMEOUT_MS }, 'WHARF_E_DATABASE_UNREACHABLE', /within 300 ms/);
  assert.ok(elapsed >= SHORT_CONNECT_TIMEOUT_MS - 50, `gave up after ${elapsed} ms, before the timeout`);
  assert.ok(elapsed < SHORT_CONNECT_TIMEOUT_MS + FAILURE_SLACK_MS, `took ${elapsed} ms`);
  await assert.rejects(openStore({ dataDir: '.', databaseUrl, connectTimeoutMs: SHORT_CONNECT_TIMEOUT_MS }), (error: unknown) => {
    return error instanceof WharfError && !error.message.includes('secret');
  });
});
