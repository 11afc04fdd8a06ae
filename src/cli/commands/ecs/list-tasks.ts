/** `wharf ecs list-tasks`: ECS ListTasks (desired status RUNNING unless asked). */

import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ taskArns: string[]; NextToken?: string }> = {
  render: ({ taskArns, NextToken }) => [...taskArns, ...(NextToken ? [`(more: --starting-token ${NextToken})`] : [])].join('\n'),
};
