/**
 * The embedded store: one SQLite file (`<dataDir>/wharf.db`) through better-sqlite3, owned by one
 * controller at a time (the data-folder lock). Durability: WAL journal with `synchronous = FULL`,
 * so a transaction whose COMMIT has returned survives `kill -9` and power loss.
 *
 * better-sqlite3 is synchronous and its `db.transaction` takes only synchronous functions, so
 * transactions are plain BEGIN IMMEDIATE / COMMIT / ROLLBACK serialised by an async mutex. A
 * statement outside a transaction runs at once when no transaction is open, and otherwise waits
 * for it, so it never lands inside somebody else's transaction.
 */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, tightenDirSync } from '../files.js';
import { wharfError } from '../model/errors.js';
import type { Backend, LeadershipOptions } from './backend.js';
import { lockDataDir, describeFsError, type DataDirLock } from './datadir-lock.js';
import type { StoreLog } from './log.js';
import { AsyncMutex } from './mutex.js';
import { inTransaction, type RunResult, type SqlExecutor, type SqlRow, type SqlValue } from './sql.js';
import type { Leadership } from './store.js';

/** The database file's name inside the data folder. */
export const SQLITE_FILE_NAME = 'wharf.db';

/** How long a statement waits for another connection's write lock (only other tools share the file). */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the data folder, takes its lock and opens the database file. Does not
 * switch on WAL yet (`prepareForWrites`), so a database refused for its schema version is not changed.
 */
export function openSqliteBackend(dataDir: string, log: StoreLog): Backend {
  const folder = resolve(dataDir);
  try {
    makeFolder(folder);
    tightenDirSync(folder); // an older Wharf made it 0755
  } catch (cause) {
    throw wharfError('WHARF_E_DATA_DIR_NOT_WRITABLE', { dataDir: folder, reason: describeFsError(cause) }, { cause });
  }
  const lock = lockDataDir(folder, log);
  const file = join(folder, SQLITE_FILE_NAME);
  let db: Database.Database;
  try {
    db = new Database(file);
    keepPrivate(file);
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (cause) {
    lock.release();
    throw wharfError('WHARF_E_DATA_DIR_NOT_WRITABLE', { dataDir: folder, reason: describeFsError(cause) }, { cause });
  }
  return new SqliteBackend(db, file, lock, log);
}

/**
 * `mkdir -p`, by hand: Node 20's `mkdirSync(path, { recursive: true })` loops for ever on a path
 * under /proc (mkdir says ENOENT while the parent exists). Here a second ENOENT is an error.
 */
function makeFolder(folder: string): void {
  try {
    mkdirSync(folder, { mode: PRIVATE_DIR_MODE });
    return;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST') {
      if (statSync(folder).isDirectory()) return;
      throw new Error(`ENOTDIR: ${folder} exists and is not a folder`, { cause: error });
    }
    if (code !== 'ENOENT' || dirname(folder) === folder) throw error;
  }
  makeFolder(dirname(folder));
  mkdirSync(folder, { mode: PRIVATE_DIR_MODE });
}

/**
 * The database and its -wal and -shm files are their owner's only (they hold environment values in
 * clear). SQLite gives a -wal or -shm it creates later the database file's mode, so tightening the
 * database right after opening covers those too; existing ones (from an older Wharf) are tightened here.
 */
function keepPrivate(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, PRIVATE_FILE_MODE);
}

class SqliteBackend implements Backend {
  readonly kind = 'sqlite' as const;
  readonly root: SqlExecutor;
  private readonly direct: SqliteExecutor;
  private readonly mutex = new AsyncMutex();
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    readonly location: string,
    private readonly lock: DataDirLock,
    private readonly log: StoreLog,
  ) {
    this.direct = new SqliteExecutor(db);
    this.root = new QueuedExecutor(this.direct, this.mutex);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.mutex.run(() => inTransaction(this.direct, work));
  }

  migrationSession<T>(work: (session: SqlExecutor) => Promise<T>): Promise<T> {
    return this.mutex.run(() => work(this.direct));
  }

  async prepareForWrites(): Promise<void> {
    const mode = this.db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') this.log.warn({ file: this.location, journalMode: mode }, 'SQLite could not switch to WAL mode');
  }

  leadership(_options: LeadershipOptions): Leadership {
    return new DataDirLeadership(() => this.closed);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.mutex.run(async () => {
      this.db.close();
      this.lock.release();
    });
  }
}

/** Runs statements directly on the connection, with one cached prepared statement per SQL text. */
class SqliteExecutor implements SqlExecutor {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  query<R extends object = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
    try {
      return Promise.resolve(this.prepare(sql).all(...params) as R[]);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    try {
      const statement = this.prepare(sql);
      if (statement.reader) {
        statement.all(...params);
        return Promise.resolve({ changes: 0 });
      }
      return Promise.resolve({ changes: statement.run(...params).changes });
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  script(sql: string): Promise<void> {
    try {
      this.db.exec(sql);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** The executor outside transactions: runs at once when the connection is free, else after the open transaction. */
class QueuedExecutor implements SqlExecutor {
  readonly dialect = 'sqlite' as const;

  constructor(
    private readonly direct: SqliteExecutor,
    private readonly mutex: AsyncMutex,
  ) {}

  query<R extends object = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<R[]> {
    if (!this.mutex.locked) return this.direct.query<R>(sql, params);
    return this.mutex.run(() => this.direct.query<R>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    if (!this.mutex.locked) return this.direct.run(sql, params);
    return this.mutex.run(() => this.direct.run(sql, params));
  }

  script(sql: string): Promise<void> {
    if (!this.mutex.locked) return this.direct.script(sql);
    return this.mutex.run(() => this.direct.script(sql));
  }
}

/** SQLite leadership: the data-folder lock already makes the one controller that opened the store the leader. */
class DataDirLeadership implements Leadership {
  private held = false;
  private readonly listeners: Array<(reason: Error) => void> = [];

  constructor(private readonly storeClosed: () => boolean) {}

  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.storeClosed()) throw new Error('The store is closed; open it again to lead.');
    this.held = true;
  }

  isLeader(): boolean {
    return this.held && !this.storeClosed();
  }

  onLost(listener: (reason: Error) => void): void {
    // The lock lasts as long as the process has the store open; it is never lost underneath us.
    this.listeners.push(listener);
  }

  async release(): Promise<void> {
    this.held = false;
  }
}
