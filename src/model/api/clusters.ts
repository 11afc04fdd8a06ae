/**
 * ECS clusters: the requests of CreateCluster, DescribeClusters and ListClusters, and a cluster in
 * ECS's response shape.
 */
import { z } from 'zod';
import type { Cluster } from '../cluster.js';
import { boundedJson } from '../validation.js';
import { clusterNameSchema, clusterRefSchema, tagsSchema } from './common.js';

const clusterSettingSchema = z
  .object({
    name: z.literal('containerInsights'),
    value: z.enum(['enabled', 'disabled', 'enhanced']),
  })
  .strict();

const clusterSettingsSchema = z.array(clusterSettingSchema).max(1);

export const createClusterRequestSchema = z
  .object({
    clusterName: clusterNameSchema.optional(),
    tags: tagsSchema.optional(),
    settings: clusterSettingsSchema.optional(),
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

/** UpdateCluster: its settings; `configuration` and `serviceConnectDefaults` are refused by name, as CreateCluster refuses them. */
export const updateClusterRequestSchema = z
  .object({
    cluster: clusterRefSchema,
    settings: clusterSettingsSchema.optional(),
    configuration: boundedJson().optional(),
    serviceConnectDefaults: boundedJson().optional(),
  })
  .strict();

export type UpdateClusterRequest = z.infer<typeof updateClusterRequestSchema>;

export const updateClusterSettingsRequestSchema = z.object({ cluster: clusterRefSchema, settings: clusterSettingsSchema }).strict();

export type UpdateClusterSettingsRequest = z.infer<typeof updateClusterSettingsRequestSchema>;

const capacityProviderStrategySchema = z.array(
  z
    .object({
      capacityProvider: z.string().min(1).max(255),
      weight: z.number().int().min(0).max(1000).optional(),
      base: z.number().int().min(0).max(100_000).optional(),
    })
    .strict(),
);

/** PutClusterCapacityProviders: both lists are required (ECS replaces both at once). */
export const putClusterCapacityProvidersRequestSchema = z
  .object({
    cluster: clusterRefSchema,
    capacityProviders: z.array(z.string().min(1).max(255)).max(20),
    defaultCapacityProviderStrategy: capacityProviderStrategySchema.max(20),
  })
  .strict();

export type PutClusterCapacityProvidersRequest = z.infer<typeof putClusterCapacityProvidersRequestSchema>;

export const describeCapacityProvidersRequestSchema = z
  .object({
    capacityProviders: z.array(z.string().min(1).max(2048)).max(100).optional(),
    /** Newer ECS: the providers of one cluster; Wharf's clusters have none. */
    cluster: clusterRefSchema.optional(),
    include: z.array(z.literal('TAGS')).optional(),
    maxResults: z.number().int().min(1).max(10).optional(),
    nextToken: z.string().optional(),
  })
  .strict();

export type DescribeCapacityProvidersRequest = z.infer<typeof describeCapacityProvidersRequestSchema>;

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
