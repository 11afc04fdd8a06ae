/** `wharf iam create-group`: IAM CreateGroup. */
import type { Command } from 'commander';
import type { GroupView } from '../../../model/api/iam.js';
import { iamCommand } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ Group: GroupView }>(iam, {
    name: 'create-group',
    operation: 'CreateGroup',
    description: 'Create an IAM group',
    flags: [{ flag: 'group-name', key: 'GroupName', help: 'the group', required: true }, { flag: 'path', key: 'Path', help: 'the path, e.g. /team/ (default /)' }],
    render: ({ Group }) => `${Group.Arn}  ${Group.GroupId}`,
  });
}
