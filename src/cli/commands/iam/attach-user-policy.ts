/** `wharf iam attach-user-policy`: IAM AttachUserPolicy. */
import type { Command } from 'commander';
import { iamCommand } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<Record<string, never>>(iam, {
    name: 'attach-user-policy',
    operation: 'AttachUserPolicy',
    description: 'Attach a managed policy to a user',
    flags: [{ flag: 'user-name', key: 'UserName', help: 'the user', required: true }, { flag: 'policy-arn', key: 'PolicyArn', help: 'the managed policy ARN', required: true }],
    render: () => 'attached',
  });
}
