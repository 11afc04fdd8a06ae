/**
 * The JSON protocol's services (ECS, Application Auto Scaling): each operation Wharf implements,
 * by its AWS name, as the model's table has it (`model/api/operation.ts`: its native route,
 * request schema and the fields not acted on), plus where its answer has timestamps. The route
 * key (`POST /v1/clusters`) is the one the IAM action table (`../actions.ts`: action, resources,
 * condition keys) and the route handlers (`../handlers.ts`) are keyed by, so an operation reached
 * through the AWS protocol is authorised and served exactly as its native route: nothing here
 * names an action or calls a controller function itself.
 */
import type { AwsJsonService } from '../../../model/api/aws/json-protocol.js';
import { AUTOSCALING_API } from '../../../model/api/autoscaling.js';
import { ECS_API } from '../../../model/api/ecs.js';
import type { ApiOperation, ApiOperations } from '../../../model/api/operation.js';
import { placeRequest } from '../../../model/api/operation.js';
import type { RouteInput } from '../actions.js';

/** An AWS operation's request body, read as an object. */
export type AwsInput = Readonly<Record<string, unknown>>;

export interface AwsOperation extends ApiOperation {
  /** Where the response has timestamps (ISO in the native answer, epoch seconds in the JSON protocol): `tasks[].createdAt`. */
  readonly timestamps?: readonly string[];
}

const under = (member: string, paths: readonly string[]): string[] => paths.map((path) => `${member}.${path}`);

// Timestamps of ECS's response shapes (service-2.json), by the shape that holds them.
const TASK_DEFINITION = ['registeredAt', 'deregisteredAt', 'deleteRequestedAt'];
const TASK = ['createdAt', 'startedAt', 'stoppingAt', 'stoppedAt', 'pullStartedAt', 'pullStoppedAt', 'executionStoppedAt', 'connectivityAt', 'containers[].managedAgents[].lastStartedAt'];
const SERVICE = ['createdAt', 'deployments[].createdAt', 'deployments[].updatedAt', 'events[].createdAt', 'taskSets[].createdAt', 'taskSets[].updatedAt', 'taskSets[].stabilityStatusAt'];
const CONTAINER_INSTANCE = ['registeredAt', 'healthStatus.details[].lastUpdated', 'healthStatus.details[].lastStatusChange'];
const SERVICE_DEPLOYMENT = ['createdAt', 'startedAt', 'finishedAt'];

/** Where ECS's answers have timestamps, by operation. */
const ECS_TIMESTAMPS: Readonly<Record<string, readonly string[]>> = {
  RegisterTaskDefinition: under('taskDefinition', TASK_DEFINITION),
  DescribeTaskDefinition: under('taskDefinition', TASK_DEFINITION),
  DeregisterTaskDefinition: under('taskDefinition', TASK_DEFINITION),
  DeleteTaskDefinitions: under('taskDefinitions[]', TASK_DEFINITION),
  RunTask: under('tasks[]', TASK),
  StartTask: under('tasks[]', TASK),
  DescribeTasks: under('tasks[]', TASK),
  StopTask: under('task', TASK),
  DescribeContainerInstances: under('containerInstances[]', CONTAINER_INSTANCE),
  UpdateContainerInstancesState: under('containerInstances[]', CONTAINER_INSTANCE),
  DeregisterContainerInstance: under('containerInstance', CONTAINER_INSTANCE),
  CreateService: under('service', SERVICE),
  DescribeServices: under('services[]', SERVICE),
  UpdateService: under('service', SERVICE),
  DeleteService: under('service', SERVICE),
  ListServiceDeployments: under('serviceDeployments[]', SERVICE_DEPLOYMENT),
  DescribeServiceDeployments: under('serviceDeployments[]', [...SERVICE_DEPLOYMENT, 'stoppedAt', 'updatedAt', 'rollback.startedAt', 'lifecycleHookDetails[].expiresAt']),
};

/** Where Application Auto Scaling's answers have timestamps, by operation. */
const AUTOSCALING_TIMESTAMPS: Readonly<Record<string, readonly string[]>> = {
  DescribeScalableTargets: ['ScalableTargets[].CreationTime'],
  DescribeScalingPolicies: ['ScalingPolicies[].CreationTime'],
  DescribeScalingActivities: ['ScalingActivities[].StartTime', 'ScalingActivities[].EndTime'],
  DescribeScheduledActions: ['ScheduledActions[].StartTime', 'ScheduledActions[].EndTime', 'ScheduledActions[].CreationTime'],
};

/** A service's operations as the JSON protocol serves them: the model's table and where each answer has timestamps. */
const withTimestamps = (api: ApiOperations, timestamps: Readonly<Record<string, readonly string[]>>): Readonly<Record<string, AwsOperation>> =>
  Object.fromEntries(Object.entries(api).map(([name, operation]) => [name, { ...operation, ...(timestamps[name] ? { timestamps: timestamps[name] } : {}) }]));

/** ECS (`AmazonEC2ContainerServiceV20141113`). */
export const ECS_OPERATIONS = withTimestamps(ECS_API, ECS_TIMESTAMPS);

/** Application Auto Scaling (`AnyScaleFrontendService`). */
export const AUTOSCALING_OPERATIONS = withTimestamps(AUTOSCALING_API, AUTOSCALING_TIMESTAMPS);

/** Each JSON-protocol service's table. */
export const AWS_OPERATIONS: Readonly<Record<AwsJsonService, Readonly<Record<string, AwsOperation>>>> = {
  ecs: ECS_OPERATIONS,
  'application-autoscaling': AUTOSCALING_OPERATIONS,
};

/** The native route's input for an AWS request body: the model's fields Wharf does not act on are dropped, the rest placed where the route takes them. */
export function nativeInput(operation: AwsOperation, body: AwsInput): RouteInput {
  const placed = placeRequest(operation, body);
  return { params: placed.params, query: placed.query ?? {}, body: placed.body };
}
