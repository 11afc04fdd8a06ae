/**
 * The IAM operations: users, groups, access keys, inline and managed policies, and
 * SimulatePrincipalPolicy, with AWS's semantics (NoSuchEntity, EntityAlreadyExists, DeleteConflict,
 * LimitExceeded). Each change is one store transaction, then `identity.changed()` so no cached key
 * holder outlives it, and one event naming what changed — never a secret or a policy document.
 * A secret access key leaves this module once: in CreateAccessKey's answer. The helpers exported
 * here (pages, changes and their events, inline and attached policies) are shared with `roles.ts`.
 */
import type { ArnScope } from '../../model/arn.js';
import { wharfError } from '../../model/errors.js';
import type {
  AccessKeyMetadataView,
  AccessKeyView,
  AttachedPolicyView,
  CreateGroupRequest,
  CreatePolicyRequest,
  CreateUserRequest,
  DeleteAccessKeyRequest,
  EvalDecision,
  EvaluationResultView,
  GroupAttachmentRequest,
  GroupMembershipRequest,
  GroupPageRequest,
  GroupPolicyRequest,
  GroupView,
  ListAccessKeysRequest,
  ListAttachedGroupPoliciesRequest,
  ListAttachedUserPoliciesRequest,
  ListGroupsRequest,
  ListPoliciesRequest,
  ListUsersRequest,
  PageView,
  PolicyView,
  PutGroupPolicyRequest,
  PutUserPolicyRequest,
  SimulatePrincipalPolicyRequest,
  UpdateAccessKeyRequest,
  UserAttachmentRequest,
  UserPageRequest,
  UserPolicyRequest,
  UserView,
} from '../../model/api/iam.js';
import { DEFAULT_MAX_ITEMS } from '../../model/api/iam.js';
import type { Decision, RequestContext } from '../../model/iam/evaluate.js';
import { evaluate } from '../../model/iam/evaluate.js';
import { MAX_GROUP_INLINE_POLICY_CHARS, MAX_MANAGED_POLICY_CHARS, MAX_USER_INLINE_POLICY_CHARS, parsePolicyDocument, policyDocumentSize } from '../../model/iam/policy.js';
import type { AccessKeyRecord, IamGroupRecord, IamRoleRecord, IamUserRecord, InlinePolicies, KeyOwner, ManagedPolicyRecord, Principal } from '../../model/iam/principal.js';
import { iamArn, MAX_ACCESS_KEYS_PER_USER, MAX_ATTACHED_POLICIES, MAX_GROUPS_PER_USER, rootArn } from '../../model/iam/principal.js';
import type { Repositories } from '../../store/store.js';
import type { ChangeMeta } from '../request.js';
import type { Identity } from './identity.js';
import { policiesOf } from './identity.js';
import { iamId, newAccessKey } from './keys.js';

/** The caller of an operation that defaults to "me" (GetUser, the access key calls): undefined outside a signed request. */
export type Caller = Principal | undefined;

/** A store page read at a time when a whole table is scanned (group members, policy attachments). */
const SCAN_PAGE = 500;

// ── Views and small helpers ───────────────────────────────────────────────────────────────────

/** A time (ms) as IAM shows it: ISO 8601. */
export const iso = (ms: number): string => new Date(ms).toISOString();

function userView(user: IamUserRecord): UserView {
  return { Path: user.path, UserName: user.userName, UserId: user.userId, Arn: user.arn, CreateDate: iso(user.createDate), ...(user.tags.length > 0 ? { Tags: user.tags.map((t) => ({ ...t })) } : {}) };
}

function groupView(group: IamGroupRecord): GroupView {
  return { Path: group.path, GroupName: group.groupName, GroupId: group.groupId, Arn: group.arn, CreateDate: iso(group.createDate) };
}

function keyMetadata(key: AccessKeyRecord): AccessKeyMetadataView {
  return { ...(key.owner.kind === 'user' ? { UserName: key.owner.userName } : {}), AccessKeyId: key.accessKeyId, Status: key.status, CreateDate: iso(key.createDate) };
}

function policyView(policy: ManagedPolicyRecord, attachmentCount: number): PolicyView {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: attachmentCount,
    IsAttachable: true,
    ...(policy.description ? { Description: policy.description } : {}),
    CreateDate: iso(policy.createDate),
    UpdateDate: iso(policy.updateDate),
  };
}

/** One page of an in-memory list sorted by `keyOf`: the items after `marker`, and the next marker when more remain. */
export function pageOf<T>(items: readonly T[], keyOf: (item: T) => string, request: { Marker?: string; MaxItems?: number }): { items: T[] } & PageView {
  const limit = request.MaxItems ?? DEFAULT_MAX_ITEMS;
  const after = request.Marker === undefined ? items : items.filter((item) => keyOf(item) > (request.Marker as string));
  const taken = after.slice(0, limit);
  const last = taken[taken.length - 1];
  return after.length > limit && last !== undefined ? { items: taken, IsTruncated: true, Marker: keyOf(last) } : { items: taken, IsTruncated: false };
}

/** Byte order of two names, as the store lists them. */
export const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** NoSuchEntity for the `kind` named `name`, pointing at `wharf iam list-<list>`. */
export function noSuch(kind: string, name: string, list: string): Error {
  return wharfError('WHARF_E_NO_SUCH_ENTITY', { kind, name, list });
}

async function requireUser(tx: Repositories, userName: string): Promise<IamUserRecord> {
  const user = await tx.iam.getUser(userName);
  if (!user) throw noSuch('user', userName, 'users');
  return user;
}

async function requireGroup(tx: Repositories, groupName: string): Promise<IamGroupRecord> {
  const group = await tx.iam.getGroup(groupName);
  if (!group) throw noSuch('group', groupName, 'groups');
  return group;
}

/** The managed policy by ARN, or NoSuchEntity. */
export async function requirePolicy(tx: Repositories, arn: string): Promise<ManagedPolicyRecord> {
  const policy = await tx.iam.getPolicy(arn);
  if (!policy) throw noSuch('policy', arn, 'policies');
  return policy;
}

/** Every user, page by page (group membership and policy attachments live on users). */
async function allUsers(tx: Repositories): Promise<IamUserRecord[]> {
  const users: IamUserRecord[] = [];
  for (;;) {
    const last = users[users.length - 1];
    const page = await tx.iam.listUsers({ ...(last ? { after: last.userName } : {}), limit: SCAN_PAGE });
    users.push(...page);
    if (page.length < SCAN_PAGE) return users;
  }
}

/** Every role, page by page (policy attachments live on roles too). */
export async function allRoles(tx: Repositories): Promise<IamRoleRecord[]> {
  const roles: IamRoleRecord[] = [];
  for (;;) {
    const last = roles[roles.length - 1];
    const page = await tx.iam.listRoles({ ...(last ? { after: last.roleName } : {}), limit: SCAN_PAGE });
    roles.push(...page);
    if (page.length < SCAN_PAGE) return roles;
  }
}

async function allGroups(tx: Repositories): Promise<IamGroupRecord[]> {
  const groups: IamGroupRecord[] = [];
  for (;;) {
    const last = groups[groups.length - 1];
    const page = await tx.iam.listGroups({ ...(last ? { after: last.groupName } : {}), limit: SCAN_PAGE });
    groups.push(...page);
    if (page.length < SCAN_PAGE) return groups;
  }
}

/** Runs one change: its transaction, then the key cache flushed (even when the change failed half-way, harmlessly). */
export async function change<T>(identity: Identity, work: (tx: Repositories) => Promise<T>): Promise<T> {
  try {
    return await identity.store.transaction(work);
  } finally {
    identity.changed();
  }
}

/** The event of one IAM change: what changed, never a secret or a policy document. */
export async function event(tx: Repositories, meta: ChangeMeta, resourceType: 'iam-user' | 'iam-group' | 'iam-role' | 'iam-policy', resourceId: string, message: string): Promise<void> {
  await tx.events.append({ resourceType, resourceId, severity: 'INFO', message, requestId: meta.requestId, time: meta.now });
}

/** The key owner a key call is about: the user named, else the caller (a user, or the root). */
function ownerOf(userName: string | undefined, caller: Caller): KeyOwner {
  if (userName !== undefined) return { kind: 'user', userName };
  if (caller?.kind === 'user') return { kind: 'user', userName: caller.name };
  if (caller?.kind === 'assumed-role') throw userNameNeeded();
  return { kind: 'root' };
}

/** A role session has no keys or user of its own: a call about "me" must name the user, as IAM answers. */
function userNameNeeded() {
  return wharfError('WHARF_E_VALIDATION', { summary: 'Must specify userName when calling with non-User credentials' }, { errors: [{ field: 'UserName', message: 'A role session is no user: name the user' }] });
}

const ownerName = (owner: KeyOwner): string => (owner.kind === 'root' ? 'root' : owner.userName);

function sameOwner(a: KeyOwner, b: KeyOwner): boolean {
  return a.kind === b.kind && (a.kind === 'root' || a.userName === (b as { userName: string }).userName);
}

/** The characters of a set of inline policies, the one named `except` left out (it is being replaced). */
function inlineSize(policies: InlinePolicies, except: string): number {
  let size = 0;
  for (const [name, text] of Object.entries(policies)) if (name !== except) size += policyDocumentSize(text);
  return size;
}

// ── Users ─────────────────────────────────────────────────────────────────────────────────────

export async function createUser(identity: Identity, request: CreateUserRequest, meta: ChangeMeta): Promise<{ User: UserView }> {
  const path = request.Path ?? '/';
  const user: IamUserRecord = {
    userName: request.UserName,
    userId: iamId('AIDA'),
    arn: iamArn(identity.arnScope, 'user', path, request.UserName),
    path,
    createDate: meta.now,
    groups: [],
    inlinePolicies: {},
    attachedPolicyArns: [],
    tags: request.Tags ?? [],
  };
  await change(identity, async (tx) => {
    if (await tx.iam.getUser(request.UserName)) throw wharfError('WHARF_E_ENTITY_ALREADY_EXISTS', { kind: 'user', name: request.UserName });
    await tx.iam.putUser(user);
    await event(tx, meta, 'iam-user', user.userName, `User ${user.userName} created (${user.arn}).`);
  });
  return { User: userView(user) };
}

/** The named user, or the caller when none is named (the root: its ARN, as AWS answers). */
export async function getUser(identity: Identity, request: { UserName?: string }, caller: Caller): Promise<{ User: UserView }> {
  const userName = request.UserName ?? (caller?.kind === 'user' ? caller.name : undefined);
  if (userName === undefined && caller?.kind === 'assumed-role') throw userNameNeeded();
  if (userName === undefined) {
    const scope = identity.arnScope;
    return { User: { Path: '/', UserName: 'root', UserId: scope.accountId, Arn: rootArn(scope), CreateDate: iso(0) } };
  }
  return { User: userView(await requireUser(identity.store, userName)) };
}

export async function listUsers(identity: Identity, request: ListUsersRequest): Promise<{ Users: UserView[] } & PageView> {
  const limit = request.MaxItems ?? DEFAULT_MAX_ITEMS;
  const prefix = request.PathPrefix;
  if (prefix === undefined || prefix === '/') {
    const users = await identity.store.iam.listUsers({ ...(request.Marker ? { after: request.Marker } : {}), limit: limit + 1 });
    const page = pageOf(users, (u) => u.userName, { MaxItems: limit });
    return { Users: page.items.map(userView), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  }
  const users = (await allUsers(identity.store)).filter((u) => u.path.startsWith(prefix));
  const page = pageOf(users, (u) => u.userName, request);
  return { Users: page.items.map(userView), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
}

/** Deletes a user that holds nothing: no keys, inline or attached policies, or groups (DeleteConflict names what it still has). */
export async function deleteUser(identity: Identity, request: { UserName: string }, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const user = await requireUser(tx, request.UserName);
    const keys = await tx.iam.accessKeysOf({ kind: 'user', userName: user.userName });
    const held = [
      keys.length > 0 ? `${keys.length} access key(s)` : undefined,
      Object.keys(user.inlinePolicies).length > 0 ? 'inline policies' : undefined,
      user.attachedPolicyArns.length > 0 ? 'attached policies' : undefined,
      user.groups.length > 0 ? 'group memberships' : undefined,
    ].filter((what): what is string => what !== undefined);
    if (held.length > 0) throw wharfError('WHARF_E_DELETE_CONFLICT', { kind: 'user', name: user.userName, what: held.join(', ') });
    await tx.iam.deleteUser(user.userName);
    await event(tx, meta, 'iam-user', user.userName, `User ${user.userName} deleted.`);
  });
  return {};
}

// ── Groups ────────────────────────────────────────────────────────────────────────────────────

export async function createGroup(identity: Identity, request: CreateGroupRequest, meta: ChangeMeta): Promise<{ Group: GroupView }> {
  const path = request.Path ?? '/';
  const group: IamGroupRecord = {
    groupName: request.GroupName,
    groupId: iamId('AGPA'),
    arn: iamArn(identity.arnScope, 'group', path, request.GroupName),
    path,
    createDate: meta.now,
    inlinePolicies: {},
    attachedPolicyArns: [],
  };
  await change(identity, async (tx) => {
    if (await tx.iam.getGroup(request.GroupName)) throw wharfError('WHARF_E_ENTITY_ALREADY_EXISTS', { kind: 'group', name: request.GroupName });
    await tx.iam.putGroup(group);
    await event(tx, meta, 'iam-group', group.groupName, `Group ${group.groupName} created (${group.arn}).`);
  });
  return { Group: groupView(group) };
}

/** A group and (a page of) its members. */
export async function getGroup(identity: Identity, request: GroupPageRequest): Promise<{ Group: GroupView; Users: UserView[] } & PageView> {
  return identity.store.transaction(async (tx) => {
    const group = await requireGroup(tx, request.GroupName);
    const members = (await allUsers(tx)).filter((u) => u.groups.includes(group.groupName));
    const page = pageOf(members, (u) => u.userName, request);
    return { Group: groupView(group), Users: page.items.map(userView), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  });
}

export async function listGroups(identity: Identity, request: ListGroupsRequest): Promise<{ Groups: GroupView[] } & PageView> {
  const prefix = request.PathPrefix ?? '/';
  const groups = (await allGroups(identity.store)).filter((g) => g.path.startsWith(prefix));
  const page = pageOf(groups, (g) => g.groupName, request);
  return { Groups: page.items.map(groupView), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
}

export async function deleteGroup(identity: Identity, request: { GroupName: string }, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const group = await requireGroup(tx, request.GroupName);
    const members = (await allUsers(tx)).filter((u) => u.groups.includes(group.groupName));
    const held = [
      members.length > 0 ? `${members.length} member(s)` : undefined,
      Object.keys(group.inlinePolicies).length > 0 ? 'inline policies' : undefined,
      group.attachedPolicyArns.length > 0 ? 'attached policies' : undefined,
    ].filter((what): what is string => what !== undefined);
    if (held.length > 0) throw wharfError('WHARF_E_DELETE_CONFLICT', { kind: 'group', name: group.groupName, what: held.join(', ') });
    await tx.iam.deleteGroup(group.groupName);
    await event(tx, meta, 'iam-group', group.groupName, `Group ${group.groupName} deleted.`);
  });
  return {};
}

export async function addUserToGroup(identity: Identity, request: GroupMembershipRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const group = await requireGroup(tx, request.GroupName);
    const user = await requireUser(tx, request.UserName);
    if (user.groups.includes(group.groupName)) return;
    if (user.groups.length >= MAX_GROUPS_PER_USER) {
      throw wharfError('WHARF_E_IAM_LIMIT_EXCEEDED', { reason: `User ${user.userName} is in ${user.groups.length} groups already, the most a user may be in` });
    }
    await tx.iam.putUser({ ...user, groups: [...user.groups, group.groupName] });
    await event(tx, meta, 'iam-group', group.groupName, `User ${user.userName} added to group ${group.groupName}.`);
  });
  return {};
}

export async function removeUserFromGroup(identity: Identity, request: GroupMembershipRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const group = await requireGroup(tx, request.GroupName);
    const user = await requireUser(tx, request.UserName);
    if (!user.groups.includes(group.groupName)) throw noSuch('membership of user', `${user.userName} in group ${group.groupName}`, 'groups-for-user');
    await tx.iam.putUser({ ...user, groups: user.groups.filter((g) => g !== group.groupName) });
    await event(tx, meta, 'iam-group', group.groupName, `User ${user.userName} removed from group ${group.groupName}.`);
  });
  return {};
}

export async function listGroupsForUser(identity: Identity, request: UserPageRequest): Promise<{ Groups: GroupView[] } & PageView> {
  return identity.store.transaction(async (tx) => {
    const user = await requireUser(tx, request.UserName);
    const groups: IamGroupRecord[] = [];
    for (const name of [...user.groups].sort(byteOrder)) {
      const group = await tx.iam.getGroup(name);
      if (group) groups.push(group);
    }
    const page = pageOf(groups, (g) => g.groupName, request);
    return { Groups: page.items.map(groupView), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  });
}

// ── Access keys ───────────────────────────────────────────────────────────────────────────────

/** A new key for the named user, or the caller (a root key for the root): its secret is in this answer and nowhere else, ever. */
export async function createAccessKey(identity: Identity, request: { UserName?: string }, caller: Caller, meta: ChangeMeta): Promise<{ AccessKey: AccessKeyView }> {
  const owner = ownerOf(request.UserName, caller);
  const key = newAccessKey(owner, identity.sealer, meta.now);
  await change(identity, async (tx) => {
    if (owner.kind === 'user') await requireUser(tx, owner.userName);
    const existing = await tx.iam.accessKeysOf(owner);
    if (existing.length >= MAX_ACCESS_KEYS_PER_USER) {
      throw wharfError('WHARF_E_IAM_LIMIT_EXCEEDED', { reason: `${owner.kind === 'root' ? 'The root user' : `User ${ownerName(owner)}`} has ${existing.length} access keys already, the most one may have (${MAX_ACCESS_KEYS_PER_USER})` });
    }
    await tx.iam.putAccessKey(key.record);
    await event(tx, meta, 'iam-user', ownerName(owner), `Access key ${key.record.accessKeyId} created for ${ownerName(owner)}.`);
  });
  return { AccessKey: { ...keyMetadata(key.record), SecretAccessKey: key.secretAccessKey } };
}

/** The named user's (or the caller's) keys, without their secrets. */
export async function listAccessKeys(identity: Identity, request: ListAccessKeysRequest, caller: Caller): Promise<{ AccessKeyMetadata: AccessKeyMetadataView[] } & PageView> {
  const owner = ownerOf(request.UserName, caller);
  return identity.store.transaction(async (tx) => {
    if (owner.kind === 'user') await requireUser(tx, owner.userName);
    const keys = (await tx.iam.accessKeysOf(owner)).sort((a, b) => byteOrder(a.accessKeyId, b.accessKeyId));
    const page = pageOf(keys, (k) => k.accessKeyId, request);
    return { AccessKeyMetadata: page.items.map(keyMetadata), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  });
}

/** The owner's key by id: NoSuchEntity for an unknown key or one that is someone else's. */
async function requireKey(tx: Repositories, owner: KeyOwner, accessKeyId: string): Promise<AccessKeyRecord> {
  if (owner.kind === 'user') await requireUser(tx, owner.userName);
  const key = await tx.iam.getAccessKey(accessKeyId);
  if (!key || !sameOwner(key.owner, owner)) throw noSuch(`access key of ${ownerName(owner)}`, accessKeyId, 'access-keys');
  return key;
}

/**
 * Refuses a change that would leave the root user without an Active key: it has no password to fall
 * back on, so nobody could sign as root again (and no one else may make it a key).
 */
async function keepRootKey(tx: Repositories, key: AccessKeyRecord, doing: string): Promise<void> {
  if (key.owner.kind !== 'root' || key.status !== 'Active') return;
  const others = (await tx.iam.accessKeysOf({ kind: 'root' })).filter((k) => k.accessKeyId !== key.accessKeyId && k.status === 'Active');
  if (others.length === 0) throw wharfError('WHARF_E_LAST_ROOT_KEY', { accessKeyId: key.accessKeyId, doing });
}

export async function updateAccessKey(identity: Identity, request: UpdateAccessKeyRequest, caller: Caller, meta: ChangeMeta): Promise<Record<string, never>> {
  const owner = ownerOf(request.UserName, caller);
  await change(identity, async (tx) => {
    const key = await requireKey(tx, owner, request.AccessKeyId);
    if (key.status === request.Status) return;
    if (request.Status === 'Inactive') await keepRootKey(tx, key, 'deactivating');
    await tx.iam.putAccessKey({ ...key, status: request.Status });
    await event(tx, meta, 'iam-user', ownerName(owner), `Access key ${key.accessKeyId} of ${ownerName(owner)}: ${key.status} -> ${request.Status}.`);
  });
  return {};
}

export async function deleteAccessKey(identity: Identity, request: DeleteAccessKeyRequest, caller: Caller, meta: ChangeMeta): Promise<Record<string, never>> {
  const owner = ownerOf(request.UserName, caller);
  await change(identity, async (tx) => {
    const key = await requireKey(tx, owner, request.AccessKeyId);
    await keepRootKey(tx, key, 'deleting');
    await tx.iam.deleteAccessKey(key.accessKeyId);
    await event(tx, meta, 'iam-user', ownerName(owner), `Access key ${key.accessKeyId} of ${ownerName(owner)} deleted.`);
  });
  return {};
}

// ── Inline policies ───────────────────────────────────────────────────────────────────────────

/** Checks a new inline document against the grammar and what is left of the holder's aggregate limit. */
export function checkInline(text: string, what: string, others: InlinePolicies, name: string, limit: number): void {
  parsePolicyDocument(text, what, Math.max(0, limit - inlineSize(others, name)));
}

/** The inline policies with `name` set to `text`, or removed when `text` is undefined. */
export function withPolicy(policies: InlinePolicies, name: string, text: string | undefined): InlinePolicies {
  const next: Record<string, string> = {};
  for (const [key, value] of Object.entries(policies)) if (key !== name) next[key] = value;
  if (text !== undefined) next[name] = text;
  return next;
}

/** A page of inline policy names, in byte order. */
export function inlineNames(policies: InlinePolicies, request: { Marker?: string; MaxItems?: number }): { PolicyNames: string[] } & PageView {
  const page = pageOf(Object.keys(policies).sort(byteOrder), (n) => n, request);
  return { PolicyNames: page.items, IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
}

export async function putUserPolicy(identity: Identity, request: PutUserPolicyRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const user = await requireUser(tx, request.UserName);
    checkInline(request.PolicyDocument, `PolicyDocument of user ${user.userName}'s policy ${request.PolicyName}`, user.inlinePolicies, request.PolicyName, MAX_USER_INLINE_POLICY_CHARS);
    await tx.iam.putUser({ ...user, inlinePolicies: withPolicy(user.inlinePolicies, request.PolicyName, request.PolicyDocument) });
    await event(tx, meta, 'iam-user', user.userName, `Inline policy ${request.PolicyName} of user ${user.userName} put.`);
  });
  return {};
}

export async function getUserPolicy(identity: Identity, request: UserPolicyRequest): Promise<{ UserName: string; PolicyName: string; PolicyDocument: string }> {
  const user = await requireUser(identity.store, request.UserName);
  const document = Object.hasOwn(user.inlinePolicies, request.PolicyName) ? user.inlinePolicies[request.PolicyName] : undefined;
  if (document === undefined) throw noSuch(`policy of user ${user.userName}`, request.PolicyName, 'user-policies');
  return { UserName: user.userName, PolicyName: request.PolicyName, PolicyDocument: document };
}

export async function deleteUserPolicy(identity: Identity, request: UserPolicyRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const user = await requireUser(tx, request.UserName);
    if (!Object.hasOwn(user.inlinePolicies, request.PolicyName)) throw noSuch(`policy of user ${user.userName}`, request.PolicyName, 'user-policies');
    await tx.iam.putUser({ ...user, inlinePolicies: withPolicy(user.inlinePolicies, request.PolicyName, undefined) });
    await event(tx, meta, 'iam-user', user.userName, `Inline policy ${request.PolicyName} of user ${user.userName} deleted.`);
  });
  return {};
}

export async function listUserPolicies(identity: Identity, request: UserPageRequest): Promise<{ PolicyNames: string[] } & PageView> {
  return inlineNames((await requireUser(identity.store, request.UserName)).inlinePolicies, request);
}

export async function putGroupPolicy(identity: Identity, request: PutGroupPolicyRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const group = await requireGroup(tx, request.GroupName);
    checkInline(request.PolicyDocument, `PolicyDocument of group ${group.groupName}'s policy ${request.PolicyName}`, group.inlinePolicies, request.PolicyName, MAX_GROUP_INLINE_POLICY_CHARS);
    await tx.iam.putGroup({ ...group, inlinePolicies: withPolicy(group.inlinePolicies, request.PolicyName, request.PolicyDocument) });
    await event(tx, meta, 'iam-group', group.groupName, `Inline policy ${request.PolicyName} of group ${group.groupName} put.`);
  });
  return {};
}

export async function getGroupPolicy(identity: Identity, request: GroupPolicyRequest): Promise<{ GroupName: string; PolicyName: string; PolicyDocument: string }> {
  const group = await requireGroup(identity.store, request.GroupName);
  const document = Object.hasOwn(group.inlinePolicies, request.PolicyName) ? group.inlinePolicies[request.PolicyName] : undefined;
  if (document === undefined) throw noSuch(`policy of group ${group.groupName}`, request.PolicyName, 'group-policies');
  return { GroupName: group.groupName, PolicyName: request.PolicyName, PolicyDocument: document };
}

export async function deleteGroupPolicy(identity: Identity, request: GroupPolicyRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const group = await requireGroup(tx, request.GroupName);
    if (!Object.hasOwn(group.inlinePolicies, request.PolicyName)) throw noSuch(`policy of group ${group.groupName}`, request.PolicyName, 'group-policies');
    await tx.iam.putGroup({ ...group, inlinePolicies: withPolicy(group.inlinePolicies, request.PolicyName, undefined) });
    await event(tx, meta, 'iam-group', group.groupName, `Inline policy ${request.PolicyName} of group ${group.groupName} deleted.`);
  });
  return {};
}

export async function listGroupPolicies(identity: Identity, request: GroupPageRequest): Promise<{ PolicyNames: string[] } & PageView> {
  return inlineNames((await requireGroup(identity.store, request.GroupName)).inlinePolicies, request);
}

// ── Managed policies ──────────────────────────────────────────────────────────────────────────

/** How many users, groups and roles each managed policy is attached to. */
async function attachmentCounts(tx: Repositories): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const holder of [...(await allUsers(tx)), ...(await allGroups(tx)), ...(await allRoles(tx))]) {
    for (const arn of holder.attachedPolicyArns) counts.set(arn, (counts.get(arn) ?? 0) + 1);
  }
  return counts;
}

export async function createPolicy(identity: Identity, request: CreatePolicyRequest, meta: ChangeMeta): Promise<{ Policy: PolicyView }> {
  parsePolicyDocument(request.PolicyDocument, `PolicyDocument of policy ${request.PolicyName}`, MAX_MANAGED_POLICY_CHARS);
  const path = request.Path ?? '/';
  const policy: ManagedPolicyRecord = {
    policyName: request.PolicyName,
    policyId: iamId('ANPA'),
    arn: iamArn(identity.arnScope, 'policy', path, request.PolicyName),
    path,
    description: request.Description ?? '',
    document: request.PolicyDocument,
    defaultVersionId: 'v1',
    createDate: meta.now,
    updateDate: meta.now,
  };
  await change(identity, async (tx) => {
    // IAM policy names are unique in an account, whatever their paths.
    const all = await allPolicies(tx);
    if (all.some((p) => p.policyName === policy.policyName)) throw wharfError('WHARF_E_ENTITY_ALREADY_EXISTS', { kind: 'policy', name: policy.policyName });
    await tx.iam.putPolicy(policy);
    await event(tx, meta, 'iam-policy', policy.arn, `Managed policy ${policy.policyName} created (${policy.arn}).`);
  });
  return { Policy: policyView(policy, 0) };
}

async function allPolicies(tx: Repositories): Promise<ManagedPolicyRecord[]> {
  const policies: ManagedPolicyRecord[] = [];
  for (;;) {
    const last = policies[policies.length - 1];
    const page = await tx.iam.listPolicies({ ...(last ? { after: last.arn } : {}), limit: SCAN_PAGE });
    policies.push(...page);
    if (page.length < SCAN_PAGE) return policies;
  }
}

/** A managed policy and its document (its one version). */
export async function getPolicy(identity: Identity, request: { PolicyArn: string }): Promise<{ Policy: PolicyView; PolicyVersion: { Document: string; VersionId: string; IsDefaultVersion: true; CreateDate: string } }> {
  return identity.store.transaction(async (tx) => {
    const policy = await requirePolicy(tx, request.PolicyArn);
    const count = (await attachmentCounts(tx)).get(policy.arn) ?? 0;
    return { Policy: policyView(policy, count), PolicyVersion: { Document: policy.document, VersionId: policy.defaultVersionId, IsDefaultVersion: true, CreateDate: iso(policy.updateDate) } };
  });
}

/** The account's managed policies (Wharf has no AWS managed ones: Scope AWS lists none). */
export async function listPolicies(identity: Identity, request: ListPoliciesRequest): Promise<{ Policies: PolicyView[] } & PageView> {
  // No AWS managed policies here, and every policy is a permissions policy (none is used as a boundary).
  if (request.Scope === 'AWS' || request.PolicyUsageFilter === 'PermissionsBoundary') return { Policies: [], IsTruncated: false };
  return identity.store.transaction(async (tx) => {
    const counts = await attachmentCounts(tx);
    const prefix = request.PathPrefix ?? '/';
    const policies = (await allPolicies(tx)).filter((p) => p.path.startsWith(prefix) && (!request.OnlyAttached || (counts.get(p.arn) ?? 0) > 0));
    const page = pageOf(policies, (p) => p.arn, request);
    return { Policies: page.items.map((p) => policyView(p, counts.get(p.arn) ?? 0)), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  });
}

export async function deletePolicy(identity: Identity, request: { PolicyArn: string }, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const policy = await requirePolicy(tx, request.PolicyArn);
    const count = (await attachmentCounts(tx)).get(policy.arn) ?? 0;
    if (count > 0) throw wharfError('WHARF_E_DELETE_CONFLICT', { kind: 'policy', name: policy.arn, what: `${count} attachment(s) to users, groups or roles` });
    await tx.iam.deletePolicy(policy.arn);
    await event(tx, meta, 'iam-policy', policy.arn, `Managed policy ${policy.policyName} deleted.`);
  });
  return {};
}

/** The attached ARNs with `arn` added (undefined when it is there already), or LimitExceeded past the quota. */
export function attach(arns: readonly string[], arn: string, holder: string): string[] | undefined {
  if (arns.includes(arn)) return undefined;
  if (arns.length >= MAX_ATTACHED_POLICIES) throw wharfError('WHARF_E_IAM_LIMIT_EXCEEDED', { reason: `${holder} has ${arns.length} managed policies attached, the most one may have (${MAX_ATTACHED_POLICIES})` });
  return [...arns, arn];
}

export async function attachUserPolicy(identity: Identity, request: UserAttachmentRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const user = await requireUser(tx, request.UserName);
    const policy = await requirePolicy(tx, request.PolicyArn);
    const next = attach(user.attachedPolicyArns, policy.arn, `User ${user.userName}`);
    if (!next) return;
    await tx.iam.putUser({ ...user, attachedPolicyArns: next });
    await event(tx, meta, 'iam-user', user.userName, `Managed policy ${policy.arn} attached to user ${user.userName}.`);
  });
  return {};
}

export async function detachUserPolicy(identity: Identity, request: UserAttachmentRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const user = await requireUser(tx, request.UserName);
    if (!user.attachedPolicyArns.includes(request.PolicyArn)) throw noSuch(`policy attached to user ${user.userName}`, request.PolicyArn, 'attached-user-policies');
    await tx.iam.putUser({ ...user, attachedPolicyArns: user.attachedPolicyArns.filter((a) => a !== request.PolicyArn) });
    await event(tx, meta, 'iam-user', user.userName, `Managed policy ${request.PolicyArn} detached from user ${user.userName}.`);
  });
  return {};
}

export async function attachGroupPolicy(identity: Identity, request: GroupAttachmentRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const group = await requireGroup(tx, request.GroupName);
    const policy = await requirePolicy(tx, request.PolicyArn);
    const next = attach(group.attachedPolicyArns, policy.arn, `Group ${group.groupName}`);
    if (!next) return;
    await tx.iam.putGroup({ ...group, attachedPolicyArns: next });
    await event(tx, meta, 'iam-group', group.groupName, `Managed policy ${policy.arn} attached to group ${group.groupName}.`);
  });
  return {};
}

export async function detachGroupPolicy(identity: Identity, request: GroupAttachmentRequest, meta: ChangeMeta): Promise<Record<string, never>> {
  await change(identity, async (tx) => {
    const group = await requireGroup(tx, request.GroupName);
    if (!group.attachedPolicyArns.includes(request.PolicyArn)) throw noSuch(`policy attached to group ${group.groupName}`, request.PolicyArn, 'attached-group-policies');
    await tx.iam.putGroup({ ...group, attachedPolicyArns: group.attachedPolicyArns.filter((a) => a !== request.PolicyArn) });
    await event(tx, meta, 'iam-group', group.groupName, `Managed policy ${request.PolicyArn} detached from group ${group.groupName}.`);
  });
  return {};
}

/** A page of the managed policies `arns` names, under `PathPrefix`, by ARN. */
export async function attachedViews(tx: Repositories, arns: readonly string[], request: { PathPrefix?: string; Marker?: string; MaxItems?: number }): Promise<{ AttachedPolicies: AttachedPolicyView[] } & PageView> {
  const views: AttachedPolicyView[] = [];
  for (const arn of arns) {
    const policy = await tx.iam.getPolicy(arn);
    if (policy && policy.path.startsWith(request.PathPrefix ?? '/')) views.push({ PolicyName: policy.policyName, PolicyArn: policy.arn });
  }
  const page = pageOf(views.sort((a, b) => byteOrder(a.PolicyArn, b.PolicyArn)), (v) => v.PolicyArn, request);
  return { AttachedPolicies: page.items, IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
}

export async function listAttachedUserPolicies(identity: Identity, request: ListAttachedUserPoliciesRequest): Promise<{ AttachedPolicies: AttachedPolicyView[] } & PageView> {
  return identity.store.transaction(async (tx) => attachedViews(tx, (await requireUser(tx, request.UserName)).attachedPolicyArns, request));
}

export async function listAttachedGroupPolicies(identity: Identity, request: ListAttachedGroupPoliciesRequest): Promise<{ AttachedPolicies: AttachedPolicyView[] } & PageView> {
  return identity.store.transaction(async (tx) => attachedViews(tx, (await requireGroup(tx, request.GroupName)).attachedPolicyArns, request));
}

// ── Simulation ────────────────────────────────────────────────────────────────────────────────

const EVAL_DECISIONS: Readonly<Record<Decision['effect'], EvalDecision>> = { Allow: 'allowed', ExplicitDeny: 'explicitDeny', ImplicitDeny: 'implicitDeny' };

/** The user an IAM user ARN names (its last path segment), when it exists under that very ARN. */
async function userByArn(tx: Repositories, arn: string): Promise<IamUserRecord | undefined> {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const user = await tx.iam.getUser(name);
  return user?.arn === arn ? user : undefined;
}

/** The condition keys of a simulated request: the principal's, then those the caller gives (which win). */
function simulationContext(user: IamUserRecord, scope: ArnScope, entries: SimulatePrincipalPolicyRequest['ContextEntries']): RequestContext {
  const context: Record<string, string | readonly string[] | boolean> = {
    'aws:username': user.userName,
    'aws:userid': user.userId,
    'aws:PrincipalArn': user.arn,
    'aws:PrincipalType': 'User',
    'aws:PrincipalAccount': scope.accountId,
  };
  for (const entry of entries ?? []) {
    const values = entry.ContextKeyValues;
    // Evaluation reads key names case-insensitively: drop any spelling of it set before.
    for (const key of Object.keys(context)) if (key.toLowerCase() === entry.ContextKeyName.toLowerCase()) delete context[key];
    context[entry.ContextKeyName] = entry.ContextKeyType.endsWith('List') || values.length !== 1 ? values : (values[0] as string);
  }
  return context;
}

/**
 * Decides each action on each resource (`*` when none is given) under the policies of the user
 * `PolicySourceArn` names, as a request with `ContextEntries` would be decided, and names the
 * deciding statement. The root user is allowed everything, by no statement.
 */
export async function simulatePrincipalPolicy(identity: Identity, request: SimulatePrincipalPolicyRequest): Promise<{ EvaluationResults: EvaluationResultView[] } & PageView> {
  const resources = request.ResourceArns ?? ['*'];
  const results: EvaluationResultView[] = [];
  const root = request.PolicySourceArn === rootArn(identity.arnScope);
  const { user, policies } = await identity.store.transaction(async (tx) => {
    if (root) return { user: undefined, policies: [] };
    const found = await userByArn(tx, request.PolicySourceArn);
    if (!found) throw noSuch('user', request.PolicySourceArn, 'users');
    return { user: found, policies: await policiesOf(tx, found, identity.arnScope) };
  });
  const context = user ? simulationContext(user, identity.arnScope, request.ContextEntries) : {};
  for (const action of request.ActionNames) {
    for (const resource of resources) {
      const decision: Decision = user ? evaluate(policies, { action, resource, context }) : { effect: 'Allow', statement: { policy: rootArn(identity.arnScope), index: 0 } };
      const matched = decision.effect === 'ImplicitDeny' || !user ? [] : [{ SourcePolicyId: decision.statement.policy, SourcePolicyType: 'IAM Policy' as const, StatementIndex: decision.statement.index, ...(decision.statement.sid ? { Sid: decision.statement.sid } : {}) }];
      results.push({ EvalActionName: action, EvalResourceName: resource, EvalDecision: EVAL_DECISIONS[decision.effect], MatchedStatements: matched, MissingContextValues: [] });
    }
  }
  return { EvaluationResults: results, IsTruncated: false };
}
