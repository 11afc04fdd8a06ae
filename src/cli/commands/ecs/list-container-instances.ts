/** `wharf ecs list-container-instances`: ECS ListContainerInstances, with the cluster query language `--filter`. */

import type { AwsCommandSpec } from '../../aws/command.js';
import type { PageTokens } from './render.js';
import { pageLines } from './render.js';

export const command: AwsCommandSpec<{ containerInstanceArns: string[] } & PageTokens> = {
  render: (page) => pageLines(page.containerInstanceArns, page),
};
