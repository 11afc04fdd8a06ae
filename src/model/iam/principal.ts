/**
 * Principals and what they hold: IAM users, groups, managed policies and access keys, as stored;
 * and the principal a request acts as once its key is known. A request's principal is the account
 * root, a user, or a role session (`session.ts`).
 */
import type { ArnScope } from '../arn.js';

/** Who owns an access key: the account's root user, or an IAM user by name. */
export type KeyOwner = { readonly kind: 'root' } | { readonly kind: 'user'; readonly userName: string };

export type AccessKeyStatus = 'Active' | 'Inactive';

/** An access key as stored: the secret only sealed (`sealedSecret`, see controller/identity/sealing.ts). */
export interface AccessKeyRecord {
  readonly accessKeyId: string;
  readonly owner: KeyOwner;
  readonly status: AccessKeyStatus;
  readonly createDate: number;
  readonly sealedSecret: string;
  /** When the key last signed an accepted request (ms), null before. */
  readonly lastUsedDate: number | null;
}

/** A policy document by name, attached inline to one user or group. */
export type InlinePolicies = Readonly<Record<string, string>>;

export interface IamUserRecord {
  readonly userName: string;
  readonly userId: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate: number;
  /** The groups the user belongs to, by name. */
  readonly groups: readonly string[];
  readonly inlinePolicies: InlinePolicies;
  readonly attachedPolicyArns: readonly string[];
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
}

export interface IamGroupRecord {
  readonly groupName: string;
  readonly groupId: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate: number;
  readonly inlinePolicies: InlinePolicies;
  readonly attachedPolicyArns: readonly string[];
}

/** A customer managed policy: one document (its default version, `v1` … `vN`). */
export interface ManagedPolicyRecord {
  readonly policyName: string;
  readonly policyId: string;
  readonly arn: string;
  readonly path: string;
  readonly description: string;
  readonly document: string;
  readonly defaultVersionId: string;
  readonly createDate: number;
  readonly updateDate: number;
}

/**
 * An IAM role: who may assume it (its trust policy, as given) and what a session of it may do (its
 * permission policies, inline and attached, as a user's). A session of it (STS AssumeRole,
 * `session.ts`) acts with those policies.
 */
export interface IamRoleRecord {
  readonly roleName: string;
  /** `AROA` + 17 upper-case letters and digits: a session's `aws:userid` starts with it (`AROA…:session`). */
  readonly roleId: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate: number;
  /** The trust policy's JSON text, as given (checked by `parseTrustPolicy`). */
  readonly assumeRolePolicyDocument: string;
  readonly description: string;
  /** How long a session of the role may last, seconds (3600 … 43200). */
  readonly maxSessionDuration: number;
  readonly inlinePolicies: InlinePolicies;
  readonly attachedPolicyArns: readonly string[];
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
}

/**
 * The principal a verified request acts as: the account root, an IAM user, or a role session
 * (`assumed-role`, made by AssumeRole: its ARN `arn:wharf:sts::<account>:assumed-role/<role>/<session>`).
 */
export interface Principal {
  readonly kind: 'root' | 'user' | 'assumed-role';
  readonly arn: string;
  /** The user name (`root` for the root user), `aws:username`; a session's name for a role session (which has no `aws:username`). */
  readonly name: string;
  /** The unique id (`aws:userid`): the account id for root, the user id for a user, `<role id>:<session name>` for a session. */
  readonly id: string;
  readonly accessKeyId: string;
  /** A role session's role: its ARN (`aws:PrincipalArn`). */
  readonly roleArn?: string;
}

/** The account root's ARN: `arn:wharf:iam::<account>:root`. */
export function rootArn(scope: ArnScope): string {
  return `arn:wharf:iam::${scope.accountId}:root`;
}

/** An IAM resource's ARN (`user/…`, `group/…`, `role/…`, `policy/…`): IAM ARNs have no region. */
export function iamArn(scope: ArnScope, kind: 'user' | 'group' | 'role' | 'policy', path: string, name: string): string {
  return `arn:wharf:iam::${scope.accountId}:${kind}${path}${name}`;
}

/** At most this many access keys per user, as IAM. */
export const MAX_ACCESS_KEYS_PER_USER = 2;
/** At most this many managed policies attached to one user, group or role, as IAM's default quota. */
export const MAX_ATTACHED_POLICIES = 10;
/** At most this many groups per user, as IAM. */
export const MAX_GROUPS_PER_USER = 10;

/** A role's session length when CreateRole names none, and the bounds IAM sets on it (seconds). */
export const DEFAULT_MAX_SESSION_DURATION = 3_600;
export const MIN_MAX_SESSION_DURATION = 3_600;
export const MAX_MAX_SESSION_DURATION = 43_200;
