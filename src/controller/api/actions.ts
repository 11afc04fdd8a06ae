/**
 * The one table of the API's routes to IAM actions: for each `METHOD /path` the action a caller
 * must be allowed (`ecs:RunTask`), the resource ARNs the call touches, and the condition keys it
 * sets (`ecs:cluster`, request tags). The server refuses to register a `/v1` route that is in
 * neither this table nor `JOIN_TOKEN_ROUTES`, and `test/api/actions.test.ts` checks the table
 * against the routes, so no route can go unauthorised.
 *
 * Resources follow the AWS service authorization reference where Wharf has the resource type
 * (clusters, services, tasks, Elastic Beanstalk applications, versions and environments, target
 * groups, listeners and rules, IAM users, groups, roles and policies); actions AWS grants only on `*`
 * (Describe/List calls without resource-level permissions, RegisterTaskDefinition, …) use `*`.
 */
import { clusterArn, clusterNameFrom, arn } from '../../model/arn.js';
import type { ArnScope } from '../../model/arn.js';
import { iamArn } from '../../model/iam/principal.js';
import type { Principal } from '../../model/iam/principal.js';
import type { Store } from '../../store/store.js';

/** What a route's request carries, before any validation: read defensively. */
export interface RouteInput {
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
  /** The authenticated caller (absent with authentication off): calls about "me" act on it. */
  readonly caller?: Principal;
  /** Where the caller reached the API (`http://host:port`, from the request's Host): for links the answer hands out. */
  readonly origin?: string;
  /** The caller's address (`aws:SourceIp`) and whether it came over TLS (`aws:SecureTransport`), for conditions an operation decides itself. */
  readonly sourceIp?: string;
  readonly secureTransport?: boolean;
}

export interface ResourceLookup {
  readonly arnScope: ArnScope;
  readonly store: Store;
  /** The caller, authenticated: a call about "me" (an IAM key call or GetUser naming no user) is about its ARN. */
  readonly principal: Principal;
}

/** Condition keys a call sets, by name (`ecs:cluster`, `aws:RequestTag/env`, `aws:TagKeys`). */
export type CallContext = Readonly<Record<string, string | readonly string[]>>;

export interface RouteAction {
  readonly action: string;
  /** The ARNs the call touches (`*` for none in particular). Never throws on bad input: validation is the route's. */
  readonly resources: (input: RouteInput, lookup: ResourceLookup) => readonly string[] | Promise<readonly string[]>;
  /** Condition keys the call sets. */
  readonly context?: (input: RouteInput, lookup: ResourceLookup) => CallContext;
  /**
   * The roles the call hands to ECS (a task definition's task and execution roles, RunTask's
   * overrides of them), by ARN: the caller must also be allowed `iam:PassRole` on each, as ECS
   * requires. Whether a role exists is the operation's to check.
   */
  readonly passedRoles?: (input: RouteInput, lookup: ResourceLookup) => Promise<readonly string[]>;
}

/** The action a caller needs on each role it hands to a service. */
export const PASS_ROLE_ACTION = 'iam:PassRole';

/**
 * The ARNs of the roles named by `fields` of `from` (a role's ARN, or its name, as ECS takes
 * either): a name is the stored role's ARN (with its path), or the ARN it would have at `/`.
 */
function rolesNamed(from: (input: RouteInput) => unknown, fields: readonly string[]) {
  return async (input: RouteInput, { arnScope, store }: ResourceLookup): Promise<readonly string[]> => {
    const arns: string[] = [];
    for (const name of fields) {
      const ref = text(field(from(input), name));
      if (ref === undefined) continue;
      if (ref.startsWith('arn:')) arns.push(ref);
      else arns.push((await store.iam.getRole(ref))?.arn ?? iamArn(arnScope, 'role', '/', ref));
    }
    return arns;
  };
}

const ROLE_FIELDS = ['taskRoleArn', 'executionRoleArn'] as const;
const definitionRoles = rolesNamed((input) => input.body, ROLE_FIELDS);
const overrideRoles = rolesNamed((input) => field(input.body, 'overrides'), ROLE_FIELDS);

/** Routes agents and routers call with their join-token credentials instead of a signature. */
export const JOIN_TOKEN_ROUTES: ReadonlySet<string> = new Set([
  'POST /v1/agent/register',
  'GET /v1/agent/desired',
  'POST /v1/agent/report',
  'GET /v1/router/table',
  'POST /v1/router/health',
]);

/** Reads are never audited unless refused; every other action is a mutation. */
const READ_ACTION = /^[a-z0-9-]+:(Describe|List|Get|Check|Validate|Simulate|Lookup)/;

export function isMutating(action: string): boolean {
  return !READ_ACTION.test(action);
}

const MAX_LISTED = 100;

/** A field of an object (or undefined), for input no schema has checked yet. */
function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 2048 ? value : undefined;
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') return text(value) ? [value] : [];
  return Array.isArray(value) ? value.slice(0, MAX_LISTED).filter((v): v is string => text(v) !== undefined) : [];
}

const ANY: readonly string[] = ['*'];
const anyResource = (): readonly string[] => ANY;

/** The cluster a call names in `where` (body, query or path field `cluster`), `default` when none. */
function clusterOf(input: RouteInput, where: 'body' | 'query' | 'params' = 'body'): string {
  return clusterNameFrom(text(field(input[where], 'cluster')) ?? 'default');
}

function ecsArn(scope: ArnScope, resource: string): string {
  return arn(scope, 'ecs', resource);
}

/** The `ecs:cluster` condition key of a call on one cluster. */
function clusterContext(where: 'body' | 'query' = 'body') {
  return (input: RouteInput, { arnScope }: ResourceLookup): CallContext => ({ 'ecs:cluster': clusterArn(arnScope, clusterOf(input, where)) });
}

/** ARNs of the named things (names, or ARNs as they are) under `ecs:<kind>/<cluster>/`. */
function inCluster(kind: 'service' | 'task', names: readonly string[], input: RouteInput, scope: ArnScope): readonly string[] {
  const cluster = clusterOf(input);
  const arns = names.map((name) => (name.startsWith('arn:') ? name : ecsArn(scope, `${kind}/${cluster}/${name}`)));
  return arns.length > 0 ? arns : ANY;
}

/** Request tags as condition keys: `aws:RequestTag/<key>` and `aws:TagKeys`, from ECS (`key`/`value`) or AWS (`Key`/`Value`) tags. */
function tagContext(tags: unknown): CallContext {
  const context: Record<string, string | readonly string[]> = {};
  const keys: string[] = [];
  for (const tag of Array.isArray(tags) ? tags.slice(0, MAX_LISTED) : []) {
    const key = text(field(tag, 'key')) ?? text(field(tag, 'Key'));
    const value = field(tag, 'value') ?? field(tag, 'Value');
    if (key === undefined || typeof value !== 'string') continue;
    context[`aws:RequestTag/${key}`] = value;
    keys.push(key);
  }
  if (keys.length > 0) context['aws:TagKeys'] = keys;
  return context;
}

/** The ARNs a call names in one field of its body or query (`*` when it names none: validation refuses it). */
function arnsIn(where: 'body' | 'query', name: string) {
  return (input: RouteInput): readonly string[] => {
    const found = texts(field(input[where], name)).filter((a) => a.startsWith('arn:'));
    return found.length > 0 ? found : ANY;
  };
}

/** The keys a call removes, as `aws:TagKeys`. */
function tagKeysContext(keys: unknown): CallContext {
  const found = texts(keys);
  return found.length > 0 ? { 'aws:TagKeys': found } : {};
}

/** Application Auto Scaling's tags, a map (`{"team": "web"}`), as `aws:RequestTag/<key>` and `aws:TagKeys`. */
function tagMapContext(tags: unknown): CallContext {
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) return {};
  return tagContext(Object.entries(tags as Record<string, unknown>).map(([Key, Value]) => ({ Key, Value })));
}

// ── ECS ───────────────────────────────────────────────────────────────────────────────────────

const clusterFromBody = (input: RouteInput, { arnScope }: ResourceLookup) => [clusterArn(arnScope, clusterOf(input))];
const clusterFromQuery = (input: RouteInput, { arnScope }: ResourceLookup) => [clusterArn(arnScope, clusterOf(input, 'query'))];
const clusterFromPath = (input: RouteInput, { arnScope }: ResourceLookup) => [clusterArn(arnScope, clusterOf(input, 'params'))];

const ECS: Record<string, RouteAction> = {
  'POST /v1/clusters': {
    action: 'ecs:CreateCluster',
    resources: (input, { arnScope }) => [clusterArn(arnScope, text(field(input.body, 'clusterName')) ?? 'default')],
    context: (input) => tagContext(field(input.body, 'tags')),
  },
  'GET /v1/clusters': { action: 'ecs:ListClusters', resources: anyResource },
  'POST /v1/clusters/describe': {
    action: 'ecs:DescribeClusters',
    resources: (input, { arnScope }) => {
      const named = texts(field(input.body, 'clusters')).map((c) => clusterArn(arnScope, clusterNameFrom(c)));
      return named.length > 0 ? named : [clusterArn(arnScope, 'default')];
    },
  },
  'GET /v1/clusters/:cluster': { action: 'ecs:DescribeClusters', resources: clusterFromPath },
  'DELETE /v1/clusters/:cluster': { action: 'ecs:DeleteCluster', resources: clusterFromPath },

  'POST /v1/task-definitions': { action: 'ecs:RegisterTaskDefinition', resources: anyResource, context: (input) => tagContext(field(input.body, 'tags')), passedRoles: definitionRoles },
  'GET /v1/task-definitions': { action: 'ecs:ListTaskDefinitions', resources: anyResource },
  'GET /v1/task-definition-families': { action: 'ecs:ListTaskDefinitionFamilies', resources: anyResource },
  'GET /v1/task-definitions/:ref': { action: 'ecs:DescribeTaskDefinition', resources: anyResource },
  'DELETE /v1/task-definitions/:ref': { action: 'ecs:DeregisterTaskDefinition', resources: anyResource },
  'POST /v1/task-definitions/delete': { action: 'ecs:DeleteTaskDefinitions', resources: anyResource },

  'POST /v1/tasks': {
    action: 'ecs:RunTask',
    resources: (input, { arnScope }) => {
      const ref = text(field(input.body, 'taskDefinition'));
      if (ref === undefined) return ANY;
      return [ref.startsWith('arn:') ? ref : ecsArn(arnScope, `task-definition/${ref.includes(':') ? ref : `${ref}:*`}`)];
    },
    context: (input, lookup) => ({ ...clusterContext()(input, lookup), ...tagContext(field(input.body, 'tags')) }),
    passedRoles: overrideRoles,
  },
  'GET /v1/tasks': { action: 'ecs:ListTasks', resources: anyResource, context: clusterContext('query') },
  'POST /v1/tasks/describe': { action: 'ecs:DescribeTasks', resources: (input, { arnScope }) => inCluster('task', texts(field(input.body, 'tasks')), input, arnScope), context: clusterContext() },
  'POST /v1/tasks/stop': { action: 'ecs:StopTask', resources: (input, { arnScope }) => inCluster('task', texts(field(input.body, 'task')), input, arnScope), context: clusterContext() },
  'GET /v1/tasks/:task/logs': {
    // Wharf keeps container output itself (CloudWatch Logs' place): one action of its own.
    action: 'wharf:GetTaskLogs',
    resources: (input, { arnScope }) => inCluster('task', texts(field(input.params, 'task')), { ...input, body: input.query }, arnScope),
  },

  'GET /v1/container-instances': { action: 'ecs:ListContainerInstances', resources: clusterFromQuery },
  'POST /v1/container-instances/describe': { action: 'ecs:DescribeContainerInstances', resources: clusterFromBody, context: clusterContext() },
  'POST /v1/container-instances/state': { action: 'ecs:UpdateContainerInstancesState', resources: clusterFromBody, context: clusterContext() },

  'POST /v1/services': {
    action: 'ecs:CreateService',
    resources: (input, { arnScope }) => inCluster('service', texts(field(input.body, 'serviceName')), input, arnScope),
    context: (input, lookup) => ({ ...clusterContext()(input, lookup), ...tagContext(field(input.body, 'tags')) }),
  },
  'GET /v1/services': { action: 'ecs:ListServices', resources: anyResource, context: clusterContext('query') },
  'POST /v1/services/describe': { action: 'ecs:DescribeServices', resources: (input, { arnScope }) => inCluster('service', texts(field(input.body, 'services')), input, arnScope), context: clusterContext() },
  'POST /v1/services/update': { action: 'ecs:UpdateService', resources: (input, { arnScope }) => inCluster('service', texts(field(input.body, 'service')), input, arnScope), context: clusterContext() },
  'POST /v1/services/delete': { action: 'ecs:DeleteService', resources: (input, { arnScope }) => inCluster('service', texts(field(input.body, 'service')), input, arnScope), context: clusterContext() },

  'POST /v1/clusters/update': { action: 'ecs:UpdateCluster', resources: clusterFromBody },
  'POST /v1/clusters/settings': { action: 'ecs:UpdateClusterSettings', resources: clusterFromBody },
  'POST /v1/clusters/capacity-providers': { action: 'ecs:PutClusterCapacityProviders', resources: clusterFromBody },
  'POST /v1/capacity-providers/describe': { action: 'ecs:DescribeCapacityProviders', resources: anyResource },

  'POST /v1/tasks/start': {
    action: 'ecs:StartTask',
    resources: (input, { arnScope }) => {
      const ref = text(field(input.body, 'taskDefinition'));
      if (ref === undefined) return ANY;
      return [ref.startsWith('arn:') ? ref : ecsArn(arnScope, `task-definition/${ref.includes(':') ? ref : `${ref}:*`}`)];
    },
    context: (input, lookup) => ({ ...clusterContext()(input, lookup), ...tagContext(field(input.body, 'tags')) }),
    passedRoles: overrideRoles,
  },
  'POST /v1/container-instances/deregister': { action: 'ecs:DeregisterContainerInstance', resources: clusterFromBody, context: clusterContext() },
  'POST /v1/attributes': { action: 'ecs:PutAttributes', resources: clusterFromBody, context: clusterContext() },
  'POST /v1/attributes/delete': { action: 'ecs:DeleteAttributes', resources: clusterFromBody, context: clusterContext() },
  'GET /v1/attributes': { action: 'ecs:ListAttributes', resources: clusterFromQuery, context: clusterContext('query') },

  // Tagging: the resource the ARN names; the tags given (or the keys removed) as condition keys.
  'POST /v1/tags': { action: 'ecs:TagResource', resources: arnsIn('body', 'resourceArn'), context: (input) => tagContext(field(input.body, 'tags')) },
  'POST /v1/tags/delete': { action: 'ecs:UntagResource', resources: arnsIn('body', 'resourceArn'), context: (input) => tagKeysContext(field(input.body, 'tagKeys')) },
  'GET /v1/tags': { action: 'ecs:ListTagsForResource', resources: arnsIn('query', 'resourceArn') },

  'POST /v1/service-deployments/list': { action: 'ecs:ListServiceDeployments', resources: (input, { arnScope }) => inCluster('service', texts(field(input.body, 'service')), input, arnScope), context: clusterContext() },
  'POST /v1/service-deployments/describe': { action: 'ecs:DescribeServiceDeployments', resources: arnsIn('body', 'serviceDeploymentArns') },

  'GET /v1/events': { action: 'wharf:DescribeEvents', resources: anyResource },
  'GET /metrics': { action: 'wharf:GetMetrics', resources: anyResource },
};

// ── Elastic Beanstalk ─────────────────────────────────────────────────────────────────────────

function ebArn(scope: ArnScope, resource: string): string {
  return arn(scope, 'elasticbeanstalk', resource);
}

const applicationOf = (input: RouteInput): string | undefined => text(field(input.body, 'ApplicationName'));

/** The application's ARN (EB's application calls). */
const application = (input: RouteInput, { arnScope }: ResourceLookup): readonly string[] => {
  const name = applicationOf(input);
  return name === undefined ? ANY : [ebArn(arnScope, `application/${name}`)];
};

/** The version's ARN. */
const applicationVersion = (input: RouteInput, { arnScope }: ResourceLookup): readonly string[] => {
  const name = applicationOf(input);
  const label = text(field(input.body, 'VersionLabel'));
  return name === undefined || label === undefined ? ANY : [ebArn(arnScope, `applicationversion/${name}/${label}`)];
};

/** The saved configuration's ARN. */
const configurationTemplate = (input: RouteInput, { arnScope }: ResourceLookup): readonly string[] => {
  const name = applicationOf(input);
  const template = text(field(input.body, 'TemplateName'));
  return name === undefined || template === undefined ? ANY : [ebArn(arnScope, `configurationtemplate/${name}/${template}`)];
};

/**
 * The environment's ARN `environment/<application>/<name>`: a call may name it by id or by name
 * alone, so the application (and the name) come from the store when the call does not give them.
 */
async function environmentArn(input: RouteInput, { arnScope, store }: ResourceLookup, idField = 'EnvironmentId', nameField = 'EnvironmentName'): Promise<string | undefined> {
  const id = text(field(input.body, idField));
  const name = text(field(input.body, nameField));
  const found = id !== undefined ? await store.platform.getEnvironment(id) : name !== undefined ? await store.platform.findLiveEnvironment({ environmentName: name }) : undefined;
  const app = found?.applicationName ?? applicationOf(input);
  const env = found?.environmentName ?? name;
  return app === undefined || env === undefined ? undefined : ebArn(arnScope, `environment/${app}/${env}`);
}

const environment = async (input: RouteInput, lookup: ResourceLookup): Promise<readonly string[]> => {
  const found = await environmentArn(input, lookup);
  return found === undefined ? ANY : [found];
};

/** CreateEnvironment: the environment to be, and the version it runs. */
const newEnvironment = (input: RouteInput, lookup: ResourceLookup): readonly string[] => {
  const name = applicationOf(input);
  const env = text(field(input.body, 'EnvironmentName'));
  return name === undefined || env === undefined ? ANY : [ebArn(lookup.arnScope, `environment/${name}/${env}`)];
};

/** Both environments of a CNAME swap. */
const swapped = async (input: RouteInput, lookup: ResourceLookup): Promise<readonly string[]> => {
  const both = [await environmentArn(input, lookup, 'SourceEnvironmentId', 'SourceEnvironmentName'), await environmentArn(input, lookup, 'DestinationEnvironmentId', 'DestinationEnvironmentName')];
  const known = both.filter((a): a is string => a !== undefined);
  return known.length > 0 ? known : ANY;
};

const EB_OPERATIONS: Record<string, RouteAction['resources']> = {
  CreateApplication: application,
  UpdateApplication: application,
  DescribeApplications: anyResource,
  DeleteApplication: application,
  CreateApplicationVersion: applicationVersion,
  DescribeApplicationVersions: anyResource,
  DeleteApplicationVersion: applicationVersion,
  CreateEnvironment: newEnvironment,
  UpdateEnvironment: environment,
  TerminateEnvironment: environment,
  RestartAppServer: environment,
  RebuildEnvironment: environment,
  AbortEnvironmentUpdate: environment,
  SwapEnvironmentCNAMEs: swapped,
  DescribeEnvironments: anyResource,
  DescribeEvents: anyResource,
  CheckDNSAvailability: anyResource,
  DescribeEnvironmentHealth: environment,
  DescribeInstancesHealth: environment,
  DescribeEnvironmentResources: environment,
  DescribeConfigurationSettings: anyResource,
  DescribeConfigurationOptions: anyResource,
  ValidateConfigurationSettings: anyResource,
  CreateConfigurationTemplate: configurationTemplate,
  DeleteConfigurationTemplate: configurationTemplate,
  CreateStorageLocation: anyResource,
  UpdateApplicationVersion: applicationVersion,
  UpdateConfigurationTemplate: configurationTemplate,
  DeleteEnvironmentConfiguration: newEnvironment,
  ListPlatformVersions: anyResource,
  DescribePlatformVersion: arnsIn('body', 'PlatformArn'),
  ListPlatformBranches: anyResource,
  ListAvailableSolutionStacks: anyResource,
  ListTagsForResource: arnsIn('body', 'ResourceArn'),
  UpdateTagsForResource: arnsIn('body', 'ResourceArn'),
  RequestEnvironmentInfo: environment,
  RetrieveEnvironmentInfo: environment,
  DescribeEnvironmentManagedActions: environment,
  DescribeEnvironmentManagedActionHistory: environment,
};

const EB: Record<string, RouteAction> = {
  ...Object.fromEntries(
    Object.entries(EB_OPERATIONS).map(([name, resources]) => [
      `POST /v1/elasticbeanstalk/${name}`,
      { action: `elasticbeanstalk:${name}`, resources, context: (input: RouteInput) => tagContext(field(input.body, 'Tags')) },
    ]),
  ),
  // The tags a call adds and removes, as condition keys.
  'POST /v1/elasticbeanstalk/UpdateTagsForResource': {
    action: 'elasticbeanstalk:UpdateTagsForResource',
    resources: arnsIn('body', 'ResourceArn'),
    context: (input: RouteInput) => {
      const added = tagContext(field(input.body, 'TagsToAdd'));
      const removed = texts(field(input.body, 'TagsToRemove'));
      const keys = [...((added['aws:TagKeys'] as readonly string[] | undefined) ?? []), ...removed];
      return keys.length > 0 ? { ...added, 'aws:TagKeys': keys } : added;
    },
  },
  // The artifact store stands where Elastic Beanstalk's S3 bucket does: an upload is a PutObject.
  'PUT /v1/elasticbeanstalk/bundles': { action: 's3:PutObject', resources: (_input, { arnScope }) => [`arn:wharf:s3:::elasticbeanstalk-${arnScope.region}-${arnScope.accountId}/*`] },
};

// ── Elastic Load Balancing and Application Auto Scaling ──────────────────────────────────────

/** The ARN a call names in `name`, or `*`. */
const named =
  (name: string) =>
  (input: RouteInput): readonly string[] => {
    const found = texts(field(input.body, name));
    return found.length > 0 ? found : ANY;
  };

const ELB_OPERATIONS: Record<string, RouteAction['resources']> = {
  CreateLoadBalancer: anyResource,
  DescribeLoadBalancers: anyResource,
  DeleteLoadBalancer: named('LoadBalancerArn'),
  DescribeLoadBalancerAttributes: anyResource,
  ModifyLoadBalancerAttributes: named('LoadBalancerArn'),
  CreateTargetGroup: anyResource,
  DescribeTargetGroupAttributes: anyResource,
  DescribeTargetGroups: anyResource,
  ModifyTargetGroup: named('TargetGroupArn'),
  ModifyTargetGroupAttributes: named('TargetGroupArn'),
  DeleteTargetGroup: named('TargetGroupArn'),
  RegisterTargets: named('TargetGroupArn'),
  DeregisterTargets: named('TargetGroupArn'),
  DescribeTargetHealth: anyResource,
  CreateListener: anyResource,
  DescribeListeners: anyResource,
  ModifyListener: named('ListenerArn'),
  DeleteListener: named('ListenerArn'),
  CreateRule: named('ListenerArn'),
  ModifyRule: named('RuleArn'),
  DeleteRule: named('RuleArn'),
  DescribeRules: anyResource,
  SetRulePriorities: anyResource,
  AddTags: named('ResourceArns'),
  RemoveTags: named('ResourceArns'),
  DescribeTags: anyResource,
};

/** Request tags as condition keys, where ELBv2 sets them (the Create calls' and AddTags' `Tags`, RemoveTags' `TagKeys`). */
const ELB_CONTEXT: Readonly<Record<string, RouteAction['context']>> = {
  CreateLoadBalancer: (input) => tagContext(field(input.body, 'Tags')),
  CreateTargetGroup: (input) => tagContext(field(input.body, 'Tags')),
  CreateListener: (input) => tagContext(field(input.body, 'Tags')),
  CreateRule: (input) => tagContext(field(input.body, 'Tags')),
  AddTags: (input) => tagContext(field(input.body, 'Tags')),
  RemoveTags: (input) => tagKeysContext(field(input.body, 'TagKeys')),
};

/** The scalable target a tag call names by `ResourceARN`. */
const scalableTarget = named('ResourceARN');

const AUTOSCALING_OPERATIONS: Record<string, Omit<RouteAction, 'action'>> = {
  RegisterScalableTarget: { resources: anyResource, context: (input) => tagMapContext(field(input.body, 'Tags')) },
  PutScalingPolicy: { resources: anyResource },
  DescribeScalableTargets: { resources: anyResource },
  DescribeScalingPolicies: { resources: anyResource },
  DescribeScalingActivities: { resources: anyResource },
  DeregisterScalableTarget: { resources: anyResource },
  DeleteScalingPolicy: { resources: anyResource },
  PutScheduledAction: { resources: anyResource },
  DescribeScheduledActions: { resources: anyResource },
  DeleteScheduledAction: { resources: anyResource },
  TagResource: { resources: scalableTarget, context: (input) => tagMapContext(field(input.body, 'Tags')) },
  UntagResource: { resources: scalableTarget, context: (input) => tagKeysContext(field(input.body, 'TagKeys')) },
  ListTagsForResource: { resources: scalableTarget },
};

const ELB_AND_SCALING: Record<string, RouteAction> = {
  ...Object.fromEntries(Object.entries(ELB_OPERATIONS).map(([name, resources]) => [`POST /v1/elbv2/${name}`, { action: `elasticloadbalancing:${name}`, resources, ...(ELB_CONTEXT[name] ? { context: ELB_CONTEXT[name] } : {}) }])),
  ...Object.fromEntries(Object.entries(AUTOSCALING_OPERATIONS).map(([name, entry]) => [`POST /v1/application-autoscaling/${name}`, { action: `application-autoscaling:${name}`, ...entry }])),
};

// ── IAM and the audit log ─────────────────────────────────────────────────────────────────────

/** IAM calls name a user, a group or a policy; the ARN is built from the name (path `/`). */
const iamEntity =
  (kind: 'user' | 'group' | 'policy', nameField: string) =>
  (input: RouteInput, { arnScope }: ResourceLookup): readonly string[] => {
    const name = text(field(input.body, nameField));
    if (name === undefined) return ANY;
    return [name.startsWith('arn:') ? name : iamArn(arnScope, kind, '/', name)];
  };

/**
 * The role a role call names, by its ARN as stored (with its path, which the call does not name);
 * CreateRole's from the request's Path; a role that does not exist, with the path `/`.
 */
const iamRole = async (input: RouteInput, { arnScope, store }: ResourceLookup): Promise<readonly string[]> => {
  const name = text(field(input.body, 'RoleName'));
  if (name === undefined) return ANY;
  const found = await store.iam.getRole(name);
  if (found) return [found.arn];
  const path = text(field(input.body, 'Path'));
  return [iamArn(arnScope, 'role', path !== undefined && path.startsWith('/') && path.endsWith('/') ? path : '/', name)];
};

/**
 * The user a key call or GetUser is about. A call that names none acts on the caller, and is
 * authorised, as IAM does, on the caller's own ARN (the root's for the root), so a policy on
 * `arn:…:user/${aws:username}` lets users manage their own keys and no one else's.
 */
const keyUser = (input: RouteInput, lookup: ResourceLookup): readonly string[] =>
  field(input.body, 'UserName') === undefined ? [lookup.principal.arn] : iamEntity('user', 'UserName')(input, lookup);

const IAM_OPERATIONS: Record<string, RouteAction['resources']> = {
  CreateUser: iamEntity('user', 'UserName'),
  GetUser: keyUser,
  ListUsers: anyResource,
  DeleteUser: iamEntity('user', 'UserName'),
  CreateGroup: iamEntity('group', 'GroupName'),
  GetGroup: iamEntity('group', 'GroupName'),
  ListGroups: anyResource,
  DeleteGroup: iamEntity('group', 'GroupName'),
  AddUserToGroup: iamEntity('group', 'GroupName'),
  RemoveUserFromGroup: iamEntity('group', 'GroupName'),
  ListGroupsForUser: iamEntity('user', 'UserName'),
  CreateAccessKey: keyUser,
  ListAccessKeys: keyUser,
  UpdateAccessKey: keyUser,
  DeleteAccessKey: keyUser,
  PutUserPolicy: iamEntity('user', 'UserName'),
  GetUserPolicy: iamEntity('user', 'UserName'),
  DeleteUserPolicy: iamEntity('user', 'UserName'),
  ListUserPolicies: iamEntity('user', 'UserName'),
  PutGroupPolicy: iamEntity('group', 'GroupName'),
  GetGroupPolicy: iamEntity('group', 'GroupName'),
  DeleteGroupPolicy: iamEntity('group', 'GroupName'),
  ListGroupPolicies: iamEntity('group', 'GroupName'),
  CreatePolicy: iamEntity('policy', 'PolicyName'),
  GetPolicy: iamEntity('policy', 'PolicyArn'),
  ListPolicies: anyResource,
  DeletePolicy: iamEntity('policy', 'PolicyArn'),
  AttachUserPolicy: iamEntity('user', 'UserName'),
  DetachUserPolicy: iamEntity('user', 'UserName'),
  ListAttachedUserPolicies: iamEntity('user', 'UserName'),
  AttachGroupPolicy: iamEntity('group', 'GroupName'),
  DetachGroupPolicy: iamEntity('group', 'GroupName'),
  ListAttachedGroupPolicies: iamEntity('group', 'GroupName'),
  CreateRole: iamRole,
  GetRole: iamRole,
  ListRoles: anyResource,
  DeleteRole: iamRole,
  UpdateAssumeRolePolicy: iamRole,
  UpdateRole: iamRole,
  PutRolePolicy: iamRole,
  GetRolePolicy: iamRole,
  DeleteRolePolicy: iamRole,
  ListRolePolicies: iamRole,
  AttachRolePolicy: iamRole,
  DetachRolePolicy: iamRole,
  ListAttachedRolePolicies: iamRole,
  SimulatePrincipalPolicy: named('PolicySourceArn'),
};

const IDENTITY: Record<string, RouteAction> = {
  ...Object.fromEntries(Object.entries(IAM_OPERATIONS).map(([name, resources]) => [`POST /v1/iam/${name}`, { action: `iam:${name}`, resources }])),
  // STS: AssumeRole on the role (its trust policy is decided by the operation); GetCallerIdentity
  // needs no permission, as STS's (no resource: authorize allows it to any authenticated caller).
  'POST /v1/sts/AssumeRole': { action: 'sts:AssumeRole', resources: named('RoleArn') },
  'POST /v1/sts/GetCallerIdentity': { action: 'sts:GetCallerIdentity', resources: () => [] },
  // The audit log is CloudTrail's place: LookupEvents.
  'GET /v1/audit': { action: 'cloudtrail:LookupEvents', resources: anyResource },
};

/** Every signed route's action, by `METHOD /path` as fastify registers it. */
export const ROUTE_ACTIONS: Readonly<Record<string, RouteAction>> = { ...ECS, ...EB, ...ELB_AND_SCALING, ...IDENTITY };

/** The table's key for a route. */
export function routeKey(method: string, url: string): string {
  return `${method.toUpperCase()} ${url}`;
}
