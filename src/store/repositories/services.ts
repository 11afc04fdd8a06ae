/**
 * Services, task sets and deployments: JSON documents with the columns the runner and the lists
 * query beside them.
 */
import type { DeploymentRecord, ServiceRecord, TaskSetRecord } from '../../model/service.js';
import type { SqlExecutor } from '../sql.js';
import type { DeploymentRepository, ServiceRepository, TaskSetRepository } from '../store.js';

const parse = <T>(rows: readonly { document: string }[]): T[] => rows.map((r) => JSON.parse(r.document) as T);

export function serviceRepository(exec: SqlExecutor): ServiceRepository {
  return {
    async insert(s) {
      await exec.run('INSERT INTO services (cluster, service_name, status, document, version, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [s.cluster, s.serviceName, s.status, JSON.stringify(s), s.version, s.updatedAt]);
    },
    async get(cluster, serviceName) {
      return parse<ServiceRecord>(await exec.query<{ document: string }>('SELECT document FROM services WHERE cluster = ? AND service_name = ?', [cluster, serviceName]))[0];
    },
    async replace(next) {
      const result = await exec.run('UPDATE services SET status = ?, document = ?, version = ?, updated_at = ? WHERE cluster = ? AND service_name = ? AND version = ?', [
        next.status,
        JSON.stringify(next),
        next.version,
        next.updatedAt,
        next.cluster,
        next.serviceName,
        next.version - 1,
      ]);
      return result.changes === 1;
    },
    async list({ cluster, status, after, limit }) {
      const rows = await exec.query<{ document: string }>(
        'SELECT document FROM services WHERE cluster = ? AND (CAST(? AS TEXT) IS NULL OR status = ?) AND (CAST(? AS TEXT) IS NULL OR service_name > ?) ORDER BY service_name LIMIT ?',
        [cluster, status ?? null, status ?? null, after ?? null, after ?? null, limit],
      );
      return parse<ServiceRecord>(rows);
    },
    async listLive() {
      return parse<ServiceRecord>(await exec.query<{ document: string }>("SELECT document FROM services WHERE status <> 'INACTIVE' ORDER BY cluster, service_name"));
    },
    async countLive(cluster) {
      const rows = await exec.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM services WHERE cluster = ? AND status <> 'INACTIVE'", [cluster]);
      return Number(rows[0]?.n ?? 0);
    },
  };
}

export function taskSetRepository(exec: SqlExecutor): TaskSetRepository {
  return {
    async insert(s) {
      await exec.run('INSERT INTO task_sets (id, cluster, service_name, status, document, created_at) VALUES (?, ?, ?, ?, ?, ?)', [s.id, s.cluster, s.serviceName, s.status, JSON.stringify(s), s.createdAt]);
    },
    async get(id) {
      return parse<TaskSetRecord>(await exec.query<{ document: string }>('SELECT document FROM task_sets WHERE id = ?', [id]))[0];
    },
    async replace(next) {
      await exec.run('UPDATE task_sets SET status = ?, document = ? WHERE id = ?', [next.status, JSON.stringify(next), next.id]);
    },
    async forService(cluster, serviceName) {
      return parse<TaskSetRecord>(await exec.query<{ document: string }>('SELECT document FROM task_sets WHERE cluster = ? AND service_name = ? ORDER BY created_at, id', [cluster, serviceName]));
    },
  };
}

export function deploymentRepository(exec: SqlExecutor): DeploymentRepository {
  return {
    async insert(d) {
      await exec.run('INSERT INTO deployments (cluster, service_name, id, status, document) VALUES (?, ?, ?, ?, ?)', [d.cluster, d.serviceName, d.id, d.status, JSON.stringify(d)]);
    },
    async get(cluster, serviceName, id) {
      return parse<DeploymentRecord>(await exec.query<{ document: string }>('SELECT document FROM deployments WHERE cluster = ? AND service_name = ? AND id = ?', [cluster, serviceName, id]))[0];
    },
    async replace(next) {
      await exec.run('UPDATE deployments SET status = ?, document = ? WHERE cluster = ? AND service_name = ? AND id = ?', [next.status, JSON.stringify(next), next.cluster, next.serviceName, next.id]);
    },
    async forService(cluster, serviceName, limit) {
      return parse<DeploymentRecord>(await exec.query<{ document: string }>('SELECT document FROM deployments WHERE cluster = ? AND service_name = ? ORDER BY id DESC LIMIT ?', [cluster, serviceName, limit]));
    },
    async nextId(cluster, serviceName) {
      const rows = await exec.query<{ top: number | null }>('SELECT MAX(id) AS top FROM deployments WHERE cluster = ? AND service_name = ?', [cluster, serviceName]);
      return Number(rows[0]?.top ?? 0) + 1;
    },
  };
}
