/**
 * What each database gives the store: the seam between the shared parts (repositories, migrations,
 * the `Store` object in `open.ts`) and the two databases (`sqlite.ts`, `postgres.ts`).
 */
import type { Leadership, StoreKind } from './store.js';
import type { SqlExecutor } from './sql.js';

/** Options for a leadership lock, with defaults applied. */
export interface LeadershipOptions {
  readonly pollIntervalMs: number;
  readonly holder: string;
}

export interface Backend {
  readonly kind: StoreKind;
  /** The SQLite file, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** Runs single statements, each committing on its own (autocommit). */
  readonly root: SqlExecutor;
  /** Runs `work` in one transaction on one connection; transactions run one at a time. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on one connection that no other controller can migrate through at the same time
   * (PostgreSQL: an advisory lock; SQLite: the data-folder lock already guarantees it). `work`
   * opens its own transactions on the executor it gets.
   */
  migrationSession<T>(work: (session: SqlExecutor) => Promise<T>): Promise<T>;
  /** Switches on settings that write to the database (SQLite's WAL mode); called once the schema version is known to be usable. */
  prepareForWrites(): Promise<void>;
  leadership(options: LeadershipOptions): Leadership;
  /** Waits for the running transaction, then closes every connection and lock. */
  close(): Promise<void>;
}
