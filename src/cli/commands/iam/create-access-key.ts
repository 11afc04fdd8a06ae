/** `wharf iam create-access-key`: IAM CreateAccessKey. */
import type { AccessKeyView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ AccessKey: AccessKeyView }> = {
  render: ({ AccessKey }) => table([['ACCESS KEY ID', 'SECRET ACCESS KEY', 'STATUS'], [AccessKey.AccessKeyId, AccessKey.SecretAccessKey, AccessKey.Status]]) + '\nThe secret is shown only now: keep it safe.',
};
