/**
 * The `wharf iam` commands whose answer is one word (a change done) or one entity: one table of
 * their descriptions and renderings, rather than a file each. Commands with a rendering of their
 * own (lists, keys, simulation) keep their files.
 */
import type { GroupView, PolicyView, UserView } from '../../../model/api/iam.js';
import type { AwsCommandSpec } from '../../aws/command.js';
import { userTable } from './iam-command.js';

interface OneLine {
  readonly description: string;
  readonly command: AwsCommandSpec<never>;
}

/** A command that answers nothing to show: it prints what it did. */
const change = (description: string, done: string): OneLine => ({ description, command: { render: () => done } });

export const ONE_LINE_COMMANDS: Readonly<Record<string, OneLine>> = {
  AddUserToGroup: change('Add a user to a group (the user gets the group policies)', 'added'),
  AttachUserPolicy: change('Attach a managed policy to a user', 'attached'),
  AttachGroupPolicy: change('Attach a managed policy to a group', 'attached'),
  PutUserPolicy: change('Add or replace an inline policy of a user', 'put'),
  PutGroupPolicy: change('Add or replace an inline policy of a group', 'put'),
  DeleteUser: change('Delete a user that has no keys, policies or groups left', 'deleted'),
  UpdateAccessKey: change('Make an access key Active or Inactive', 'updated'),
  DeleteAccessKey: change('Delete an access key', 'deleted'),
  DeleteGroup: change('Delete a group (it must have no members and no policies)', 'deleted'),
  RemoveUserFromGroup: change('Take a user out of a group', 'removed'),
  DetachUserPolicy: change('Detach a managed policy from a user', 'detached'),
  DetachGroupPolicy: change('Detach a managed policy from a group', 'detached'),
  DeleteUserPolicy: change("Delete one of a user's inline policies", 'deleted'),
  DeleteGroupPolicy: change("Delete one of a group's inline policies", 'deleted'),
  DeleteRole: change('Delete a role that has no inline or attached policies left', 'deleted'),
  UpdateRole: change("Change a role's description or maximum session length", 'updated'),
  UpdateAssumeRolePolicy: change("Replace a role's trust policy (who may assume it)", 'updated'),
  PutRolePolicy: change('Add or replace an inline policy of a role', 'put'),
  DeleteRolePolicy: change("Delete one of a role's inline policies", 'deleted'),
  AttachRolePolicy: change('Attach a managed policy to a role', 'attached'),
  DetachRolePolicy: change('Detach a managed policy from a role', 'detached'),
  DeletePolicy: change('Delete a managed policy (it must be attached nowhere)', 'deleted'),
  GetGroup: {
    description: 'Show a group and its users',
    command: { render: ({ Group, Users }: { Group: GroupView; Users: UserView[] }) => `${Group.GroupName}  ${Group.Arn}\n${userTable(Users)}` } as AwsCommandSpec<never>,
  },
  GetPolicy: {
    description: 'Show a managed policy and its document',
    command: {
      render: ({ Policy, PolicyVersion }: { Policy: PolicyView; PolicyVersion: { Document: string } }) => `${Policy.PolicyName}  ${Policy.Arn}  attached ${Policy.AttachmentCount} times\n${PolicyVersion.Document}`,
    } as AwsCommandSpec<never>,
  },
  GetUserPolicy: { description: "Show a user's inline policy", command: { render: ({ PolicyDocument }: { PolicyDocument: string }) => PolicyDocument } as AwsCommandSpec<never> },
  GetRolePolicy: { description: "Show a role's inline policy", command: { render: ({ PolicyDocument }: { PolicyDocument: string }) => PolicyDocument } as AwsCommandSpec<never> },
  GetGroupPolicy: { description: "Show a group's inline policy", command: { render: ({ PolicyDocument }: { PolicyDocument: string }) => PolicyDocument } as AwsCommandSpec<never> },
};
