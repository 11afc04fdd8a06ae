/**
 * The IAM role operations: roles with their trust policy (who may assume them) and permission
 * policies (inline and attached, as a user's), with AWS's semantics (NoSuchEntity,
 * EntityAlreadyExists, MalformedPolicyDocument, DeleteConflict, LimitExceeded). As with users, each
 * change is one store transaction, then `identity.changed()`, and one event naming what changed,
 * never a document. A role's sessions (STS AssumeRole, `sessions.ts`) act with its permission
 * policies.
 */
import type { ArnScope } from '../../model/arn.js';
import type { FieldError } from '../../model/errors.js';
import { wharfError } from '../../model/errors.js';
import type {
  AttachedPolicyView,
  CreateRoleRequest,
  ListAttachedRolePoliciesRequest,
  ListRolesRequest,
  PageView,
  PutRolePolicyRequest,
  RoleAttachmentRequest,
  RolePageRequest,
  RolePolicyRequest,
  RoleView,
  UpdateAssumeRolePolicyRequest,
  UpdateRoleRequest,
} from '../../model/api/iam.js';
import { MAX_ROLE_INLINE_POLICY_CHARS } from '../../model/iam/policy.js';
import type { IamRoleRecord } from '../../model/iam/principal.js';
import { DEFAULT_MAX_SESSION_DURATION, iamArn } from '../../model/iam/principal.js';
import type { TrustPolicy } from '../../model/iam/trust.js';
import { parseTrustPolicy } from '../../model/iam/trust.js';
import type { Repositories } from '../../store/store.js';
import type { ChangeMeta } from '../request.js';
import type { Identity } from './identity.js';
import { iamId } from './keys.js';
import { allRoles, attach, attachedViews, change, checkInline, event, inlineNames, iso, noSuch, pageOf, requirePolicy, withPolicy } from './principals.js';

/** A role as IAM shows it; ListRoles, as IAM's, leaves out its tags (`withTags` false). */
function roleView(role: IamRoleRecord, withTags = true): RoleView {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: iso(role.createDate),
    AssumeRolePolicyDocument: role.assumeRolePolicyDocument,
    ...(role.description ? { Description: role.description } : {}),
    MaxSessionDuration: role.maxSessionDuration,
    ...(withTags && role.tags.length > 0 ? { Tags: role.tags.map((t) => ({ ...t })) } : {}),
  };
}

async function requireRole(tx: Repositories, roleName: string): Promise<IamRoleRecord> {
  const role = await tx.iam.getRole(roleName);
  if (!role) throw noSuch('role', roleName, 'roles');
  return role;
}

const trustWhat = (roleName: string): string => `AssumeRolePolicyDocument of role ${roleName}`;

/**
 * Refuses, as IAM does ("Invalid principal in policy"), a trust policy naming a user or role of this
 * account that does not exist under that very ARN (a role cannot trust itself before it exists).
 * Principals of other accounts are taken as written: Wharf has no other account to look in.
 */
async function checkPrincipalsExist(tx: Repositories, policy: TrustPolicy, what: string, scope: ArnScope): Promise<void> {
  const own = `arn:wharf:iam::${scope.accountId}:`;
  const errors: FieldError[] = [];
  for (const [index, statement] of policy.Statement.entries()) {
    if (statement.Principal === '*') continue;
    const principals = statement.Principal.AWS ?? [];
    for (const [at, arn] of principals.entries()) {
      const kind = arn.startsWith(`${own}user/`) ? 'user' : arn.startsWith(`${own}role/`) ? 'role' : undefined;
      if (kind === undefined) continue;
      const name = arn.slice(arn.lastIndexOf('/') + 1);
      const found = kind === 'user' ? await tx.iam.getUser(name) : await tx.iam.getRole(name);
      if (found?.arn !== arn) errors.push({ field: `Statement.${index}.Principal.AWS${principals.length > 1 ? `.${at}` : ''}`, message: `Invalid principal in policy: "AWS":"${arn}": no such ${kind}. Create it first, or name the account` });
    }
  }
  const first = errors[0];
  if (first) throw wharfError('WHARF_E_MALFORMED_POLICY_DOCUMENT', { what, reason: `${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more; \`errors\` lists each)` : ''}` }, { errors });
}

/** Creates a role once its trust policy reads as one; no permission policies until they are put or attached. */
export async function createRole(identity: Identity, request: CreateRoleRequest, meta: ChangeMeta): Promise<{ Role: RoleView }> {
  const trust = parseTrustPolicy(request.AssumeRolePolicyDocument, trustWhat(request.RoleName));
  const path = request.Path ?? '/';
  const role: IamRoleRecord = {
    roleName: request.RoleName,
    roleId: iamId('AROA', 17),
    arn: iamArn(identity.arnScope, 'role', path, request.RoleName),
    path,
    createDate: meta.now,
    assumeRolePolicyDocument: request.AssumeRolePolicyDocument,
    description: request.Description ?? '',
    maxSessionDuration: request.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    inlinePolicies: {},
    attachedPolicyArns: [],
    tags: request.Tags ?? [],
  };
  await change(identity, async (tx) => {
    if (await tx.iam.getRole(request.RoleName)) throw wharfError('WHARF_E_ENTITY_ALREADY_EXISTS', { kind: 'role', name: request.RoleName });
    await checkPrincipalsExist(tx, trust, trustWhat(role.roleName), identity.arnScope);
    await tx.iam.putRole(role);
    await event(tx, meta, 'iam-role', role.roleName, `Role ${role.roleName} created (${role.arn}).`);
  });
  return { Role: roleView(role) };
}

export async function getRole(identity: Identity, request: { RoleName: string }): Promise<{ Role: RoleView }> {
  return { Role: roleView(await requireRole(identity.store, request.RoleName)) };
}

export async function listRoles(identity: Identity, request: ListRolesRequest): Promise<{ Roles: RoleView[] } & PageView> {
  const prefix = request.PathPrefix ?? '/';
  const roles = (await allRoles(identity.store)).filter((r) => r.path.startsWith(prefix));
  const page = pageOf(roles, (r) => r.roleName, request);
  return { Roles: page.items.map((r) => roleView(r, false)), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
}

/** Deletes a role that holds no policies (DeleteConflict names what it still has, as IAM). */
export async function deleteRole(identity: Identity, request: { RoleName: string }, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const role = await requireRole(tx, request.RoleName);
    const held = [
      Object.keys(role.inlinePolicies).length > 0 ? 'inline policies' : undefined,
      role.attachedPolicyArns.length > 0 ? 'attached policies' : undefined,
    ].filter((what): what is string => what !== undefined);
    if (held.length > 0) throw wharfError('WHARF_E_DELETE_CONFLICT', { kind: 'role', name: role.roleName, what: held.join(', ') });
    await tx.iam.deleteRole(role.roleName);
    await event(tx, meta, 'iam-role', role.roleName, `Role ${role.roleName} deleted.`);
  });
  return {};
}

/** Replaces a role's trust policy. */
export async function updateAssumeRolePolicy(identity: Identity, request: UpdateAssumeRolePolicyRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  const trust = parseTrustPolicy(request.PolicyDocument, trustWhat(request.RoleName));
  await change(identity, async (tx) => {
    const role = await requireRole(tx, request.RoleName);
    await checkPrincipalsExist(tx, trust, trustWhat(role.roleName), identity.arnScope);
    await tx.iam.putRole({ ...role, assumeRolePolicyDocument: request.PolicyDocument });
    await event(tx, meta, 'iam-role', role.roleName, `Trust policy of role ${role.roleName} replaced.`);
  });
  return {};
}

/** Changes a role's description and session length; a field left out is kept. */
export async function updateRole(identity: Identity, request: UpdateRoleRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const role = await requireRole(tx, request.RoleName);
    await tx.iam.putRole({ ...role, description: request.Description ?? role.description, maxSessionDuration: request.MaxSessionDuration ?? role.maxSessionDuration });
    await event(tx, meta, 'iam-role', role.roleName, `Role ${role.roleName} updated.`);
  });
  return {};
}

// ── Permission policies ───────────────────────────────────────────────────────────────────────

export async function putRolePolicy(identity: Identity, request: PutRolePolicyRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const role = await requireRole(tx, request.RoleName);
    checkInline(request.PolicyDocument, `PolicyDocument of role ${role.roleName}'s policy ${request.PolicyName}`, role.inlinePolicies, request.PolicyName, MAX_ROLE_INLINE_POLICY_CHARS);
    await tx.iam.putRole({ ...role, inlinePolicies: withPolicy(role.inlinePolicies, request.PolicyName, request.PolicyDocument) });
    await event(tx, meta, 'iam-role', role.roleName, `Inline policy ${request.PolicyName} of role ${role.roleName} put.`);
  });
  return {};
}

export async function getRolePolicy(identity: Identity, request: RolePolicyRequest): Promise<{ RoleName: string; PolicyName: string; PolicyDocument: string }> {
  const role = await requireRole(identity.store, request.RoleName);
  const document = Object.hasOwn(role.inlinePolicies, request.PolicyName) ? role.inlinePolicies[request.PolicyName] : undefined;
  if (document === undefined) throw noSuch(`policy of role ${role.roleName}`, request.PolicyName, 'role-policies');
  return { RoleName: role.roleName, PolicyName: request.PolicyName, PolicyDocument: document };
}

export async function deleteRolePolicy(identity: Identity, request: RolePolicyRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const role = await requireRole(tx, request.RoleName);
    if (!Object.hasOwn(role.inlinePolicies, request.PolicyName)) throw noSuch(`policy of role ${role.roleName}`, request.PolicyName, 'role-policies');
    await tx.iam.putRole({ ...role, inlinePolicies: withPolicy(role.inlinePolicies, request.PolicyName, undefined) });
    await event(tx, meta, 'iam-role', role.roleName, `Inline policy ${request.PolicyName} of role ${role.roleName} deleted.`);
  });
  return {};
}

export async function listRolePolicies(identity: Identity, request: RolePageRequest): Promise<{ PolicyNames: string[] } & PageView> {
  return inlineNames((await requireRole(identity.store, request.RoleName)).inlinePolicies, request);
}

export async function attachRolePolicy(identity: Identity, request: RoleAttachmentRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const role = await requireRole(tx, request.RoleName);
    const policy = await requirePolicy(tx, request.PolicyArn);
    const next = attach(role.attachedPolicyArns, policy.arn, `Role ${role.roleName}`);
    if (!next) return;
    await tx.iam.putRole({ ...role, attachedPolicyArns: next });
    await event(tx, meta, 'iam-role', role.roleName, `Managed policy ${policy.arn} attached to role ${role.roleName}.`);
  });
  return {};
}

export async function detachRolePolicy(identity: Identity, request: RoleAttachmentRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const role = await requireRole(tx, request.RoleName);
    if (!role.attachedPolicyArns.includes(request.PolicyArn)) throw noSuch(`policy attached to role ${role.roleName}`, request.PolicyArn, 'attached-role-policies');
    await tx.iam.putRole({ ...role, attachedPolicyArns: role.attachedPolicyArns.filter((a) => a !== request.PolicyArn) });
    await event(tx, meta, 'iam-role', role.roleName, `Managed policy ${request.PolicyArn} detached from role ${role.roleName}.`);
  });
  return {};
}

export async function listAttachedRolePolicies(identity: Identity, request: ListAttachedRolePoliciesRequest): Promise<{ AttachedPolicies: AttachedPolicyView[] } & PageView> {
  return identity.store.transaction(async (tx) => attachedViews(tx, (await requireRole(tx, request.RoleName)).attachedPolicyArns, request));
}
