/** `wharf iam create-policy`: IAM CreatePolicy. */
import type { PolicyView } from '../../../model/api/iam.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ Policy: PolicyView }> = {
  render: ({ Policy }) => Policy.Arn,
};
