/** `wharf ecs list-task-definition-families`: ECS ListTaskDefinitionFamilies. */
import type { Command } from 'commander';
import { apiCommand } from '../../command.js';
import { pageLines } from './render.js';

interface Options {
  familyPrefix?: string;
  status?: string;
  maxResults?: string;
  startingToken?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { families: string[]; nextToken?: string }>(ecs, {
    name: 'list-task-definition-families',
    description: 'List task definition families',
    options: (c) =>
      c
        .option('--family-prefix <prefix>', 'only families starting with this')
        .option('--status <ACTIVE|INACTIVE|ALL>', 'ACTIVE: with an ACTIVE revision; INACTIVE: without one; ALL (default): both')
        .option('--max-results <n>', 'at most this many (1-100)')
        .option('--starting-token <token>', 'the nextToken of the previous page'),
    run: ({ client }, o) =>
      client.request('GET', '/v1/task-definition-families', { query: { familyPrefix: o.familyPrefix, status: o.status, maxResults: o.maxResults, nextToken: o.startingToken } }),
    render: ({ families, nextToken }) => pageLines(families, nextToken),
  });
}
