/** `wharf iam list-groups`: IAM ListGroups. */
import type { Command } from 'commander';
import type { GroupView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import { PAGE_FLAGS, iamCommand, moreLine } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ Groups: GroupView[]; IsTruncated: boolean; Marker?: string }>(iam, {
    name: 'list-groups',
    operation: 'ListGroups',
    description: 'List the IAM groups',
    flags: [{ flag: 'path-prefix', key: 'PathPrefix', help: 'only groups under this path' }, ...PAGE_FLAGS],
    render: (page) => [table([['NAME', 'ARN'], ...page.Groups.map((g) => [g.GroupName, g.Arn])]), ...moreLine(page)].join('\n'),
  });
}
