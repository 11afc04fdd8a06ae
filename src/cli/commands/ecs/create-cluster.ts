/** `wharf ecs create-cluster`: ECS CreateCluster. */
import type { ClusterView } from '../../../model/api/clusters.js';
import { clusterLine } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ cluster: ClusterView }> = {
  render: ({ cluster }) => clusterLine(cluster),
};
