/**
 * STS: AssumeRole, which makes a role session and hands out its credentials, and
 * GetCallerIdentity. A session is not stored: its facts (key id, secret, role, session name,
 * times) are sealed with the secrets key into its session token, which the caller sends back with
 * every request it signs with the session's key (`sealing.ts` seals and opens it,
 * `Identity.sessionHolder` reads it).
 *
 *   caller ─▶ AssumeRole ─▶ role exists under RoleArn ─▶ trust policy names and allows the caller
 *          ─▶ DurationSeconds within the role's MaxSessionDuration ─▶ ASIA key, secret, sealed token
 *
 * The caller's own side (its policies allow `sts:AssumeRole` on the role, as any call's) is decided
 * before this runs, by the route's entry in `api/actions.ts`.
 */
import { randomBytes } from 'node:crypto';
import type { AssumeRoleRequest, AssumeRoleView, CallerIdentityView } from '../../model/api/sts.js';
import { wharfError } from '../../model/errors.js';
import type { Principal } from '../../model/iam/principal.js';
import { rootArn } from '../../model/iam/principal.js';
import type { RoleSession } from '../../model/iam/session.js';
import { assumedRoleArn, assumedRoleId, DEFAULT_SESSION_DURATION, SESSION_KEY_PREFIX } from '../../model/iam/session.js';
import { parseTrustPolicy, trustDecision } from '../../model/iam/trust.js';
import type { ChangeMeta } from '../request.js';
import type { Identity } from './identity.js';
import { principalConditionKeys } from './identity.js';
import { iamId } from './keys.js';
import type { Caller } from './principals.js';
import { sealSessionToken } from './sealing.js';

/** A session made by a role session (role chaining) lasts at most an hour, as STS's. */
export const MAX_CHAINED_SESSION_DURATION = 3_600;

/** Where an AssumeRole call came from: the trust policy's conditions may read it (`aws:SourceIp`, `aws:SecureTransport`). */
export interface CallNetwork {
  readonly sourceIp?: string;
  readonly secureTransport?: boolean;
}

/** Who calls: the caller, or (authentication off) the account root. */
function principalOf(identity: Identity, caller: Caller): Principal {
  return caller ?? { kind: 'root', arn: rootArn(identity.arnScope), name: 'root', id: identity.arnScope.accountId, accessKeyId: '' };
}

const ROLE_ARN = /^arn:[^:]+:iam::(\d{12}):role\/(?:[^/]*\/)*([^/]+)$/;

/**
 * Makes a session of the role `RoleArn` names, if its trust policy allows the caller: a statement
 * Allowing `sts:AssumeRole` whose Principal names the caller (`*`, the account, the caller's ARN,
 * or a session's role), and no such statement Denying it. Refused as STS refuses: 403
 * AccessDenied, whether the role does not exist or does not trust the caller.
 */
export async function assumeRole(identity: Identity, request: AssumeRoleRequest, caller: Caller, meta: ChangeMeta, network: CallNetwork = {}): Promise<AssumeRoleView> {
  const scope = identity.arnScope;
  const principal = principalOf(identity, caller);
  const denied = (reason: string) => wharfError('WHARF_E_ACCESS_DENIED', { principal: principal.arn, action: 'sts:AssumeRole', resource: request.RoleArn, reason });
  const named = ROLE_ARN.exec(request.RoleArn);
  const role = named && named[1] === scope.accountId ? await identity.store.iam.getRole(named[2] ?? '') : undefined;
  if (!role || role.arn !== request.RoleArn) throw denied('because no role of this account has that ARN');
  let decision;
  try {
    const policy = parseTrustPolicy(role.assumeRolePolicyDocument, `AssumeRolePolicyDocument of role ${role.roleName}`);
    const context = {
      ...principalConditionKeys(principal),
      'aws:CurrentTime': new Date(meta.now).toISOString(),
      'aws:EpochTime': String(Math.floor(meta.now / 1000)),
      ...(network.sourceIp === undefined ? {} : { 'aws:SourceIp': network.sourceIp }),
      ...(network.secureTransport === undefined ? {} : { 'aws:SecureTransport': network.secureTransport }),
    };
    decision = trustDecision(policy, { arn: principal.arn, accountId: scope.accountId, ...(principal.roleArn ? { roleArn: principal.roleArn } : {}) }, 'sts:AssumeRole', context);
  } catch {
    throw denied(`because the trust policy of role ${role.roleName} no longer parses`);
  }
  if (decision.effect === 'ExplicitDeny') throw denied(`with an explicit deny in the trust policy of role ${role.roleName}`);
  if (decision.effect !== 'Allow') throw denied(`because the trust policy of role ${role.roleName} does not allow the caller to assume it`);

  const duration = request.DurationSeconds ?? DEFAULT_SESSION_DURATION;
  const limit = principal.kind === 'assumed-role' ? Math.min(MAX_CHAINED_SESSION_DURATION, role.maxSessionDuration) : role.maxSessionDuration;
  if (duration > limit) {
    const why = principal.kind === 'assumed-role' && limit === MAX_CHAINED_SESSION_DURATION ? 'a role session assuming a role (role chaining) gets at most 3600 seconds' : `the MaxSessionDuration set for role ${role.roleName} is ${role.maxSessionDuration}`;
    throw wharfError('WHARF_E_VALIDATION', { summary: `The requested DurationSeconds exceeds the MaxSessionDuration set for this role` }, { errors: [{ field: 'DurationSeconds', message: `${duration} is more than ${limit}: ${why}` }] });
  }
  const session: RoleSession = {
    accessKeyId: iamId(SESSION_KEY_PREFIX),
    secretAccessKey: randomBytes(30).toString('base64'),
    roleArn: role.arn,
    roleId: role.roleId,
    roleName: role.roleName,
    sessionName: request.RoleSessionName,
    issuedAt: meta.now,
    expiresAt: meta.now + duration * 1000,
  };
  return {
    Credentials: { AccessKeyId: session.accessKeyId, SecretAccessKey: session.secretAccessKey, SessionToken: sealSessionToken(identity.sealer, session), Expiration: new Date(session.expiresAt).toISOString() },
    AssumedRoleUser: { AssumedRoleId: assumedRoleId(role.roleId, session.sessionName), Arn: assumedRoleArn(scope.accountId, role.roleName, session.sessionName) },
  };
}

/** Who the caller is: its account, ARN and unique id (a session's `<role id>:<session name>`). Needs no permission, as STS's. */
export function getCallerIdentity(identity: Identity, caller: Caller): CallerIdentityView {
  const principal = principalOf(identity, caller);
  return { UserId: principal.id, Account: identity.arnScope.accountId, Arn: principal.arn };
}
