/** `wharf ecs list-task-definition-families`: ECS ListTaskDefinitionFamilies. */
import type { PageTokens } from './render.js';
import { pageLines } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ families: string[] } & PageTokens> = {
  render: (page) => pageLines(page.families, page),
};
