/**
 * Clusters (ECS): POST /v1/clusters (CreateCluster), GET /v1/clusters (ListClusters),
 * POST /v1/clusters/describe (DescribeClusters), GET and DELETE /v1/clusters/:cluster,
 * POST /v1/clusters/update (UpdateCluster), POST /v1/clusters/settings (UpdateClusterSettings),
 * POST /v1/clusters/capacity-providers (PutClusterCapacityProviders), POST
 * /v1/capacity-providers/describe (DescribeCapacityProviders).
 */
import { parseInput } from '../../../model/validation.js';
import {
  createClusterRequestSchema,
  describeCapacityProvidersRequestSchema,
  describeClustersRequestSchema,
  listClustersRequestSchema,
  putClusterCapacityProvidersRequestSchema,
  updateClusterRequestSchema,
  updateClusterSettingsRequestSchema,
} from '../../../model/api/clusters.js';
import { clusterRefSchema } from '../../../model/api/common.js';
import {
  createCluster,
  deleteCluster,
  describeCapacityProviders,
  describeClusters,
  getCluster,
  listClusters,
  putClusterCapacityProviders,
  updateCluster,
  updateClusterSettings,
} from '../../compute/clusters.js';
import type { RouteHandlers } from '../handlers.js';
import type { ApiContext } from '../route-context.js';

export function clusterRoutes(ctx: ApiContext): RouteHandlers {
  const { store, arnScope } = ctx;
  const clusterIn = (params: unknown) => parseInput(clusterRefSchema, (params as { cluster?: unknown }).cluster, 'cluster in the path');
  return {
    'POST /v1/clusters': async ({ body }, requestId) => ({
      cluster: await createCluster(store, arnScope, parseInput(createClusterRequestSchema, body, 'CreateCluster request'), { requestId, now: Date.now() }),
    }),
    'GET /v1/clusters': async ({ query }) => listClusters(store, arnScope, parseInput(listClustersRequestSchema, query, 'ListClusters query')),
    'POST /v1/clusters/describe': async ({ body }) => describeClusters(store, arnScope, parseInput(describeClustersRequestSchema, body, 'DescribeClusters request')),
    'GET /v1/clusters/:cluster': async ({ params }) => ({ cluster: await getCluster(store, arnScope, clusterIn(params)) }),
    'DELETE /v1/clusters/:cluster': async ({ params }, requestId) => ({ cluster: await deleteCluster(store, arnScope, clusterIn(params), { requestId, now: Date.now() }) }),
    'POST /v1/clusters/update': async ({ body }, requestId) => updateCluster(store, arnScope, parseInput(updateClusterRequestSchema, body, 'UpdateCluster request'), { requestId, now: Date.now() }),
    'POST /v1/clusters/settings': async ({ body }, requestId) =>
      updateClusterSettings(store, arnScope, parseInput(updateClusterSettingsRequestSchema, body, 'UpdateClusterSettings request'), { requestId, now: Date.now() }),
    'POST /v1/clusters/capacity-providers': async ({ body }) => putClusterCapacityProviders(store, arnScope, parseInput(putClusterCapacityProvidersRequestSchema, body, 'PutClusterCapacityProviders request')),
    'POST /v1/capacity-providers/describe': async ({ body }) => describeCapacityProviders(store, arnScope, parseInput(describeCapacityProvidersRequestSchema, body ?? {}, 'DescribeCapacityProviders request')),
  };
}
