/** `wharf iam list-groups-for-user`: IAM ListGroupsForUser. */
import type { Command } from 'commander';
import type { GroupView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import { PAGE_FLAGS, iamCommand, moreLine } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ Groups: GroupView[]; IsTruncated: boolean; Marker?: string }>(iam, {
    name: 'list-groups-for-user',
    operation: 'ListGroupsForUser',
    description: 'List the groups a user is in',
    flags: [{ flag: 'user-name', key: 'UserName', help: 'the user', required: true }, ...PAGE_FLAGS],
    render: (page) => [table([['NAME', 'ARN'], ...page.Groups.map((g) => [g.GroupName, g.Arn])]), ...moreLine(page)].join('\n'),
  });
}
