/** `wharf ecs list-services`: ECS ListServices. */
import type { Command } from 'commander';
import { apiCommand } from '../../command.js';

interface Options {
  cluster?: string;
  maxResults?: string;
  startingToken?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { serviceArns: string[]; nextToken?: string }>(ecs, {
    name: 'list-services',
    description: 'List the ARNs of active services',
    options: (c) => c.option('--cluster <name>', 'cluster (default "default")').option('--max-results <n>', 'at most this many (1-100, default 10)').option('--starting-token <token>', 'the nextToken of the previous page'),
    run: ({ client }, o) => client.request('GET', '/v1/services', { query: { cluster: o.cluster, maxResults: o.maxResults, nextToken: o.startingToken } }),
    render: ({ serviceArns, nextToken }) => [...serviceArns, ...(nextToken ? [`(more: --starting-token ${nextToken})`] : [])].join('\n'),
  });
}
