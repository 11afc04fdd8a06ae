/**
 * Clusters (ECS): POST /v1/clusters (CreateCluster), GET /v1/clusters (ListClusters),
 * POST /v1/clusters/describe (DescribeClusters), GET and DELETE /v1/clusters/:cluster.
 */
import type { FastifyInstance } from 'fastify';
import { parseInput } from '../../../model/validation.js';
import { createClusterRequestSchema, describeClustersRequestSchema, listClustersRequestSchema } from '../../../model/api/clusters.js';
import { clusterRefSchema } from '../../../model/api/common.js';
import { createCluster, deleteCluster, describeClusters, getCluster, listClusters } from '../../compute/clusters.js';
import type { ApiContext } from '../route-context.js';

export function registerClusterRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { store, arnScope } = ctx;

  app.post('/v1/clusters', async (request, reply) => {
    const body = parseInput(createClusterRequestSchema, request.body, 'CreateCluster request');
    const cluster = await createCluster(store, arnScope, body, { requestId: request.id, now: Date.now() });
    return reply.status(200).send({ cluster });
  });

  app.get('/v1/clusters', async (request) => listClusters(store, arnScope, parseInput(listClustersRequestSchema, request.query, 'ListClusters query')));

  app.post('/v1/clusters/describe', async (request) => describeClusters(store, arnScope, parseInput(describeClustersRequestSchema, request.body, 'DescribeClusters request')));

  app.get('/v1/clusters/:cluster', async (request) => {
    const name = parseInput(clusterRefSchema, (request.params as { cluster: string }).cluster, 'cluster in the path');
    return { cluster: await getCluster(store, arnScope, name) };
  });

  app.delete('/v1/clusters/:cluster', async (request) => {
    const name = parseInput(clusterRefSchema, (request.params as { cluster: string }).cluster, 'cluster in the path');
    return { cluster: await deleteCluster(store, arnScope, name, { requestId: request.id, now: Date.now() }) };
  });
}
