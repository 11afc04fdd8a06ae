/** `wharf iam create-user`: IAM CreateUser. */
import type { Command } from 'commander';
import type { UserView } from '../../../model/api/iam.js';
import { iamCommand } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ User: UserView }>(iam, {
    name: 'create-user',
    operation: 'CreateUser',
    description: 'Create an IAM user (it may do nothing until given a policy)',
    flags: [{ flag: 'user-name', key: 'UserName', help: 'the user', required: true }, { flag: 'path', key: 'Path', help: 'the path, e.g. /team/ (default /)' }],
    render: ({ User }) => `${User.Arn}  ${User.UserId}`,
  });
}
