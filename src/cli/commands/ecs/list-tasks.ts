/** `wharf ecs list-tasks`: ECS ListTasks (desired status RUNNING unless asked). */
import type { Command } from 'commander';
import { apiCommand } from '../../command.js';

interface Options {
  cluster?: string;
  containerInstance?: string;
  family?: string;
  startedBy?: string;
  serviceName?: string;
  desiredStatus?: string;
  maxResults?: string;
  startingToken?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { taskArns: string[]; nextToken?: string }>(ecs, {
    name: 'list-tasks',
    description: 'List task ARNs',
    options: (c) =>
      c
        .option('--cluster <name>', 'cluster (default "default")')
        .option('--container-instance <id|arn>', 'only tasks on this host')
        .option('--family <family>', 'only tasks of this family')
        .option('--started-by <text>', 'only tasks started with this startedBy')
        .option('--service-name <name>', 'only tasks of this service')
        .option('--desired-status <RUNNING|PENDING|STOPPED>', 'default RUNNING')
        .option('--max-results <n>', 'at most this many (1-100)')
        .option('--starting-token <token>', 'the nextToken of the previous page'),
    run: ({ client }, o) =>
      client.request('GET', '/v1/tasks', {
        query: {
          cluster: o.cluster,
          containerInstance: o.containerInstance,
          family: o.family,
          startedBy: o.startedBy,
          serviceName: o.serviceName,
          desiredStatus: o.desiredStatus,
          maxResults: o.maxResults,
          nextToken: o.startingToken,
        },
      }),
    render: ({ taskArns, nextToken }) => [...taskArns, ...(nextToken ? [`(more: --starting-token ${nextToken})`] : [])].join('\n'),
  });
}
