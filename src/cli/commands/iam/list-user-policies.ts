/** `wharf iam list-user-policies`: IAM ListUserPolicies. */
import type { Command } from 'commander';
import { PAGE_FLAGS, iamCommand, moreLine } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ PolicyNames: string[]; IsTruncated: boolean; Marker?: string }>(iam, {
    name: 'list-user-policies',
    operation: 'ListUserPolicies',
    description: 'List the inline policies of a user',
    flags: [{ flag: 'user-name', key: 'UserName', help: 'the user', required: true }, ...PAGE_FLAGS],
    render: (page) => [...page.PolicyNames, ...moreLine(page)].join('\n'),
  });
}
