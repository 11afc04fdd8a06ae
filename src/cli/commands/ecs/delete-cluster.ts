/** `wharf ecs delete-cluster`: ECS DeleteCluster (the cluster becomes INACTIVE). */
import type { Command } from 'commander';
import type { ClusterView } from '../../../model/api/clusters.js';
import { wharfError } from '../../../model/errors.js';
import { apiCommand } from '../../command.js';
import { clusterLine } from './render.js';

interface Options {
  cluster?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { cluster: ClusterView }>(ecs, {
    name: 'delete-cluster',
    description: 'Delete a cluster (it stays visible as INACTIVE)',
    options: (c) => c.requiredOption('--cluster <name>', 'the cluster name or ARN'),
    run: ({ client }, o) => {
      if (!o.cluster) throw wharfError('WHARF_E_USAGE', { reason: 'Give the cluster to delete with --cluster' });
      return client.request('DELETE', `/v1/clusters/${encodeURIComponent(o.cluster)}`);
    },
    render: ({ cluster }) => clusterLine(cluster),
  });
}
