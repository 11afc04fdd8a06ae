/** `wharf iam get-user`: IAM GetUser. */
import type { Command } from 'commander';
import type { UserView } from '../../../model/api/iam.js';
import { iamCommand, userTable } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ User: UserView }>(iam, {
    name: 'get-user',
    operation: 'GetUser',
    description: 'Show a user (default: the caller)',
    flags: [{ flag: 'user-name', key: 'UserName', help: 'the user (default: you)' }],
    render: ({ User }) => userTable([User]),
  });
}
