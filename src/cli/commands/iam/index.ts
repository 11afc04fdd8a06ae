/** `wharf iam …`: the AWS CLI's IAM commands (users, groups, access keys, policies, simulation), one file each. */
import type { Command } from 'commander';
import { register as registerCreateUser } from './create-user.js';
import { register as registerGetUser } from './get-user.js';
import { register as registerListUsers } from './list-users.js';
import { register as registerCreateGroup } from './create-group.js';
import { register as registerListGroups } from './list-groups.js';
import { register as registerCreateAccessKey } from './create-access-key.js';
import { register as registerListAccessKeys } from './list-access-keys.js';
import { register as registerCreatePolicy } from './create-policy.js';
import { register as registerSimulatePrincipalPolicy } from './simulate-principal-policy.js';
import { register as registerListPolicies } from './list-policies.js';
import { register as registerListUserPolicies } from './list-user-policies.js';
import { register as registerListGroupPolicies } from './list-group-policies.js';
import { register as registerListGroupsForUser } from './list-groups-for-user.js';
import { register as registerListAttachedUserPolicies } from './list-attached-user-policies.js';
import { register as registerListAttachedGroupPolicies } from './list-attached-group-policies.js';
import { register as registerOneLineCommands } from './one-line-commands.js';

export function register(program: Command): void {
  const iam = program.command('iam').description('IAM: users, groups, access keys and the policies that say what they may do');
  registerCreateUser(iam);
  registerGetUser(iam);
  registerListUsers(iam);
  registerCreateGroup(iam);
  registerListGroups(iam);
  registerCreateAccessKey(iam);
  registerListAccessKeys(iam);
  registerCreatePolicy(iam);
  registerSimulatePrincipalPolicy(iam);
  registerListPolicies(iam);
  registerListUserPolicies(iam);
  registerListGroupPolicies(iam);
  registerListGroupsForUser(iam);
  registerListAttachedUserPolicies(iam);
  registerListAttachedGroupPolicies(iam);
  registerOneLineCommands(iam);
}
