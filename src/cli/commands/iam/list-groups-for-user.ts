/** `wharf iam list-groups-for-user`: IAM ListGroupsForUser. */
import type { GroupView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import { moreLine } from './iam-command.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ Groups: GroupView[]; NextToken?: string }> = {
  render: (page) => [table([['NAME', 'ARN'], ...page.Groups.map((g) => [g.GroupName, g.Arn])]), ...moreLine(page)].join('\n'),
};
