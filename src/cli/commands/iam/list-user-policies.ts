/** `wharf iam list-user-policies` and `list-role-policies`: IAM ListUserPolicies, ListRolePolicies. */
import { moreLine } from './iam-command.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ PolicyNames: string[]; NextToken?: string }> = {
  render: (page) => [...page.PolicyNames, ...moreLine(page)].join('\n'),
};
