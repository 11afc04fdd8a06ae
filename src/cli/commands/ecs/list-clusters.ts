/** `wharf ecs list-clusters`: ECS ListClusters. */

import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ clusterArns: string[]; NextToken?: string }> = {
  render: ({ clusterArns, NextToken }) => [...clusterArns, ...(NextToken ? [`(more: --starting-token ${NextToken})`] : [])].join('\n'),
};
