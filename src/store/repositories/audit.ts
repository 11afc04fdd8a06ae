/** The audit log: append-only rows in `audit_log`, queried newest first, pruned by age. */
import type { AuditFilter, AuditRecord, NewAuditRecord } from '../../model/audit.js';
import type { SqlExecutor, SqlValue } from '../sql.js';
import type { AuditRepository } from '../store.js';

export function auditRepository(exec: SqlExecutor): AuditRepository {
  return {
    async append(record: NewAuditRecord): Promise<AuditRecord> {
      const rows = await exec.query<{ id: number }>(
        'INSERT INTO audit_log (time, principal_arn, access_key_id, action, outcome, resources, document) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
        [record.time, record.principalArn, record.accessKeyId, record.action, record.outcome, JSON.stringify(record.resources), JSON.stringify(record)],
      );
      const id = rows[0]?.id;
      if (id === undefined) throw new Error('INSERT INTO audit_log returned no id');
      return { id: Number(id), ...record };
    },

    async query(filter: AuditFilter): Promise<AuditRecord[]> {
      if (!Number.isSafeInteger(filter.limit) || filter.limit < 0) throw new RangeError(`audit.query: limit must be a whole number >= 0, got ${filter.limit}`);
      if (filter.limit === 0) return [];
      const { where, params } = auditConditions(filter);
      const rows = await exec.query<{ id: number; document: string }>(
        `SELECT id, document FROM audit_log${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        [...params, filter.limit],
      );
      return rows.map((row) => ({ ...(JSON.parse(row.document) as NewAuditRecord), id: Number(row.id) }));
    },

    async pruneBefore(time: number, limit: number): Promise<number> {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`audit.pruneBefore: limit must be a whole number >= 0, got ${limit}`);
      const result = await exec.run('DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE time < ? ORDER BY time, id LIMIT ?)', [time, limit]);
      return result.changes;
    },
  };
}

/** `%`, `_` and the escape itself taken literally in a LIKE pattern. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The WHERE conditions of a filter; the SQL text depends only on which filters are set. */
function auditConditions(filter: AuditFilter): { where: string[]; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (condition: string, value: SqlValue | undefined): void => {
    if (value === undefined) return;
    where.push(condition);
    params.push(value);
  };
  add('principal_arn = ?', filter.principalArn);
  add('action = ?', filter.action);
  add('outcome = ?', filter.outcome);
  // Resources are stored as a JSON array of strings: a resource is in it as `"<arn>"`.
  add("resources LIKE ? ESCAPE '\\'", filter.resource === undefined ? undefined : `%${likeLiteral(JSON.stringify(filter.resource))}%`);
  add('time >= ?', filter.startTime);
  add('time < ?', filter.endTime);
  add('id < ?', filter.beforeId);
  return { where, params };
}
