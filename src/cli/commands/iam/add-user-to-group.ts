/** `wharf iam add-user-to-group`: IAM AddUserToGroup. */
import type { Command } from 'commander';
import { iamCommand } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<Record<string, never>>(iam, {
    name: 'add-user-to-group',
    operation: 'AddUserToGroup',
    description: 'Add a user to a group (the user gets the group policies)',
    flags: [{ flag: 'group-name', key: 'GroupName', help: 'the group', required: true }, { flag: 'user-name', key: 'UserName', help: 'the user', required: true }],
    render: () => 'added',
  });
}
