/** `wharf iam put-user-policy`: IAM PutUserPolicy. */
import type { Command } from 'commander';
import { iamCommand } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<Record<string, never>>(iam, {
    name: 'put-user-policy',
    operation: 'PutUserPolicy',
    description: 'Add or replace an inline policy of a user',
    flags: [{ flag: 'user-name', key: 'UserName', help: 'the user', required: true }, { flag: 'policy-name', key: 'PolicyName', help: 'the policy name', required: true }, { flag: 'policy-document', key: 'PolicyDocument', kind: 'document', help: 'the policy JSON, inline or file://path', required: true }],
    render: () => 'put',
  });
}
