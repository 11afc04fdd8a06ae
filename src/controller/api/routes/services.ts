/**
 * Services (ECS): POST /v1/services (CreateService), GET /v1/services (ListServices),
 * POST /v1/services/describe, POST /v1/services/update, POST /v1/services/delete; a service's
 * deployments: POST /v1/service-deployments/list (ListServiceDeployments), POST
 * /v1/service-deployments/describe (DescribeServiceDeployments).
 */
import { parseInput } from '../../../model/validation.js';
import {
  deleteServiceRequestSchema,
  describeServiceDeploymentsRequestSchema,
  describeServicesRequestSchema,
  listServiceDeploymentsRequestSchema,
  listServicesRequestSchema,
} from '../../../model/api/services.js';
import { describeServiceDeployments, listServiceDeployments } from '../../services/service-deployments.js';
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
import type { RouteHandlers } from '../handlers.js';
import type { ApiContext } from '../route-context.js';

export function serviceRoutes(ctx: ApiContext): RouteHandlers {
  const services: ServiceContext = { store: ctx.store, arnScope: ctx.arnScope, wake: ctx.wakeServices, quotas: ctx.quotas };
  const meta = (requestId: string) => ({ requestId, now: Date.now() });
  return {
    'POST /v1/services': async ({ body }, id) => createService(services, parseInput(checkedCreateServiceRequestSchema, body, 'CreateService request'), meta(id)),
    'GET /v1/services': async ({ query }) => listServices(ctx.store, ctx.arnScope, parseInput(listServicesRequestSchema, query, 'ListServices query')),
    'POST /v1/services/describe': async ({ body }) => describeServices(ctx.store, ctx.arnScope, parseInput(describeServicesRequestSchema, body, 'DescribeServices request')),
    'POST /v1/services/update': async ({ body }, id) => updateService(services, parseInput(checkedUpdateServiceRequestSchema, body, 'UpdateService request'), meta(id)),
    'POST /v1/services/delete': async ({ body }, id) => deleteService(services, parseInput(deleteServiceRequestSchema, body, 'DeleteService request'), meta(id)),
    'POST /v1/service-deployments/list': async ({ body }) => listServiceDeployments(ctx.store, ctx.arnScope, parseInput(listServiceDeploymentsRequestSchema, body, 'ListServiceDeployments request')),
    'POST /v1/service-deployments/describe': async ({ body }) =>
      describeServiceDeployments(ctx.store, ctx.arnScope, parseInput(describeServiceDeploymentsRequestSchema, body, 'DescribeServiceDeployments request')),
  };
}
