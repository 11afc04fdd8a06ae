/** `wharf ecs list-task-definitions`: ECS ListTaskDefinitions. */
import type { PageTokens } from './render.js';
import { pageLines } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ taskDefinitionArns: string[] } & PageTokens> = {
  render: (page) => pageLines(page.taskDefinitionArns, page),
};
