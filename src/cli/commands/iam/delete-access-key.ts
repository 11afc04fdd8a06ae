/** `wharf iam delete-access-key`: IAM DeleteAccessKey. */
import type { Command } from 'commander';
import { iamCommand } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<Record<string, never>>(iam, {
    name: 'delete-access-key',
    operation: 'DeleteAccessKey',
    description: 'Delete an access key',
    flags: [{ flag: 'user-name', key: 'UserName', help: 'the user (default: you)' }, { flag: 'access-key-id', key: 'AccessKeyId', help: 'the key', required: true }],
    render: () => 'deleted',
  });
}
