/** `wharf iam list-access-keys`: IAM ListAccessKeys. */
import type { AccessKeyMetadataView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import { moreLine } from './iam-command.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ AccessKeyMetadata: AccessKeyMetadataView[]; NextToken?: string }> = {
  render: (page) => [table([['ACCESS KEY ID', 'STATUS', 'CREATED'], ...page.AccessKeyMetadata.map((k) => [k.AccessKeyId, k.Status, k.CreateDate])]), ...moreLine(page)].join('\n'),
};
