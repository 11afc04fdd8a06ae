/**
 * A role's trust policy (CreateRole's and UpdateAssumeRolePolicy's `AssumeRolePolicyDocument`): who
 * may assume the role. Its grammar is a resource-based policy's, the role being the resource: each
 * statement names a `Principal` (a service such as `ecs-tasks.amazonaws.com`, or an AWS account,
 * user or role) and the role-assumption actions (`sts:AssumeRole`), and no `Resource`. Use
 * `parseTrustPolicy` wherever one comes in; it refuses, naming each offending field, what IAM
 * refuses, so nothing malformed is stored.
 *
 *   text ─▶ size ─▶ JSON ─▶ schema (Principal, sts actions, conditions) ─▶ TrustPolicy (arrays everywhere)
 */
import { z } from 'zod';
import type { Decision, RequestContext } from './evaluate.js';
import { evaluate } from './evaluate.js';
import type { ConditionBlock, Effect, PolicyDocument, PolicyVersion } from './policy.js';
import { checkedString, conditionSchema, DEFAULT_POLICY_VERSION, isPlainObject, oneOrMany, policyDocumentSchema, readDocument } from './policy.js';
import { patternOf, wildcardMatch } from './wildcard.js';

/** AWS's default quota on a role's trust policy, in characters without whitespace. */
export const MAX_TRUST_POLICY_CHARS = 2_048;

/** The actions a trust policy may allow: assuming the role, and what a session may carry (STS's names). */
export const TRUST_ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext'] as const;

/** Who a statement is about: everyone (`*`), or services and AWS principals by kind. */
export type TrustPrincipal = '*' | { readonly Service?: readonly string[]; readonly AWS?: readonly string[] };

export interface TrustStatement {
  readonly Sid?: string;
  readonly Effect: Effect;
  readonly Principal: TrustPrincipal;
  readonly Action: readonly string[];
  readonly Condition?: ConditionBlock;
}

/** A parsed trust policy: frozen, `Version` filled in, `Statement` always an array. */
export interface TrustPolicy {
  readonly Version: PolicyVersion;
  readonly Id?: string;
  readonly Statement: readonly TrustStatement[];
}

const ACCOUNT = /^\d{12}$/;
/** An IAM or STS principal ARN of any partition: the account root, a user, a role, or a role session. */
const PRINCIPAL_ARN = /^arn:[a-z-]+:(?:iam::\d{12}:(?:root|user\/.+|role\/.+)|sts::\d{12}:assumed-role\/.+)$/;
/** A service principal: a host name such as `ecs-tasks.amazonaws.com`. */
const SERVICE = /^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+$/;
const SID = /^[A-Za-z0-9]*$/;

const TRUST_ACTION_PATTERNS = TRUST_ACTIONS.map((a) => a.toLowerCase());

function actionProblem(action: string): string | undefined {
  const pattern = patternOf(action.toLowerCase());
  if (TRUST_ACTION_PATTERNS.some((known) => wildcardMatch(pattern, known))) return undefined;
  return `"${action}" is not an action a trust policy allows: name ${TRUST_ACTIONS.join(', ')} (a trust policy says who may assume the role; what the role may do goes in its permission policies)`;
}

function awsPrincipalProblem(value: string): string | undefined {
  if (value === '*' || ACCOUNT.test(value) || PRINCIPAL_ARN.test(value)) return undefined;
  return `"${value}" is not an AWS principal: write an account id (12 digits), an ARN such as "arn:wharf:iam::000000000000:user/alice", "arn:wharf:iam::000000000000:root", or "*"`;
}

function serviceProblem(value: string): string | undefined {
  return SERVICE.test(value) ? undefined : `"${value}" is not a service principal: write the service's host name, e.g. "ecs-tasks.amazonaws.com"`;
}

const principalObject = z.strictObject({
  Service: oneOrMany(checkedString(serviceProblem, 'A service principal is a string such as "ecs-tasks.amazonaws.com"'), 'service').optional(),
  AWS: oneOrMany(checkedString(awsPrincipalProblem, 'An AWS principal is a string: an account id or an ARN'), 'AWS principal').optional(),
  Federated: z.never({ error: 'Federated principals (SAML, web identity) are not supported: name a Service or an AWS principal' }).optional(),
  CanonicalUser: z.never({ error: 'A canonical user is an S3 principal, not one that may assume a role: name a Service or an AWS principal' }).optional(),
});

/** `"*"`, or the object (its own errors at their paths, which a union would fold into one). */
const principalSchema = z.unknown().transform((value, ctx): TrustPrincipal => {
  if (value === '*') return '*';
  if (!isPlainObject(value)) {
    ctx.addIssue({ code: 'custom', message: 'Principal is "*" or an object with Service and/or AWS, e.g. {"Service": "ecs-tasks.amazonaws.com"}' });
    return z.NEVER;
  }
  const result = principalObject.safeParse(value, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  }
  if (result.data.Service === undefined && result.data.AWS === undefined) {
    ctx.addIssue({ code: 'custom', message: 'Principal names at least one Service or AWS principal' });
    return z.NEVER;
  }
  return { ...(result.data.Service ? { Service: result.data.Service } : {}), ...(result.data.AWS ? { AWS: result.data.AWS } : {}) };
});

const REFUSED_RESOURCE = 'A trust policy has no Resource or NotResource: the role it belongs to is its resource. Remove the field';

function statementSchema(variables: boolean) {
  return z
    .strictObject(
      {
        Sid: z.string({ error: 'Sid is a string' }).regex(SID, 'A Sid has only letters (A-Z, a-z) and digits').optional(),
        Effect: z.enum(['Allow', 'Deny'], { error: 'Effect is "Allow" or "Deny", capitalised so' }),
        Principal: principalSchema,
        Action: oneOrMany(checkedString(actionProblem, 'An action is a string such as "sts:AssumeRole"'), 'action'),
        Condition: conditionSchema(variables).optional(),
        NotPrincipal: z.never({ error: 'NotPrincipal is not supported in a trust policy: name the principals allowed in Principal' }).optional(),
        NotAction: z.never({ error: 'NotAction is not supported in a trust policy: name the actions in Action, e.g. "sts:AssumeRole"' }).optional(),
        Resource: z.never({ error: REFUSED_RESOURCE }).optional(),
        NotResource: z.never({ error: REFUSED_RESOURCE }).optional(),
      },
      { error: (issue) => (issue.code === 'invalid_type' ? 'A statement is an object with Effect, Principal and Action' : undefined) },
    );
}

const documentSchema = (variables: boolean) => policyDocumentSchema(statementSchema(variables), 'A trust policy');

const SCHEMAS = { withVariables: documentSchema(true), withoutVariables: documentSchema(false) };

/**
 * Reads a trust policy from its JSON text, or throws WHARF_E_POLICY_TOO_LARGE (more than
 * `MAX_TRUST_POLICY_CHARS` characters other than whitespace) or WHARF_E_MALFORMED_POLICY_DOCUMENT
 * (not JSON, with the line and column; or not a trust policy, with a field error per problem).
 * `what` names the document in the message, e.g. "AssumeRolePolicyDocument of role web".
 */
export function parseTrustPolicy(text: string, what: string): TrustPolicy {
  const { Version, Id, Statement } = readDocument(text, what, MAX_TRUST_POLICY_CHARS, (variables) => (variables ? SCHEMAS.withVariables : SCHEMAS.withoutVariables));
  return Object.freeze({ Version: Version ?? DEFAULT_POLICY_VERSION, ...(Id === undefined ? {} : { Id }), Statement });
}

/** Who asks to assume a role, as a trust policy's `Principal` matches it. */
export interface TrustCaller {
  /** The caller's ARN: the root's, a user's, or a role session's. */
  readonly arn: string;
  /** The caller's account (12 digits). */
  readonly accountId: string;
  /** A role session's role ARN: a trust policy naming the role trusts its sessions. */
  readonly roleArn?: string;
}

const ROOT_ARN = /^arn:[a-z-]+:iam::(\d{12}):root$/;

/** Whether one `AWS` principal of a trust statement names the caller: `*`, its account (id or root ARN), its own ARN, or its role's. */
function namesCaller(value: string, caller: TrustCaller): boolean {
  if (value === '*') return true;
  if (ACCOUNT.test(value)) return value === caller.accountId;
  const root = ROOT_ARN.exec(value);
  if (root) return root[1] === caller.accountId;
  return value === caller.arn || (caller.roleArn !== undefined && value === caller.roleArn);
}

/** Whether a statement's `Principal` names the caller (a signed caller is never a service). */
export function trustNames(principal: TrustPrincipal, caller: TrustCaller): boolean {
  if (principal === '*') return true;
  return (principal.AWS ?? []).some((value) => namesCaller(value, caller));
}

/**
 * Whether the trust policy lets `caller` perform `action` (`sts:AssumeRole`): the statements whose
 * `Principal` names the caller, decided as an identity policy's would be (their conditions
 * against `context`), an explicit Deny winning. A statement naming the account stands for every
 * principal of it; the caller's own policies must then allow the action too (the caller's side,
 * decided as any call is).
 */
export function trustDecision(policy: TrustPolicy, caller: TrustCaller, action: string, context: RequestContext): Decision {
  const statements = policy.Statement.filter((statement) => trustNames(statement.Principal, caller));
  const document: PolicyDocument = {
    Version: policy.Version,
    Statement: statements.map((statement) => ({
      ...(statement.Sid === undefined ? {} : { Sid: statement.Sid }),
      Effect: statement.Effect,
      Action: statement.Action,
      Resource: ['*'],
      ...(statement.Condition === undefined ? {} : { Condition: statement.Condition }),
    })),
  };
  return evaluate([{ id: 'trust policy', document }], { action, resource: '*', context });
}
