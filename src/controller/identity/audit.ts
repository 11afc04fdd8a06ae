/** Querying the audit log: newest first, filtered by principal, action, resource, outcome and time, paged by token. */
import type { AuditRecordView, LookupAuditRequest } from '../../model/api/audit.js';
import type { AuditRecord } from '../../model/audit.js';
import type { Store } from '../../store/store.js';
import { pageById } from '../paging.js';

export function auditRecordView(record: AuditRecord): AuditRecordView {
  return {
    auditId: String(record.id),
    time: new Date(record.time).toISOString(),
    principalArn: record.principalArn,
    accessKeyId: record.accessKeyId,
    sourceIp: record.sourceIp,
    action: record.action,
    resources: record.resources,
    requestId: record.requestId,
    outcome: record.outcome,
    status: record.status,
    errorCode: record.errorCode,
  };
}

/** One page of audit records, newest first. */
export async function lookupAudit(store: Store, request: LookupAuditRequest): Promise<{ records: AuditRecordView[]; nextToken?: string }> {
  const { items, nextToken } = await pageById(
    request.nextToken,
    request.maxRecords,
    (beforeId, limit) =>
      store.audit.query({
        principalArn: request.principal,
        action: request.action,
        resource: request.resource,
        outcome: request.outcome,
        startTime: request.startTime,
        endTime: request.endTime,
        beforeId,
        limit,
      }),
    auditRecordView,
  );
  return { records: items, ...(nextToken ? { nextToken } : {}) };
}
