/** GET /v1/audit: the audit log, newest first (query: principal, action, resource, outcome, startTime, endTime, maxRecords, nextToken). */
import type { FastifyInstance } from 'fastify';
import { lookupAuditRequestSchema } from '../../../model/api/audit.js';
import { parseInput } from '../../../model/validation.js';
import { lookupAudit } from '../../identity/audit.js';
import type { ApiContext } from '../route-context.js';

export function registerAuditRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/audit', async (request) => lookupAudit(ctx.store, parseInput(lookupAuditRequestSchema, request.query, 'audit query')));
}
