/** `wharf ecs describe-clusters`: ECS DescribeClusters. */
import type { Command } from 'commander';
import type { ClusterView } from '../../../model/api/clusters.js';
import type { Failure } from '../../../model/api/common.js';
import { apiCommand, collect, readCliInputJson } from '../../command.js';
import { clusterTable, failureLines } from './render.js';

interface Options {
  clusters?: string[];
  include?: string[];
  cliInputJson?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { clusters: ClusterView[]; failures: Failure[] }>(ecs, {
    name: 'describe-clusters',
    description: 'Describe clusters by name or ARN (default: the default cluster)',
    options: (c) =>
      c
        .option('--clusters <name>', 'a cluster name or ARN; repeat for more', collect)
        .option('--include <field>', 'ATTACHMENTS, CONFIGURATIONS, SETTINGS, STATISTICS or TAGS; repeat for more', collect)
        .option('--cli-input-json <json|file://path>', 'the whole request as JSON'),
    run: async ({ client }, o) => {
      const body = await readCliInputJson(o.cliInputJson);
      if (o.clusters !== undefined) body.clusters = o.clusters;
      if (o.include !== undefined) body.include = o.include;
      return client.request('POST', '/v1/clusters/describe', { body });
    },
    render: ({ clusters, failures }) => [clusters.length > 0 ? clusterTable(clusters) : '', failureLines(failures)].filter(Boolean).join('\n'),
  });
}
