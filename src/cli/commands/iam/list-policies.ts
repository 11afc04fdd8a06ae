/** `wharf iam list-policies`: IAM ListPolicies. */
import type { Command } from 'commander';
import type { PolicyView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import { PAGE_FLAGS, iamCommand, moreLine } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ Policies: PolicyView[]; IsTruncated: boolean; Marker?: string }>(iam, {
    name: 'list-policies',
    operation: 'ListPolicies',
    description: 'List the managed policies',
    flags: [{ flag: 'path-prefix', key: 'PathPrefix', help: 'only policies under this path' }, ...PAGE_FLAGS],
    render: (page) => [table([['NAME', 'ARN', 'ATTACHMENTS'], ...page.Policies.map((p) => [p.PolicyName, p.Arn, String(p.AttachmentCount)])]), ...moreLine(page)].join('\n'),
  });
}
