/**
 * Container instances (ECS): GET /v1/container-instances (ListContainerInstances),
 * POST /v1/container-instances/describe, POST /v1/container-instances/state (UpdateContainerInstancesState).
 */
import type { FastifyInstance } from 'fastify';
import { parseInput } from '../../../model/validation.js';
import { describeContainerInstancesRequestSchema, updateContainerInstancesStateRequestSchema } from '../../../model/api/container-instances.js';
import {
  checkedListContainerInstancesRequestSchema,
  describeContainerInstances,
  listContainerInstances,
  updateContainerInstancesState,
} from '../../compute/container-instances.js';
import type { ApiContext } from '../route-context.js';

export function registerContainerInstanceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/container-instances', async (request) =>
    listContainerInstances(ctx.store, ctx.arnScope, parseInput(checkedListContainerInstancesRequestSchema, request.query, 'ListContainerInstances query')),
  );
  app.post('/v1/container-instances/describe', async (request) =>
    describeContainerInstances(ctx.store, ctx.arnScope, parseInput(describeContainerInstancesRequestSchema, request.body, 'DescribeContainerInstances request')),
  );
  app.post('/v1/container-instances/state', async (request) =>
    updateContainerInstancesState(ctx.store, ctx.arnScope, parseInput(updateContainerInstancesStateRequestSchema, request.body, 'UpdateContainerInstancesState request'), {
      requestId: request.id,
      now: Date.now(),
    }),
  );
}
