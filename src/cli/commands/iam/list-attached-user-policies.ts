/** `wharf iam list-attached-user-policies`: IAM ListAttachedUserPolicies. */
import type { Command } from 'commander';
import type { AttachedPolicyView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import { PAGE_FLAGS, iamCommand, moreLine } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ AttachedPolicies: AttachedPolicyView[]; IsTruncated: boolean; Marker?: string }>(iam, {
    name: 'list-attached-user-policies',
    operation: 'ListAttachedUserPolicies',
    description: 'List the managed policies attached to a user',
    flags: [{ flag: 'user-name', key: 'UserName', help: 'the user', required: true }, ...PAGE_FLAGS],
    render: (page) => [table([['NAME', 'ARN'], ...page.AttachedPolicies.map((p) => [p.PolicyName, p.PolicyArn])]), ...moreLine(page)].join('\n'),
  });
}
