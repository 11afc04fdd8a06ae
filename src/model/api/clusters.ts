/**
 * ECS clusters: the requests of CreateCluster, DescribeClusters and ListClusters, and a cluster in
 * ECS's response shape.
 */
import { z } from 'zod';
import type { Cluster } from '../cluster.js';
import { boundedJson } from '../validation.js';
import { clusterNameSchema, tagsSchema } from './common.js';

const clusterSettingSchema = z
  .object({
    name: z.literal('containerInsights'),
    value: z.enum(['enabled', 'disabled', 'enhanced']),
  })
  .strict();

export const createClusterRequestSchema = z
  .object({
    clusterName: clusterNameSchema.optional(),
    tags: tagsSchema.optional(),
    settings: z.array(clusterSettingSchema).max(1).optional(),
    capacityProviders: z.array(z.string()).optional(),
    defaultCapacityProviderStrategy: z.array(boundedJson()).optional(),
    configuration: boundedJson().optional(),
    serviceConnectDefaults: boundedJson().optional(),
  })
  .strict();

export type CreateClusterRequest = z.infer<typeof createClusterRequestSchema>;

export const describeClustersRequestSchema = z
  .object({
    clusters: z.array(z.string().min(1)).max(100).optional(),
    include: z.array(z.enum(['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'])).optional(),
  })
  .strict();

export type DescribeClustersRequest = z.infer<typeof describeClustersRequestSchema>;

/** The largest page ListClusters returns. */
export const MAX_LIST_CLUSTERS = 100;

export const listClustersRequestSchema = z
  .object({
    maxResults: z.coerce.number().int().min(1).max(MAX_LIST_CLUSTERS).default(MAX_LIST_CLUSTERS),
    nextToken: z.string().optional(),
  })
  .strict();

export type ListClustersRequest = z.infer<typeof listClustersRequestSchema>;

/** A cluster in ECS's response shape. */
export interface ClusterView {
  clusterArn: string;
  clusterName: string;
  status: Cluster['status'];
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
  statistics: { name: string; value: string }[];
  tags: { key: string; value: string }[];
  settings: { name: string; value: string }[];
  capacityProviders: string[];
  defaultCapacityProviderStrategy: unknown[];
}
