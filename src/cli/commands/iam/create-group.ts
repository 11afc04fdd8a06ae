/** `wharf iam create-group`: IAM CreateGroup. */
import type { GroupView } from '../../../model/api/iam.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ Group: GroupView }> = {
  render: ({ Group }) => `${Group.Arn}  ${Group.GroupId}`,
};
