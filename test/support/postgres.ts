/**
 * A private PostgreSQL for the test suite, and fresh databases on it for each test.
 *
 * `startPostgres` (called once by `test/run.ts`) runs Debian's server binaries as the `postgres`
 * user in a new temp folder: its own data folder, a unix socket in that folder and 127.0.0.1 on a
 * port the OS picks, fsync on. `createTestDatabase` (called inside tests) makes a uniquely named
 * database on that server, found through WHARF_TEST_DATABASE_URL, and drops it afterwards.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './net.js';

/** Env var through which the runner tells tests where the server is (a URL of its `postgres` database). */
export const TEST_DATABASE_URL_ENV = 'WHARF_TEST_DATABASE_URL';
/** Env var with the server's unix socket folder, for tests that connect over the socket. */
export const TEST_DATABASE_SOCKET_DIR_ENV = 'WHARF_TEST_DATABASE_SOCKET_DIR';

/** Where Debian installs PostgreSQL's server binaries, one folder per major version. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
/** How long the server may take to accept connections after it is started. */
const START_TIMEOUT_MS = 30_000;
/** How long a fast shutdown may take before the server is killed. */
const STOP_TIMEOUT_MS = 15_000;
/** Interval between readiness checks while the server starts. */
const READY_POLL_MS = 50;
/** Attempts at starting on a free port (another process may grab the port between the check and the start). */
const START_ATTEMPTS = 3;
/** Connections the test server accepts: tests run two files at a time, each with its own pools. */
const MAX_CONNECTIONS = 300;

/** A running test PostgreSQL. */
export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, no password). */
  readonly url: string;
  /** The folder holding the server's unix socket. */
  readonly socketDir: string;
  /** The server's process id. */
  readonly pid: number;
  /** Stops the server (fast shutdown, by its PID) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a private PostgreSQL in a new temp folder. Runs as root (it drops to the `postgres` user)
 * or as an ordinary user (it runs as that user). Prints nothing; on failure the error carries the
 * end of the server's log.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const root = mkdtempSync(join(tmpdir(), 'wharf-pg-'));
  const owner = serverUser();
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'socket');
  const logFile = join(root, 'postgres.log');
  mkdirSync(socketDir);
  if (owner) {
    chownSync(root, owner.uid, owner.gid);
    chownSync(socketDir, owner.uid, owner.gid);
  }
  try {
    await runToEnd(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'], owner, logFile);
    let lastError: unknown;
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      const port = await freePort();
      const server = launchServer(bin, dataDir, socketDir, port, owner, logFile);
      try {
        await waitUntilReady(server, socketDir, port, logFile);
      } catch (error) {
        lastError = error;
        await stopProcess(server);
        continue;
      }
      return handle(server, root, socketDir, port);
    }
    throw lastError;
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

function handle(server: ChildProcess, root: string, socketDir: string, port: number): TestPostgres {
  let stopping: Promise<void> | undefined;
  const removeOnExit = () => {
    // Last resort if the runner exits without stop(): immediate shutdown, then the folder goes.
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGQUIT');
  };
  process.once('exit', removeOnExit);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    socketDir,
    pid: server.pid as number,
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', removeOnExit);
        await stopProcess(server);
        rmSync(root, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/** The highest installed PostgreSQL's bin folder. */
function postgresBinDir(): string {
  const versions = existsSync(DEBIAN_POSTGRES_ROOT)
    ? readdirSync(DEBIAN_POSTGRES_ROOT)
        .filter((name) => /^\d+$/.test(name) && existsSync(join(DEBIAN_POSTGRES_ROOT, name, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined) {
    throw new Error(`No PostgreSQL server under ${DEBIAN_POSTGRES_ROOT}/*/bin. Install it with: apt-get install postgresql (scripts/install-deps.sh --for-tests does).`);
  }
  return join(DEBIAN_POSTGRES_ROOT, versions[0], 'bin');
}

/** As root, the `postgres` user to drop to (initdb refuses to run as root); otherwise nobody. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Spawns a server binary with its output appended to the log file, as `owner` when given. */
function spawnLogged(command: string, args: string[], owner: { uid: number; gid: number } | undefined, logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  try {
    if (owner) chownSync(logFile, owner.uid, owner.gid);
    const options: SpawnOptions = {
      stdio: ['ignore', log, log],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
    };
    // Node drops root's supplementary groups when it sets uid and gid.
    return spawn(command, args, owner ? { ...options, uid: owner.uid, gid: owner.gid } : options);
  } finally {
    closeSync(log); // The child has its own copy of the descriptor.
  }
}

function runToEnd(command: string, args: string[], owner: { uid: number; gid: number } | undefined, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnLogged(command, args, owner, logFile);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} failed (${signal ?? `exit ${code}`}):\n${logTail(logFile)}`));
    });
  });
}

function launchServer(bin: string, dataDir: string, socketDir: string, port: number, owner: { uid: number; gid: number } | undefined, logFile: string): ChildProcess {
  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: socketDir,
    fsync: 'on',
    synchronous_commit: 'on',
    max_connections: String(MAX_CONNECTIONS),
    logging_collector: 'off',
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  return spawnLogged(join(bin, 'postgres'), args, owner, logFile);
}

async function waitUntilReady(server: ChildProcess, socketDir: string, port: number, logFile: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`PostgreSQL exited while starting (port ${port}):\n${logTail(logFile)}`);
    }
    const client = new pg.Client({ host: socketDir, port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within ${START_TIMEOUT_MS} ms:\n${logTail(logFile)}`);
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

/** Fast shutdown (SIGINT to the postmaster, what `pg_ctl stop -m fast` sends), then SIGKILL if it hangs. */
async function stopProcess(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGINT');
  const timer = setTimeout(() => server.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The parts of a `node:test` context this helper uses to register clean-up. */
export interface CleanupContext {
  after(fn: () => Promise<void> | void): void;
}

/**
 * Creates a fresh, uniquely named database on the suite's PostgreSQL and returns its URL. With a
 * test context, the database is dropped after the test; otherwise call `dropTestDatabase(url)`.
 * Fails (does not skip) when the suite was not started through `npm test`.
 */
export async function createTestDatabase(t?: CleanupContext): Promise<string> {
  const serverUrl = testServerUrl();
  const name = `wharf_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  t?.after(() => dropTestDatabase(url.href));
  return url.href;
}

/** Drops a database made by `createTestDatabase`, closing any connections still open to it. */
export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^wharf_test_\w+$/.test(name)) throw new Error(`refusing to drop ${name}: not a test database`);
  await adminQuery(testServerUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** The URL of a database over the server's unix socket instead of TCP (same database, user and options). */
export function socketUrlOf(databaseUrl: string): string {
  const socketDir = process.env[TEST_DATABASE_SOCKET_DIR_ENV];
  if (!socketDir) throw new Error(`${TEST_DATABASE_SOCKET_DIR_ENV} is not set: run the suite through \`npm test\`.`);
  const url = new URL(databaseUrl);
  url.searchParams.set('host', socketDir);
  return url.href;
}

function testServerUrl(): string {
  const url = process.env[TEST_DATABASE_URL_ENV];
  if (!url) {
    throw new Error(
      `${TEST_DATABASE_URL_ENV} is not set, so there is no PostgreSQL to test against. Run the suite through \`npm test\` ` +
        '(or `node dist/test/run.js [filters]` after a build), which starts a private PostgreSQL and sets it.',
    );
  }
  return url;
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
