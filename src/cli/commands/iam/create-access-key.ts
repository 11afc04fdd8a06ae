/** `wharf iam create-access-key`: IAM CreateAccessKey. */
import type { Command } from 'commander';
import type { AccessKeyView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import { iamCommand } from './iam-command.js';

export function register(iam: Command): void {
  iamCommand<{ AccessKey: AccessKeyView }>(iam, {
    name: 'create-access-key',
    operation: 'CreateAccessKey',
    description: 'Create an access key for a user (default: you); the secret is shown this once',
    flags: [{ flag: 'user-name', key: 'UserName', help: 'the user (default: you)' }],
    render: ({ AccessKey }) => table([['ACCESS KEY ID', 'SECRET ACCESS KEY', 'STATUS'], [AccessKey.AccessKeyId, AccessKey.SecretAccessKey, AccessKey.Status]]) + '\nThe secret is shown only now: keep it safe.',
  });
}
