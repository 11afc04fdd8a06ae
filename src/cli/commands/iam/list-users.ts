/** `wharf iam list-users`: IAM ListUsers. */
import type { Command } from 'commander';
import type { UserView } from '../../../model/api/iam.js';
import { PAGE_FLAGS, iamCommand, moreLine, userTable } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ Users: UserView[]; IsTruncated: boolean; Marker?: string }>(iam, {
    name: 'list-users',
    operation: 'ListUsers',
    description: 'List the IAM users',
    flags: [{ flag: 'path-prefix', key: 'PathPrefix', help: 'only users under this path' }, ...PAGE_FLAGS],
    render: (page) => [userTable(page.Users), ...moreLine(page)].join('\n'),
  });
}
