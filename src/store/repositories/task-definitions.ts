/**
 * The task definitions repository: one row per revision in `task_definitions`, the normalised
 * request as JSON in `definition`. Rows are never removed here (DeleteTaskDefinitions marks them
 * DELETE_IN_PROGRESS), so "highest revision ever + 1" never hands out a revision twice.
 */
import type { RegisterTaskDefinitionRequest, TaskDefinitionRecord, TaskDefinitionStatus } from '../../model/task-definition.js';
import type { SqlExecutor, SqlValue } from '../sql.js';
import type { TaskDefinitionRepository } from '../store.js';

interface TaskDefinitionRow {
  family: string;
  revision: number;
  status: string;
  definition: string;
  registered_at: number;
  deregistered_at: number | null;
  delete_requested_at: number | null;
}

const COLUMNS = 'family, revision, status, definition, registered_at, deregistered_at, delete_requested_at';

/** The time column each status change stamps. */
const STAMPED: Readonly<Record<TaskDefinitionStatus, string | undefined>> = {
  ACTIVE: undefined,
  INACTIVE: 'deregistered_at',
  DELETE_IN_PROGRESS: 'delete_requested_at',
};

/** `substr(family, 1, n) = prefix`: a byte-exact prefix test on both databases (SQLite's LIKE ignores case). */
const PREFIX_TEST = 'substr(family, 1, ?) = ?';

/**
 * The task definitions repository over one executor. Every method is one statement, so each is
 * atomic inside and outside a transaction.
 */
export function taskDefinitionRepository(exec: SqlExecutor): TaskDefinitionRepository {
  return {
    async register(definition: RegisterTaskDefinitionRequest, now: number): Promise<TaskDefinitionRecord> {
      // One statement: the next revision is computed and taken atomically.
      const rows = await exec.query<TaskDefinitionRow>(
        `INSERT INTO task_definitions (${COLUMNS})
         SELECT ?, COALESCE(MAX(revision), 0) + 1, 'ACTIVE', ?, CAST(? AS BIGINT), NULL, NULL FROM task_definitions WHERE family = ?
         RETURNING ${COLUMNS}`,
        [definition.family, JSON.stringify(definition), now, definition.family],
      );
      const row = rows[0];
      if (row === undefined) throw new Error(`task definition ${definition.family} was not stored`);
      return toRecord(row);
    },

    async get(family: string, revision: number): Promise<TaskDefinitionRecord | undefined> {
      const rows = await exec.query<TaskDefinitionRow>(`SELECT ${COLUMNS} FROM task_definitions WHERE family = ? AND revision = ?`, [family, revision]);
      return rows[0] === undefined ? undefined : toRecord(rows[0]);
    },

    async latestActive(family: string): Promise<TaskDefinitionRecord | undefined> {
      const rows = await exec.query<TaskDefinitionRow>(
        `SELECT ${COLUMNS} FROM task_definitions WHERE family = ? AND status = 'ACTIVE' ORDER BY revision DESC LIMIT 1`,
        [family],
      );
      return rows[0] === undefined ? undefined : toRecord(rows[0]);
    },

    async list(options): Promise<TaskDefinitionRecord[]> {
      checkLimit('list', options.limit);
      if (options.limit === 0) return [];
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (options.familyPrefix !== undefined && options.familyPrefix !== '') {
        where.push(PREFIX_TEST);
        params.push(options.familyPrefix.length, options.familyPrefix);
      }
      if (options.status !== undefined) {
        where.push('status = ?');
        params.push(options.status);
      }
      const order = options.sort === 'DESC' ? 'DESC' : 'ASC';
      if (options.after !== undefined) {
        where.push(order === 'ASC' ? '(family > ? OR (family = ? AND revision > ?))' : '(family < ? OR (family = ? AND revision < ?))');
        params.push(options.after.family, options.after.family, options.after.revision);
      }
      const rows = await exec.query<TaskDefinitionRow>(
        `SELECT ${COLUMNS} FROM task_definitions${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY family ${order}, revision ${order} LIMIT ?`,
        [...params, options.limit],
      );
      return rows.map(toRecord);
    },

    async listFamilies(options): Promise<string[]> {
      checkLimit('listFamilies', options.limit);
      if (options.limit === 0) return [];
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (options.familyPrefix !== undefined && options.familyPrefix !== '') {
        where.push(PREFIX_TEST);
        params.push(options.familyPrefix.length, options.familyPrefix);
      }
      if (options.after !== undefined) {
        where.push('family > ?');
        params.push(options.after);
      }
      // ECS: an ACTIVE family has an ACTIVE revision; an INACTIVE family has none (whatever else it has).
      let having = '';
      if (options.status === 'ACTIVE') having = " HAVING SUM(CASE WHEN status = 'ACTIVE' THEN 1 ELSE 0 END) > 0";
      else if (options.status === 'INACTIVE') having = " HAVING SUM(CASE WHEN status = 'ACTIVE' THEN 1 ELSE 0 END) = 0";
      else if (options.status === 'DELETE_IN_PROGRESS') having = " HAVING SUM(CASE WHEN status = 'DELETE_IN_PROGRESS' THEN 1 ELSE 0 END) > 0";
      const rows = await exec.query<{ family: string }>(
        `SELECT family FROM task_definitions${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} GROUP BY family${having} ORDER BY family LIMIT ?`,
        [...params, options.limit],
      );
      return rows.map((r) => r.family);
    },

    async setStatus(family, revision, from, to, now): Promise<TaskDefinitionRecord | undefined> {
      if (from.length === 0) return undefined;
      const stamp = STAMPED[to];
      const rows = await exec.query<TaskDefinitionRow>(
        `UPDATE task_definitions SET status = ?${stamp === undefined ? '' : `, ${stamp} = ?`}
         WHERE family = ? AND revision = ? AND status IN (${from.map(() => '?').join(', ')})
         RETURNING ${COLUMNS}`,
        [to, ...(stamp === undefined ? [] : [now]), family, revision, ...from],
      );
      return rows[0] === undefined ? undefined : toRecord(rows[0]);
    },

    async setTags(family, revision, tags): Promise<TaskDefinitionRecord | undefined> {
      const current = (await exec.query<TaskDefinitionRow>(`SELECT ${COLUMNS} FROM task_definitions WHERE family = ? AND revision = ?`, [family, revision]))[0];
      if (current === undefined) return undefined;
      const definition = { ...(JSON.parse(current.definition) as RegisterTaskDefinitionRequest), tags: tags.map((t) => ({ ...t })) };
      const rows = await exec.query<TaskDefinitionRow>(`UPDATE task_definitions SET definition = ? WHERE family = ? AND revision = ? RETURNING ${COLUMNS}`, [JSON.stringify(definition), family, revision]);
      return rows[0] === undefined ? undefined : toRecord(rows[0]);
    },
  };
}

function checkLimit(method: string, limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`taskDefinitions.${method}: limit must be a whole number >= 0, got ${limit}`);
}

function toRecord(row: TaskDefinitionRow): TaskDefinitionRecord {
  return {
    family: row.family,
    revision: Number(row.revision),
    status: row.status as TaskDefinitionStatus,
    definition: JSON.parse(row.definition) as RegisterTaskDefinitionRequest,
    registeredAt: Number(row.registered_at),
    deregisteredAt: row.deregistered_at === null ? null : Number(row.deregistered_at),
    deleteRequestedAt: row.delete_requested_at === null ? null : Number(row.delete_requested_at),
  };
}
