/** `wharf ecs describe-clusters`: ECS DescribeClusters. */
import type { ClusterView } from '../../../model/api/clusters.js';
import type { Failure } from '../../../model/api/common.js';
import { clusterTable, failureLines } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ clusters: ClusterView[]; failures: Failure[] }> = {
  render: ({ clusters, failures }) => [clusters.length > 0 ? clusterTable(clusters) : '', failureLines(failures)].filter(Boolean).join('\n'),
};
