/** `wharf iam …`: the AWS CLI's IAM commands (users, groups, access keys, policies, simulation), one file each. */
import type { Command } from 'commander';
import { register as registerCreateUser } from './create-user.js';
import { register as registerGetUser } from './get-user.js';
import { register as registerListUsers } from './list-users.js';
import { register as registerDeleteUser } from './delete-user.js';
import { register as registerCreateGroup } from './create-group.js';
import { register as registerListGroups } from './list-groups.js';
import { register as registerAddUserToGroup } from './add-user-to-group.js';
import { register as registerCreateAccessKey } from './create-access-key.js';
import { register as registerListAccessKeys } from './list-access-keys.js';
import { register as registerUpdateAccessKey } from './update-access-key.js';
import { register as registerDeleteAccessKey } from './delete-access-key.js';
import { register as registerPutUserPolicy } from './put-user-policy.js';
import { register as registerPutGroupPolicy } from './put-group-policy.js';
import { register as registerCreatePolicy } from './create-policy.js';
import { register as registerAttachUserPolicy } from './attach-user-policy.js';
import { register as registerAttachGroupPolicy } from './attach-group-policy.js';
import { register as registerSimulatePrincipalPolicy } from './simulate-principal-policy.js';

export function register(program: Command): void {
  const iam = program.command('iam').description('IAM: users, groups, access keys and the policies that say what they may do');
  registerCreateUser(iam);
  registerGetUser(iam);
  registerListUsers(iam);
  registerDeleteUser(iam);
  registerCreateGroup(iam);
  registerListGroups(iam);
  registerAddUserToGroup(iam);
  registerCreateAccessKey(iam);
  registerListAccessKeys(iam);
  registerUpdateAccessKey(iam);
  registerDeleteAccessKey(iam);
  registerPutUserPolicy(iam);
  registerPutGroupPolicy(iam);
  registerCreatePolicy(iam);
  registerAttachUserPolicy(iam);
  registerAttachGroupPolicy(iam);
  registerSimulatePrincipalPolicy(iam);
}
