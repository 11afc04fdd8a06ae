/**
 * IAM: POST /v1/iam/<Operation> with AWS's PascalCase JSON — users, groups, access keys, inline and
 * managed policies, SimulatePrincipalPolicy. Operations that default to "me" (GetUser, the access
 * key calls) get the caller's principal from the verified signature.
 */
import type { z } from 'zod';
import * as schemas from '../../../model/api/iam.js';
import type { RouteInput } from '../actions.js';
import { bodyOperation } from '../handlers.js';
import type { RouteHandler, RouteHandlers } from '../handlers.js';
import type { Identity } from '../../identity/identity.js';
import * as iam from '../../identity/principals.js';
import type { Caller } from '../../identity/principals.js';

/** A call's request id and the caller, as the IAM functions take them. */
interface IamCall {
  readonly id: string;
  readonly caller: Caller;
}

export function iamRoutes(identity: Identity): RouteHandlers {
  const meta = (r: IamCall) => ({ requestId: r.id, now: Date.now() });
  const caller = (r: IamCall): Caller => r.caller;
  const handlers: Record<string, RouteHandler> = {};
  const op = <S extends z.ZodType>(name: string, schema: S, run: (body: z.output<S>, call: IamCall) => Promise<unknown>) => {
    handlers[`POST /v1/iam/${name}`] = bodyOperation(name, schema, (body, id, input: RouteInput) => run(body, { id, caller: input.caller }));
  };

  op('CreateUser', schemas.createUserRequestSchema, (b, r) => iam.createUser(identity, b, meta(r)));
  op('GetUser', schemas.getUserRequestSchema, (b, r) => iam.getUser(identity, b, caller(r)));
  op('ListUsers', schemas.listUsersRequestSchema, (b) => iam.listUsers(identity, b));
  op('DeleteUser', schemas.userRequestSchema, (b, r) => iam.deleteUser(identity, b, meta(r)));

  op('CreateGroup', schemas.createGroupRequestSchema, (b, r) => iam.createGroup(identity, b, meta(r)));
  op('GetGroup', schemas.groupPageRequestSchema, (b) => iam.getGroup(identity, b));
  op('ListGroups', schemas.listGroupsRequestSchema, (b) => iam.listGroups(identity, b));
  op('DeleteGroup', schemas.groupRequestSchema, (b, r) => iam.deleteGroup(identity, b, meta(r)));
  op('AddUserToGroup', schemas.groupMembershipRequestSchema, (b, r) => iam.addUserToGroup(identity, b, meta(r)));
  op('RemoveUserFromGroup', schemas.groupMembershipRequestSchema, (b, r) => iam.removeUserFromGroup(identity, b, meta(r)));
  op('ListGroupsForUser', schemas.userPageRequestSchema, (b) => iam.listGroupsForUser(identity, b));

  op('CreateAccessKey', schemas.createAccessKeyRequestSchema, (b, r) => iam.createAccessKey(identity, b, caller(r), meta(r)));
  op('ListAccessKeys', schemas.listAccessKeysRequestSchema, (b, r) => iam.listAccessKeys(identity, b, caller(r)));
  op('UpdateAccessKey', schemas.updateAccessKeyRequestSchema, (b, r) => iam.updateAccessKey(identity, b, caller(r), meta(r)));
  op('DeleteAccessKey', schemas.deleteAccessKeyRequestSchema, (b, r) => iam.deleteAccessKey(identity, b, caller(r), meta(r)));

  op('PutUserPolicy', schemas.putUserPolicyRequestSchema, (b, r) => iam.putUserPolicy(identity, b, meta(r)));
  op('GetUserPolicy', schemas.userPolicyRequestSchema, (b) => iam.getUserPolicy(identity, b));
  op('DeleteUserPolicy', schemas.userPolicyRequestSchema, (b, r) => iam.deleteUserPolicy(identity, b, meta(r)));
  op('ListUserPolicies', schemas.userPageRequestSchema, (b) => iam.listUserPolicies(identity, b));
  op('PutGroupPolicy', schemas.putGroupPolicyRequestSchema, (b, r) => iam.putGroupPolicy(identity, b, meta(r)));
  op('GetGroupPolicy', schemas.groupPolicyRequestSchema, (b) => iam.getGroupPolicy(identity, b));
  op('DeleteGroupPolicy', schemas.groupPolicyRequestSchema, (b, r) => iam.deleteGroupPolicy(identity, b, meta(r)));
  op('ListGroupPolicies', schemas.groupPageRequestSchema, (b) => iam.listGroupPolicies(identity, b));

  op('CreatePolicy', schemas.createPolicyRequestSchema, (b, r) => iam.createPolicy(identity, b, meta(r)));
  op('GetPolicy', schemas.policyRequestSchema, (b) => iam.getPolicy(identity, b));
  op('ListPolicies', schemas.listPoliciesRequestSchema, (b) => iam.listPolicies(identity, b));
  op('DeletePolicy', schemas.policyRequestSchema, (b, r) => iam.deletePolicy(identity, b, meta(r)));
  op('AttachUserPolicy', schemas.userAttachmentRequestSchema, (b, r) => iam.attachUserPolicy(identity, b, meta(r)));
  op('DetachUserPolicy', schemas.userAttachmentRequestSchema, (b, r) => iam.detachUserPolicy(identity, b, meta(r)));
  op('ListAttachedUserPolicies', schemas.listAttachedUserPoliciesRequestSchema, (b) => iam.listAttachedUserPolicies(identity, b));
  op('AttachGroupPolicy', schemas.groupAttachmentRequestSchema, (b, r) => iam.attachGroupPolicy(identity, b, meta(r)));
  op('DetachGroupPolicy', schemas.groupAttachmentRequestSchema, (b, r) => iam.detachGroupPolicy(identity, b, meta(r)));
  op('ListAttachedGroupPolicies', schemas.listAttachedGroupPoliciesRequestSchema, (b) => iam.listAttachedGroupPolicies(identity, b));

  op('SimulatePrincipalPolicy', schemas.simulatePrincipalPolicyRequestSchema, (b) => iam.simulatePrincipalPolicy(identity, b));
  return handlers;
}
