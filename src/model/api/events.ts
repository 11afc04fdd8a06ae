/**
 * The events stream (`GET /v1/events`, Elastic Beanstalk's DescribeEvents for every resource type):
 * its query and an event in the API's shape.
 */
import { z } from 'zod';
import type { WharfEvent } from '../events.js';
import { EVENT_SEVERITIES } from '../events.js';

/** Events per page unless asked otherwise, and at most (Elastic Beanstalk's MaxRecords bound). */
export const DEFAULT_EVENT_PAGE = 100;
export const MAX_EVENT_PAGE = 1000;

/** A time as ISO 8601 or milliseconds since the epoch (also the audit query's). */
export const timeSchema = z.union([z.coerce.number().int().nonnegative(), z.string()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'Give a time as ISO 8601 (2026-11-26T10:00:00Z) or milliseconds since the epoch' });
    return z.NEVER;
  }
  return ms;
});

export const describeEventsRequestSchema = z
  .object({
    resourceType: z.string().min(1).max(64).optional(),
    resourceId: z.string().min(1).max(1024).optional(),
    severity: z.enum(EVENT_SEVERITIES).optional(),
    startTime: timeSchema.optional(),
    endTime: timeSchema.optional(),
    requestId: z.string().min(1).max(128).optional(),
    maxRecords: z.coerce.number().int().min(1).max(MAX_EVENT_PAGE).default(DEFAULT_EVENT_PAGE),
    nextToken: z.string().optional(),
  })
  .strict()
  .refine((r) => r.startTime === undefined || r.endTime === undefined || r.startTime < r.endTime, {
    path: ['endTime'],
    message: 'endTime must be after startTime',
  });

export type DescribeEventsRequest = z.infer<typeof describeEventsRequestSchema>;

/** An event in the API's shape. */
export interface EventView {
  eventId: string;
  eventDate: string;
  resourceType: string;
  resourceId: string;
  severity: WharfEvent['severity'];
  message: string;
  requestId: string | null;
}
