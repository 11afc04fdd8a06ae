/** `wharf audit`: the audit log, newest first: who did what, on which resources, from where, and how it ended. */
import type { Command } from 'commander';
import type { AuditRecordView } from '../../model/api/audit.js';
import { apiCommand } from '../command.js';
import { table } from '../output.js';

interface Options {
  principal?: string;
  action?: string;
  resource?: string;
  outcome?: string;
  startTime?: string;
  endTime?: string;
  maxRecords?: string;
  nextToken?: string;
}

export function register(program: Command): void {
  apiCommand<Options, { records: AuditRecordView[]; nextToken?: string }>(program, {
    name: 'audit',
    description: 'Show the audit log (mutating and refused calls), newest first',
    options: (c) =>
      c
        .option('--principal <arn>', 'only calls by this principal ARN')
        .option('--action <action>', 'only this IAM action, e.g. ecs:RunTask')
        .option('--resource <arn>', 'only calls on this resource ARN')
        .option('--outcome <outcome>', 'Success, Denied, Unauthenticated or Failed')
        .option('--start-time <time>', 'ISO 8601 or ms since the epoch (inclusive)')
        .option('--end-time <time>', 'ISO 8601 or ms since the epoch (exclusive)')
        .option('--max-records <n>', 'at most this many (1-1000, default 100)')
        .option('--next-token <token>', 'the nextToken of the previous page'),
    run: ({ client }, o) =>
      client.request('GET', '/v1/audit', {
        query: { principal: o.principal, action: o.action, resource: o.resource, outcome: o.outcome, startTime: o.startTime, endTime: o.endTime, maxRecords: o.maxRecords, nextToken: o.nextToken },
      }),
    render: ({ records, nextToken }) =>
      [
        table([
          ['TIME', 'OUTCOME', 'STATUS', 'ACTION', 'PRINCIPAL', 'SOURCE', 'RESOURCES'],
          ...records.map((r) => [r.time, r.outcome, String(r.status), r.action, r.principalArn || '-', r.sourceIp, r.resources.join(' ')]),
        ]),
        ...(nextToken ? [`(more: --next-token ${nextToken})`] : []),
      ].join('\n'),
  });
}
