/** `wharf ecs list-clusters`: ECS ListClusters. */

import type { AwsCommandSpec } from '../../aws/command.js';
import type { PageTokens } from './render.js';
import { pageLines } from './render.js';

export const command: AwsCommandSpec<{ clusterArns: string[] } & PageTokens> = {
  render: (page) => pageLines(page.clusterArns, page),
};
