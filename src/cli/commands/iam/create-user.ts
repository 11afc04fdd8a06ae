/** `wharf iam create-user`: IAM CreateUser. */
import type { UserView } from '../../../model/api/iam.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ User: UserView }> = {
  render: ({ User }) => `${User.Arn}  ${User.UserId}`,
};
