/** `wharf iam create-role`: IAM CreateRole. */
import type { RoleView } from '../../../model/api/iam.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ Role: RoleView }> = {
  render: ({ Role }) => `${Role.Arn}  ${Role.RoleId}`,
};
