/**
 * The AWS CLI's paginators for the operations Wharf serves: which request member carries the page
 * token, which answer member the next one, the page-size member, and the lists a page holds. The
 * names are AWS's (botocore's `paginators-1.json` for each service), written out here for the
 * operations Wharf pages; the CLI follows every page unless told otherwise (`run.ts`).
 */
import type { Paginator } from './model.js';

/** ECS's `nextToken` / `maxResults`. */
const ecs = (resultKey: string): Paginator => ({ inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: [resultKey] });
/** Application Auto Scaling's `NextToken` / `MaxResults`. */
const scaling = (resultKey: string): Paginator => ({ inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxResults', resultKeys: [resultKey] });
/** ELBv2's `Marker` / `NextMarker` / `PageSize`. */
const elbv2 = (resultKey: string): Paginator => ({ inputToken: 'Marker', outputToken: 'NextMarker', limitKey: 'PageSize', resultKeys: [resultKey] });
/** Elastic Beanstalk's `NextToken` / `MaxRecords` (`MaxItems` for the managed action history). */
const eb = (resultKey: string, limitKey = 'MaxRecords'): Paginator => ({ inputToken: 'NextToken', outputToken: 'NextToken', limitKey, resultKeys: [resultKey] });
/** IAM's `Marker` / `MaxItems`, another page while `IsTruncated`. */
const iam = (resultKey: string): Paginator => ({ inputToken: 'Marker', outputToken: 'Marker', limitKey: 'MaxItems', resultKeys: [resultKey], moreResults: 'IsTruncated' });

/** By command group, then operation. */
export const PAGINATORS: Readonly<Record<string, Readonly<Record<string, Paginator>>>> = {
  ecs: {
    ListClusters: ecs('clusterArns'),
    ListTaskDefinitions: ecs('taskDefinitionArns'),
    ListTaskDefinitionFamilies: ecs('families'),
    ListTasks: ecs('taskArns'),
    ListContainerInstances: ecs('containerInstanceArns'),
    ListServices: ecs('serviceArns'),
    ListAttributes: ecs('attributes'),
  },
  'application-autoscaling': {
    DescribeScalableTargets: scaling('ScalableTargets'),
    DescribeScalingPolicies: scaling('ScalingPolicies'),
    DescribeScalingActivities: scaling('ScalingActivities'),
    DescribeScheduledActions: scaling('ScheduledActions'),
  },
  elbv2: {
    DescribeLoadBalancers: elbv2('LoadBalancers'),
    DescribeTargetGroups: elbv2('TargetGroups'),
    DescribeListeners: elbv2('Listeners'),
    DescribeRules: elbv2('Rules'),
  },
  elasticbeanstalk: {
    DescribeApplicationVersions: eb('ApplicationVersions'),
    DescribeEnvironments: eb('Environments'),
    DescribeEvents: eb('Events'),
    ListPlatformVersions: eb('PlatformSummaryList'),
    DescribeEnvironmentManagedActionHistory: eb('ManagedActionHistoryItems', 'MaxItems'),
  },
  iam: {
    ListUsers: iam('Users'),
    GetGroup: iam('Users'),
    ListGroups: iam('Groups'),
    ListGroupsForUser: iam('Groups'),
    ListAccessKeys: iam('AccessKeyMetadata'),
    ListUserPolicies: iam('PolicyNames'),
    ListGroupPolicies: iam('PolicyNames'),
    ListPolicies: iam('Policies'),
    ListAttachedUserPolicies: iam('AttachedPolicies'),
    ListAttachedGroupPolicies: iam('AttachedPolicies'),
    ListRoles: iam('Roles'),
    ListRolePolicies: iam('PolicyNames'),
    ListAttachedRolePolicies: iam('AttachedPolicies'),
    SimulatePrincipalPolicy: iam('EvaluationResults'),
  },
};
