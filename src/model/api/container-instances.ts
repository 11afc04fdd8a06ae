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
  attributes: { name: string; value?: string }[];
  versionInfo: { agentVersion: string };
  registeredAt: string;
  agentUrl: string;
  lastSeenAt: string;
  /** With `include: ["TAGS"]` only, as ECS. */
  tags?: { key: string; value: string }[];
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

export const deregisterContainerInstanceRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    containerInstance: z.string().min(1),
    force: z.boolean().default(false),
  })
  .strict();

export type DeregisterContainerInstanceRequest = z.infer<typeof deregisterContainerInstanceRequestSchema>;

/** ECS: an attribute name is 1-128 letters, numbers, hyphens, underscores, slashes, back slashes and periods. */
const attributeNameSchema = z.string().regex(/^[A-Za-z0-9\-_/\\.]{1,128}$/, 'An attribute name has 1 to 128 letters, numbers, hyphens, underscores, slashes, back slashes and periods');
/** ECS: a value is 1-128 letters, numbers, `- _ . @ / \ :` and spaces, not starting or ending with a space. */
const attributeValueSchema = z
  .string()
  .regex(/^[A-Za-z0-9\-_.@/\\: ]{1,128}$/, 'An attribute value has 1 to 128 letters, numbers, hyphens, underscores, periods, at signs, slashes, back slashes, colons and spaces')
  .refine((v) => v.trim() === v, 'An attribute value does not start or end with a space');

const attributeSchema = z
  .object({
    name: attributeNameSchema,
    value: attributeValueSchema.optional(),
    targetType: z.literal('container-instance', { message: 'The one target type is "container-instance"' }).optional(),
    /** A container instance id or ARN (ECS's `targetId`). */
    targetId: z.string().min(1).optional(),
  })
  .strict();

/** PutAttributes and DeleteAttributes. */
export const attributesRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    attributes: z.array(attributeSchema).min(1, 'Give at least one attribute').max(10, 'At most 10 attributes per call'),
  })
  .strict();

export type AttributesRequest = z.infer<typeof attributesRequestSchema>;

/** The page size ListAttributes uses, and its maximum. */
export const MAX_LIST_ATTRIBUTES = 100;

export const listAttributesRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    targetType: z.literal('container-instance', { message: 'The one target type is "container-instance"' }),
    attributeName: z.string().min(1).max(128).optional(),
    attributeValue: z.string().min(1).max(128).optional(),
    maxResults: z.coerce.number().int().min(1).max(MAX_LIST_ATTRIBUTES).default(MAX_LIST_ATTRIBUTES),
    nextToken: z.string().optional(),
  })
  .strict()
  .refine((r) => r.attributeValue === undefined || r.attributeName !== undefined, { path: ['attributeValue'], message: 'attributeValue filters an attribute: give attributeName too' });

export type ListAttributesRequest = z.infer<typeof listAttributesRequestSchema>;

/** An attribute as ECS answers it. */
export interface AttributeView {
  name: string;
  value?: string;
  targetType: 'container-instance';
  targetId: string;
}
