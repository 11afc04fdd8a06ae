/**
 * The `wharf iam` commands that read one entity or take something away: one table of their AWS
 * CLI names, operations and flags over `iamCommand`, rather than a file each.
 */
import type { Command } from 'commander';
import type { GroupView, PolicyView, UserView } from '../../../model/api/iam.js';
import type { IamCommandSpec, IamFlag } from './iam-command.js';
import { iamCommand, PAGE_FLAGS, userTable } from './iam-command.js';

const USER: IamFlag = { flag: 'user-name', key: 'UserName', help: 'the user', required: true };
const GROUP: IamFlag = { flag: 'group-name', key: 'GroupName', help: 'the group', required: true };
const POLICY_NAME: IamFlag = { flag: 'policy-name', key: 'PolicyName', help: 'the inline policy', required: true };
const POLICY_ARN: IamFlag = { flag: 'policy-arn', key: 'PolicyArn', help: 'the managed policy ARN', required: true };

/** A command that answers nothing to show: it prints what it did. */
function removal(name: string, operation: string, description: string, flags: readonly IamFlag[], done: string): IamCommandSpec<unknown> {
  return { name, operation, description, flags, render: () => done };
}

const COMMANDS: readonly IamCommandSpec<never>[] = [
  removal('delete-group', 'DeleteGroup', 'Delete a group (it must have no members and no policies)', [GROUP], 'deleted'),
  removal('remove-user-from-group', 'RemoveUserFromGroup', 'Take a user out of a group', [GROUP, USER], 'removed'),
  removal('detach-user-policy', 'DetachUserPolicy', 'Detach a managed policy from a user', [USER, POLICY_ARN], 'detached'),
  removal('detach-group-policy', 'DetachGroupPolicy', 'Detach a managed policy from a group', [GROUP, POLICY_ARN], 'detached'),
  removal('delete-user-policy', 'DeleteUserPolicy', "Delete one of a user's inline policies", [USER, POLICY_NAME], 'deleted'),
  removal('delete-group-policy', 'DeleteGroupPolicy', "Delete one of a group's inline policies", [GROUP, POLICY_NAME], 'deleted'),
  removal('delete-policy', 'DeletePolicy', 'Delete a managed policy (it must be attached nowhere)', [POLICY_ARN], 'deleted'),
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
