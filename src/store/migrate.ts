/**
 * Brings a database to `LATEST_SCHEMA_VERSION` by applying the pending migrations in order, each
 * in its own transaction. The schema-version rule: a database whose version is newer than this code
 * knows is refused with WHARF_E_SCHEMA_TOO_NEW and left exactly as it was.
 */
import { wharfError } from '../model/errors.js';
import type { Backend } from './backend.js';
import type { StoreLog } from './log.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SCHEMA_MIGRATIONS_DDL, migrationSql } from './migrations.js';
import { inTransaction, tableExists, type SqlExecutor } from './sql.js';

/** What `migrate` found and did. */
export interface MigrationOutcome {
  readonly schemaVersion: number;
  readonly applied: readonly number[];
}

/** The database's schema version: the highest recorded migration, 0 for a new database. Reads only. */
export async function readSchemaVersion(exec: SqlExecutor): Promise<number> {
  if (!(await tableExists(exec, 'schema_migrations'))) return 0;
  const rows = await exec.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
  return Number(rows[0]?.version ?? 0);
}

/** Throws WHARF_E_SCHEMA_TOO_NEW when `found` is newer than this code. */
export function refuseNewerSchema(found: number, backend: Pick<Backend, 'kind' | 'location'>): void {
  if (found <= LATEST_SCHEMA_VERSION) return;
  throw wharfError('WHARF_E_SCHEMA_TOO_NEW', {
    store: backend.kind === 'sqlite' ? 'SQLite database' : 'PostgreSQL database',
    location: backend.location,
    found,
    known: LATEST_SCHEMA_VERSION,
  });
}

/**
 * Applies every pending migration under the backend's migration lock. Safe to run from several
 * controllers at once (they take turns; the later ones find nothing to do) and on every open.
 */
export async function migrate(backend: Backend, now: () => number, log: StoreLog): Promise<MigrationOutcome> {
  return backend.migrationSession(async (session) => {
    const found = await readSchemaVersion(session);
    refuseNewerSchema(found, backend);
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (migration.version <= found) continue;
      const at = now();
      await inTransaction(session, async (tx) => {
        await tx.script(SCHEMA_MIGRATIONS_DDL);
        await tx.script(migrationSql(migration, tx.dialect));
        await migration.seed?.(tx, at);
        await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, at]);
      });
      applied.push(migration.version);
      log.info({ location: backend.location, version: migration.version, name: migration.name }, 'schema migration applied');
    }
    return { schemaVersion: Math.max(found, LATEST_SCHEMA_VERSION), applied };
  });
}
