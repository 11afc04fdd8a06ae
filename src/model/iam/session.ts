/**
 * Role sessions: what AssumeRole hands out and what a request signed with a session's key acts
 * as. A session is not stored: its facts travel sealed in its session token (see
 * `controller/identity/sessions.ts`), and are read back here, checked field by field, when a
 * request carries the token.
 *
 *   AssumeRole ─▶ RoleSession ─▶ sealed ─▶ SessionToken ─▶ (request) opened ─▶ parseRoleSession ─▶ principal
 */
import { z } from 'zod';

/** A session's access key id starts so (`ASIA` + 16), as AWS's temporary keys; long-term keys start `AKIA`. */
export const SESSION_KEY_PREFIX = 'ASIA';

/** STS's RoleSessionName: 2 to 64 letters, digits or `+=,.@_-`. */
export const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** The shortest session AssumeRole makes, and its length when DurationSeconds is not given (seconds). */
export const MIN_SESSION_DURATION = 900;
export const DEFAULT_SESSION_DURATION = 3_600;

/** One role session, as its token carries it. Times in ms. */
export interface RoleSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly roleArn: string;
  /** The role's id when the session was made: a role deleted and made again under the name has another. */
  readonly roleId: string;
  readonly roleName: string;
  readonly sessionName: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

const sessionSchema = z
  .object({
    accessKeyId: z.string().startsWith(SESSION_KEY_PREFIX),
    secretAccessKey: z.string().min(1),
    roleArn: z.string().min(1),
    roleId: z.string().min(1),
    roleName: z.string().min(1),
    sessionName: z.string().regex(ROLE_SESSION_NAME),
    issuedAt: z.number().int(),
    expiresAt: z.number().int(),
  })
  .strict();

/** Reads a session from its opened token's JSON text; undefined for anything that is not one. */
export function parseRoleSession(text: string): RoleSession | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = sessionSchema.safeParse(value);
  return parsed.success ? Object.freeze(parsed.data) : undefined;
}

/** Whether an access key id is a session's (`ASIA…`): such a request must carry its session token. */
export function isSessionKey(accessKeyId: string): boolean {
  return accessKeyId.startsWith(SESSION_KEY_PREFIX);
}

/** A session's ARN: `arn:wharf:sts::<account>:assumed-role/<role name>/<session name>` (no role path, as STS's). */
export function assumedRoleArn(accountId: string, roleName: string, sessionName: string): string {
  return `arn:wharf:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

/** A session's unique id, its `aws:userid`: `<role id>:<session name>`. */
export function assumedRoleId(roleId: string, sessionName: string): string {
  return `${roleId}:${sessionName}`;
}
