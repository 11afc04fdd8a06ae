/** `wharf ecs list-tasks`: ECS ListTasks (desired status RUNNING unless asked). */

import type { AwsCommandSpec } from '../../aws/command.js';
import type { PageTokens } from './render.js';
import { pageLines } from './render.js';

export const command: AwsCommandSpec<{ taskArns: string[] } & PageTokens> = {
  render: (page) => pageLines(page.taskArns, page),
};
