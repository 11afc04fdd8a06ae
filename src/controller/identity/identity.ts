/**
 * Who holds an access key, and what they may do: `Identity.keyHolder(accessKeyId)` gives the
 * key's principal, its secret (opened from its sealed form) and the policies that apply to the
 * principal (parsed once); `authorize` decides one call.
 *
 * Key holders are cached, so a warm request reads nothing from the store. How the cache stays
 * current: only the leader serves the API and writes IAM records, and every IAM change flushes
 * this controller's cache (`changed()`), so a change takes effect at once on the controller that
 * made it. A controller that takes the lead flushes too (`changed()` on every role change): while
 * it stood by, another leader may have changed IAM records. And no holder is kept longer than
 * KEY_HOLDER_TTL_MS, which bounds anything else (a change written straight to the store, an old
 * leader that has not yet noticed it lost the lead).
 */
import type { ArnScope } from '../../model/arn.js';
import { PolicySet } from '../../model/iam/evaluate.js';
import type { Decision, PolicySource, RequestContext } from '../../model/iam/evaluate.js';
import { parsePolicyDocument, MAX_MANAGED_POLICY_CHARS } from '../../model/iam/policy.js';
import { wharfError } from '../../model/errors.js';
import type { AccessKeyRecord, IamRoleRecord, IamUserRecord, InlinePolicies, Principal } from '../../model/iam/principal.js';
import { iamArn, rootArn } from '../../model/iam/principal.js';
import type { RoleSession } from '../../model/iam/session.js';
import { assumedRoleArn, assumedRoleId } from '../../model/iam/session.js';
import type { Repositories, Store } from '../../store/store.js';
import { openSessionToken } from './sealing.js';
import type { Sealer } from './sealing.js';

/** A key's holder: who it is, the key's secret, and the policies that apply (none for root, which may do anything). */
export interface KeyHolder {
  readonly principal: Principal;
  readonly secretAccessKey: string;
  /** The policies that apply, parsed, with their decisions kept (PolicySet). */
  readonly policies: PolicySet;
  /** The principal's condition keys (`aws:username`, `aws:userid`, `aws:PrincipalArn`, `aws:PrincipalType`, `aws:PrincipalAccount`). */
  readonly conditionKeys: Readonly<Record<string, string>>;
}

/** Cached key holders at most; beyond it the oldest go. */
const CACHE_LIMIT = 10_000;
/** The longest a cached key holder (or the absence of one) serves before the store is read again. */
export const KEY_HOLDER_TTL_MS = 30_000;

interface CachedHolder {
  /** null: no Active key by that id (unknown, inactive, or its user deleted). */
  readonly holder: KeyHolder | null;
  readonly expiresAt: number;
}

export class Identity {
  private readonly holders = new Map<string, CachedHolder>();
  private generation = 0;

  constructor(
    readonly store: Store,
    readonly sealer: Sealer,
    readonly arnScope: ArnScope,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * The cached holder of a key: the holder, null for a key known to have none, or undefined when
   * the store must be asked (`keyHolder`). Lets a warm request go on without waiting.
   */
  cachedKeyHolder(accessKeyId: string): KeyHolder | null | undefined {
    const cached = this.holders.get(accessKeyId);
    if (cached === undefined) return undefined;
    if (cached.expiresAt > this.clock()) return cached.holder;
    this.holders.delete(accessKeyId);
    return undefined;
  }

  /** The holder of an Active key, or undefined for an unknown or inactive key (or a deleted user's). */
  async keyHolder(accessKeyId: string): Promise<KeyHolder | undefined> {
    const cached = this.cachedKeyHolder(accessKeyId);
    if (cached !== undefined) return cached ?? undefined;
    return this.remember(accessKeyId, () => this.load(accessKeyId));
  }

  /** Loads a key's holder and caches it (or its absence), unless an IAM change came meanwhile. */
  private async remember(accessKeyId: string, load: () => Promise<KeyHolder | undefined>): Promise<KeyHolder | undefined> {
    const generation = this.generation;
    const holder = await load();
    // An IAM change while loading makes what was read stale: use it once, do not keep it.
    if (generation === this.generation) {
      if (this.holders.size >= CACHE_LIMIT) this.holders.delete(this.holders.keys().next().value as string);
      this.holders.set(accessKeyId, { holder: holder ?? null, expiresAt: this.clock() + KEY_HOLDER_TTL_MS });
    }
    return holder;
  }

  /** A session's holder: its role, if it still exists with the session's role id. */
  private async loadSession(session: RoleSession): Promise<KeyHolder | undefined> {
    return this.store.transaction(async (tx) => {
      const role = await tx.iam.getRole(session.roleName);
      if (!role || role.roleId !== session.roleId) return undefined;
      const principal: Principal = {
        kind: 'assumed-role',
        arn: assumedRoleArn(this.arnScope.accountId, role.roleName, session.sessionName),
        name: session.sessionName,
        id: assumedRoleId(role.roleId, session.sessionName),
        accessKeyId: session.accessKeyId,
        roleArn: role.arn,
      };
      return { principal, secretAccessKey: session.secretAccessKey, policies: new PolicySet(await rolePoliciesOf(tx, role)), conditionKeys: principalConditionKeys(principal) };
    });
  }

  /**
   * The holder of a role session's key (`ASIA…`): the session its token carries, acting with its
   * role's policies. Throws WHARF_E_INVALID_SECURITY_TOKEN for a missing token, one that does not
   * open, names another key, or whose role is gone (deleted, or deleted and made again: another
   * role id), and WHARF_E_EXPIRED_TOKEN for a session past its expiry. The role is read as a key's
   * holder is, and cached as long.
   */
  async sessionHolder(accessKeyId: string, token: string | undefined): Promise<KeyHolder> {
    const invalid = (reason: string) => wharfError('WHARF_E_INVALID_SECURITY_TOKEN', { reason });
    if (token === undefined) throw invalid(`the request carries none, and ${accessKeyId} is a session's key (ASIA…), which needs its token`);
    const session = openSessionToken(this.sealer, token);
    if (!session) throw invalid('it is not a session token of this Wharf, or it was altered');
    if (session.accessKeyId !== accessKeyId) throw invalid(`it is the token of another access key, not of ${accessKeyId}`);
    const arn = assumedRoleArn(this.arnScope.accountId, session.roleName, session.sessionName);
    if (session.expiresAt <= this.clock()) throw wharfError('WHARF_E_EXPIRED_TOKEN', { principal: arn, expiration: new Date(session.expiresAt).toISOString() });
    const cached = this.cachedKeyHolder(accessKeyId);
    const holder = cached !== undefined ? cached : await this.remember(accessKeyId, () => this.loadSession(session));
    if (!holder) throw invalid(`the role ${session.roleName} of session ${arn} no longer exists`);
    return holder;
  }

  /**
   * Call after every IAM change (users, groups, policies, keys), and whenever this controller's
   * role changes (another leader may have changed IAM records meanwhile): the next call reads the
   * store again.
   */
  changed(): void {
    this.generation += 1;
    this.holders.clear();
  }

  private async load(accessKeyId: string): Promise<KeyHolder | undefined> {
    return this.store.transaction(async (tx) => {
      const key = await tx.iam.getAccessKey(accessKeyId);
      if (!key || key.status !== 'Active') return undefined;
      const secretAccessKey = this.sealer.open(key.sealedSecret);
      if (key.owner.kind === 'root') {
        const principal: Principal = { kind: 'root', arn: rootArn(this.arnScope), name: 'root', id: this.arnScope.accountId, accessKeyId };
        return { principal, secretAccessKey, policies: new PolicySet([]), conditionKeys: principalConditionKeys(principal) };
      }
      const user = await tx.iam.getUser(key.owner.userName);
      if (!user) return undefined;
      const principal = userPrincipal(user, key);
      return { principal, secretAccessKey, policies: new PolicySet(await policiesOf(tx, user, this.arnScope)), conditionKeys: principalConditionKeys(principal) };
    });
  }
}

function userPrincipal(user: IamUserRecord, key: AccessKeyRecord): Principal {
  return { kind: 'user', arn: user.arn, name: user.userName, id: user.userId, accessKeyId: key.accessKeyId };
}

/**
 * The principal's condition keys (`aws:username`, `aws:userid`, `aws:PrincipalArn`,
 * `aws:PrincipalType`, `aws:PrincipalAccount`). A role session has no `aws:username`; its
 * `aws:PrincipalArn` is its role's ARN, as AWS sets it.
 */
export function principalConditionKeys(principal: Principal): Readonly<Record<string, string>> {
  if (principal.kind === 'assumed-role') {
    return Object.freeze({
      'aws:userid': principal.id,
      'aws:PrincipalArn': principal.roleArn ?? principal.arn,
      'aws:PrincipalType': 'AssumedRole',
      'aws:PrincipalAccount': principal.arn.split(':')[4] ?? '',
    });
  }
  return Object.freeze({
    'aws:username': principal.name,
    'aws:userid': principal.id,
    'aws:PrincipalArn': principal.arn,
    'aws:PrincipalType': principal.kind === 'root' ? 'Account' : 'User',
    'aws:PrincipalAccount': principal.arn.split(':')[4] ?? '',
  });
}

/**
 * Every policy that applies to a user: its inline policies, the managed ones attached to it, and
 * the same of each of its groups. Stored documents were validated when written; one that no longer
 * parses (a newer limit) is left out, which can only deny more.
 */
export async function policiesOf(tx: Repositories, user: IamUserRecord, scope: ArnScope): Promise<PolicySource[]> {
  const { sources, add, addAttached } = policyCollector(tx);
  for (const [name, text] of Object.entries(user.inlinePolicies)) add(`${user.arn}/inline/${name}`, text);
  await addAttached(user.attachedPolicyArns);
  for (const groupName of user.groups) {
    const group = await tx.iam.getGroup(groupName);
    if (!group) continue;
    for (const [name, text] of Object.entries(group.inlinePolicies)) add(`${iamArn(scope, 'group', group.path, group.groupName)}/inline/${name}`, text);
    await addAttached(group.attachedPolicyArns);
  }
  return sources;
}

/** Every policy that applies to a role's sessions: its inline policies and the managed ones attached to it (left out as `policiesOf`'s when one no longer parses). */
export async function rolePoliciesOf(tx: Repositories, role: IamRoleRecord): Promise<PolicySource[]> {
  const { sources, add, addAttached } = policyCollector(tx);
  addInline(add, role.arn, role.inlinePolicies);
  await addAttached(role.attachedPolicyArns);
  return sources;
}

function addInline(add: (id: string, text: string) => void, ownerArn: string, policies: InlinePolicies): void {
  for (const [name, text] of Object.entries(policies)) add(`${ownerArn}/inline/${name}`, text);
}

/** Collects parsed policies: inline texts, and managed policies by ARN. */
function policyCollector(tx: Repositories) {
  const sources: PolicySource[] = [];
  const add = (id: string, text: string): void => {
    try {
      sources.push({ id, document: parsePolicyDocument(text, id, MAX_MANAGED_POLICY_CHARS) });
    } catch {
      // left out: see above
    }
  };
  const addAttached = async (arns: readonly string[]): Promise<void> => {
    for (const policyArn of arns) {
      const policy = await tx.iam.getPolicy(policyArn);
      if (policy) add(policy.arn, policy.document);
    }
  };
  return { sources, add, addAttached };
}

/** The outcome of authorising one call: allowed, or the first resource denied and why. */
export type Authorization = { readonly allowed: true; readonly decisions: readonly Decision[] } | { readonly allowed: false; readonly resource: string; readonly decision: Decision };

/**
 * Whether `holder` may perform `action` on every one of `resources` with the condition keys in
 * `context`: the root user always may; a user or role session may when each resource is allowed
 * by its policies (a session's: its role's) and none denied.
 */
export function authorize(holder: KeyHolder, action: string, resources: readonly string[], context: RequestContext): Authorization {
  if (holder.principal.kind === 'root' || resources.length === 0) return { allowed: true, decisions: [] };
  return holder.policies.evaluateAll(action, resources, context);
}
