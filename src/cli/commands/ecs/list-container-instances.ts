/** `wharf ecs list-container-instances`: ECS ListContainerInstances, with the cluster query language `--filter`. */
import type { Command } from 'commander';
import { apiCommand } from '../../command.js';

interface Options {
  cluster?: string;
  status?: string;
  filter?: string;
  maxResults?: string;
  startingToken?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { containerInstanceArns: string[]; nextToken?: string }>(ecs, {
    name: 'list-container-instances',
    description: 'List the hosts of a cluster',
    options: (c) =>
      c
        .option('--cluster <name>', 'cluster (default "default")')
        .option('--status <ACTIVE|DRAINING|INACTIVE>', 'only hosts in this status')
        .option('--filter <expression>', 'cluster query, e.g. "attribute:ecs.os-type == linux"')
        .option('--max-results <n>', 'at most this many (1-100)')
        .option('--starting-token <token>', 'the nextToken of the previous page'),
    run: ({ client }, o) => client.request('GET', '/v1/container-instances', { query: { cluster: o.cluster, status: o.status, filter: o.filter, maxResults: o.maxResults, nextToken: o.startingToken } }),
    render: ({ containerInstanceArns, nextToken }) => [...containerInstanceArns, ...(nextToken ? [`(more: --starting-token ${nextToken})`] : [])].join('\n'),
  });
}
