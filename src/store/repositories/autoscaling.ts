/** Scalable targets, scaling policies and scaling activities: JSON documents. */
import type { ScalableTargetRecord, ScalingActivityRecord, ScalingPolicyRecord, ScheduledActionRecord } from '../../model/autoscaling.js';
import type { SqlExecutor } from '../sql.js';
import type { AutoScalingRepository } from '../store.js';

const parse = <T>(rows: readonly { document: string }[]): T[] => rows.map((r) => JSON.parse(r.document) as T);

export function autoScalingRepository(exec: SqlExecutor): AutoScalingRepository {
  return {
    async putTarget(t) {
      await exec.run('INSERT INTO scalable_targets (resource_id, document) VALUES (?, ?) ON CONFLICT (resource_id) DO UPDATE SET document = excluded.document', [t.resourceId, JSON.stringify(t)]);
    },
    async targets() {
      return parse<ScalableTargetRecord>(await exec.query<{ document: string }>('SELECT document FROM scalable_targets ORDER BY resource_id'));
    },
    async deleteTarget(resourceId) {
      await exec.run('DELETE FROM scaling_policies WHERE resource_id = ?', [resourceId]);
      await exec.run('DELETE FROM scheduled_actions WHERE resource_id = ?', [resourceId]);
      await exec.run('DELETE FROM scalable_targets WHERE resource_id = ?', [resourceId]);
    },
    async putPolicy(p) {
      await exec.run('DELETE FROM scaling_policies WHERE resource_id = ? AND name = ?', [p.resourceId, p.name]);
      await exec.run('INSERT INTO scaling_policies (arn, resource_id, name, document) VALUES (?, ?, ?, ?)', [p.arn, p.resourceId, p.name, JSON.stringify(p)]);
    },
    async policies(resourceId) {
      return parse<ScalingPolicyRecord>(
        await exec.query<{ document: string }>('SELECT document FROM scaling_policies WHERE (CAST(? AS TEXT) IS NULL OR resource_id = ?) ORDER BY resource_id, name', [resourceId ?? null, resourceId ?? null]),
      );
    },
    async deletePolicy(resourceId, name) {
      return (await exec.run('DELETE FROM scaling_policies WHERE resource_id = ? AND name = ?', [resourceId, name])).changes > 0;
    },
    async putScheduledAction(a) {
      await exec.run('DELETE FROM scheduled_actions WHERE resource_id = ? AND name = ?', [a.resourceId, a.name]);
      await exec.run('INSERT INTO scheduled_actions (arn, resource_id, name, document) VALUES (?, ?, ?, ?)', [a.arn, a.resourceId, a.name, JSON.stringify(a)]);
    },
    async scheduledActions(resourceId) {
      return parse<ScheduledActionRecord>(
        await exec.query<{ document: string }>('SELECT document FROM scheduled_actions WHERE (CAST(? AS TEXT) IS NULL OR resource_id = ?) ORDER BY resource_id, name', [resourceId ?? null, resourceId ?? null]),
      );
    },
    async deleteScheduledAction(resourceId, name) {
      return (await exec.run('DELETE FROM scheduled_actions WHERE resource_id = ? AND name = ?', [resourceId, name])).changes > 0;
    },
    async addActivity(a) {
      await exec.run('INSERT INTO scaling_activities (id, resource_id, at, document) VALUES (?, ?, ?, ?)', [a.id, a.resourceId, a.at, JSON.stringify(a)]);
    },
    async activities(resourceId, limit) {
      return parse<ScalingActivityRecord>(
        await exec.query<{ document: string }>('SELECT document FROM scaling_activities WHERE (CAST(? AS TEXT) IS NULL OR resource_id = ?) ORDER BY at DESC, id DESC LIMIT ?', [resourceId ?? null, resourceId ?? null, limit]),
      );
    },
  };
}
