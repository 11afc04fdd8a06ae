/**
 * The state store: one interface, two implementations (SQLite embedded, PostgreSQL shared) that
 * pass one contract suite (`test/store/contract.ts`). Callers see repositories of typed records and
 * transactions; they never see SQL or which database is underneath.
 */
import type { Cluster, ClusterSetting, Tag } from '../model/cluster.js';
import type { EventFilter, NewEvent, WharfEvent } from '../model/events.js';

export type StoreKind = 'sqlite' | 'postgres';

/** Events: append-only. */
export interface EventRepository {
  /** Appends one event and returns it with its id and time. */
  append(event: NewEvent): Promise<WharfEvent>;
  /** Newest first, at most `filter.limit`. */
  query(filter: EventFilter): Promise<WharfEvent[]>;
}

export interface ClusterInput {
  readonly clusterName: string;
  readonly tags: readonly Tag[];
  readonly settings: readonly ClusterSetting[];
}

/** Clusters. A deleted cluster stays as INACTIVE (as in ECS) and is made ACTIVE again by create. */
export interface ClusterRepository {
  /**
   * Creates the cluster, or makes an INACTIVE one ACTIVE again with the given tags and settings.
   * An ACTIVE cluster of that name is returned unchanged (ECS's CreateCluster is idempotent).
   * `created` says whether anything changed.
   */
  create(input: ClusterInput, now: number): Promise<{ cluster: Cluster; created: boolean }>;
  get(clusterName: string): Promise<Cluster | undefined>;
  /** All clusters in a status, ordered by name, `limit` after the name `after` (exclusive). */
  list(options: { status?: Cluster['status']; after?: string; limit: number }): Promise<Cluster[]>;
  /** Marks an ACTIVE cluster INACTIVE; returns it, or undefined if it was not ACTIVE. */
  deactivate(clusterName: string, now: number): Promise<Cluster | undefined>;
}

/** The repositories, as seen outside a transaction (each call commits on its own) or inside one. */
export interface Repositories {
  readonly events: EventRepository;
  readonly clusters: ClusterRepository;
}

/**
 * Leadership among controllers that share one store. With PostgreSQL, one session-level advisory
 * lock; with SQLite, one controller per data folder, so the one that opened it leads.
 */
export interface Leadership {
  /** Resolves once this process leads; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** True while this process holds the lock. */
  isLeader(): boolean;
  /** Called once if the lock is lost after it was held (e.g. the database connection broke). */
  onLost(listener: (reason: Error) => void): void;
  /** Releases the lock if held; safe to call more than once. */
  release(): Promise<void>;
}

/** What opening a store found and did. */
export interface StoreInfo {
  readonly kind: StoreKind;
  /** Where it lives: the SQLite file path, or the PostgreSQL URL without its password. */
  readonly location: string;
  readonly schemaVersion: number;
  /** Migrations applied by this open, in order (empty when already current). */
  readonly migrationsApplied: readonly number[];
}

export interface Store extends Repositories {
  readonly info: StoreInfo;
  /**
   * Runs `work` in one transaction: all its writes commit together or none do. Transactions on one
   * store run one at a time per connection; never await anything slow (network, timers) inside.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** The leadership lock for controllers sharing this store. */
  leadership(options?: { pollIntervalMs?: number; holder?: string }): Leadership;
  /** Closes connections; pending transactions finish first. */
  close(): Promise<void>;
}

/** How to open a store; from the controller's settings. */
export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite in `dataDir`. */
  readonly databaseUrl?: string;
  /** Folder for the SQLite file (`wharf.db`); created if missing. */
  readonly dataDir: string;
  /** Bound on reaching PostgreSQL at open, ms. */
  readonly connectTimeoutMs?: number;
}
