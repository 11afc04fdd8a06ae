/**
 * Container instances (ECS): GET /v1/container-instances (ListContainerInstances),
 * POST /v1/container-instances/describe, POST /v1/container-instances/state (UpdateContainerInstancesState).
 */
import { parseInput } from '../../../model/validation.js';
import { describeContainerInstancesRequestSchema, updateContainerInstancesStateRequestSchema } from '../../../model/api/container-instances.js';
import {
  checkedListContainerInstancesRequestSchema,
  describeContainerInstances,
  listContainerInstances,
  updateContainerInstancesState,
} from '../../compute/container-instances.js';
import type { RouteHandlers } from '../handlers.js';
import type { ApiContext } from '../route-context.js';

export function containerInstanceRoutes(ctx: ApiContext): RouteHandlers {
  return {
    'GET /v1/container-instances': async ({ query }) =>
      listContainerInstances(ctx.store, ctx.arnScope, parseInput(checkedListContainerInstancesRequestSchema, query, 'ListContainerInstances query')),
    'POST /v1/container-instances/describe': async ({ body }) =>
      describeContainerInstances(ctx.store, ctx.arnScope, parseInput(describeContainerInstancesRequestSchema, body, 'DescribeContainerInstances request')),
    'POST /v1/container-instances/state': async ({ body }, requestId) =>
      updateContainerInstancesState(ctx.store, ctx.arnScope, parseInput(updateContainerInstancesStateRequestSchema, body, 'UpdateContainerInstancesState request'), {
        requestId,
        now: Date.now(),
      }),
  };
}
