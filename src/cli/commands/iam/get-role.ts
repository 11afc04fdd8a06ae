/** `wharf iam get-role`: IAM GetRole: the role, then its trust policy. */
import type { RoleView } from '../../../model/api/iam.js';
import { roleTable } from './iam-command.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ Role: RoleView }> = {
  render: ({ Role }) => [roleTable([Role]), ...(Role.Description ? [Role.Description] : []), Role.AssumeRolePolicyDocument].join('\n'),
};
