/**
 * The AWS-named command groups of `wharf` (`ecs`, `elbv2`, `application-autoscaling`,
 * `elasticbeanstalk`, `iam`): for each, the AWS operations Wharf serves and the native route each
 * one calls. Kept free of heavy imports: `src/main.ts` reads it before anything else to send an AWS
 * command down the fast path (`run.ts`), with the service's model loaded only then.
 */
import type { GroupCommands } from './command.js';
import type { ServiceModel } from './model.js';

/** Where an operation's request goes on the native API, and how its fields are placed. */
export interface NativeRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** With `:param` for the member in `pathMember`. */
  readonly path: string;
  /** `body` (JSON, the default) or `query` (the List operations). */
  readonly input?: 'body' | 'query';
  /** The request member that fills the path's parameter; the other members go in the query. */
  readonly pathMember?: string;
}

export interface AwsService {
  /** The command group, as the AWS CLI names the service. */
  readonly group: string;
  readonly description: string;
  /** The botocore model the CLI's shapes come from: `<service>/<api version>`. */
  readonly botocore: string;
  /** The operations Wharf serves, in `--help`'s order. */
  readonly operations: readonly string[];
  readonly route: (operation: string) => NativeRoute;
  readonly model: () => Promise<ServiceModel>;
  /**
   * Members the AWS model requires that Wharf's API does without (by operation): the CLI does not
   * ask for them.
   */
  readonly optional?: Readonly<Record<string, readonly string[]>>;
  /** The group's descriptions and readable renderings (`src/cli/commands/<group>/index.ts`). */
  readonly commands?: () => Promise<GroupCommands>;
}

const ECS_ROUTES: Readonly<Record<string, NativeRoute>> = {
  CreateCluster: { method: 'POST', path: '/v1/clusters' },
  DescribeClusters: { method: 'POST', path: '/v1/clusters/describe' },
  ListClusters: { method: 'GET', path: '/v1/clusters', input: 'query' },
  DeleteCluster: { method: 'DELETE', path: '/v1/clusters/:cluster', pathMember: 'cluster' },
  RegisterTaskDefinition: { method: 'POST', path: '/v1/task-definitions' },
  DescribeTaskDefinition: { method: 'GET', path: '/v1/task-definitions/:ref', pathMember: 'taskDefinition' },
  ListTaskDefinitions: { method: 'GET', path: '/v1/task-definitions', input: 'query' },
  ListTaskDefinitionFamilies: { method: 'GET', path: '/v1/task-definition-families', input: 'query' },
  DeregisterTaskDefinition: { method: 'DELETE', path: '/v1/task-definitions/:ref', pathMember: 'taskDefinition' },
  DeleteTaskDefinitions: { method: 'POST', path: '/v1/task-definitions/delete' },
  RunTask: { method: 'POST', path: '/v1/tasks' },
  StopTask: { method: 'POST', path: '/v1/tasks/stop' },
  DescribeTasks: { method: 'POST', path: '/v1/tasks/describe' },
  ListTasks: { method: 'GET', path: '/v1/tasks', input: 'query' },
  ListContainerInstances: { method: 'GET', path: '/v1/container-instances', input: 'query' },
  DescribeContainerInstances: { method: 'POST', path: '/v1/container-instances/describe' },
  UpdateContainerInstancesState: { method: 'POST', path: '/v1/container-instances/state' },
  CreateService: { method: 'POST', path: '/v1/services' },
  UpdateService: { method: 'POST', path: '/v1/services/update' },
  DescribeServices: { method: 'POST', path: '/v1/services/describe' },
  ListServices: { method: 'GET', path: '/v1/services', input: 'query' },
  DeleteService: { method: 'POST', path: '/v1/services/delete' },
};

/** `POST /v1/<area>/<Operation>` with the AWS request as the body (PascalCase JSON). */
const byOperation =
  (area: string) =>
  (operation: string): NativeRoute => ({ method: 'POST', path: `/v1/${area}/${operation}` });

export const AWS_SERVICES: readonly AwsService[] = [
  {
    group: 'ecs',
    description: 'ECS: clusters, task definitions, tasks, services',
    botocore: 'ecs/2014-11-13',
    operations: Object.keys(ECS_ROUTES),
    route: (operation) => {
      const route = ECS_ROUTES[operation];
      if (!route) throw new Error(`No native route for ECS ${operation}`);
      return route;
    },
    model: async () => (await import('./models/ecs.js')).MODEL,
    commands: async () => (await import('../commands/ecs/index.js')).COMMANDS,
  },
  {
    group: 'elbv2',
    description: 'Load balancing on the router: target groups, targets, listeners, rules',
    botocore: 'elbv2/2015-12-01',
    operations: [
      'CreateTargetGroup',
      'DescribeTargetGroups',
      'ModifyTargetGroup',
      'ModifyTargetGroupAttributes',
      'DeleteTargetGroup',
      'RegisterTargets',
      'DeregisterTargets',
      'DescribeTargetHealth',
      'CreateListener',
      'DescribeListeners',
      'CreateRule',
      'ModifyRule',
      'DeleteRule',
      'DescribeRules',
    ],
    route: byOperation('elbv2'),
    // Wharf has one router, so a listener needs no load balancer (until load balancers are named sets of listeners).
    optional: { CreateListener: ['LoadBalancerArn'] },
    model: async () => (await import('./models/elbv2.js')).MODEL,
    commands: async () => (await import('../commands/elbv2/index.js')).COMMANDS,
  },
  {
    group: 'application-autoscaling',
    description: "Auto scaling of services' desired counts",
    botocore: 'application-autoscaling/2016-02-06',
    operations: ['RegisterScalableTarget', 'DescribeScalableTargets', 'PutScalingPolicy', 'DescribeScalingPolicies', 'DescribeScalingActivities'],
    route: byOperation('application-autoscaling'),
    model: async () => (await import('./models/application-autoscaling.js')).MODEL,
    commands: async () => (await import('../commands/application-autoscaling/index.js')).COMMANDS,
  },
  {
    group: 'elasticbeanstalk',
    description: "Elastic Beanstalk's API as the AWS CLI has it (see `wharf eb` for the EB CLI)",
    botocore: 'elasticbeanstalk/2010-12-01',
    operations: [
      'CreateApplication',
      'UpdateApplication',
      'DescribeApplications',
      'DeleteApplication',
      'CreateApplicationVersion',
      'DescribeApplicationVersions',
      'DeleteApplicationVersion',
      'CreateEnvironment',
      'UpdateEnvironment',
      'TerminateEnvironment',
      'RestartAppServer',
      'RebuildEnvironment',
      'AbortEnvironmentUpdate',
      'SwapEnvironmentCNAMEs',
      'DescribeEnvironments',
      'DescribeEvents',
      'CheckDNSAvailability',
      'DescribeEnvironmentHealth',
      'DescribeInstancesHealth',
      'DescribeEnvironmentResources',
      'DescribeConfigurationSettings',
      'DescribeConfigurationOptions',
      'ValidateConfigurationSettings',
      'CreateConfigurationTemplate',
      'DeleteConfigurationTemplate',
    ],
    route: byOperation('elasticbeanstalk'),
    model: async () => (await import('./models/elasticbeanstalk.js')).MODEL,
    commands: async () => (await import('../commands/elasticbeanstalk/index.js')).COMMANDS,
  },
  {
    group: 'iam',
    description: 'IAM: users, groups, access keys and the policies that say what they may do',
    botocore: 'iam/2010-05-08',
    operations: [
      'CreateUser',
      'GetUser',
      'ListUsers',
      'DeleteUser',
      'CreateGroup',
      'GetGroup',
      'ListGroups',
      'DeleteGroup',
      'AddUserToGroup',
      'RemoveUserFromGroup',
      'ListGroupsForUser',
      'CreateAccessKey',
      'ListAccessKeys',
      'UpdateAccessKey',
      'DeleteAccessKey',
      'PutUserPolicy',
      'GetUserPolicy',
      'DeleteUserPolicy',
      'ListUserPolicies',
      'PutGroupPolicy',
      'GetGroupPolicy',
      'DeleteGroupPolicy',
      'ListGroupPolicies',
      'CreatePolicy',
      'GetPolicy',
      'ListPolicies',
      'DeletePolicy',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'ListAttachedUserPolicies',
      'AttachGroupPolicy',
      'DetachGroupPolicy',
      'ListAttachedGroupPolicies',
      'SimulatePrincipalPolicy',
    ],
    route: byOperation('iam'),
    model: async () => (await import('./models/iam.js')).MODEL,
    commands: async () => (await import('../commands/iam/index.js')).COMMANDS,
  },
];

/** The AWS-named group `word` names, if any. */
export function awsServiceOf(word: string | undefined): AwsService | undefined {
  return AWS_SERVICES.find((service) => service.group === word);
}
