/**
 * ECS container instances (hosts with an agent): the requests of ListContainerInstances,
 * DescribeContainerInstances and UpdateContainerInstancesState, and a container instance in ECS's
 * response shape.
 */
import { z } from 'zod';
import type { ContainerInstance } from '../container-instance.js';
import { CONTAINER_INSTANCE_STATUSES } from '../container-instance.js';
import { clusterRefSchema } from './common.js';

/** The page size ECS uses for container instance lists, and its maximum. */
export const MAX_LIST_CONTAINER_INSTANCES = 100;

/** A resource of a container instance, as ECS lists them. */
export interface ContainerInstanceResource {
  name: string;
  type: 'INTEGER' | 'STRINGSET';
  integerValue?: number;
  stringSetValue?: string[];
}

/** A container instance in ECS's response shape. */
export interface ContainerInstanceView {
  containerInstanceArn: string;
  ec2InstanceId: string;
  status: ContainerInstance['status'];
  agentConnected: boolean;
  registeredResources: ContainerInstanceResource[];
  remainingResources: ContainerInstanceResource[];
  runningTasksCount: number;
  pendingTasksCount: number;
  attributes: { name: string; value: string }[];
  versionInfo: { agentVersion: string };
  registeredAt: string;
  agentUrl: string;
  lastSeenAt: string;
}

export const listContainerInstancesRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    status: z.enum(CONTAINER_INSTANCE_STATUSES).optional(),
    /** A cluster query expression (ECS's cluster query language); the controller parses it. */
    filter: z.string().max(2000).optional(),
    maxResults: z.coerce.number().int().min(1).max(MAX_LIST_CONTAINER_INSTANCES).default(MAX_LIST_CONTAINER_INSTANCES),
    nextToken: z.string().optional(),
  })
  .strict();

export type ListContainerInstancesRequest = z.infer<typeof listContainerInstancesRequestSchema>;

export const describeContainerInstancesRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    containerInstances: z.array(z.string().min(1)).min(1).max(100),
    include: z.array(z.enum(['TAGS', 'CONTAINER_INSTANCE_HEALTH'])).optional(),
  })
  .strict();

export type DescribeContainerInstancesRequest = z.infer<typeof describeContainerInstancesRequestSchema>;

export const updateContainerInstancesStateRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    containerInstances: z.array(z.string().min(1)).min(1).max(10),
    status: z.enum(['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED']),
  })
  .strict();

export type UpdateContainerInstancesStateRequest = z.infer<typeof updateContainerInstancesStateRequestSchema>;
