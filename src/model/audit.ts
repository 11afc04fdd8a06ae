/**
 * The audit log: one record per mutating call and per refused call (unauthenticated or denied),
 * whoever made it. It names who, from where, what and on which resources, and how it ended. It
 * never holds a secret, a signature, a request body or an environment value.
 */

/** How a call ended: done; refused before it ran (authentication or authorisation); or failed while running. */
export type AuditOutcome = 'Success' | 'Denied' | 'Unauthenticated' | 'Failed';
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['Success', 'Denied', 'Unauthenticated', 'Failed'];

export interface AuditRecord {
  readonly id: number;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** The principal's ARN; empty when the call was not authenticated. */
  readonly principalArn: string;
  /** The access key the call was signed with (also for an unknown key); empty when none. */
  readonly accessKeyId: string;
  /** The client's address as the controller saw it. */
  readonly sourceIp: string;
  /** The IAM action (`ecs:RunTask`); for a call to no known route, `METHOD path`. */
  readonly action: string;
  /** The resource ARNs the action touches (`*` when it names none). */
  readonly resources: readonly string[];
  readonly requestId: string;
  readonly outcome: AuditOutcome;
  /** The HTTP status answered. */
  readonly status: number;
  /** The catalogue error code when the call failed or was refused. */
  readonly errorCode: string | null;
}

export type NewAuditRecord = Omit<AuditRecord, 'id'>;

/** A query over the audit log, newest first. */
export interface AuditFilter {
  readonly principalArn?: string;
  readonly action?: string;
  /** Records naming this resource ARN among their resources. */
  readonly resource?: string;
  readonly outcome?: AuditOutcome;
  /** Inclusive lower bound on `time`, ms. */
  readonly startTime?: number;
  /** Exclusive upper bound on `time`, ms. */
  readonly endTime?: number;
  /** Only records with an id below this (paging, newest first). */
  readonly beforeId?: number;
  readonly limit: number;
}
