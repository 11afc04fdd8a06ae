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
import type { AccessKeyRecord, IamUserRecord, Principal } from '../../model/iam/principal.js';
import { iamArn, rootArn } from '../../model/iam/principal.js';
import type { Repositories, Store } from '../../store/store.js';
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
    const generation = this.generation;
    const holder = await this.load(accessKeyId);
    // An IAM change while loading makes what was read stale: use it once, do not keep it.
    if (generation === this.generation) {
      if (this.holders.size >= CACHE_LIMIT) this.holders.delete(this.holders.keys().next().value as string);
      this.holders.set(accessKeyId, { holder: holder ?? null, expiresAt: this.clock() + KEY_HOLDER_TTL_MS });
    }
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

/** The principal's condition keys (`aws:username`, `aws:userid`, `aws:PrincipalArn`, `aws:PrincipalType`, `aws:PrincipalAccount`). */
function principalConditionKeys(principal: Principal): Readonly<Record<string, string>> {
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

/** The outcome of authorising one call: allowed, or the first resource denied and why. */
export type Authorization = { readonly allowed: true; readonly decisions: readonly Decision[] } | { readonly allowed: false; readonly resource: string; readonly decision: Decision };

/**
 * Whether `holder` may perform `action` on every one of `resources` with the condition keys in
 * `context`: the root user always may; a user may when each resource is allowed and none denied.
 */
export function authorize(holder: KeyHolder, action: string, resources: readonly string[], context: RequestContext): Authorization {
  if (holder.principal.kind === 'root' || resources.length === 0) return { allowed: true, decisions: [] };
  return holder.policies.evaluateAll(action, resources, context);
}
