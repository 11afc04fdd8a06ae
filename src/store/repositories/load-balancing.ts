/** Load balancers, target groups, listeners and rules: small JSON documents, read whole to build the routing table. */
import type { ListenerRecord, LoadBalancerRecord, RuleRecord, TargetGroupRecord } from '../../model/load-balancing.js';
import type { SqlExecutor } from '../sql.js';
import type { LoadBalancingRepository } from '../store.js';

const parse = <T>(rows: readonly { document: string }[]): T[] => rows.map((r) => JSON.parse(r.document) as T);

export function loadBalancingRepository(exec: SqlExecutor): LoadBalancingRepository {
  return {
    async insertLoadBalancer(lb) {
      const rows = await exec.query<{ arn: string }>('INSERT INTO load_balancers (arn, name, document) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING arn', [lb.arn, lb.name, JSON.stringify(lb)]);
      return rows.length > 0;
    },
    async replaceLoadBalancer(lb) {
      await exec.run('UPDATE load_balancers SET document = ? WHERE arn = ?', [JSON.stringify(lb), lb.arn]);
    },
    async deleteLoadBalancer(arn) {
      await exec.run('DELETE FROM load_balancers WHERE arn = ?', [arn]);
    },
    async loadBalancers() {
      return parse<LoadBalancerRecord>(await exec.query<{ document: string }>('SELECT document FROM load_balancers ORDER BY name'));
    },
    async insertTargetGroup(g) {
      await exec.run('INSERT INTO target_groups (arn, name, document) VALUES (?, ?, ?)', [g.arn, g.name, JSON.stringify(g)]);
    },
    async replaceTargetGroup(g) {
      await exec.run('UPDATE target_groups SET document = ? WHERE arn = ?', [JSON.stringify(g), g.arn]);
    },
    async deleteTargetGroup(arn) {
      await exec.run('DELETE FROM target_groups WHERE arn = ?', [arn]);
    },
    async targetGroups() {
      return parse<TargetGroupRecord>(await exec.query<{ document: string }>('SELECT document FROM target_groups ORDER BY name'));
    },
    async insertListener(l) {
      await exec.run('INSERT INTO listeners (arn, port, document) VALUES (?, ?, ?)', [l.arn, l.port, JSON.stringify(l)]);
    },
    async replaceListener(l) {
      await exec.run('UPDATE listeners SET port = ?, document = ? WHERE arn = ?', [l.port, JSON.stringify(l), l.arn]);
    },
    async deleteListener(arn) {
      await exec.run('DELETE FROM rules WHERE listener_arn = ?', [arn]);
      await exec.run('DELETE FROM listeners WHERE arn = ?', [arn]);
    },
    async listeners() {
      return parse<ListenerRecord>(await exec.query<{ document: string }>('SELECT document FROM listeners ORDER BY port'));
    },
    async insertRule(r) {
      await exec.run('INSERT INTO rules (arn, listener_arn, priority, document) VALUES (?, ?, ?, ?)', [r.arn, r.listenerArn, r.priority, JSON.stringify(r)]);
    },
    async replaceRule(r) {
      await exec.run('UPDATE rules SET priority = ?, document = ? WHERE arn = ?', [r.priority, JSON.stringify(r), r.arn]);
    },
    async deleteRule(arn) {
      await exec.run('DELETE FROM rules WHERE arn = ?', [arn]);
    },
    async rules() {
      return parse<RuleRecord>(await exec.query<{ document: string }>('SELECT document FROM rules ORDER BY listener_arn, priority'));
    },
  };
}
