/**
 * Clusters (ECS): POST /v1/clusters (CreateCluster), GET /v1/clusters (ListClusters),
 * POST /v1/clusters/describe (DescribeClusters), GET and DELETE /v1/clusters/:cluster.
 */
import { parseInput } from '../../../model/validation.js';
import { createClusterRequestSchema, describeClustersRequestSchema, listClustersRequestSchema } from '../../../model/api/clusters.js';
import { clusterRefSchema } from '../../../model/api/common.js';
import { createCluster, deleteCluster, describeClusters, getCluster, listClusters } from '../../compute/clusters.js';
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
  };
}
