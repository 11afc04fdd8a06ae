/** `wharf iam list-roles`: IAM ListRoles. */
import type { RoleView } from '../../../model/api/iam.js';
import { moreLine, roleTable } from './iam-command.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ Roles: RoleView[]; NextToken?: string }> = {
  render: (page) => [roleTable(page.Roles), ...moreLine(page)].join('\n'),
};
