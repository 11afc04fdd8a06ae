/**
 * Task definitions (ECS): POST /v1/task-definitions (RegisterTaskDefinition), GET
 * /v1/task-definitions (ListTaskDefinitions), GET /v1/task-definition-families
 * (ListTaskDefinitionFamilies), GET /v1/task-definitions/:ref (DescribeTaskDefinition; `?include=TAGS`),
 * DELETE /v1/task-definitions/:ref (DeregisterTaskDefinition), POST /v1/task-definitions/delete
 * (DeleteTaskDefinitions). `:ref` is `family`, `family:revision` or the ARN, URL-encoded.
 */
import type { FastifyInstance } from 'fastify';
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
import type { ApiContext } from '../route-context.js';

export function registerTaskDefinitionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { store, arnScope } = ctx;
  const refOf = (request: { params: unknown }) => (request.params as { ref: string }).ref;

  app.post('/v1/task-definitions', async (request) => {
    const body = parseInput(registerTaskDefinitionRequestSchema, request.body, 'RegisterTaskDefinition request');
    return registerTaskDefinition(store, arnScope, body, { requestId: request.id, now: Date.now() });
  });

  app.get('/v1/task-definitions', async (request) =>
    listTaskDefinitions(store, arnScope, parseInput(listTaskDefinitionsRequestSchema, request.query, 'ListTaskDefinitions query')),
  );

  app.get('/v1/task-definition-families', async (request) =>
    listTaskDefinitionFamilies(store, parseInput(listTaskDefinitionFamiliesRequestSchema, request.query, 'ListTaskDefinitionFamilies query')),
  );

  app.post('/v1/task-definitions/delete', async (request) => {
    const body = parseInput(deleteTaskDefinitionsRequestSchema, request.body, 'DeleteTaskDefinitions request');
    return deleteTaskDefinitions(store, arnScope, body, { requestId: request.id, now: Date.now() });
  });

  app.get('/v1/task-definitions/:ref', async (request) => {
    const query = parseInput(describeTaskDefinitionQuerySchema, request.query, 'DescribeTaskDefinition query');
    const input = parseInput(describeTaskDefinitionRequestSchema, { taskDefinition: refOf(request), ...query }, 'DescribeTaskDefinition request');
    return describeTaskDefinition(store, arnScope, input);
  });

  app.delete('/v1/task-definitions/:ref', async (request) => {
    const input = parseInput(deregisterTaskDefinitionRequestSchema, { taskDefinition: refOf(request) }, 'DeregisterTaskDefinition request');
    return deregisterTaskDefinition(store, arnScope, input, { requestId: request.id, now: Date.now() });
  });
}
