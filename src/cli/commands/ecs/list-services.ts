/** `wharf ecs list-services`: ECS ListServices. */

import type { AwsCommandSpec } from '../../aws/command.js';
import type { PageTokens } from './render.js';
import { pageLines } from './render.js';

export const command: AwsCommandSpec<{ serviceArns: string[] } & PageTokens> = {
  render: (page) => pageLines(page.serviceArns, page),
};
