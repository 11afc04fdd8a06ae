/** `wharf iam list-users`: IAM ListUsers. */
import type { UserView } from '../../../model/api/iam.js';
import { moreLine, userTable } from './iam-command.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ Users: UserView[]; NextToken?: string }> = {
  render: (page) => [userTable(page.Users), ...moreLine(page)].join('\n'),
};
