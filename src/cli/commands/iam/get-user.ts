/** `wharf iam get-user`: IAM GetUser. */
import type { UserView } from '../../../model/api/iam.js';
import { userTable } from './iam-command.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ User: UserView }> = {
  render: ({ User }) => userTable([User]),
};
