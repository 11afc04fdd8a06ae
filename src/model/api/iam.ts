/**
 * IAM (`POST /v1/iam/<Operation>`, AWS's PascalCase JSON): the requests of the user, group, role,
 * access key, inline and managed policy operations and SimulatePrincipalPolicy, with IAM's naming rules,
 * and the views they answer with. A secret access key appears in one view only: CreateAccessKey's.
 */
import { z } from 'zod';
import { bodyOperations } from './operation.js';
import { notYetField } from '../validation.js';
import { MAX_MAX_SESSION_DURATION, MIN_MAX_SESSION_DURATION } from '../iam/principal.js';

/** IAM's user names: letters, digits and `+=,.@_-`, 1 to 64 characters. */
export const USER_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM's group names: as user names, 1 to 128 characters. */
export const GROUP_NAME = /^[\w+=,.@-]{1,128}$/;
/** IAM's role names: as user names, 1 to 64 characters. */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM's policy names (inline and managed): as group names. */
export const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
/** IAM's paths: `/`, or `/` … `/` of printable ASCII. */
export const IAM_PATH = /^\/(?:[\x21-\x7e]*\/)?$/;

/** IAM's default and largest page (MaxItems). */
export const DEFAULT_MAX_ITEMS = 100;
export const MAX_MAX_ITEMS = 1000;

const userName = z.string().regex(USER_NAME, 'A user name has 1 to 64 letters, digits or +=,.@_- characters');
const groupName = z.string().regex(GROUP_NAME, 'A group name has 1 to 128 letters, digits or +=,.@_- characters');
const roleName = z.string().regex(ROLE_NAME, 'A role name has 1 to 64 letters, digits or +=,.@_- characters');
const policyName = z.string().regex(POLICY_NAME, 'A policy name has 1 to 128 letters, digits or +=,.@_- characters');
const iamPath = z.string().max(512).regex(IAM_PATH, 'A path is "/" or starts and ends with "/", e.g. "/division/team/"');
const policyArn = z.string().min(20).max(2048).regex(/^arn:[^:]+:iam::[^:]*:policy\//, 'A policy ARN is arn:wharf:iam::<account>:policy/<name>');
const accessKeyId = z.string().regex(/^\w{16,128}$/, 'An access key id has 16 to 128 letters and digits, e.g. AKIA…');
/** The document's size and grammar are checked by parsePolicyDocument, which names each problem. */
const policyDocument = z.string().min(1, 'PolicyDocument is the policy JSON as a string').max(131_072);
const marker = z.string().min(1).max(320);
const maxItems = z.number().int().min(1).max(MAX_MAX_ITEMS);
const tags = z
  .array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) }).strict())
  .max(50, 'At most 50 tags')
  .refine((list) => new Set(list.map((t) => t.Key)).size === list.length, 'Tag keys must be unique');

const page = { Marker: marker.optional(), MaxItems: maxItems.optional() };

export const createUserRequestSchema = z
  .object({ UserName: userName, Path: iamPath.optional(), Tags: tags.optional(), PermissionsBoundary: notYetField('permissions boundaries; limit the user with its own policies') })
  .strict();
export const getUserRequestSchema = z.object({ UserName: userName.optional() }).strict();
export const listUsersRequestSchema = z.object({ PathPrefix: iamPath.optional(), ...page }).strict();
export const userRequestSchema = z.object({ UserName: userName }).strict();
export const userPageRequestSchema = z.object({ UserName: userName, ...page }).strict();

export const createGroupRequestSchema = z.object({ GroupName: groupName, Path: iamPath.optional() }).strict();
export const groupRequestSchema = z.object({ GroupName: groupName }).strict();
export const groupPageRequestSchema = z.object({ GroupName: groupName, ...page }).strict();
export const listGroupsRequestSchema = z.object({ PathPrefix: iamPath.optional(), ...page }).strict();
export const groupMembershipRequestSchema = z.object({ GroupName: groupName, UserName: userName }).strict();

export const createAccessKeyRequestSchema = z.object({ UserName: userName.optional() }).strict();
export const listAccessKeysRequestSchema = z.object({ UserName: userName.optional(), ...page }).strict();
export const updateAccessKeyRequestSchema = z.object({ UserName: userName.optional(), AccessKeyId: accessKeyId, Status: z.enum(['Active', 'Inactive']) }).strict();
export const deleteAccessKeyRequestSchema = z.object({ UserName: userName.optional(), AccessKeyId: accessKeyId }).strict();

export const putUserPolicyRequestSchema = z.object({ UserName: userName, PolicyName: policyName, PolicyDocument: policyDocument }).strict();
export const userPolicyRequestSchema = z.object({ UserName: userName, PolicyName: policyName }).strict();
export const putGroupPolicyRequestSchema = z.object({ GroupName: groupName, PolicyName: policyName, PolicyDocument: policyDocument }).strict();
export const groupPolicyRequestSchema = z.object({ GroupName: groupName, PolicyName: policyName }).strict();

export const createPolicyRequestSchema = z
  .object({ PolicyName: policyName, PolicyDocument: policyDocument, Path: iamPath.optional(), Description: z.string().max(1000).optional(), Tags: tags.optional() })
  .strict();
export const policyRequestSchema = z.object({ PolicyArn: policyArn }).strict();
export const listPoliciesRequestSchema = z
  .object({
    Scope: z.enum(['All', 'AWS', 'Local']).optional(),
    OnlyAttached: z.boolean().optional(),
    PathPrefix: iamPath.optional(),
    /** Every Wharf policy is a permissions policy: the filter PermissionsBoundary lists none. */
    PolicyUsageFilter: z.enum(['PermissionsPolicy', 'PermissionsBoundary']).optional(),
    ...page,
  })
  .strict();
export const userAttachmentRequestSchema = z.object({ UserName: userName, PolicyArn: policyArn }).strict();
export const groupAttachmentRequestSchema = z.object({ GroupName: groupName, PolicyArn: policyArn }).strict();
export const listAttachedUserPoliciesRequestSchema = z.object({ UserName: userName, PathPrefix: iamPath.optional(), ...page }).strict();
export const listAttachedGroupPoliciesRequestSchema = z.object({ GroupName: groupName, PathPrefix: iamPath.optional(), ...page }).strict();

/** IAM's context key types for SimulatePrincipalPolicy. */
export const CONTEXT_KEY_TYPES = ['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList'] as const;

/** A role's description: IAM's 1000 characters, of letters, marks, separators, symbols, digits and punctuation. */
const roleDescription = z.string().max(1000).regex(/^[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]*$/u, 'A description has at most 1000 printable characters');
const maxSessionDuration = z
  .number()
  .int()
  .min(MIN_MAX_SESSION_DURATION, `MaxSessionDuration is ${MIN_MAX_SESSION_DURATION} to ${MAX_MAX_SESSION_DURATION} seconds (1 to 12 hours)`)
  .max(MAX_MAX_SESSION_DURATION, `MaxSessionDuration is ${MIN_MAX_SESSION_DURATION} to ${MAX_MAX_SESSION_DURATION} seconds (1 to 12 hours)`);
/** A trust policy: its grammar is checked by parseTrustPolicy, which names each problem. */
const trustPolicyDocument = z.string().min(1, 'AssumeRolePolicyDocument is the trust policy JSON as a string, e.g. {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}').max(131_072);

export const createRoleRequestSchema = z
  .object({
    RoleName: roleName,
    Path: iamPath.optional(),
    AssumeRolePolicyDocument: trustPolicyDocument,
    Description: roleDescription.optional(),
    MaxSessionDuration: maxSessionDuration.optional(),
    Tags: tags.optional(),
    PermissionsBoundary: notYetField('permissions boundaries; limit the role with its own policies'),
  })
  .strict();
export const roleRequestSchema = z.object({ RoleName: roleName }).strict();
export const rolePageRequestSchema = z.object({ RoleName: roleName, ...page }).strict();
export const listRolesRequestSchema = z.object({ PathPrefix: iamPath.optional(), ...page }).strict();
export const updateAssumeRolePolicyRequestSchema = z.object({ RoleName: roleName, PolicyDocument: trustPolicyDocument }).strict();
export const updateRoleRequestSchema = z.object({ RoleName: roleName, Description: roleDescription.optional(), MaxSessionDuration: maxSessionDuration.optional() }).strict();
export const putRolePolicyRequestSchema = z.object({ RoleName: roleName, PolicyName: policyName, PolicyDocument: policyDocument }).strict();
export const rolePolicyRequestSchema = z.object({ RoleName: roleName, PolicyName: policyName }).strict();
export const roleAttachmentRequestSchema = z.object({ RoleName: roleName, PolicyArn: policyArn }).strict();
export const listAttachedRolePoliciesRequestSchema = z.object({ RoleName: roleName, PathPrefix: iamPath.optional(), ...page }).strict();

export const simulatePrincipalPolicyRequestSchema = z
  .object({
    PolicySourceArn: z.string().min(20).max(2048).regex(/^arn:[^:]+:iam::[^:]*:(user\/|root$)/, 'PolicySourceArn is a user ARN, arn:wharf:iam::<account>:user/<name>'),
    ActionNames: z.array(z.string().min(3).max(128)).min(1, 'Give at least one action, e.g. ["ecs:RunTask"]').max(100),
    ResourceArns: z.array(z.string().min(1).max(2048)).min(1).max(100).optional(),
    ContextEntries: z
      .array(
        z
          .object({
            ContextKeyName: z.string().min(5).max(256),
            ContextKeyValues: z.array(z.string().max(2048)).max(100),
            ContextKeyType: z.enum(CONTEXT_KEY_TYPES),
          })
          .strict(),
      )
      .max(100)
      .optional(),
    PolicyInputList: notYetField("simulating with extra policies; the simulation evaluates the principal's own policies"),
    PermissionsBoundaryPolicyInputList: notYetField('permissions boundaries'),
    ResourcePolicy: notYetField('resource-based policies'),
    ResourceOwner: notYetField('resource-based policies'),
    CallerArn: notYetField('the caller is the principal simulated'),
    ResourceHandlingOption: notYetField('EC2 resource handling scenarios'),
    ...page,
  })
  .strict();

export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;
export type ListUsersRequest = z.infer<typeof listUsersRequestSchema>;
export type UserPageRequest = z.infer<typeof userPageRequestSchema>;
export type CreateGroupRequest = z.infer<typeof createGroupRequestSchema>;
export type GroupPageRequest = z.infer<typeof groupPageRequestSchema>;
export type ListGroupsRequest = z.infer<typeof listGroupsRequestSchema>;
export type GroupMembershipRequest = z.infer<typeof groupMembershipRequestSchema>;
export type ListAccessKeysRequest = z.infer<typeof listAccessKeysRequestSchema>;
export type UpdateAccessKeyRequest = z.infer<typeof updateAccessKeyRequestSchema>;
export type DeleteAccessKeyRequest = z.infer<typeof deleteAccessKeyRequestSchema>;
export type PutUserPolicyRequest = z.infer<typeof putUserPolicyRequestSchema>;
export type UserPolicyRequest = z.infer<typeof userPolicyRequestSchema>;
export type PutGroupPolicyRequest = z.infer<typeof putGroupPolicyRequestSchema>;
export type GroupPolicyRequest = z.infer<typeof groupPolicyRequestSchema>;
export type CreatePolicyRequest = z.infer<typeof createPolicyRequestSchema>;
export type ListPoliciesRequest = z.infer<typeof listPoliciesRequestSchema>;
export type UserAttachmentRequest = z.infer<typeof userAttachmentRequestSchema>;
export type GroupAttachmentRequest = z.infer<typeof groupAttachmentRequestSchema>;
export type ListAttachedUserPoliciesRequest = z.infer<typeof listAttachedUserPoliciesRequestSchema>;
export type ListAttachedGroupPoliciesRequest = z.infer<typeof listAttachedGroupPoliciesRequestSchema>;
export type CreateRoleRequest = z.infer<typeof createRoleRequestSchema>;
export type RolePageRequest = z.infer<typeof rolePageRequestSchema>;
export type ListRolesRequest = z.infer<typeof listRolesRequestSchema>;
export type UpdateAssumeRolePolicyRequest = z.infer<typeof updateAssumeRolePolicyRequestSchema>;
export type UpdateRoleRequest = z.infer<typeof updateRoleRequestSchema>;
export type PutRolePolicyRequest = z.infer<typeof putRolePolicyRequestSchema>;
export type RolePolicyRequest = z.infer<typeof rolePolicyRequestSchema>;
export type RoleAttachmentRequest = z.infer<typeof roleAttachmentRequestSchema>;
export type ListAttachedRolePoliciesRequest = z.infer<typeof listAttachedRolePoliciesRequestSchema>;
export type SimulatePrincipalPolicyRequest = z.infer<typeof simulatePrincipalPolicyRequestSchema>;

// ── Views ─────────────────────────────────────────────────────────────────────────────────────

/** A page of a list: AWS's `IsTruncated` and the `Marker` to pass for the next page. */
export interface PageView {
  IsTruncated: boolean;
  Marker?: string;
}

export interface UserView {
  Path: string;
  UserName: string;
  UserId: string;
  Arn: string;
  /** ISO 8601. */
  CreateDate: string;
  Tags?: { Key: string; Value: string }[];
}

/** A role as IAM shows it; the trust policy is the JSON text as given (AWS sends it URL-encoded on the wire of the Query protocol: see the identity README). */
export interface RoleView {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  Tags?: { Key: string; Value: string }[];
}

export interface GroupView {
  Path: string;
  GroupName: string;
  GroupId: string;
  Arn: string;
  CreateDate: string;
}

/** A key without its secret: what every answer but CreateAccessKey's shows. UserName is absent for the root's keys. */
export interface AccessKeyMetadataView {
  UserName?: string;
  AccessKeyId: string;
  Status: 'Active' | 'Inactive';
  CreateDate: string;
}

/** CreateAccessKey's answer: the only place a secret is ever shown. */
export interface AccessKeyView extends AccessKeyMetadataView {
  SecretAccessKey: string;
}

export interface PolicyView {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  AttachmentCount: number;
  IsAttachable: boolean;
  Description?: string;
  CreateDate: string;
  UpdateDate: string;
}

export interface AttachedPolicyView {
  PolicyName: string;
  PolicyArn: string;
}

export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** A statement that decided a simulation: its policy, and (Wharf's addition) its index and Sid. */
export interface MatchedStatementView {
  SourcePolicyId: string;
  SourcePolicyType: 'IAM Policy';
  StatementIndex: number;
  Sid?: string;
}

export interface EvaluationResultView {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: EvalDecision;
  MatchedStatements: MatchedStatementView[];
  MissingContextValues: string[];
}

/** IAM's operations (`2010-05-08`): each one's native route (`POST /v1/iam/<Operation>`) and request schema (see `operation.ts`), read by the AWS endpoint's Query protocol and the `wharf iam` commands. */
export const IAM_API = bodyOperations(
  'iam',
  {
    CreateUser: createUserRequestSchema,
    GetUser: getUserRequestSchema,
    ListUsers: listUsersRequestSchema,
    DeleteUser: userRequestSchema,
    CreateGroup: createGroupRequestSchema,
    GetGroup: groupPageRequestSchema,
    ListGroups: listGroupsRequestSchema,
    DeleteGroup: groupRequestSchema,
    AddUserToGroup: groupMembershipRequestSchema,
    RemoveUserFromGroup: groupMembershipRequestSchema,
    ListGroupsForUser: userPageRequestSchema,
    CreateAccessKey: createAccessKeyRequestSchema,
    ListAccessKeys: listAccessKeysRequestSchema,
    UpdateAccessKey: updateAccessKeyRequestSchema,
    DeleteAccessKey: deleteAccessKeyRequestSchema,
    PutUserPolicy: putUserPolicyRequestSchema,
    GetUserPolicy: userPolicyRequestSchema,
    DeleteUserPolicy: userPolicyRequestSchema,
    ListUserPolicies: userPageRequestSchema,
    PutGroupPolicy: putGroupPolicyRequestSchema,
    GetGroupPolicy: groupPolicyRequestSchema,
    DeleteGroupPolicy: groupPolicyRequestSchema,
    ListGroupPolicies: groupPageRequestSchema,
    CreatePolicy: createPolicyRequestSchema,
    GetPolicy: policyRequestSchema,
    ListPolicies: listPoliciesRequestSchema,
    DeletePolicy: policyRequestSchema,
    AttachUserPolicy: userAttachmentRequestSchema,
    DetachUserPolicy: userAttachmentRequestSchema,
    ListAttachedUserPolicies: listAttachedUserPoliciesRequestSchema,
    AttachGroupPolicy: groupAttachmentRequestSchema,
    DetachGroupPolicy: groupAttachmentRequestSchema,
    ListAttachedGroupPolicies: listAttachedGroupPoliciesRequestSchema,
    CreateRole: createRoleRequestSchema,
    GetRole: roleRequestSchema,
    ListRoles: listRolesRequestSchema,
    DeleteRole: roleRequestSchema,
    UpdateAssumeRolePolicy: updateAssumeRolePolicyRequestSchema,
    UpdateRole: updateRoleRequestSchema,
    PutRolePolicy: putRolePolicyRequestSchema,
    GetRolePolicy: rolePolicyRequestSchema,
    DeleteRolePolicy: rolePolicyRequestSchema,
    ListRolePolicies: rolePageRequestSchema,
    AttachRolePolicy: roleAttachmentRequestSchema,
    DetachRolePolicy: roleAttachmentRequestSchema,
    ListAttachedRolePolicies: listAttachedRolePoliciesRequestSchema,
    SimulatePrincipalPolicy: simulatePrincipalPolicyRequestSchema,
  },
);
