/** `wharf ecs list-services`: ECS ListServices. */

import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ serviceArns: string[]; NextToken?: string }> = {
  render: ({ serviceArns, NextToken }) => [...serviceArns, ...(NextToken ? [`(more: --starting-token ${NextToken})`] : [])].join('\n'),
};
