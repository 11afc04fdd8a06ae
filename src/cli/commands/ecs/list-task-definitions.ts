/** `wharf ecs list-task-definitions`: ECS ListTaskDefinitions. */
import type { Command } from 'commander';
import { apiCommand } from '../../command.js';
import { pageLines } from './render.js';

interface Options {
  familyPrefix?: string;
  status?: string;
  sort?: string;
  maxResults?: string;
  startingToken?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { taskDefinitionArns: string[]; nextToken?: string }>(ecs, {
    name: 'list-task-definitions',
    description: 'List the ARNs of task definition revisions (ACTIVE ones unless --status says otherwise)',
    options: (c) =>
      c
        .option('--family-prefix <prefix>', 'only families starting with this')
        .option('--status <ACTIVE|INACTIVE|DELETE_IN_PROGRESS>', 'revisions in this status (default: ACTIVE)')
        .option('--sort <ASC|DESC>', 'by family then revision (default: ASC, newest of each family last)')
        .option('--max-results <n>', 'at most this many (1-100)')
        .option('--starting-token <token>', 'the nextToken of the previous page'),
    run: ({ client }, o) =>
      client.request('GET', '/v1/task-definitions', {
        query: { familyPrefix: o.familyPrefix, status: o.status, sort: o.sort, maxResults: o.maxResults, nextToken: o.startingToken },
      }),
    render: ({ taskDefinitionArns, nextToken }) => pageLines(taskDefinitionArns, nextToken),
  });
}
