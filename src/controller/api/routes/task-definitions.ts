/**
 * Task definitions (ECS): POST /v1/task-definitions (RegisterTaskDefinition), GET
 * /v1/task-definitions (ListTaskDefinitions), GET /v1/task-definition-families
 * (ListTaskDefinitionFamilies), GET /v1/task-definitions/:ref (DescribeTaskDefinition; `?include=TAGS`),
 * DELETE /v1/task-definitions/:ref (DeregisterTaskDefinition), POST /v1/task-definitions/delete
 * (DeleteTaskDefinitions). `:ref` is `family`, `family:revision` or the ARN, URL-encoded.
 */
import { parseInput } from '../../../model/validation.js';
import {
  deleteTaskDefinitionsRequestSchema,
  deregisterTaskDefinitionRequestSchema,
  describeTaskDefinitionQuerySchema,
  describeTaskDefinitionRequestSchema,
  listTaskDefinitionFamiliesRequestSchema,
  listTaskDefinitionsRequestSchema,
} from '../../../model/api/task-definitions.js';
import {
  deleteTaskDefinitions,
  deregisterTaskDefinition,
  describeTaskDefinition,
  listTaskDefinitionFamilies,
  listTaskDefinitions,
  registerTaskDefinition,
  registerTaskDefinitionRequestSchema,
} from '../../compute/task-definitions.js';
import type { RouteHandlers } from '../handlers.js';
import type { ApiContext } from '../route-context.js';

export function taskDefinitionRoutes(ctx: ApiContext): RouteHandlers {
  const { store, arnScope } = ctx;
  const refOf = (params: unknown) => (params as { ref?: unknown }).ref;
  return {
    'POST /v1/task-definitions': async ({ body }, requestId) =>
      registerTaskDefinition(store, arnScope, parseInput(registerTaskDefinitionRequestSchema, body, 'RegisterTaskDefinition request'), { requestId, now: Date.now() }),
    'GET /v1/task-definitions': async ({ query }) => listTaskDefinitions(store, arnScope, parseInput(listTaskDefinitionsRequestSchema, query, 'ListTaskDefinitions query')),
    'GET /v1/task-definition-families': async ({ query }) => listTaskDefinitionFamilies(store, parseInput(listTaskDefinitionFamiliesRequestSchema, query, 'ListTaskDefinitionFamilies query')),
    'POST /v1/task-definitions/delete': async ({ body }, requestId) =>
      deleteTaskDefinitions(store, arnScope, parseInput(deleteTaskDefinitionsRequestSchema, body, 'DeleteTaskDefinitions request'), { requestId, now: Date.now() }),
    'GET /v1/task-definitions/:ref': async ({ params, query }) => {
      const included = parseInput(describeTaskDefinitionQuerySchema, query ?? {}, 'DescribeTaskDefinition query');
      return describeTaskDefinition(store, arnScope, parseInput(describeTaskDefinitionRequestSchema, { taskDefinition: refOf(params), ...included }, 'DescribeTaskDefinition request'));
    },
    'DELETE /v1/task-definitions/:ref': async ({ params }, requestId) =>
      deregisterTaskDefinition(store, arnScope, parseInput(deregisterTaskDefinitionRequestSchema, { taskDefinition: refOf(params) }, 'DeregisterTaskDefinition request'), { requestId, now: Date.now() }),
  };
}
