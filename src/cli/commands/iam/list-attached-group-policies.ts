/** `wharf iam list-attached-group-policies`: IAM ListAttachedGroupPolicies. */
import type { Command } from 'commander';
import type { AttachedPolicyView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import { PAGE_FLAGS, iamCommand, moreLine } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ AttachedPolicies: AttachedPolicyView[]; IsTruncated: boolean; Marker?: string }>(iam, {
    name: 'list-attached-group-policies',
    operation: 'ListAttachedGroupPolicies',
    description: 'List the managed policies attached to a group',
    flags: [{ flag: 'group-name', key: 'GroupName', help: 'the group', required: true }, ...PAGE_FLAGS],
    render: (page) => [table([['NAME', 'ARN'], ...page.AttachedPolicies.map((p) => [p.PolicyName, p.PolicyArn])]), ...moreLine(page)].join('\n'),
  });
}
