/** `wharf ecs list-task-definitions`: ECS ListTaskDefinitions. */
import { pageLines } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ taskDefinitionArns: string[]; NextToken?: string }> = {
  render: ({ taskDefinitionArns, NextToken }) => pageLines(taskDefinitionArns, NextToken),
};
