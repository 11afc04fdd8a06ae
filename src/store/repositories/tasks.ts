/**
 * The tasks repository: one row per task in `tasks`. Columns hold what queries filter on; the rest
 * of the record (containers, overrides, stop details, timestamps) is the JSON `document`.
 */
import type { ContainerState, DesiredTaskStatus, HealthStatus, StopCode, TaskOverrides, TaskRecord, TaskStatus } from '../../model/task.js';
import type { SqlExecutor, SqlValue } from '../sql.js';
import type { HostUsage, NewTask, TaskRepository } from '../store.js';

interface TaskRow {
  id: string;
  cluster: string;
  family: string;
  revision: number;
  container_instance_id: string;
  desired_status: string;
  last_status: string;
  task_group: string;
  started_by: string | null;
  cpu: number;
  memory: number;
  host_ports: string;
  document: string;
  version: number;
  created_at: number;
  stopped_at: number | null;
}

/** The part of a task kept as JSON. */
interface TaskDocument {
  healthStatus: HealthStatus;
  overrides: TaskOverrides;
  tags: { key: string; value: string }[];
  containers: ContainerState[];
  stopCode: StopCode | null;
  stoppedReason: string | null;
  drainUntil?: number | null;
  startedAt: number | null;
  stoppingAt: number | null;
}

const COLUMNS = 'id, cluster, family, revision, container_instance_id, desired_status, last_status, task_group, started_by, cpu, memory, host_ports, document, version, created_at, stopped_at';

function documentOf(t: NewTask): string {
  const doc: TaskDocument = {
    healthStatus: t.healthStatus,
    overrides: t.overrides,
    tags: [...t.tags],
    containers: [...t.containers],
    stopCode: t.stopCode,
    stoppedReason: t.stoppedReason,
    drainUntil: t.drainUntil,
    startedAt: t.startedAt,
    stoppingAt: t.stoppingAt,
  };
  return JSON.stringify(doc);
}

function toTask(row: TaskRow): TaskRecord {
  const doc = JSON.parse(row.document) as TaskDocument;
  return {
    id: row.id,
    cluster: row.cluster,
    family: row.family,
    revision: Number(row.revision),
    containerInstanceId: row.container_instance_id,
    desiredStatus: row.desired_status as DesiredTaskStatus,
    lastStatus: row.last_status as TaskStatus,
    healthStatus: doc.healthStatus,
    group: row.task_group,
    startedBy: row.started_by,
    cpu: Number(row.cpu),
    memory: Number(row.memory),
    hostPorts: JSON.parse(row.host_ports) as number[],
    overrides: doc.overrides,
    tags: doc.tags,
    containers: doc.containers,
    stopCode: doc.stopCode,
    stoppedReason: doc.stoppedReason,
    drainUntil: doc.drainUntil ?? null,
    version: Number(row.version),
    createdAt: Number(row.created_at),
    startedAt: doc.startedAt,
    stoppingAt: doc.stoppingAt,
    stoppedAt: row.stopped_at === null ? null : Number(row.stopped_at),
  };
}

/**
 * Rows per INSERT statement. PostgreSQL: one round trip per 256 rows instead of one per row (16
 * columns x 256 = 4,096 parameters, far below its 65,535). SQLite has no round trip to save, and
 * binding one wide statement measured slower than stepping a one-row statement per row.
 */
const ROWS_PER_INSERT: Readonly<Record<SqlExecutor['dialect'], number>> = { sqlite: 1, postgres: 256 };

const insertStatements = new Map<number, string>();

/** `INSERT INTO tasks (…) VALUES (…), (…)` for `rows` rows; one constant text per row count. */
function insertStatement(rows: number): string {
  let text = insertStatements.get(rows);
  if (text === undefined) {
    const row = `(${COLUMNS.split(', ').map(() => '?').join(', ')})`;
    text = `INSERT INTO tasks (${COLUMNS}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
    insertStatements.set(rows, text);
  }
  return text;
}

/** A new task's values in COLUMNS order (version 1). */
function insertValues(t: NewTask): SqlValue[] {
  return [
    t.id,
    t.cluster,
    t.family,
    t.revision,
    t.containerInstanceId,
    t.desiredStatus,
    t.lastStatus,
    t.group,
    t.startedBy,
    t.cpu,
    t.memory,
    JSON.stringify(t.hostPorts),
    documentOf(t),
    1,
    t.createdAt,
    t.stoppedAt,
  ];
}

export function taskRepository(exec: SqlExecutor): TaskRepository {
  return {
    async insertMany(tasks) {
      // Chunks of ROWS_PER_INSERT rows, the rest in power-of-two chunks: at most nine
      // distinct statement texts, so each executor's prepared-statement cache stays small.
      const most = ROWS_PER_INSERT[exec.dialect];
      for (let i = 0; i < tasks.length; ) {
        let rows = most;
        while (rows > tasks.length - i) rows >>= 1;
        const values: SqlValue[] = [];
        for (const t of tasks.slice(i, i + rows)) values.push(...insertValues(t));
        await exec.run(insertStatement(rows), values);
        i += rows;
      }
    },

    async get(id) {
      const rows = await exec.query<TaskRow>(`SELECT ${COLUMNS} FROM tasks WHERE id = ?`, [id]);
      return rows[0] && toTask(rows[0]);
    },

    async replace(next) {
      const result = await exec.run(
        'UPDATE tasks SET container_instance_id = ?, desired_status = ?, last_status = ?, task_group = ?, started_by = ?, cpu = ?, memory = ?, host_ports = ?, document = ?, version = ?, stopped_at = ? WHERE id = ? AND version = ?',
        [
          next.containerInstanceId,
          next.desiredStatus,
          next.lastStatus,
          next.group,
          next.startedBy,
          next.cpu,
          next.memory,
          JSON.stringify(next.hostPorts),
          documentOf(next),
          next.version,
          next.stoppedAt,
          next.id,
          next.version - 1,
        ],
      );
      return result.changes === 1;
    },

    async list(o) {
      const text = (v: string | undefined): string | null => v ?? null;
      const rows = await exec.query<TaskRow>(
        `SELECT ${COLUMNS} FROM tasks WHERE cluster = ?
           AND (CAST(? AS TEXT) IS NULL OR desired_status = ?)
           AND (CAST(? AS TEXT) IS NULL OR family = ?)
           AND (CAST(? AS TEXT) IS NULL OR started_by = ?)
           AND (CAST(? AS TEXT) IS NULL OR container_instance_id = ?)
           AND (CAST(? AS TEXT) IS NULL OR task_group = ?)
           AND (CAST(? AS TEXT) IS NULL OR id > ?)
         ORDER BY id LIMIT ?`,
        [
          o.cluster,
          ...[o.desiredStatus, o.family, o.startedBy, o.containerInstanceId, o.group, o.after].flatMap((v) => [text(v), text(v)]),
          o.limit,
        ],
      );
      return rows.map(toTask);
    },

    async ofService(cluster, serviceName) {
      const rows = await exec.query<TaskRow>(`SELECT ${COLUMNS} FROM tasks WHERE cluster = ? AND task_group = ? ORDER BY id`, [cluster, `service:${serviceName}`]);
      return rows.map(toTask);
    },

    async onInstance(containerInstanceId) {
      const rows = await exec.query<TaskRow>(`SELECT ${COLUMNS} FROM tasks WHERE container_instance_id = ? AND last_status <> 'STOPPED' ORDER BY id`, [containerInstanceId]);
      return rows.map(toTask);
    },

    async counts(cluster) {
      const rows = await exec.query<{ running: number | null; pending: number | null }>(
        `SELECT SUM(CASE WHEN last_status = 'RUNNING' THEN 1 ELSE 0 END) AS running,
                SUM(CASE WHEN last_status IN ('PROVISIONING', 'PENDING', 'ACTIVATING') THEN 1 ELSE 0 END) AS pending
           FROM tasks WHERE cluster = ? AND last_status <> 'STOPPED'`,
        [cluster],
      );
      return { running: Number(rows[0]?.running ?? 0), pending: Number(rows[0]?.pending ?? 0) };
    },

    async usage(cluster) {
      const rows = await exec.query<Pick<TaskRow, 'container_instance_id' | 'cpu' | 'memory' | 'host_ports' | 'task_group'>>(
        `SELECT container_instance_id, cpu, memory, host_ports, task_group FROM tasks WHERE cluster = ? AND last_status <> 'STOPPED'`,
        [cluster],
      );
      const byHost = new Map<string, { cpu: number; memory: number; hostPorts: number[]; groupCounts: Record<string, number> }>();
      for (const row of rows) {
        let usage = byHost.get(row.container_instance_id);
        if (!usage) byHost.set(row.container_instance_id, (usage = { cpu: 0, memory: 0, hostPorts: [], groupCounts: {} }));
        usage.cpu += Number(row.cpu);
        usage.memory += Number(row.memory);
        usage.hostPorts.push(...(JSON.parse(row.host_ports) as number[]).filter((port) => port !== 0));
        usage.groupCounts[row.task_group] = (usage.groupCounts[row.task_group] ?? 0) + 1;
      }
      return [...byHost].map(([containerInstanceId, u]): HostUsage => ({ containerInstanceId, ...u }));
    },
  };
}
