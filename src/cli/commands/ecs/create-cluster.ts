/** `wharf ecs create-cluster`: ECS CreateCluster. */
import type { Command } from 'commander';
import type { ClusterView } from '../../../model/api/clusters.js';
import { apiCommand, keyValue, readCliInputJson } from '../../command.js';
import { clusterLine } from './render.js';

interface Options {
  clusterName?: string;
  tags?: { key: string; value: string }[];
  containerInsights?: string;
  cliInputJson?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { cluster: ClusterView }>(ecs, {
    name: 'create-cluster',
    description: 'Create a cluster (or return it unchanged if it exists)',
    options: (c) =>
      c
        .option('--cluster-name <name>', 'cluster name (default: "default")')
        .option('--tags <key=value>', 'a tag; repeat for more', keyValue)
        .option('--container-insights <enabled|disabled|enhanced>', 'the containerInsights setting')
        .option('--cli-input-json <json|file://path>', 'the whole request as JSON'),
    run: async ({ client }, o) => {
      const body = await readCliInputJson(o.cliInputJson);
      if (o.clusterName !== undefined) body.clusterName = o.clusterName;
      if (o.tags !== undefined) body.tags = o.tags;
      if (o.containerInsights !== undefined) body.settings = [{ name: 'containerInsights', value: o.containerInsights }];
      return client.request('POST', '/v1/clusters', { body });
    },
    render: ({ cluster }) => clusterLine(cluster),
  });
}
