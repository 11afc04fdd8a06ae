/** GET /v1/events: the events stream, newest first (query: resourceType, resourceId, severity, startTime, endTime, requestId, maxRecords, nextToken). */
import type { FastifyInstance } from 'fastify';
import { parseInput } from '../../../model/validation.js';
import { describeEventsRequestSchema } from '../../../model/api/events.js';
import { describeEvents } from '../../events.js';
import type { ApiContext } from '../route-context.js';

export function registerEventRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/events', async (request) => describeEvents(ctx.store, parseInput(describeEventsRequestSchema, request.query, 'DescribeEvents query')));
}
