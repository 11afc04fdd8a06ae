/**
 * The shared store: PostgreSQL through a `pg` pool, for several controllers (one leads at a time,
 * see `postgres-leadership.ts`). Statements outside transactions go to any pooled connection;
 * a transaction checks out one connection for its whole life. Transactions of one store run one
 * at a time (as on SQLite), so both stores give the same answers to the contract suite.
 *
 * Every connection attempt is bounded by `connectTimeoutMs`: a server that is down, or one that
 * accepts the connection and never answers, fails the open with WHARF_E_DATABASE_UNREACHABLE.
 */
import pg from 'pg';
import { wharfError } from '../model/errors.js';
import type { Backend, LeadershipOptions } from './backend.js';
import type { StoreLog } from './log.js';
import { AsyncMutex } from './mutex.js';
import { PG_LOCK_CLASS, PG_LOCK_MIGRATIONS, PostgresLeadership } from './postgres-leadership.js';
import { inTransaction, toPostgresPlaceholders, type RunResult, type SqlExecutor, type SqlRow, type SqlValue } from './sql.js';
import type { Leadership } from './store.js';

/** The most connections one store keeps open (the leadership lock's connection is extra). */
export const DEFAULT_POOL_SIZE = 10;

/** Idle pooled connections close after this long. */
const POOL_IDLE_TIMEOUT_MS = 30_000;

/** `application_name` of the store's connections, as seen in `pg_stat_activity`. */
export const PG_APPLICATION_NAME = 'wharf';

/** True when `url` selects the PostgreSQL store. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The checked parts of a PostgreSQL URL. */
export interface PostgresTarget {
  readonly url: string;
  /** The URL without its password, for logs and messages. */
  readonly location: string;
}

/** Checks a database URL, throwing WHARF_E_DATABASE_URL_INVALID with the reason when it is not usable. */
export function parsePostgresUrl(url: string): PostgresTarget {
  const invalid = (reason: string, cause?: unknown) =>
    wharfError('WHARF_E_DATABASE_URL_INVALID', { url: redactUrlText(url), reason }, { cause });
  if (!isPostgresUrl(url)) {
    throw invalid('only postgres:// and postgresql:// URLs are supported (leave the database URL unset for the embedded SQLite store)');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw invalid('it is not a valid URL (check the port, and percent-encode special characters in the user name and password)', cause);
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw invalid('it names no host (give host:port, or ?host=/path/to/socket-folder)');
  }
  if (parsed.port !== '' && Number(parsed.port) === 0) throw invalid('port 0 is not a server port');
  if (decodeURIComponentSafe(parsed.username) === undefined || decodeURIComponentSafe(parsed.password) === undefined) {
    throw invalid('the user name or password has a bad percent-escape (write % as %25)');
  }
  const database = decodeURIComponentSafe(parsed.pathname.replace(/^\//, ''));
  if (database === undefined || database.includes('/')) throw invalid('the database name after the host is not valid');
  return { url, location: redactUrl(parsed) };
}

/**
 * Connects to PostgreSQL and returns the backend, or throws WHARF_E_DATABASE_UNREACHABLE within
 * about `connectTimeoutMs` when no working connection can be made.
 */
export async function openPostgresBackend(target: PostgresTarget, connectTimeoutMs: number, log: StoreLog): Promise<Backend> {
  const pool = new pg.Pool({
    ...connectionConfig(target, connectTimeoutMs),
    max: DEFAULT_POOL_SIZE,
    idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
  });
  pool.on('error', (error) => {
    // An idle pooled connection broke (server restart, network); the pool replaces it on demand.
    log.warn({ location: target.location, err: error }, 'idle PostgreSQL connection failed');
  });
  try {
    await withDeadline(checkConnection(pool), connectTimeoutMs + CONNECT_DEADLINE_SLACK_MS, 'timeout expired');
  } catch (cause) {
    void pool.end().catch(() => undefined);
    throw wharfError(
      'WHARF_E_DATABASE_UNREACHABLE',
      { location: target.location, timeoutMs: connectTimeoutMs, reason: describePgError(cause) },
      { cause },
    );
  }
  return new PostgresBackend(pool, target, connectTimeoutMs, log);
}

/** Extra time on top of the driver's own connect timeout before the open gives up regardless. */
const CONNECT_DEADLINE_SLACK_MS = 500;

async function checkConnection(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    client.release();
  }
}

/** The `pg` settings every connection of a store uses (pool, migrations and leadership alike). */
export function connectionConfig(target: PostgresTarget, connectTimeoutMs: number): pg.ClientConfig {
  return {
    connectionString: target.url,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: PG_APPLICATION_NAME,
    keepAlive: true,
    types: INT8_AS_NUMBER,
  };
}

/** int8 (bigint, bigserial, count(*)) as a JS number: ids and ms times stay far below 2^53. */
const INT8_AS_NUMBER: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

class PostgresBackend implements Backend {
  readonly kind = 'postgres' as const;
  readonly location: string;
  readonly root: SqlExecutor;
  private readonly mutex = new AsyncMutex();
  private readonly leaderships: PostgresLeadership[] = [];
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly target: PostgresTarget,
    private readonly connectTimeoutMs: number,
    private readonly log: StoreLog,
  ) {
    this.location = target.location;
    this.root = new PgExecutor(pool);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.mutex.run(() => this.withClient((client, discard) => inTransaction(new PgExecutor(client), work, discard)));
  }

  migrationSession<T>(work: (session: SqlExecutor) => Promise<T>): Promise<T> {
    return this.mutex.run(() =>
      this.withClient(async (client, discard) => {
        // Session-level: held across the migrations' own transactions; a second controller waits here.
        await client.query('SELECT pg_advisory_lock($1, $2)', [PG_LOCK_CLASS, PG_LOCK_MIGRATIONS]);
        try {
          return await work(new PgExecutor(client));
        } finally {
          // Closing the connection releases the lock too, if the unlock itself fails.
          await client.query('SELECT pg_advisory_unlock($1, $2)', [PG_LOCK_CLASS, PG_LOCK_MIGRATIONS]).catch(discard);
        }
      }),
    );
  }

  async prepareForWrites(): Promise<void> {
    // Nothing to switch on: durability is the server's (fsync, synchronous_commit).
  }

  leadership(options: LeadershipOptions): Leadership {
    const leadership = new PostgresLeadership(connectionConfig(this.target, this.connectTimeoutMs), this.target.location, options, this.log);
    this.leaderships.push(leadership);
    return leadership;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.leaderships.map((leadership) => leadership.release()));
    await this.mutex.run(() => this.pool.end());
  }

  /**
   * Checks out one connection for `work`. `work` calls `discard` when the session is left in an
   * unknown state (a failed ROLLBACK or unlock); such a connection is closed, not reused.
   */
  private async withClient<T>(work: (client: pg.PoolClient, discard: (error: unknown) => void) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const discard = (error: unknown) => {
      broken = error instanceof Error ? error : new Error(String(error));
    };
    try {
      return await work(client, discard);
    } finally {
      client.release(broken);
    }
  }
}

/** Runs statements on a pool (any connection, autocommit) or on one checked-out client. */
class PgExecutor implements SqlExecutor {
  readonly dialect = 'postgres' as const;

  constructor(private readonly target: pg.Pool | pg.PoolClient) {}

  async query<R extends object = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
    const result = await this.target.query<R>(preparedStatement(sql, params));
    return result.rows;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    const result = await this.target.query(preparedStatement(sql, params));
    return { changes: result.rowCount ?? 0 };
  }

  async script(sql: string): Promise<void> {
    await this.target.query(sql);
  }
}

/** Named statements are parsed and planned once per connection; one name per distinct SQL text. */
const statementNames = new Map<string, { name: string; text: string }>();

function preparedStatement(sql: string, params: readonly SqlValue[]): pg.QueryConfig {
  let statement = statementNames.get(sql);
  if (statement === undefined) {
    statement = { name: `wharf_${statementNames.size + 1}`, text: toPostgresPlaceholders(sql) };
    statementNames.set(sql, statement);
  }
  return { name: statement.name, text: statement.text, values: params as SqlValue[] };
}

/** Resolves or rejects like `promise`, or rejects with `message` after `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** A short reason for a failed connection: PostgreSQL's message or the socket error, with its code. */
export function describePgError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  if (error instanceof AggregateError && error.errors.length > 0) return describePgError(error.errors[0]);
  const message = error.message || (typeof code === 'string' ? code : 'connection failed');
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

/** The URL without its password. */
function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.password = '';
  return copy.href;
}

/** Best-effort password removal for a URL that may not even parse. */
function redactUrlText(url: string): string {
  try {
    return redactUrl(new URL(url));
  } catch {
    return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, '$1:***@');
  }
}

function decodeURIComponentSafe(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
