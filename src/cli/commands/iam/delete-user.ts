/** `wharf iam delete-user`: IAM DeleteUser. */
import type { Command } from 'commander';
import { iamCommand } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<Record<string, never>>(iam, {
    name: 'delete-user',
    operation: 'DeleteUser',
    description: 'Delete a user that has no keys, policies or groups left',
    flags: [{ flag: 'user-name', key: 'UserName', help: 'the user', required: true }],
    render: () => 'deleted',
  });
}
