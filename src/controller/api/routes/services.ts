/**
 * Services (ECS): POST /v1/services (CreateService), GET /v1/services (ListServices),
 * POST /v1/services/describe, POST /v1/services/update, POST /v1/services/delete.
 */
import type { FastifyInstance } from 'fastify';
import { parseInput } from '../../../model/validation.js';
import { deleteServiceRequestSchema, describeServicesRequestSchema, listServicesRequestSchema } from '../../../model/api/services.js';
import {
  checkedCreateServiceRequestSchema,
  checkedUpdateServiceRequestSchema,
  createService,
  deleteService,
  describeServices,
  listServices,
  updateService,
} from '../../services/services.js';
import type { ServiceContext } from '../../services/services.js';
import type { ApiContext } from '../route-context.js';

export function registerServiceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const services: ServiceContext = { store: ctx.store, arnScope: ctx.arnScope, wake: ctx.wakeServices, quotas: ctx.quotas };
  const meta = (id: string) => ({ requestId: id, now: Date.now() });
  app.post('/v1/services', async (request) => createService(services, parseInput(checkedCreateServiceRequestSchema, request.body, 'CreateService request'), meta(request.id)));
  app.get('/v1/services', async (request) => listServices(ctx.store, ctx.arnScope, parseInput(listServicesRequestSchema, request.query, 'ListServices query')));
  app.post('/v1/services/describe', async (request) => describeServices(ctx.store, ctx.arnScope, parseInput(describeServicesRequestSchema, request.body, 'DescribeServices request')));
  app.post('/v1/services/update', async (request) => updateService(services, parseInput(checkedUpdateServiceRequestSchema, request.body, 'UpdateService request'), meta(request.id)));
  app.post('/v1/services/delete', async (request) => deleteService(services, parseInput(deleteServiceRequestSchema, request.body, 'DeleteService request'), meta(request.id)));
}
