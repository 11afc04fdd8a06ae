/** `wharf iam list-policies`: IAM ListPolicies. */
import type { PolicyView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import { moreLine } from './iam-command.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ Policies: PolicyView[]; NextToken?: string }> = {
  render: (page) => [table([['NAME', 'ARN', 'ATTACHMENTS'], ...page.Policies.map((p) => [p.PolicyName, p.Arn, String(p.AttachmentCount)])]), ...moreLine(page)].join('\n'),
};
