/** `wharf iam list-attached-user-policies` and `list-attached-role-policies`: IAM ListAttachedUserPolicies, ListAttachedRolePolicies. */
import type { AttachedPolicyView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import { moreLine } from './iam-command.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ AttachedPolicies: AttachedPolicyView[]; NextToken?: string }> = {
  render: (page) => [table([['NAME', 'ARN'], ...page.AttachedPolicies.map((p) => [p.PolicyName, p.PolicyArn])]), ...moreLine(page)].join('\n'),
};
