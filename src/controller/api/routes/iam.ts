/**
 * IAM: POST /v1/iam/<Operation> with AWS's PascalCase JSON — users, groups, roles, access keys, inline
 * and managed policies, SimulatePrincipalPolicy. Operations that default to "me" (GetUser, the access
 * key calls) get the caller's principal from the verified signature.
 */
import type { z } from 'zod';
import { IAM_API } from '../../../model/api/iam.js';
import type { RouteInput } from '../actions.js';
import { bodyOperation } from '../handlers.js';
import type { RouteHandler, RouteHandlers } from '../handlers.js';
import type { Identity } from '../../identity/identity.js';
import * as iam from '../../identity/principals.js';
import type { Caller } from '../../identity/principals.js';
import * as roles from '../../identity/roles.js';

/** A call's request id and the caller, as the IAM functions take them. */
interface IamCall {
  readonly id: string;
  readonly caller: Caller;
}

export function iamRoutes(identity: Identity): RouteHandlers {
  const meta = (r: IamCall) => ({ requestId: r.id, now: Date.now() });
  const caller = (r: IamCall): Caller => r.caller;
  const handlers: Record<string, RouteHandler> = {};
  const op = <N extends keyof typeof IAM_API>(name: N, run: (body: z.output<(typeof IAM_API)[N]['request']>, call: IamCall) => Promise<unknown>) => {
    handlers[IAM_API[name].route] = bodyOperation(name, IAM_API[name].request, (body, id, input: RouteInput) => run(body, { id, caller: input.caller }));
  };

  op('CreateUser', (b, r) => iam.createUser(identity, b, meta(r)));
  op('GetUser', (b, r) => iam.getUser(identity, b, caller(r)));
  op('ListUsers', (b) => iam.listUsers(identity, b));
  op('DeleteUser', (b, r) => iam.deleteUser(identity, b, meta(r)));

  op('CreateGroup', (b, r) => iam.createGroup(identity, b, meta(r)));
  op('GetGroup', (b) => iam.getGroup(identity, b));
  op('ListGroups', (b) => iam.listGroups(identity, b));
  op('DeleteGroup', (b, r) => iam.deleteGroup(identity, b, meta(r)));
  op('AddUserToGroup', (b, r) => iam.addUserToGroup(identity, b, meta(r)));
  op('RemoveUserFromGroup', (b, r) => iam.removeUserFromGroup(identity, b, meta(r)));
  op('ListGroupsForUser', (b) => iam.listGroupsForUser(identity, b));

  op('CreateAccessKey', (b, r) => iam.createAccessKey(identity, b, caller(r), meta(r)));
  op('ListAccessKeys', (b, r) => iam.listAccessKeys(identity, b, caller(r)));
  op('UpdateAccessKey', (b, r) => iam.updateAccessKey(identity, b, caller(r), meta(r)));
  op('DeleteAccessKey', (b, r) => iam.deleteAccessKey(identity, b, caller(r), meta(r)));

  op('PutUserPolicy', (b, r) => iam.putUserPolicy(identity, b, meta(r)));
  op('GetUserPolicy', (b) => iam.getUserPolicy(identity, b));
  op('DeleteUserPolicy', (b, r) => iam.deleteUserPolicy(identity, b, meta(r)));
  op('ListUserPolicies', (b) => iam.listUserPolicies(identity, b));
  op('PutGroupPolicy', (b, r) => iam.putGroupPolicy(identity, b, meta(r)));
  op('GetGroupPolicy', (b) => iam.getGroupPolicy(identity, b));
  op('DeleteGroupPolicy', (b, r) => iam.deleteGroupPolicy(identity, b, meta(r)));
  op('ListGroupPolicies', (b) => iam.listGroupPolicies(identity, b));

  op('CreatePolicy', (b, r) => iam.createPolicy(identity, b, meta(r)));
  op('GetPolicy', (b) => iam.getPolicy(identity, b));
  op('ListPolicies', (b) => iam.listPolicies(identity, b));
  op('DeletePolicy', (b, r) => iam.deletePolicy(identity, b, meta(r)));
  op('AttachUserPolicy', (b, r) => iam.attachUserPolicy(identity, b, meta(r)));
  op('DetachUserPolicy', (b, r) => iam.detachUserPolicy(identity, b, meta(r)));
  op('ListAttachedUserPolicies', (b) => iam.listAttachedUserPolicies(identity, b));
  op('AttachGroupPolicy', (b, r) => iam.attachGroupPolicy(identity, b, meta(r)));
  op('DetachGroupPolicy', (b, r) => iam.detachGroupPolicy(identity, b, meta(r)));
  op('ListAttachedGroupPolicies', (b) => iam.listAttachedGroupPolicies(identity, b));

  op('CreateRole', (b, r) => roles.createRole(identity, b, meta(r)));
  op('GetRole', (b) => roles.getRole(identity, b));
  op('ListRoles', (b) => roles.listRoles(identity, b));
  op('DeleteRole', (b, r) => roles.deleteRole(identity, b, meta(r)));
  op('UpdateAssumeRolePolicy', (b, r) => roles.updateAssumeRolePolicy(identity, b, meta(r)));
  op('UpdateRole', (b, r) => roles.updateRole(identity, b, meta(r)));
  op('PutRolePolicy', (b, r) => roles.putRolePolicy(identity, b, meta(r)));
  op('GetRolePolicy', (b) => roles.getRolePolicy(identity, b));
  op('DeleteRolePolicy', (b, r) => roles.deleteRolePolicy(identity, b, meta(r)));
  op('ListRolePolicies', (b) => roles.listRolePolicies(identity, b));
  op('AttachRolePolicy', (b, r) => roles.attachRolePolicy(identity, b, meta(r)));
  op('DetachRolePolicy', (b, r) => roles.detachRolePolicy(identity, b, meta(r)));
  op('ListAttachedRolePolicies', (b) => roles.listAttachedRolePolicies(identity, b));

  op('SimulatePrincipalPolicy', (b) => iam.simulatePrincipalPolicy(identity, b));
  return handlers;
}
