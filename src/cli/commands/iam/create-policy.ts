/** `wharf iam create-policy`: IAM CreatePolicy. */
import type { Command } from 'commander';
import type { PolicyView } from '../../../model/api/iam.js';
import { iamCommand } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ Policy: PolicyView }>(iam, {
    name: 'create-policy',
    operation: 'CreatePolicy',
    description: 'Create a managed policy (attach it to users and groups)',
    flags: [{ flag: 'policy-name', key: 'PolicyName', help: 'the policy name', required: true }, { flag: 'policy-document', key: 'PolicyDocument', kind: 'document', help: 'the policy JSON, inline or file://path', required: true }, { flag: 'path', key: 'Path', help: 'the path, e.g. /team/ (default /)' }, { flag: 'description', key: 'Description', help: 'what it is for' }],
    render: ({ Policy }) => Policy.Arn,
  });
}
