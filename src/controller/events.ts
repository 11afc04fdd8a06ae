/**
 * Querying the events stream (Elastic Beanstalk's DescribeEvents, for every resource type).
 * Newest first; filter by resource, minimum severity, time window and request id; paged by token.
 */
import type { DescribeEventsRequest, EventView } from '../model/api/events.js';
import type { WharfEvent } from '../model/events.js';
import type { Store } from '../store/store.js';
import { pageById } from './paging.js';

/** Renders a stored event in the API's shape. */
export function eventView(event: WharfEvent): EventView {
  return {
    eventId: String(event.id),
    eventDate: new Date(event.time).toISOString(),
    resourceType: event.resourceType,
    resourceId: event.resourceId,
    severity: event.severity,
    message: event.message,
    requestId: event.requestId,
  };
}

/** One page of events, newest first. */
export async function describeEvents(store: Store, request: DescribeEventsRequest): Promise<{ events: EventView[]; nextToken?: string }> {
  const { items, nextToken } = await pageById(
    request.nextToken,
    request.maxRecords,
    (beforeId, limit) =>
      store.events.query({
        resourceType: request.resourceType,
        resourceId: request.resourceId,
        minSeverity: request.severity,
        startTime: request.startTime,
        endTime: request.endTime,
        requestId: request.requestId,
        beforeId,
        limit,
      }),
    eventView,
  );
  return { events: items, ...(nextToken ? { nextToken } : {}) };
}
