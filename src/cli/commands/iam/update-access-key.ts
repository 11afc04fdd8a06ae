/** `wharf iam update-access-key`: IAM UpdateAccessKey. */
import type { Command } from 'commander';
import { iamCommand } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<Record<string, never>>(iam, {
    name: 'update-access-key',
    operation: 'UpdateAccessKey',
    description: 'Make an access key Active or Inactive',
    flags: [{ flag: 'user-name', key: 'UserName', help: 'the user (default: you)' }, { flag: 'access-key-id', key: 'AccessKeyId', help: 'the key', required: true }, { flag: 'status', key: 'Status', help: 'Active or Inactive', required: true }],
    render: () => 'updated',
  });
}
