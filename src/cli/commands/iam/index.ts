/** `wharf iam …`: the IAM commands' descriptions and their readable renderings (one file each, or the one-line table). */
import type { GroupCommands } from '../../aws/command.js';
import { ONE_LINE_COMMANDS } from './one-line-commands.js';

export const COMMANDS: GroupCommands = {
  CreateAccessKey: { description: 'Create an access key for a user (default: you); the secret is shown this once', load: () => import('./create-access-key.js') },
  CreateGroup: { description: 'Create an IAM group', load: () => import('./create-group.js') },
  CreatePolicy: { description: 'Create a managed policy (attach it to users and groups)', load: () => import('./create-policy.js') },
  CreateRole: { description: 'Create an IAM role with its trust policy (who may assume it)', load: () => import('./create-role.js') },
  CreateUser: { description: 'Create an IAM user (it may do nothing until given a policy)', load: () => import('./create-user.js') },
  GetRole: { description: 'Show a role and its trust policy', load: () => import('./get-role.js') },
  GetUser: { description: 'Show a user (default: the caller)', load: () => import('./get-user.js') },
  ListAccessKeys: { description: 'List the access keys of a user (default: yours), without secrets', load: () => import('./list-access-keys.js') },
  ListAttachedGroupPolicies: { description: 'List the managed policies attached to a group', load: () => import('./list-attached-group-policies.js') },
  ListAttachedRolePolicies: { description: 'List the managed policies attached to a role', load: () => import('./list-attached-user-policies.js') },
  ListAttachedUserPolicies: { description: 'List the managed policies attached to a user', load: () => import('./list-attached-user-policies.js') },
  ListGroupPolicies: { description: 'List the inline policies of a group', load: () => import('./list-group-policies.js') },
  ListGroupsForUser: { description: 'List the groups a user is in', load: () => import('./list-groups-for-user.js') },
  ListGroups: { description: 'List the IAM groups', load: () => import('./list-groups.js') },
  ListPolicies: { description: 'List the managed policies', load: () => import('./list-policies.js') },
  ListRolePolicies: { description: 'List the inline policies of a role', load: () => import('./list-user-policies.js') },
  ListRoles: { description: 'List the IAM roles', load: () => import('./list-roles.js') },
  ListUserPolicies: { description: 'List the inline policies of a user', load: () => import('./list-user-policies.js') },
  ListUsers: { description: 'List the IAM users', load: () => import('./list-users.js') },
  SimulatePrincipalPolicy: { description: 'Decide actions on resources under the policies of a user, and show the deciding statement', load: () => import('./simulate-principal-policy.js') },
  ...Object.fromEntries(Object.entries(ONE_LINE_COMMANDS).map(([operation, { description, command }]) => [operation, { description, load: () => Promise.resolve({ command }) }])),
};
