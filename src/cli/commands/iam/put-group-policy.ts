/** `wharf iam put-group-policy`: IAM PutGroupPolicy. */
import type { Command } from 'commander';
import { iamCommand } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<Record<string, never>>(iam, {
    name: 'put-group-policy',
    operation: 'PutGroupPolicy',
    description: 'Add or replace an inline policy of a group',
    flags: [{ flag: 'group-name', key: 'GroupName', help: 'the group', required: true }, { flag: 'policy-name', key: 'PolicyName', help: 'the policy name', required: true }, { flag: 'policy-document', key: 'PolicyDocument', kind: 'document', help: 'the policy JSON, inline or file://path', required: true }],
    render: () => 'put',
  });
}
