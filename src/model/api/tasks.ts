/**
 * ECS tasks: the requests of RunTask, StopTask, DescribeTasks, ListTasks and of a task's logs, and
 * a task in ECS's response shape.
 */
import { z } from 'zod';
import { MAX_PLACEMENT_CONSTRAINTS, MAX_PLACEMENT_STRATEGIES } from '../placement.js';
import type { TaskRecord } from '../task.js';
import { DESIRED_TASK_STATUSES } from '../task.js';
import { boundedJson } from '../validation.js';
import { clusterRefSchema, tagsSchema } from './common.js';

/** ECS: RunTask starts at most 10 tasks per call. */
export const MAX_RUN_TASK_COUNT = 10;
export const MAX_LIST_TASKS = 100;

const strategySchema = z.object({ type: z.enum(['binpack', 'spread', 'random']), field: z.string().min(1).optional() }).strict();
const constraintSchema = z.object({ type: z.enum(['distinctInstance', 'memberOf']), expression: z.string().min(1).max(2000).optional() }).strict();

const containerOverrideSchema = z
  .object({
    name: z.string().min(1),
    command: z.array(z.string()).optional(),
    environment: z.array(z.object({ name: z.string().min(1), value: z.string() }).strict()).optional(),
    cpu: z.number().int().min(0).optional(),
    memory: z.number().int().min(4).optional(),
    memoryReservation: z.number().int().min(4).optional(),
    environmentFiles: boundedJson().optional(),
    resourceRequirements: boundedJson().optional(),
  })
  .strict();

export const runTaskRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    taskDefinition: z.string().min(1),
    count: z.number().int().min(1).max(MAX_RUN_TASK_COUNT).default(1),
    overrides: z
      .object({
        containerOverrides: z.array(containerOverrideSchema).optional(),
        cpu: z.string().regex(/^\d+$/).optional(),
        memory: z.string().regex(/^\d+$/).optional(),
        taskRoleArn: z.string().optional(),
        executionRoleArn: z.string().optional(),
        inferenceAcceleratorOverrides: boundedJson().optional(),
        ephemeralStorage: boundedJson().optional(),
      })
      .strict()
      .optional(),
    placementStrategy: z.array(strategySchema).max(MAX_PLACEMENT_STRATEGIES).optional(),
    placementConstraints: z.array(constraintSchema).max(MAX_PLACEMENT_CONSTRAINTS).optional(),
    startedBy: z.string().regex(/^[A-Za-z0-9\-/_]{1,128}$/, 'startedBy is up to 128 letters, numbers, hyphens, slashes and underscores').optional(),
    group: z.string().regex(/^[A-Za-z0-9\-_:]{1,255}$/, 'A group is up to 255 letters, numbers, hyphens, underscores and colons').optional(),
    launchType: z.enum(['EC2', 'EXTERNAL', 'FARGATE', 'MANAGED_INSTANCES']).optional(),
    tags: tagsSchema.optional(),
    enableECSManagedTags: z.boolean().optional(),
    propagateTags: z.enum(['TASK_DEFINITION', 'SERVICE', 'NONE']).optional(),
    referenceId: z.string().max(1024).optional(),
    clientToken: z.string().max(64).optional(),
    enableExecuteCommand: z.boolean().optional(),
    networkConfiguration: boundedJson().optional(),
    capacityProviderStrategy: boundedJson().optional(),
    platformVersion: z.string().optional(),
    volumeConfigurations: boundedJson().optional(),
  })
  .strict();

export type RunTaskRequest = z.infer<typeof runTaskRequestSchema>;

/** ECS: StartTask starts one task on each of up to 10 container instances. */
export const MAX_START_TASK_INSTANCES = 10;

/** StartTask: RunTask's fields that apply when the caller names the container instances (no count, placement or launch type). */
export const startTaskRequestSchema = runTaskRequestSchema
  .omit({ count: true, placementStrategy: true, placementConstraints: true, launchType: true, capacityProviderStrategy: true, platformVersion: true, clientToken: true })
  .extend({ containerInstances: z.array(z.string().min(1)).min(1, 'Name at least one container instance').max(MAX_START_TASK_INSTANCES, `StartTask takes at most ${MAX_START_TASK_INSTANCES} container instances`) })
  .strict();

export type StartTaskRequest = z.infer<typeof startTaskRequestSchema>;

export const stopTaskRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    task: z.string().min(1),
    reason: z.string().max(255).optional(),
  })
  .strict();

export type StopTaskRequest = z.infer<typeof stopTaskRequestSchema>;

export const describeTasksRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    tasks: z.array(z.string().min(1)).min(1).max(100),
    include: z.array(z.literal('TAGS')).optional(),
  })
  .strict();

export type DescribeTasksRequest = z.infer<typeof describeTasksRequestSchema>;

export const listTasksRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    containerInstance: z.string().min(1).optional(),
    family: z.string().min(1).optional(),
    startedBy: z.string().min(1).optional(),
    serviceName: z.string().min(1).optional(),
    desiredStatus: z.enum([...DESIRED_TASK_STATUSES, 'PENDING']).default('RUNNING'),
    launchType: z.enum(['EC2', 'EXTERNAL', 'FARGATE', 'MANAGED_INSTANCES']).optional(),
    maxResults: z.coerce.number().int().min(1).max(MAX_LIST_TASKS).default(MAX_LIST_TASKS),
    nextToken: z.string().optional(),
  })
  .strict();

export type ListTasksRequest = z.infer<typeof listTasksRequestSchema>;

export const taskLogsRequestSchema = z
  .object({
    cluster: clusterRefSchema.default('default'),
    container: z.string().min(1).optional(),
    since: z.coerce.number().int().nonnegative().optional(),
    tail: z.coerce.number().int().min(0).max(100_000).optional(),
    follow: z.enum(['0', '1', 'true', 'false']).optional(),
  })
  .strict();

export type TaskLogsRequest = z.infer<typeof taskLogsRequestSchema>;

/** A task in ECS's response shape. */
export interface TaskView {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  containerInstanceArn: string;
  lastStatus: TaskRecord['lastStatus'];
  desiredStatus: TaskRecord['desiredStatus'];
  healthStatus: TaskRecord['healthStatus'];
  cpu: string;
  memory: string;
  launchType: 'EC2';
  group: string;
  startedBy?: string;
  version: number;
  connectivity: 'CONNECTED';
  createdAt: string;
  startedAt?: string;
  stoppingAt?: string;
  stoppedAt?: string;
  stopCode?: string;
  stoppedReason?: string;
  overrides: TaskRecord['overrides'];
  tags: TaskRecord['tags'];
  containers: {
    containerArn: string;
    taskArn: string;
    name: string;
    image: string;
    lastStatus: string;
    exitCode?: number;
    reason?: string;
    healthStatus: string;
    networkBindings: TaskRecord['containers'][number]['networkBindings'];
    runtimeId?: string;
    cpu: string;
    memory?: string;
    memoryReservation?: string;
  }[];
}
