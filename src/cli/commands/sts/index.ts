/** `wharf sts …`: the STS commands' descriptions (their output is the answer as JSON, or a table of its fields). */
import type { GroupCommands } from '../../aws/command.js';

export const COMMANDS: GroupCommands = {
  AssumeRole: { description: "Assume a role: temporary credentials (key, secret, session token) of a role session, if the role's trust policy allows you" },
  GetCallerIdentity: { description: 'Show who you are: account, ARN and unique id (a role session shows its assumed-role ARN)' },
};
