/** The container instances repository: one row per registered host in `container_instances`. */
import type { Tag } from '../../model/cluster.js';
import type { ContainerInstance, ContainerInstanceStatus } from '../../model/container-instance.js';
import type { HostResources } from '../../model/placement.js';
import type { SqlExecutor, SqlValue } from '../sql.js';
import type { ContainerInstanceRepository } from '../store.js';

interface InstanceRow {
  id: string;
  cluster: string;
  host_id: string;
  status: string;
  agent_connected: number;
  credential_hash: string;
  agent_url: string;
  agent_version: string;
  resources: string;
  attributes: string;
  custom_attributes: string;
  tags: string;
  desired_version: number;
  last_seen_at: number;
  registered_at: number;
  updated_at: number;
}

const COLUMNS =
  'id, cluster, host_id, status, agent_connected, credential_hash, agent_url, agent_version, resources, attributes, custom_attributes, tags, desired_version, last_seen_at, registered_at, updated_at';

function toValues(i: ContainerInstance): SqlValue[] {
  return [
    i.id,
    i.cluster,
    i.hostId,
    i.status,
    i.agentConnected ? 1 : 0,
    i.credentialHash,
    i.agentUrl,
    i.agentVersion,
    JSON.stringify(i.resources),
    JSON.stringify(i.attributes),
    JSON.stringify(i.customAttributes),
    JSON.stringify(i.tags),
    i.desiredVersion,
    i.lastSeenAt,
    i.registeredAt,
    i.updatedAt,
  ];
}

function toInstance(row: InstanceRow): ContainerInstance {
  return {
    id: row.id,
    cluster: row.cluster,
    hostId: row.host_id,
    status: row.status as ContainerInstanceStatus,
    agentConnected: Number(row.agent_connected) === 1,
    credentialHash: row.credential_hash,
    agentUrl: row.agent_url,
    agentVersion: row.agent_version,
    resources: JSON.parse(row.resources) as HostResources,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    customAttributes: JSON.parse(row.custom_attributes) as Record<string, string>,
    tags: JSON.parse(row.tags) as Tag[],
    desiredVersion: Number(row.desired_version),
    lastSeenAt: Number(row.last_seen_at),
    registeredAt: Number(row.registered_at),
    updatedAt: Number(row.updated_at),
  };
}

export function containerInstanceRepository(exec: SqlExecutor): ContainerInstanceRepository {
  return {
    async insert(instance) {
      await exec.run(`INSERT INTO container_instances (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, toValues(instance));
    },

    async get(id) {
      const rows = await exec.query<InstanceRow>(`SELECT ${COLUMNS} FROM container_instances WHERE id = ?`, [id]);
      return rows[0] && toInstance(rows[0]);
    },

    async findLive(cluster, hostId) {
      const rows = await exec.query<InstanceRow>(`SELECT ${COLUMNS} FROM container_instances WHERE cluster = ? AND host_id = ? AND status <> 'INACTIVE'`, [cluster, hostId]);
      return rows[0] && toInstance(rows[0]);
    },

    async list({ cluster, status, after, limit }) {
      const rows = await exec.query<InstanceRow>(
        `SELECT ${COLUMNS} FROM container_instances WHERE cluster = ? AND (CAST(? AS TEXT) IS NULL OR status = ?) AND (CAST(? AS TEXT) IS NULL OR id > ?) ORDER BY id LIMIT ?`,
        [cluster, status ?? null, status ?? null, after ?? null, after ?? null, limit],
      );
      return rows.map(toInstance);
    },

    async replace(next) {
      const [id, ...rest] = toValues(next);
      await exec.run(
        `UPDATE container_instances SET cluster = ?, host_id = ?, status = ?, agent_connected = ?, credential_hash = ?, agent_url = ?, agent_version = ?, resources = ?, attributes = ?, custom_attributes = ?, tags = ?, desired_version = ?, last_seen_at = ?, registered_at = ?, updated_at = ? WHERE id = ?`,
        [...rest, id as string],
      );
    },

    async touch(id, now) {
      await exec.run('UPDATE container_instances SET last_seen_at = ?, agent_connected = 1 WHERE id = ?', [now, id]);
    },

    async bumpDesiredVersion(ids, now) {
      for (const id of new Set(ids)) {
        await exec.run('UPDATE container_instances SET desired_version = desired_version + 1, updated_at = ? WHERE id = ?', [now, id]);
      }
    },

    async countLive(cluster) {
      const rows = await exec.query<{ n: number }>(`SELECT COUNT(*) AS n FROM container_instances WHERE cluster = ? AND status <> 'INACTIVE'`, [cluster]);
      return Number(rows[0]?.n ?? 0);
    },

    async listSilent(before) {
      const rows = await exec.query<InstanceRow>(`SELECT ${COLUMNS} FROM container_instances WHERE agent_connected = 1 AND status <> 'INACTIVE' AND last_seen_at < ?`, [before]);
      return rows.map(toInstance);
    },
  };
}
