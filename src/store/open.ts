/**
 * Opening the store: picks the database from the settings, connects, refuses a schema that is too
 * new, applies pending migrations and returns the `Store`. The controller calls `openStore` once at
 * start-up and `close` at shutdown.
 */
import { hostname } from 'node:os';
import type { Backend } from './backend.js';
import { SILENT_LOG, type StoreLog } from './log.js';
import { migrate, readSchemaVersion, refuseNewerSchema } from './migrate.js';
import { openPostgresBackend, parsePostgresUrl } from './postgres.js';
import { repositoriesOn } from './repositories/index.js';
import { openSqliteBackend } from './sqlite.js';
import type { Leadership, Repositories, Store, StoreInfo, StoreOptions } from './store.js';

/** Bound on reaching PostgreSQL (each connection attempt), when the settings give none. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** How often a standby controller asks PostgreSQL for the leadership lock, and a leader checks it still has it. */
export const DEFAULT_LEADERSHIP_POLL_INTERVAL_MS = 1000;

/** The clock that stamps events and migrations: the store is the I/O shell, so it may read the wall clock. */
const systemClock = (): number => Date.now();

/**
 * Opens the store the settings name: PostgreSQL for a `postgres://` or `postgresql://`
 * `databaseUrl`, otherwise SQLite in `<dataDir>/wharf.db`. Applies pending migrations.
 *
 * Fails with a catalogue error, never a hang: WHARF_E_DATA_DIR_NOT_WRITABLE,
 * WHARF_E_DATA_DIR_LOCKED (another live controller has the folder), WHARF_E_DATABASE_URL_INVALID,
 * WHARF_E_DATABASE_UNREACHABLE (within about `connectTimeoutMs`), WHARF_E_SCHEMA_TOO_NEW (the
 * database is left untouched).
 */
export async function openStore(options: StoreOptions, log: StoreLog = SILENT_LOG): Promise<Store> {
  const backend = await openBackend(options, log);
  try {
    // Check before anything writes (SQLite's switch to WAL rewrites the file header).
    refuseNewerSchema(await readSchemaVersion(backend.root), backend);
    await backend.prepareForWrites();
    const outcome = await migrate(backend, systemClock, log);
    const info: StoreInfo = {
      kind: backend.kind,
      location: backend.location,
      schemaVersion: outcome.schemaVersion,
      migrationsApplied: outcome.applied,
    };
    log.info({ ...info }, 'store opened');
    return new OpenStore(backend, info, log);
  } catch (error) {
    await backend.close().catch(() => undefined);
    throw error;
  }
}

async function openBackend(options: StoreOptions, log: StoreLog): Promise<Backend> {
  const url = options.databaseUrl?.trim();
  if (url === undefined || url === '') return openSqliteBackend(options.dataDir, log);
  // A URL that is given but is not PostgreSQL's is an error, not a silent fall-back to SQLite.
  const target = parsePostgresUrl(url);
  return openPostgresBackend(target, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, log);
}

class OpenStore implements Store {
  readonly events: Repositories['events'];
  readonly clusters: Repositories['clusters'];
  readonly taskDefinitions: Repositories['taskDefinitions'];
  readonly containerInstances: Repositories['containerInstances'];
  readonly tasks: Repositories['tasks'];
  readonly services: Repositories['services'];
  readonly taskSets: Repositories['taskSets'];
  readonly deployments: Repositories['deployments'];
  readonly loadBalancing: Repositories['loadBalancing'];
  readonly autoScaling: Repositories['autoScaling'];
  readonly platform: Repositories['platform'];
  readonly iam: Repositories['iam'];
  readonly audit: Repositories['audit'];
  readonly s3: Repositories['s3'];
  private closing: Promise<void> | undefined;

  constructor(
    private readonly backend: Backend,
    readonly info: StoreInfo,
    private readonly log: StoreLog,
  ) {
    const repositories = repositoriesOn(backend.root, systemClock);
    this.events = repositories.events;
    this.clusters = repositories.clusters;
    this.taskDefinitions = repositories.taskDefinitions;
    this.containerInstances = repositories.containerInstances;
    this.tasks = repositories.tasks;
    this.services = repositories.services;
    this.taskSets = repositories.taskSets;
    this.deployments = repositories.deployments;
    this.loadBalancing = repositories.loadBalancing;
    this.autoScaling = repositories.autoScaling;
    this.platform = repositories.platform;
    this.iam = repositories.iam;
    this.audit = repositories.audit;
    this.s3 = repositories.s3;
  }

  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new Error(`The store at ${this.info.location} is closed.`));
    return this.backend.transaction((tx) => work(repositoriesOn(tx, systemClock)));
  }

  leadership(options: { pollIntervalMs?: number; holder?: string } = {}): Leadership {
    return this.backend.leadership({
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_LEADERSHIP_POLL_INTERVAL_MS,
      holder: options.holder ?? `${hostname()}:${process.pid}`,
    });
  }

  close(): Promise<void> {
    this.closing ??= this.backend.close().then(() => this.log.info({ location: this.info.location }, 'store closed'));
    return this.closing;
  }
}
