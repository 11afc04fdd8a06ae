/** `wharf iam list-group-policies`: IAM ListGroupPolicies. */
import type { Command } from 'commander';
import { PAGE_FLAGS, iamCommand, moreLine } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ PolicyNames: string[]; IsTruncated: boolean; Marker?: string }>(iam, {
    name: 'list-group-policies',
    operation: 'ListGroupPolicies',
    description: 'List the inline policies of a group',
    flags: [{ flag: 'group-name', key: 'GroupName', help: 'the group', required: true }, ...PAGE_FLAGS],
    render: (page) => [...page.PolicyNames, ...moreLine(page)].join('\n'),
  });
}
