/**
 * Who holds an access key, and what they may do: `Identity.keyHolder(accessKeyId)` gives the
 * key's principal, its secret (opened from its sealed form) and the policies that apply to the
 * principal; `authorize` decides one call. The leader is the only writer of IAM records, so a cache
 * of key holders that every IAM change flushes (`changed()`) is always current.
 */
import type { ArnScope } from '../../model/arn.js';
import { evaluate } from '../../model/iam/evaluate.js';
import type { Decision, PolicySource } from '../../model/iam/evaluate.js';
import { parsePolicyDocument, MAX_MANAGED_POLICY_CHARS } from '../../model/iam/policy.js';
import type { AccessKeyRecord, IamUserRecord, Principal } from '../../model/iam/principal.js';
import { iamArn, rootArn } from '../../model/iam/principal.js';
import type { Repositories, Store } from '../../store/store.js';
import type { Sealer } from './sealing.js';

/** A key's holder: who it is, the key's secret, and the policies that apply (none for root, which may do anything). */
export interface KeyHolder {
  readonly principal: Principal;
  readonly secretAccessKey: string;
  readonly policies: readonly PolicySource[];
}

/** Cached key holders at most; beyond it the oldest go. */
const CACHE_LIMIT = 10_000;

export class Identity {
  private readonly holders = new Map<string, KeyHolder | null>();
  private generation = 0;

  constructor(
    readonly store: Store,
    readonly sealer: Sealer,
    readonly arnScope: ArnScope,
  ) {}

  /** The holder of an Active key, or undefined for an unknown or inactive key (or a deleted user's). */
  async keyHolder(accessKeyId: string): Promise<KeyHolder | undefined> {
    const cached = this.holders.get(accessKeyId);
    if (cached !== undefined) return cached ?? undefined;
    const generation = this.generation;
    const holder = await this.load(accessKeyId);
    // An IAM change while loading makes what was read stale: use it once, do not keep it.
    if (generation === this.generation) {
      if (this.holders.size >= CACHE_LIMIT) this.holders.delete(this.holders.keys().next().value as string);
      this.holders.set(accessKeyId, holder ?? null);
    }
    return holder;
  }

  /** Call after every IAM change (users, groups, policies, keys): the next call reads the store again. */
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
        return { principal: { kind: 'root', arn: rootArn(this.arnScope), name: 'root', id: this.arnScope.accountId, accessKeyId }, secretAccessKey, policies: [] };
      }
      const user = await tx.iam.getUser(key.owner.userName);
      if (!user) return undefined;
      return { principal: userPrincipal(user, key), secretAccessKey, policies: await policiesOf(tx, user, this.arnScope) };
    });
  }
}

function userPrincipal(user: IamUserRecord, key: AccessKeyRecord): Principal {
  return { kind: 'user', arn: user.arn, name: user.userName, id: user.userId, accessKeyId: key.accessKeyId };
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
export function authorize(holder: KeyHolder, action: string, resources: readonly string[], context: Readonly<Record<string, string | readonly string[] | boolean | undefined>>): Authorization {
  if (holder.principal.kind === 'root') return { allowed: true, decisions: [] };
  const decisions: Decision[] = [];
  for (const resource of resources) {
    const decision = evaluate(holder.policies, { action, resource, context });
    if (decision.effect !== 'Allow') return { allowed: false, resource, decision };
    decisions.push(decision);
  }
  return { allowed: true, decisions };
}
