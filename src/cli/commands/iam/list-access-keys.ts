/** `wharf iam list-access-keys`: IAM ListAccessKeys. */
import type { Command } from 'commander';
import type { AccessKeyMetadataView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import { PAGE_FLAGS, iamCommand, moreLine } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ AccessKeyMetadata: AccessKeyMetadataView[]; IsTruncated: boolean; Marker?: string }>(iam, {
    name: 'list-access-keys',
    operation: 'ListAccessKeys',
    description: 'List the access keys of a user (default: yours), without secrets',
    flags: [{ flag: 'user-name', key: 'UserName', help: 'the user (default: you)' }, ...PAGE_FLAGS],
    render: (page) => [table([['ACCESS KEY ID', 'STATUS', 'CREATED'], ...page.AccessKeyMetadata.map((k) => [k.AccessKeyId, k.Status, k.CreateDate])]), ...moreLine(page)].join('\n'),
  });
}
