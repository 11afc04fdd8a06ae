/** `wharf ecs list-clusters`: ECS ListClusters. */
import type { Command } from 'commander';
import { apiCommand } from '../../command.js';

interface Options {
  maxResults?: string;
  startingToken?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { clusterArns: string[]; nextToken?: string }>(ecs, {
    name: 'list-clusters',
    description: 'List the ARNs of active clusters',
    options: (c) => c.option('--max-results <n>', 'at most this many (1-100)').option('--starting-token <token>', 'the nextToken of the previous page'),
    run: ({ client }, o) => client.request('GET', '/v1/clusters', { query: { maxResults: o.maxResults, nextToken: o.startingToken } }),
    render: ({ clusterArns, nextToken }) => [...clusterArns, ...(nextToken ? [`(more: --starting-token ${nextToken})`] : [])].join('\n'),
  });
}
