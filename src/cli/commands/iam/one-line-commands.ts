/**
 * The `wharf iam` commands whose answer is one word (a change done) or one entity: one table of
 * their AWS CLI names, operations and flags over `iamCommand`, rather than a file each. Commands
 * with a rendering of their own (lists, keys, simulation) keep their files.
 */
import type { Command } from 'commander';
import type { GroupView, PolicyView, UserView } from '../../../model/api/iam.js';
import type { IamCommandSpec, IamFlag } from './iam-command.js';
import { iamCommand, PAGE_FLAGS, userTable } from './iam-command.js';

const USER: IamFlag = { flag: 'user-name', key: 'UserName', help: 'the user', required: true };
const GROUP: IamFlag = { flag: 'group-name', key: 'GroupName', help: 'the group', required: true };
const POLICY_NAME: IamFlag = { flag: 'policy-name', key: 'PolicyName', help: 'the inline policy', required: true };
const POLICY_ARN: IamFlag = { flag: 'policy-arn', key: 'PolicyArn', help: 'the managed policy ARN', required: true };
const POLICY_DOCUMENT: IamFlag = { flag: 'policy-document', key: 'PolicyDocument', kind: 'document', help: 'the policy JSON, inline or file://path', required: true };
const KEY_USER: IamFlag = { flag: 'user-name', key: 'UserName', help: 'the user (default: you)' };
const ACCESS_KEY: IamFlag = { flag: 'access-key-id', key: 'AccessKeyId', help: 'the key', required: true };

/** A command that answers nothing to show: it prints what it did. */
function change(name: string, operation: string, description: string, flags: readonly IamFlag[], done: string): IamCommandSpec<unknown> {
  return { name, operation, description, flags, render: () => done };
}

const COMMANDS: readonly IamCommandSpec<never>[] = [
  change('add-user-to-group', 'AddUserToGroup', 'Add a user to a group (the user gets the group policies)', [GROUP, USER], 'added'),
  change('attach-user-policy', 'AttachUserPolicy', 'Attach a managed policy to a user', [USER, POLICY_ARN], 'attached'),
  change('attach-group-policy', 'AttachGroupPolicy', 'Attach a managed policy to a group', [GROUP, POLICY_ARN], 'attached'),
  change('put-user-policy', 'PutUserPolicy', 'Add or replace an inline policy of a user', [USER, { ...POLICY_NAME, help: 'the policy name' }, POLICY_DOCUMENT], 'put'),
  change('put-group-policy', 'PutGroupPolicy', 'Add or replace an inline policy of a group', [GROUP, { ...POLICY_NAME, help: 'the policy name' }, POLICY_DOCUMENT], 'put'),
  change('delete-user', 'DeleteUser', 'Delete a user that has no keys, policies or groups left', [USER], 'deleted'),
  change('update-access-key', 'UpdateAccessKey', 'Make an access key Active or Inactive', [KEY_USER, ACCESS_KEY, { flag: 'status', key: 'Status', help: 'Active or Inactive', required: true }], 'updated'),
  change('delete-access-key', 'DeleteAccessKey', 'Delete an access key', [KEY_USER, ACCESS_KEY], 'deleted'),
  change('delete-group', 'DeleteGroup', 'Delete a group (it must have no members and no policies)', [GROUP], 'deleted'),
  change('remove-user-from-group', 'RemoveUserFromGroup', 'Take a user out of a group', [GROUP, USER], 'removed'),
  change('detach-user-policy', 'DetachUserPolicy', 'Detach a managed policy from a user', [USER, POLICY_ARN], 'detached'),
  change('detach-group-policy', 'DetachGroupPolicy', 'Detach a managed policy from a group', [GROUP, POLICY_ARN], 'detached'),
  change('delete-user-policy', 'DeleteUserPolicy', "Delete one of a user's inline policies", [USER, POLICY_NAME], 'deleted'),
  change('delete-group-policy', 'DeleteGroupPolicy', "Delete one of a group's inline policies", [GROUP, POLICY_NAME], 'deleted'),
  change('delete-policy', 'DeletePolicy', 'Delete a managed policy (it must be attached nowhere)', [POLICY_ARN], 'deleted'),
  {
    name: 'get-group',
    operation: 'GetGroup',
    description: 'Show a group and its users',
    flags: [GROUP, ...PAGE_FLAGS],
    render: ({ Group, Users }: { Group: GroupView; Users: UserView[] }) => `${Group.GroupName}  ${Group.Arn}\n${userTable(Users)}`,
  },
  {
    name: 'get-policy',
    operation: 'GetPolicy',
    description: 'Show a managed policy and its document',
    flags: [POLICY_ARN],
    render: ({ Policy, PolicyVersion }: { Policy: PolicyView; PolicyVersion: { Document: string } }) =>
      `${Policy.PolicyName}  ${Policy.Arn}  attached ${Policy.AttachmentCount} times\n${PolicyVersion.Document}`,
  },
  { name: 'get-user-policy', operation: 'GetUserPolicy', description: "Show a user's inline policy", flags: [USER, POLICY_NAME], render: ({ PolicyDocument }: { PolicyDocument: string }) => PolicyDocument },
  { name: 'get-group-policy', operation: 'GetGroupPolicy', description: "Show a group's inline policy", flags: [GROUP, POLICY_NAME], render: ({ PolicyDocument }: { PolicyDocument: string }) => PolicyDocument },
];

export function register(iam: Command): void {
  for (const spec of COMMANDS) iamCommand(iam, spec);
}
