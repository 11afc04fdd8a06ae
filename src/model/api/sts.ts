/**
 * STS (`POST /v1/sts/<Operation>`, AWS's PascalCase JSON; Query protocol `2011-06-15` on the AWS
 * endpoint): AssumeRole, which hands out a role session's credentials, and GetCallerIdentity. The
 * secret access key and session token appear in one view only: AssumeRole's.
 */
import { z } from 'zod';
import { bodyOperations } from './operation.js';
import { notYetField } from '../validation.js';
import { MAX_MAX_SESSION_DURATION } from '../iam/principal.js';
import { MIN_SESSION_DURATION, ROLE_SESSION_NAME } from '../iam/session.js';

const roleArn = z.string().min(20, 'RoleArn is a role ARN such as arn:wharf:iam::000000000000:role/web').max(2048).regex(/^arn:[^:]+:iam::\d{12}:role\/./, 'RoleArn is a role ARN such as arn:wharf:iam::000000000000:role/web');

export const assumeRoleRequestSchema = z
  .object({
    RoleArn: roleArn,
    RoleSessionName: z.string().regex(ROLE_SESSION_NAME, 'A role session name has 2 to 64 letters, digits or +=,.@_- characters'),
    DurationSeconds: z
      .number()
      .int()
      .min(MIN_SESSION_DURATION, `DurationSeconds is at least ${MIN_SESSION_DURATION}`)
      .max(MAX_MAX_SESSION_DURATION, `DurationSeconds is at most ${MAX_MAX_SESSION_DURATION} (and the role's MaxSessionDuration)`)
      .optional(),
    Policy: notYetField("session policies; the session has its role's policies"),
    PolicyArns: notYetField("session policies; the session has its role's policies"),
    Tags: notYetField('session tags'),
    TransitiveTagKeys: notYetField('session tags'),
    ExternalId: notYetField('external ids (a third party assuming the role)'),
    SerialNumber: notYetField('MFA'),
    TokenCode: notYetField('MFA'),
    SourceIdentity: notYetField('source identities'),
    ProvidedContexts: notYetField('provided contexts'),
  })
  .strict();
export type AssumeRoleRequest = z.output<typeof assumeRoleRequestSchema>;

export const getCallerIdentityRequestSchema = z.object({}).strict();

/** A session's credentials: the secret and the token are shown this once. */
export interface CredentialsView {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** ISO 8601. */
  Expiration: string;
}

export interface AssumeRoleView {
  Credentials: CredentialsView;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
}

export interface CallerIdentityView {
  UserId: string;
  Account: string;
  Arn: string;
}

/** STS's operations (`2011-06-15`): each one's native route (`POST /v1/sts/<Operation>`) and request schema (see `operation.ts`), read by the AWS endpoint's Query protocol and the `wharf sts` commands. */
export const STS_API = bodyOperations('sts', {
  AssumeRole: assumeRoleRequestSchema,
  GetCallerIdentity: getCallerIdentityRequestSchema,
});
