/**
 * The small, dialect-neutral SQL layer the repositories are written against. Repositories speak
 * plain SQL with `?` placeholders through a `SqlExecutor`; the SQLite executor (`sqlite.ts`) hands it
 * to better-sqlite3 as is, the PostgreSQL executor (`postgres.ts`) rewrites `?` to `$n`. SQL text must
 * be constant per call site (values go through `params`): executors cache one prepared statement per
 * distinct text.
 */

/** The two SQL dialects the store speaks. */
export type SqlDialect = 'sqlite' | 'postgres';

/** A value bound to a `?` placeholder. Booleans and objects are stored as integers and JSON text by the repositories. */
export type SqlValue = string | number | null;

/** One result row, keyed by column name (snake_case, as in the schema). */
export type SqlRow = Record<string, unknown>;

/** What a write statement did. */
export interface RunResult {
  /** Rows inserted, updated or deleted. */
  readonly changes: number;
}

/**
 * Runs SQL on one database connection (or, outside a transaction, on whichever connection the
 * store picks). Use `query` for statements that return rows (including `INSERT … RETURNING`),
 * `run` for writes whose rows you do not need, and `script` for parameterless multi-statement text
 * such as migrations and `BEGIN`/`COMMIT`.
 */
export interface SqlExecutor {
  readonly dialect: SqlDialect;
  query<R extends object = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  script(sql: string): Promise<void>;
}

/** The few statements whose text differs between the dialects. */
export const DIALECT_SQL: Readonly<Record<SqlDialect, { readonly begin: string; readonly tableExists: string }>> = {
  // IMMEDIATE takes the write lock at BEGIN, so a transaction never fails half-way on SQLITE_BUSY.
  sqlite: { begin: 'BEGIN IMMEDIATE', tableExists: "SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = ?" },
  postgres: { begin: 'BEGIN', tableExists: 'SELECT 1 AS present WHERE to_regclass(?) IS NOT NULL' },
};

/**
 * Rewrites `?` placeholders to PostgreSQL's `$1, $2, …`, leaving `?` inside quoted strings,
 * quoted identifiers and comments alone.
 */
export function toPostgresPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '?') {
      n += 1;
      out += `$${n}`;
      i += 1;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/**
 * Runs `work` between BEGIN and COMMIT on `exec`, which must be bound to one connection; rolls
 * back and rethrows if `work` throws or COMMIT fails. Callers serialise transactions per connection.
 * `onRollbackFailed` hears when even ROLLBACK failed: the connection's state is then unknown.
 */
export async function inTransaction<T>(
  exec: SqlExecutor,
  work: (tx: SqlExecutor) => Promise<T>,
  onRollbackFailed: (error: unknown) => void = () => undefined,
): Promise<T> {
  await exec.script(DIALECT_SQL[exec.dialect].begin);
  let result: T;
  try {
    result = await work(exec);
    await exec.script('COMMIT');
  } catch (error) {
    // If ROLLBACK fails too, the original error is the one worth reporting.
    await exec.script('ROLLBACK').catch(onRollbackFailed);
    throw error;
  }
  return result;
}

/** True when `table` exists in the database `exec` is connected to. */
export async function tableExists(exec: SqlExecutor, table: string): Promise<boolean> {
  const rows = await exec.query(DIALECT_SQL[exec.dialect].tableExists, [table]);
  return rows.length > 0;
}
