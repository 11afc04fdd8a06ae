/**
 * Container instances (ECS): GET /v1/container-instances (ListContainerInstances),
 * POST /v1/container-instances/describe, POST /v1/container-instances/state (UpdateContainerInstancesState),
 * POST /v1/container-instances/deregister (DeregisterContainerInstance); the attributes of container
 * instances: POST /v1/attributes (PutAttributes), POST /v1/attributes/delete (DeleteAttributes),
 * GET /v1/attributes (ListAttributes).
 */
import { parseInput } from '../../../model/validation.js';
import {
  attributesRequestSchema,
  deregisterContainerInstanceRequestSchema,
  describeContainerInstancesRequestSchema,
  listAttributesRequestSchema,
  updateContainerInstancesStateRequestSchema,
} from '../../../model/api/container-instances.js';
import { deleteAttributes, listAttributes, putAttributes } from '../../compute/attributes.js';
import { deregisterContainerInstance } from '../../compute/deregister.js';
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
    'POST /v1/container-instances/deregister': async ({ body }, requestId) =>
      deregisterContainerInstance(ctx, parseInput(deregisterContainerInstanceRequestSchema, body, 'DeregisterContainerInstance request'), { requestId, now: Date.now() }),
    'POST /v1/attributes': async ({ body }, requestId) => putAttributes(ctx.store, parseInput(attributesRequestSchema, body, 'PutAttributes request'), { requestId, now: Date.now() }),
    'POST /v1/attributes/delete': async ({ body }, requestId) => deleteAttributes(ctx.store, parseInput(attributesRequestSchema, body, 'DeleteAttributes request'), { requestId, now: Date.now() }),
    'GET /v1/attributes': async ({ query }) => listAttributes(ctx.store, ctx.arnScope, parseInput(listAttributesRequestSchema, query, 'ListAttributes query')),
  };
}
