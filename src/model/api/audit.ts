/** The audit log's query (`GET /v1/audit`, CloudTrail's LookupEvents in Wharf's shape) and a record's view. */
import { z } from 'zod';
import type { AuditOutcome } from '../audit.js';
import { AUDIT_OUTCOMES } from '../audit.js';
import { timeSchema } from './events.js';

export const DEFAULT_AUDIT_PAGE = 100;
export const MAX_AUDIT_PAGE = 1000;

export const lookupAuditRequestSchema = z
  .object({
    principal: z.string().min(1).max(2048).optional(),
    action: z.string().min(1).max(256).optional(),
    resource: z.string().min(1).max(2048).optional(),
    outcome: z.enum(AUDIT_OUTCOMES as [AuditOutcome, ...AuditOutcome[]]).optional(),
    startTime: timeSchema.optional(),
    endTime: timeSchema.optional(),
    maxRecords: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(DEFAULT_AUDIT_PAGE),
    nextToken: z.string().max(256).optional(),
  })
  .strict()
  .refine((r) => r.startTime === undefined || r.endTime === undefined || r.startTime < r.endTime, { path: ['endTime'], message: 'endTime must be after startTime' });

export type LookupAuditRequest = z.infer<typeof lookupAuditRequestSchema>;

/** An audit record in the API's shape. */
export interface AuditRecordView {
  auditId: string;
  time: string;
  principalArn: string;
  accessKeyId: string;
  sourceIp: string;
  action: string;
  resources: readonly string[];
  requestId: string;
  outcome: AuditOutcome;
  status: number;
  errorCode: string | null;
}
