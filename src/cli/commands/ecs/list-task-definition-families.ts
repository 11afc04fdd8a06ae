/** `wharf ecs list-task-definition-families`: ECS ListTaskDefinitionFamilies. */
import { pageLines } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ families: string[]; NextToken?: string }> = {
  render: ({ families, NextToken }) => pageLines(families, NextToken),
};
