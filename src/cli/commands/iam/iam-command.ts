/**
 * Helpers of the `wharf iam …` renderings. The commands themselves are the AWS CLI's, read by the
 * IAM model (`src/cli/aws/`): PascalCase JSON POSTed to `/v1/iam/<Operation>`. Policy documents
 * are strings in the model, so they are sent as the text given (inline JSON or `file://path`), and
 * the controller's parser can say at which line and column a broken one breaks.
 */
import type { RoleView, UserView } from '../../../model/api/iam.js';
import { table } from '../../output.js';

/** The line that says more remain (the list stopped at --max-items), when they do. */
export function moreLine(page: { NextToken?: string }): string[] {
  return page.NextToken ? [`(more: --starting-token ${page.NextToken})`] : [];
}

/** Users as a table: name, ARN, created. */
export function userTable(users: readonly UserView[]): string {
  return table([['NAME', 'ARN', 'CREATED'], ...users.map((u) => [u.UserName, u.Arn, u.CreateDate])]);
}

/** Roles as a table: name, ARN, session length, created. */
export function roleTable(roles: readonly RoleView[]): string {
  return table([['NAME', 'ARN', 'MAX SESSION', 'CREATED'], ...roles.map((r) => [r.RoleName, r.Arn, `${r.MaxSessionDuration}s`, r.CreateDate])]);
}
