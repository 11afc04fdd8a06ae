/**
 * One table per AWS service: each operation Wharf implements, by its AWS name, mapped onto its
 * native route. The route key (`POST /v1/clusters`) is the one the IAM action table
 * (`../actions.ts`: action, resources, condition keys) and the route handlers (`../handlers.ts`)
 * are keyed by, so an operation reached through the AWS protocol is authorised and served exactly
 * as its native route: nothing here names an action or calls a controller function itself.
 */
import type { AwsJsonService } from '../../../model/api/aws/json-protocol.js';
import type { RouteInput } from '../actions.js';

/** An AWS operation's request body, read as an object. */
export type AwsInput = Readonly<Record<string, unknown>>;

export interface AwsOperation {
  /** The native route's key in `ROUTE_ACTIONS` and the route handlers. */
  readonly route: string;
  /** Where the native route takes the operation's fields (its body, by default). */
  readonly input?: (body: AwsInput) => RouteInput;
  /** Fields of the AWS model's request that Wharf accepts and does not act on: dropped before the native route parses the rest. */
  readonly notActedOn?: readonly string[];
  /** Where the response has timestamps (ISO in the native answer, epoch seconds in the JSON protocol): `tasks[].createdAt`. */
  readonly timestamps?: readonly string[];
}

/** The body as the native route's query (its List operations are GETs). */
const asQuery = (body: AwsInput): RouteInput => ({ params: {}, query: body, body: undefined });

/** One field as the native route's path parameter, the others as its query. */
const inPath =
  (param: string, field: string) =>
  ({ [field]: value, ...rest }: AwsInput): RouteInput => ({ params: { [param]: value }, query: rest, body: undefined });

// Timestamps of ECS's response shapes (service-2.json), by the shape that holds them.
const TASK_DEFINITION = ['registeredAt', 'deregisteredAt', 'deleteRequestedAt'];
const TASK = ['createdAt', 'startedAt', 'stoppingAt', 'stoppedAt', 'pullStartedAt', 'pullStoppedAt', 'executionStoppedAt', 'connectivityAt', 'containers[].managedAgents[].lastStartedAt'];
const SERVICE = ['createdAt', 'deployments[].createdAt', 'deployments[].updatedAt', 'events[].createdAt', 'taskSets[].createdAt', 'taskSets[].updatedAt', 'taskSets[].stabilityStatusAt'];
const CONTAINER_INSTANCE = ['registeredAt', 'healthStatus.details[].lastUpdated', 'healthStatus.details[].lastStatusChange'];

const under = (member: string, paths: readonly string[]): string[] => paths.map((path) => `${member}.${path}`);

/** Fields of CreateService and UpdateService newer than Wharf's services: Availability Zones, VPC Lattice, gateways, monitoring. */
const NEWER_SERVICE_FIELDS = ['availabilityZoneRebalancing', 'vpcLatticeConfigurations', 'gatewayConnectors', 'monitoring'];

/** ECS (`AmazonEC2ContainerServiceV20141113`): the operations of the native `/v1` ECS routes. */
export const ECS_OPERATIONS: Readonly<Record<string, AwsOperation>> = {
  CreateCluster: { route: 'POST /v1/clusters' },
  ListClusters: { route: 'GET /v1/clusters', input: asQuery },
  DescribeClusters: { route: 'POST /v1/clusters/describe' },
  DeleteCluster: { route: 'DELETE /v1/clusters/:cluster', input: inPath('cluster', 'cluster') },

  RegisterTaskDefinition: { route: 'POST /v1/task-definitions', notActedOn: ['trustedExecutionConfiguration'], timestamps: under('taskDefinition', TASK_DEFINITION) },
  ListTaskDefinitions: { route: 'GET /v1/task-definitions', input: asQuery },
  ListTaskDefinitionFamilies: { route: 'GET /v1/task-definition-families', input: asQuery },
  DescribeTaskDefinition: { route: 'GET /v1/task-definitions/:ref', input: inPath('ref', 'taskDefinition'), timestamps: under('taskDefinition', TASK_DEFINITION) },
  DeregisterTaskDefinition: { route: 'DELETE /v1/task-definitions/:ref', input: inPath('ref', 'taskDefinition'), timestamps: under('taskDefinition', TASK_DEFINITION) },
  DeleteTaskDefinitions: { route: 'POST /v1/task-definitions/delete', timestamps: under('taskDefinitions[]', TASK_DEFINITION) },

  RunTask: { route: 'POST /v1/tasks', timestamps: under('tasks[]', TASK) },
  ListTasks: { route: 'GET /v1/tasks', input: asQuery, notActedOn: ['daemonName'] },
  DescribeTasks: { route: 'POST /v1/tasks/describe', timestamps: under('tasks[]', TASK) },
  StopTask: { route: 'POST /v1/tasks/stop', timestamps: under('task', TASK) },

  ListContainerInstances: { route: 'GET /v1/container-instances', input: asQuery },
  DescribeContainerInstances: { route: 'POST /v1/container-instances/describe', timestamps: under('containerInstances[]', CONTAINER_INSTANCE) },
  UpdateContainerInstancesState: { route: 'POST /v1/container-instances/state', timestamps: under('containerInstances[]', CONTAINER_INSTANCE) },

  CreateService: { route: 'POST /v1/services', notActedOn: NEWER_SERVICE_FIELDS, timestamps: under('service', SERVICE) },
  ListServices: { route: 'GET /v1/services', input: asQuery, notActedOn: ['resourceManagementType'] },
  DescribeServices: { route: 'POST /v1/services/describe', timestamps: under('services[]', SERVICE) },
  UpdateService: { route: 'POST /v1/services/update', notActedOn: ['enableECSManagedTags', 'propagateTags', 'deploymentController', ...NEWER_SERVICE_FIELDS], timestamps: under('service', SERVICE) },
  DeleteService: { route: 'POST /v1/services/delete', timestamps: under('service', SERVICE) },

  UpdateCluster: { route: 'POST /v1/clusters/update' },
  UpdateClusterSettings: { route: 'POST /v1/clusters/settings' },
  PutClusterCapacityProviders: { route: 'POST /v1/clusters/capacity-providers' },
  DescribeCapacityProviders: { route: 'POST /v1/capacity-providers/describe' },

  StartTask: { route: 'POST /v1/tasks/start', timestamps: under('tasks[]', TASK) },
  DeregisterContainerInstance: { route: 'POST /v1/container-instances/deregister', timestamps: under('containerInstance', CONTAINER_INSTANCE) },
  PutAttributes: { route: 'POST /v1/attributes' },
  DeleteAttributes: { route: 'POST /v1/attributes/delete' },
  ListAttributes: { route: 'GET /v1/attributes', input: asQuery },

  TagResource: { route: 'POST /v1/tags' },
  UntagResource: { route: 'POST /v1/tags/delete' },
  ListTagsForResource: { route: 'GET /v1/tags', input: asQuery },

  ListServiceDeployments: { route: 'POST /v1/service-deployments/list', timestamps: under('serviceDeployments[]', ['createdAt', 'startedAt', 'finishedAt']) },
  DescribeServiceDeployments: {
    route: 'POST /v1/service-deployments/describe',
    timestamps: under('serviceDeployments[]', ['createdAt', 'startedAt', 'finishedAt', 'stoppedAt', 'updatedAt', 'rollback.startedAt', 'lifecycleHookDetails[].expiresAt']),
  },
};

const scaling = (name: string): string => `POST /v1/application-autoscaling/${name}`;

/** Application Auto Scaling (`AnyScaleFrontendService`): the operations of the native `/v1/application-autoscaling` routes. */
export const AUTOSCALING_OPERATIONS: Readonly<Record<string, AwsOperation>> = {
  RegisterScalableTarget: { route: scaling('RegisterScalableTarget') },
  DescribeScalableTargets: { route: scaling('DescribeScalableTargets'), notActedOn: ['ScalableDimension', 'NextToken'], timestamps: ['ScalableTargets[].CreationTime'] },
  PutScalingPolicy: { route: scaling('PutScalingPolicy'), notActedOn: ['StepScalingPolicyConfiguration', 'PredictiveScalingPolicyConfiguration'] },
  DescribeScalingPolicies: { route: scaling('DescribeScalingPolicies'), notActedOn: ['ScalableDimension', 'NextToken'], timestamps: ['ScalingPolicies[].CreationTime'] },
  DescribeScalingActivities: {
    route: scaling('DescribeScalingActivities'),
    notActedOn: ['ScalableDimension', 'NextToken', 'IncludeNotScaledActivities'],
    timestamps: ['ScalingActivities[].StartTime', 'ScalingActivities[].EndTime'],
  },
  DeregisterScalableTarget: { route: scaling('DeregisterScalableTarget') },
  DeleteScalingPolicy: { route: scaling('DeleteScalingPolicy') },
  PutScheduledAction: { route: scaling('PutScheduledAction') },
  DescribeScheduledActions: {
    route: scaling('DescribeScheduledActions'),
    notActedOn: ['NextToken'],
    timestamps: ['ScheduledActions[].StartTime', 'ScheduledActions[].EndTime', 'ScheduledActions[].CreationTime'],
  },
  DeleteScheduledAction: { route: scaling('DeleteScheduledAction') },
  TagResource: { route: scaling('TagResource') },
  UntagResource: { route: scaling('UntagResource') },
  ListTagsForResource: { route: scaling('ListTagsForResource') },
};

/** Each JSON-protocol service's table. */
export const AWS_OPERATIONS: Readonly<Record<AwsJsonService, Readonly<Record<string, AwsOperation>>>> = {
  ecs: ECS_OPERATIONS,
  'application-autoscaling': AUTOSCALING_OPERATIONS,
};

/** The native route's input for an AWS request body: the model's fields Wharf does not act on are dropped, the rest placed where the route takes them. */
export function nativeInput(operation: AwsOperation, body: AwsInput): RouteInput {
  const kept = operation.notActedOn ? Object.fromEntries(Object.entries(body).filter(([name]) => !operation.notActedOn?.includes(name))) : body;
  return operation.input ? operation.input(kept) : { params: {}, query: {}, body: kept };
}
