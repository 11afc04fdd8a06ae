/** `wharf ecs delete-cluster`: ECS DeleteCluster (the cluster becomes INACTIVE). */
import type { ClusterView } from '../../../model/api/clusters.js';
import { clusterLine } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ cluster: ClusterView }> = {
  render: ({ cluster }) => clusterLine(cluster),
};
