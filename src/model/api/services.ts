/**
 * ECS services: the requests of CreateService, UpdateService, DeleteService, DescribeServices and
 * ListServices, and a service in ECS's response shape.
 */
import { z } from 'zod';
import { MAX_PLACEMENT_CONSTRAINTS, MAX_PLACEMENT_STRATEGIES } from '../placement.js';
import type { ServiceRecord, TaskSetRecord } from '../service.js';
import { MAX_TASKS_PER_SERVICE, MAX_TASKS_PER_SERVICE_MESSAGE } from '../service.js';
import { boundedJson } from '../validation.js';
import { clusterRefSchema, requestTimeSchema, tagsSchema } from './common.js';

export const MAX_LIST_SERVICES = 100;

const serviceNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'A service name has 1 to 255 letters, numbers, hyphens and underscores');

const deploymentConfigurationSchema = z
  .object({
    minimumHealthyPercent: z.number().int().min(0).max(100).optional(),
    maximumPercent: z.number().int().min(100).max(1000).optional(),
    deploymentCircuitBreaker: z.object({ enable: z.boolean(), rollback: z.boolean() }).strict().optional(),
    alarms: boundedJson().optional(),
  })
  .strict();

const loadBalancerSchema = z
  .object({
    targetGroupArn: z.string().min(1),
    containerName: z.string().min(1),
    containerPort: z.number().int().min(1).max(65535),
    loadBalancerName: z.string().optional(),
  })
  .strict();

const placementFields = {
  placementStrategy: z.array(z.object({ type: z.enum(['binpack', 'spread', 'random']), field: z.string().min(1).optional() }).strict()).max(MAX_PLACEMENT_STRATEGIES).optional(),
  placementConstraints: z.array(z.object({ type: z.enum(['distinctInstance', 'memberOf']), expression: z.string().min(1).max(2000).optional() }).strict()).max(MAX_PLACEMENT_CONSTRAINTS).optional(),
};

/** Valid ECS fields of CreateService and UpdateService that the controller refuses by name (not yet acted on). */
const notYetFields = {
  enableExecuteCommand: z.literal(false).optional(),
  capacityProviderStrategy: boundedJson().optional(),
  networkConfiguration: boundedJson().optional(),
  serviceRegistries: boundedJson().optional(),
  serviceConnectConfiguration: boundedJson().optional(),
  volumeConfigurations: boundedJson().optional(),
  platformVersion: z.string().optional(),
};

export const createServiceRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    serviceName: serviceNameSchema,
    taskDefinition: z.string().min(1),
    desiredCount: z.number().int().min(0).max(MAX_TASKS_PER_SERVICE, MAX_TASKS_PER_SERVICE_MESSAGE).optional(),
    schedulingStrategy: z.enum(['REPLICA', 'DAEMON']).default('REPLICA'),
    deploymentConfiguration: deploymentConfigurationSchema.optional(),
    deploymentController: z.object({ type: z.literal('ECS', { message: 'Only the ECS deployment controller is supported' }) }).strict().optional(),
    healthCheckGracePeriodSeconds: z.number().int().min(0).max(2_147_483_647).default(0),
    loadBalancers: z.array(loadBalancerSchema).max(5).default([]),
    launchType: z.enum(['EC2', 'EXTERNAL']).optional(),
    tags: tagsSchema.optional(),
    clientToken: z.string().max(36).optional(),
    enableECSManagedTags: z.boolean().optional(),
    propagateTags: z.enum(['TASK_DEFINITION', 'SERVICE', 'NONE']).optional(),
    role: z.string().optional(),
    ...notYetFields,
    ...placementFields,
  })
  .strict();

export type CreateServiceRequest = z.infer<typeof createServiceRequestSchema>;

export const updateServiceRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    service: z.string().min(1),
    taskDefinition: z.string().min(1).optional(),
    desiredCount: z.number().int().min(0).max(MAX_TASKS_PER_SERVICE, MAX_TASKS_PER_SERVICE_MESSAGE).optional(),
    deploymentConfiguration: deploymentConfigurationSchema.optional(),
    healthCheckGracePeriodSeconds: z.number().int().min(0).max(2_147_483_647).optional(),
    forceNewDeployment: z.boolean().optional(),
    loadBalancers: z.array(loadBalancerSchema).max(5).optional(),
    ...notYetFields,
    ...placementFields,
  })
  .strict();

export type UpdateServiceRequest = z.infer<typeof updateServiceRequestSchema>;

export const deleteServiceRequestSchema = z
  .object({ cluster: clusterRefSchema.default('default'), service: z.string().min(1), force: z.boolean().optional() })
  .strict();

export type DeleteServiceRequest = z.infer<typeof deleteServiceRequestSchema>;

export const describeServicesRequestSchema = z
  .object({ cluster: clusterRefSchema.default('default'), services: z.array(z.string().min(1)).min(1).max(10), include: z.array(z.literal('TAGS')).optional() })
  .strict();

export type DescribeServicesRequest = z.infer<typeof describeServicesRequestSchema>;

export const listServicesRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    maxResults: z.coerce.number().int().min(1).max(MAX_LIST_SERVICES).default(10),
    nextToken: z.string().optional(),
    launchType: z.enum(['EC2', 'EXTERNAL', 'FARGATE', 'MANAGED_INSTANCES']).optional(),
    schedulingStrategy: z.enum(['REPLICA', 'DAEMON']).optional(),
  })
  .strict();

export type ListServicesRequest = z.infer<typeof listServicesRequestSchema>;

/** A service in ECS's response shape. */
export interface ServiceView {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  status: ServiceRecord['status'];
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  launchType: 'EC2';
  taskDefinition: string;
  deploymentConfiguration: ServiceRecord['deploymentConfiguration'];
  deploymentController: { type: 'ECS' };
  deployments: {
    id: string;
    status: TaskSetRecord['status'];
    taskDefinition: string;
    desiredCount: number;
    pendingCount: number;
    runningCount: number;
    failedTasks: number;
    createdAt: string;
    updatedAt: string;
    launchType: 'EC2';
    rolloutState: TaskSetRecord['rolloutState'];
    rolloutStateReason: string;
  }[];
  events: { id: string; createdAt: string; message: string }[];
  loadBalancers: ServiceRecord['loadBalancers'];
  placementStrategy: ServiceRecord['placementStrategy'];
  placementConstraints: ServiceRecord['placementConstraints'];
  schedulingStrategy: ServiceRecord['schedulingStrategy'];
  healthCheckGracePeriodSeconds: number;
  createdAt: string;
  createdBy: string;
  tags: ServiceRecord['tags'];
}


export const SERVICE_DEPLOYMENT_STATUSES = ['PENDING', 'SUCCESSFUL', 'STOPPED', 'STOP_REQUESTED', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'] as const;
export type ServiceDeploymentStatus = (typeof SERVICE_DEPLOYMENT_STATUSES)[number];

/** ListServiceDeployments: a service's deployments, newest first, by status and creation time. */
export const listServiceDeploymentsRequestSchema = z
  .object({
    service: z.string().min(1),
    cluster: clusterRefSchema.default('default'),
    status: z.array(z.enum(SERVICE_DEPLOYMENT_STATUSES)).max(9).optional(),
    createdAt: z.object({ before: requestTimeSchema.optional(), after: requestTimeSchema.optional() }).strict().optional(),
    nextToken: z.string().optional(),
    maxResults: z.number().int().min(1).max(100).default(20),
  })
  .strict();

export type ListServiceDeploymentsRequest = z.infer<typeof listServiceDeploymentsRequestSchema>;

export const describeServiceDeploymentsRequestSchema = z.object({ serviceDeploymentArns: z.array(z.string().min(1)).min(1).max(20) }).strict();

export type DescribeServiceDeploymentsRequest = z.infer<typeof describeServiceDeploymentsRequestSchema>;

/** A revision of a service in a deployment (ECS's ServiceRevisionSummary): a Wharf task set. */
export interface ServiceRevisionSummaryView {
  arn: string;
  requestedTaskCount: number;
  runningTaskCount: number;
  pendingTaskCount: number;
}

/** ECS's ServiceDeployment, from a Wharf deployment record. */
export interface ServiceDeploymentView {
  serviceDeploymentArn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: string;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  stoppedAt?: string;
  sourceServiceRevisions: ServiceRevisionSummaryView[];
  targetServiceRevision: ServiceRevisionSummaryView;
  status: ServiceDeploymentStatus;
  statusReason: string;
  deploymentConfiguration: ServiceRecord['deploymentConfiguration'];
  rollback?: { reason: string; startedAt: string; serviceRevisionArn: string };
  deploymentCircuitBreaker: { status: 'TRIGGERED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'DISABLED'; failureCount: number; threshold: number };
}

/** ECS's ServiceDeploymentBrief. */
export interface ServiceDeploymentBriefView {
  serviceDeploymentArn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: string;
  startedAt: string;
  finishedAt?: string;
  targetServiceRevisionArn: string;
  status: ServiceDeploymentStatus;
  statusReason: string;
}
