/** `wharf iam attach-group-policy`: IAM AttachGroupPolicy. */
import type { Command } from 'commander';
import { iamCommand } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<Record<string, never>>(iam, {
    name: 'attach-group-policy',
    operation: 'AttachGroupPolicy',
    description: 'Attach a managed policy to a group',
    flags: [{ flag: 'group-name', key: 'GroupName', help: 'the group', required: true }, { flag: 'policy-arn', key: 'PolicyArn', help: 'the managed policy ARN', required: true }],
    render: () => 'attached',
  });
}
