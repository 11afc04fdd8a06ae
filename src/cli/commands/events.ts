/** `wharf events`: the events stream, newest first. */
import type { Command } from 'commander';
import type { EventView } from '../../model/api/events.js';
import { apiCommand } from '../command.js';
import { table } from '../output.js';

interface Options {
  resourceType?: string;
  resourceId?: string;
  severity?: string;
  startTime?: string;
  endTime?: string;
  requestId?: string;
  maxRecords?: string;
  nextToken?: string;
}

export function register(program: Command): void {
  apiCommand<Options, { events: EventView[]; nextToken?: string }>(program, {
    name: 'events',
    description: 'Show events, newest first',
    options: (c) =>
      c
        .option('--resource-type <type>', 'cluster, task, service, environment, controller, ...')
        .option('--resource-id <id>', 'the resource name or id')
        .option('--severity <level>', 'this severity or above: TRACE, DEBUG, INFO, WARN, ERROR, FATAL')
        .option('--start-time <time>', 'ISO 8601 or ms since the epoch (inclusive)')
        .option('--end-time <time>', 'ISO 8601 or ms since the epoch (exclusive)')
        .option('--request-id <id>', 'only events caused by this API request')
        .option('--max-records <n>', 'at most this many (1-1000, default 100)')
        .option('--next-token <token>', 'the nextToken of the previous page'),
    run: ({ client }, o) =>
      client.request('GET', '/v1/events', {
        query: {
          resourceType: o.resourceType,
          resourceId: o.resourceId,
          severity: o.severity,
          startTime: o.startTime,
          endTime: o.endTime,
          requestId: o.requestId,
          maxRecords: o.maxRecords,
          nextToken: o.nextToken,
        },
      }),
    render: ({ events, nextToken }) =>
      [
        table([['TIME', 'SEVERITY', 'RESOURCE', 'MESSAGE'], ...events.map((e) => [e.eventDate, e.severity, `${e.resourceType}/${e.resourceId}`, e.message])]),
        ...(nextToken ? [`(more: --next-token ${nextToken})`] : []),
      ].join('\n'),
  });
}
