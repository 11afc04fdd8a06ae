/** The clusters repository: one row per cluster in `clusters`; deleting marks it INACTIVE. */
import type { Cluster, ClusterSetting, ClusterStatus, Tag } from '../../model/cluster.js';
import type { SqlExecutor, SqlValue } from '../sql.js';
import type { ClusterInput, ClusterRepository } from '../store.js';

interface ClusterRow {
  cluster_name: string;
  status: string;
  tags: string;
  settings: string;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'cluster_name, status, tags, settings, created_at, updated_at';

/**
 * The clusters repository over one executor. Each method is a few single statements that are each
 * atomic, so it behaves the same inside and outside a transaction.
 */
export function clusterRepository(exec: SqlExecutor): ClusterRepository {
  const get = async (clusterName: string): Promise<Cluster | undefined> => {
    const rows = await exec.query<ClusterRow>(`SELECT ${COLUMNS} FROM clusters WHERE cluster_name = ?`, [clusterName]);
    return rows[0] === undefined ? undefined : toCluster(rows[0]);
  };

  return {
    get,

    async create(input: ClusterInput, now: number): Promise<{ cluster: Cluster; created: boolean }> {
      const tags = JSON.stringify(input.tags);
      const settings = JSON.stringify(input.settings);
      const inserted = await exec.query<ClusterRow>(
        `INSERT INTO clusters (${COLUMNS}) VALUES (?, 'ACTIVE', ?, ?, ?, ?) ON CONFLICT (cluster_name) DO NOTHING RETURNING ${COLUMNS}`,
        [input.clusterName, tags, settings, now, now],
      );
      if (inserted[0] !== undefined) return { cluster: toCluster(inserted[0]), created: true };
      // It exists: bring it back if it was deleted (a new life: new tags, settings and creation time).
      const reactivated = await exec.query<ClusterRow>(
        `UPDATE clusters SET status = 'ACTIVE', tags = ?, settings = ?, created_at = ?, updated_at = ? WHERE cluster_name = ? AND status = 'INACTIVE' RETURNING ${COLUMNS}`,
        [tags, settings, now, now, input.clusterName],
      );
      if (reactivated[0] !== undefined) return { cluster: toCluster(reactivated[0]), created: true };
      const existing = await get(input.clusterName);
      if (existing === undefined) throw new Error(`cluster ${input.clusterName} vanished while it was being created`);
      return { cluster: existing, created: false };
    },

    async list(options: { status?: ClusterStatus; after?: string; limit: number }): Promise<Cluster[]> {
      if (!Number.isSafeInteger(options.limit) || options.limit < 0) throw new RangeError(`clusters.list: limit must be a whole number >= 0, got ${options.limit}`);
      if (options.limit === 0) return [];
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (options.status !== undefined) {
        where.push('status = ?');
        params.push(options.status);
      }
      if (options.after !== undefined) {
        where.push('cluster_name > ?');
        params.push(options.after);
      }
      const rows = await exec.query<ClusterRow>(
        `SELECT ${COLUMNS} FROM clusters${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY cluster_name LIMIT ?`,
        [...params, options.limit],
      );
      return rows.map(toCluster);
    },

    async update(clusterName: string, change: { tags?: readonly Tag[]; settings?: readonly ClusterSetting[] }, now: number): Promise<Cluster | undefined> {
      const current = await get(clusterName);
      if (current === undefined || current.status !== 'ACTIVE') return undefined;
      const rows = await exec.query<ClusterRow>(
        `UPDATE clusters SET tags = ?, settings = ?, updated_at = ? WHERE cluster_name = ? AND status = 'ACTIVE' RETURNING ${COLUMNS}`,
        [JSON.stringify(change.tags ?? current.tags), JSON.stringify(change.settings ?? current.settings), now, clusterName],
      );
      return rows[0] === undefined ? undefined : toCluster(rows[0]);
    },

    async deactivate(clusterName: string, now: number): Promise<Cluster | undefined> {
      const rows = await exec.query<ClusterRow>(
        `UPDATE clusters SET status = 'INACTIVE', updated_at = ? WHERE cluster_name = ? AND status = 'ACTIVE' RETURNING ${COLUMNS}`,
        [now, clusterName],
      );
      return rows[0] === undefined ? undefined : toCluster(rows[0]);
    },
  };
}

function toCluster(row: ClusterRow): Cluster {
  return {
    clusterName: row.cluster_name,
    status: row.status as ClusterStatus,
    tags: JSON.parse(row.tags) as Tag[],
    settings: JSON.parse(row.settings) as ClusterSetting[],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
