/** `wharf ecs list-container-instances`: ECS ListContainerInstances, with the cluster query language `--filter`. */

import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ containerInstanceArns: string[]; NextToken?: string }> = {
  render: ({ containerInstanceArns, NextToken }) => [...containerInstanceArns, ...(NextToken ? [`(more: --starting-token ${NextToken})`] : [])].join('\n'),
};
