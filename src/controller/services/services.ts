/**
 * ECS services on the controller: CreateService, UpdateService, DeleteService, DescribeServices,
 * ListServices. Each change that moves tasks writes a new task set (when the revision changes) and
 * a new deployment whose plan the runner carries out; nothing here starts or stops a task itself.
 */
import type { z } from 'zod';
import type { ArnScope } from '../../model/arn.js';
import { arn, clusterArn, taskDefinitionArn } from '../../model/arn.js';
import type { ClusterQuotas } from '../../model/cluster.js';
import type { Failure } from '../../model/api/common.js';
import type { CreateServiceRequest, DeleteServiceRequest, DescribeServicesRequest, ListServicesRequest, ServiceView, UpdateServiceRequest } from '../../model/api/services.js';
import { createServiceRequestSchema, updateServiceRequestSchema } from '../../model/api/services.js';
import type { FieldError } from '../../model/errors.js';
import { wharfError } from '../../model/errors.js';
import type { PlacementHost } from '../../model/placement.js';
import type { DeploymentPolicy, ServiceRecord } from '../../model/service.js';
import { DAEMON_MAXIMUM_PERCENT, DAEMON_MINIMUM_HEALTHY_PERCENT, DEFAULT_MAXIMUM_PERCENT, DEFAULT_MINIMUM_HEALTHY_PERCENT, serviceTransition } from '../../model/service.js';
import type { TaskDefinitionRecord } from '../../model/task-definition.js';
import type { Repositories, Store } from '../../store/store.js';
import type { RequestMeta } from '../request.js';
import { placementHosts } from '../compute/container-instances.js';
import { resolveTaskDefinition } from '../compute/task-definitions.js';
import { deployRevision, startDeployment, supersedeDeployments } from '../deploy/engine.js';
import { daemonPlan, PlanError, rollingPlan } from '../deploy/plan.js';
import { serviceResourceId, serviceTasks } from '../deploy/records.js';
import { findTargetGroup } from '../load-balancing/elbv2.js';
import { decodePageToken, encodePageToken } from '../paging.js';
import { createPlacementCluster, eligibleHosts, parseClusterQuery, placeTasks, placementInputProblems, seededRandom, taskRequirement } from '../scheduler/index.js';

/** Events shown per service in DescribeServices (ECS shows the latest 100). */
export const SERVICE_EVENTS_SHOWN = 100;

/** `arn:…:service/<cluster>/<name>` */
export function serviceArn(scope: ArnScope, cluster: string, serviceName: string): string {
  return arn(scope, 'ecs', `service/${cluster}/${serviceName}`);
}

/** Accepts a service name or ARN and returns the name. */
export function serviceNameFrom(ref: string): string {
  return /service\/(?:[^/]+\/)?([^/]+)$/.exec(ref)?.[1] ?? ref;
}


function checkPlacement(request: { placementStrategy?: ServiceRecord['placementStrategy']; placementConstraints?: ServiceRecord['placementConstraints'] }, ctx: z.RefinementCtx): void {
  for (const problem of placementInputProblems(request.placementStrategy ?? [], request.placementConstraints ?? [])) {
    const [field = '', ...message] = problem.split(': ');
    ctx.addIssue({ code: 'custom', path: field.split('.'), message: message.join(': ') });
  }
}

/** Fields ECS's CreateService/UpdateService take that Wharf does not act on yet, and why. */
const SERVICE_NOT_YET: Record<string, string> = {
  capacityProviderStrategy: 'capacity providers come with their own issue',
  networkConfiguration: 'awsvpc networking comes later; tasks use bridge or host networking',
  serviceRegistries: 'service discovery is not supported yet',
  serviceConnectConfiguration: 'Service Connect is not planned yet',
  volumeConfigurations: 'volumes are not mounted yet',
  platformVersion: 'the Fargate-like mode comes with its own issue',
  'deploymentConfiguration.alarms': 'CloudWatch alarms do not exist here; the circuit breaker and health checks judge deployments',
};

/**
 * The CreateService request (model/api/services.ts) plus the scheduler's checks of its placement,
 * and a DAEMON service's rules.
 */
export const checkedCreateServiceRequestSchema = createServiceRequestSchema
  .superRefine(checkPlacement)
  .superRefine((r, ctx) => {
    if (r.schedulingStrategy === 'REPLICA' && r.desiredCount === undefined) ctx.addIssue({ code: 'custom', path: ['desiredCount'], message: 'A REPLICA service needs a desiredCount' });
    if (r.schedulingStrategy === 'DAEMON') for (const p of daemonProblems(r)) ctx.addIssue({ code: 'custom', path: p.field.split('.'), message: p.message });
  });

/** The UpdateService request (model/api/services.ts) plus the scheduler's checks of its placement. */
export const checkedUpdateServiceRequestSchema = updateServiceRequestSchema.superRefine(checkPlacement);

function refuseNotYet(request: Record<string, unknown>, operation: string): void {
  for (const [path, reason] of Object.entries(SERVICE_NOT_YET)) {
    const value = path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], request);
    if (value !== undefined) throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: path, format: `ECS ${operation}`, reason });
  }
}

export interface ServiceContext {
  readonly store: Store;
  readonly arnScope: ArnScope;
  /** Called after a change commits, so the runner acts at once instead of at its next tick. */
  readonly wake: () => void;
  /** The quotas CreateService keeps (from settings), and the tasks per host a DAEMON service's hosts are counted with. */
  readonly quotas: Pick<ClusterQuotas, 'servicesPerCluster' | 'tasksPerHost'>;
}

/**
 * What the platform hands CreateService and UpdateService besides the ECS request (the public API
 * never sets it): the Elastic Beanstalk policy this change's new revision rolls out with. It is
 * kept on the service, written with the deployment it starts, for the later deployments that no
 * caller hands a policy (the circuit breaker's rollback, UpdateService from ECS or auto scaling).
 */
export interface DeploymentOptions {
  readonly deploymentPolicy?: DeploymentPolicy;
}

/**
 * What a DAEMON service may not be given, as ECS refuses it: a placement strategy (it places one
 * task on each eligible host) and a maximumPercent other than 100 (a host runs one task).
 */
function daemonProblems(request: { placementStrategy?: readonly unknown[]; deploymentConfiguration?: { maximumPercent?: number } }): FieldError[] {
  const problems: FieldError[] = [];
  if (request.placementStrategy !== undefined && request.placementStrategy.length > 0) {
    problems.push({ field: 'placementStrategy', message: 'A DAEMON service places one task on each container instance that meets its placement constraints, so it takes no placementStrategy: remove it' });
  }
  const max = request.deploymentConfiguration?.maximumPercent;
  if (max !== undefined && max !== DAEMON_MAXIMUM_PERCENT) {
    problems.push({ field: 'deploymentConfiguration.maximumPercent', message: `A DAEMON service runs at most one task per container instance, so maximumPercent must be ${DAEMON_MAXIMUM_PERCENT} (got ${max})` });
  }
  return problems;
}

/** WHARF_E_VALIDATION with the summary `parseInput` writes. */
function invalidFields(what: string, errors: FieldError[]): Error {
  const first = errors[0]!;
  return wharfError('WHARF_E_VALIDATION', { summary: `The ${what} has ${errors.length} invalid field${errors.length === 1 ? '' : 's'} (first: ${first.field}: ${first.message})` }, { errors });
}

/** A DAEMON service's desired count is its hosts'; a request may only repeat it (tools send back what they read). */
function checkDaemonDesiredCount(given: number | undefined, hosts: number): void {
  if (given === undefined || given === hosts) return;
  throw wharfError(
    'WHARF_E_VALIDATION',
    { summary: `The daemon scheduling strategy does not support a desired count (got ${given})` },
    { errors: [{ field: 'desiredCount', message: `A DAEMON service runs one task on each container instance that meets its placement constraints (${hosts} now), and its desired count follows them: remove desiredCount` }] },
  );
}

/**
 * The container instances a DAEMON service runs one task on each, by id: ACTIVE, agent connected,
 * meeting its task definition's and its own placement constraints that read only host facts (see
 * `eligibleHosts`), and either running a task of the service already or having room for one of
 * `record` now (fewer than `maxTasksPerHost` tasks, resources, ports, constraints that read tasks).
 * The API counts them for desiredCount; the runner follows them.
 */
export async function daemonHosts(
  repos: Repositories,
  service: Pick<ServiceRecord, 'cluster' | 'serviceName' | 'placementConstraints'>,
  record: TaskDefinitionRecord | undefined,
  maxTasksPerHost: number,
): Promise<PlacementHost[]> {
  const constraints = [...(record?.definition.placementConstraints ?? []), ...service.placementConstraints];
  const hosts = eligibleHosts(createPlacementCluster(await placementHosts(repos, service.cluster)), constraints);
  const group = `service:${service.serviceName}`;
  const def = record?.definition;
  // The static constraints passed already; the rest (and resources, ports) decide whether one fits.
  const rest = constraints.filter((c) => c.type === 'distinctInstance' || parseClusterQuery(c.expression!).dynamic);
  const requirement = def && taskRequirement({ ...def, placementConstraints: [], cpu: def.cpu === undefined ? undefined : Number(def.cpu), memory: def.memory === undefined ? undefined : Number(def.memory) }, { group, placementConstraints: rest });
  // Every check placement makes is about one host, so a view of that host alone answers "does one fit?".
  const room = (h: PlacementHost): boolean => requirement === undefined || placeTasks(createPlacementCluster([h], { maxTasksPerHost }), requirement, 1, { rng: seededRandom(1) }).placements.length === 1;
  return hosts.filter((h) => (h.groupCounts[group] ?? 0) > 0 || room(h)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The bounds must let a rollout start or stop at least one task (ECS would leave it stuck). */
function checkBounds(desired: number, min: number, max: number, strategy: ServiceRecord['schedulingStrategy'] = 'REPLICA'): void {
  try {
    if (strategy === 'DAEMON') daemonPlan(1, min, [{ id: 'old', count: 1 }], { id: 'new', count: 0 });
    else rollingPlan(Math.max(desired, 1), min, max, [{ id: 'old', count: Math.max(desired, 1) }], { id: 'new', count: 0 });
  } catch (error) {
    if (error instanceof PlanError) throw wharfError('WHARF_E_DEPLOYMENT_BOUNDS', { reason: error.message }, { errors: [{ field: 'deploymentConfiguration', message: error.message }] });
    throw error;
  }
}

/** The load balancer bindings must name a container and port the task definition has. */
function checkLoadBalancers(loadBalancers: ServiceRecord['loadBalancers'], record: TaskDefinitionRecord): void {
  loadBalancers.forEach((lb, i) => {
    const container = record.definition.containerDefinitions.find((c) => c.name === lb.containerName);
    if (!container) {
      throw wharfError('WHARF_E_VALIDATION', { summary: `loadBalancers names container "${lb.containerName}" that ${record.family}:${record.revision} does not have` }, { errors: [{ field: `loadBalancers.${i}.containerName`, message: `Use one of: ${record.definition.containerDefinitions.map((c) => c.name).join(', ')}` }] });
    }
    if (!container.portMappings.some((m) => m.containerPort === lb.containerPort)) {
      throw wharfError('WHARF_E_VALIDATION', { summary: `Container "${lb.containerName}" of ${record.family}:${record.revision} maps no containerPort ${lb.containerPort}` }, { errors: [{ field: `loadBalancers.${i}.containerPort`, message: `Use one of: ${container.portMappings.map((m) => m.containerPort).join(', ') || '(none: add a portMapping)'}` }] });
    }
  });
}

/** Each load balancer binding must name an existing target group. */
async function checkTargetGroups(repos: Repositories, loadBalancers: readonly { targetGroupArn: string }[]): Promise<void> {
  for (const [i, lb] of loadBalancers.entries()) {
    if (!(await findTargetGroup(repos, lb.targetGroupArn))) {
      throw wharfError('WHARF_E_TARGET_GROUP_NOT_FOUND', { targetGroup: lb.targetGroupArn }, { errors: [{ field: `loadBalancers.${i}.targetGroupArn`, message: 'No such target group: create it with `wharf elbv2 create-target-group`' }] });
    }
  }
}

/** ECS's quota "Services per cluster": one more service must keep the cluster's live services within `limit`. */
async function checkServicesQuota(repos: Repositories, cluster: string, limit: number): Promise<void> {
  const live = await repos.services.countLive(cluster);
  if (live < limit) return;
  throw wharfError('WHARF_E_QUOTA_EXCEEDED', {
    cluster,
    quota: 'Services per cluster',
    limit: limit.toLocaleString('en'),
    reason: `it has ${live.toLocaleString('en')} services that are not INACTIVE`,
    fix: 'Delete a service it no longer needs (`wharf ecs delete-service`), create this one in another cluster, or raise the quota with WHARF_MAX_SERVICES_PER_CLUSTER',
  });
}

async function activeTaskDefinition(repos: Repositories, ref: string): Promise<TaskDefinitionRecord> {
  const record = await resolveTaskDefinition(repos, ref);
  if (record.status !== 'ACTIVE') throw wharfError('WHARF_E_TASK_DEFINITION_INACTIVE', { taskDefinition: `${record.family}:${record.revision}`, status: record.status, family: record.family });
  return record;
}

/**
 * CreateService: the service, its first set and its first deployment. A DAEMON service's desired
 * count is the number of container instances that take its tasks now.
 */
export async function createService(ctx: ServiceContext, request: CreateServiceRequest, meta: RequestMeta, options: DeploymentOptions = {}): Promise<{ service: ServiceView }> {
  refuseNotYet(request, 'CreateService');
  const daemon = request.schedulingStrategy === 'DAEMON';
  const min = request.deploymentConfiguration?.minimumHealthyPercent ?? (daemon ? DAEMON_MINIMUM_HEALTHY_PERCENT : DEFAULT_MINIMUM_HEALTHY_PERCENT);
  const max = request.deploymentConfiguration?.maximumPercent ?? (daemon ? DAEMON_MAXIMUM_PERCENT : DEFAULT_MAXIMUM_PERCENT);
  checkBounds(request.desiredCount ?? 0, min, max, request.schedulingStrategy);
  const service = await ctx.store.transaction(async (tx) => {
    const cluster = await tx.clusters.get(request.cluster);
    if (!cluster || cluster.status !== 'ACTIVE') throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: request.cluster });
    const record = await activeTaskDefinition(tx, request.taskDefinition);
    let desiredCount = request.desiredCount ?? 0;
    if (daemon) {
      desiredCount = (await daemonHosts(tx, { cluster: request.cluster, serviceName: request.serviceName, placementConstraints: request.placementConstraints ?? [] }, record, ctx.quotas.tasksPerHost)).length;
      checkDaemonDesiredCount(request.desiredCount, desiredCount);
    }
    checkLoadBalancers(request.loadBalancers, record);
    await checkTargetGroups(tx, request.loadBalancers);
    const existing = await tx.services.get(request.cluster, request.serviceName);
    if (existing && existing.status !== 'INACTIVE') throw wharfError('WHARF_E_SERVICE_EXISTS', { service: request.serviceName, cluster: request.cluster });
    await checkServicesQuota(tx, request.cluster, ctx.quotas.servicesPerCluster);
    const service: ServiceRecord = {
      cluster: request.cluster,
      serviceName: request.serviceName,
      status: 'ACTIVE',
      desiredCount,
      schedulingStrategy: request.schedulingStrategy,
      deploymentConfiguration: {
        minimumHealthyPercent: min,
        maximumPercent: max,
        deploymentCircuitBreaker: request.deploymentConfiguration?.deploymentCircuitBreaker ?? { enable: false, rollback: false },
      },
      healthCheckGracePeriodSeconds: request.healthCheckGracePeriodSeconds,
      loadBalancers: request.loadBalancers.map(({ targetGroupArn, containerName, containerPort }) => ({ targetGroupArn, containerName, containerPort })),
      placementStrategy: request.placementStrategy ?? [],
      placementConstraints: request.placementConstraints ?? [],
      tags: request.tags ?? [],
      ...(options.deploymentPolicy ? { deploymentPolicy: options.deploymentPolicy } : {}),
      createdAt: meta.now,
      updatedAt: meta.now,
      version: existing ? existing.version + 1 : 1,
    };
    if (existing) {
      if (!(await tx.services.replace(service))) throw new Error(`service ${request.serviceName} changed underneath its transaction`);
    } else {
      await tx.services.insert(service);
    }
    const count = daemon ? ` (DAEMON): one task on each of ${desiredCount} container instance(s)` : `, desired count ${desiredCount}`;
    await tx.events.append({ resourceType: 'service', resourceId: serviceResourceId(service.cluster, service.serviceName), severity: 'INFO', message: `service ${service.serviceName} created with ${record.family}:${record.revision}${count}.`, requestId: meta.requestId, time: meta.now });
    await deployRevision(tx, service, record, options.deploymentPolicy, meta.now);
    return service;
  });
  ctx.wake();
  return { service: await describeOne(ctx.store, ctx.arnScope, service) };
}

async function requireService(repos: Repositories, cluster: string, ref: string): Promise<ServiceRecord> {
  const name = serviceNameFrom(ref);
  const service = await repos.services.get(cluster, name);
  if (!service || service.status === 'INACTIVE') throw wharfError('WHARF_E_SERVICE_NOT_FOUND', { service: name, cluster });
  return service;
}

/**
 * UpdateService: a new revision (or forceNewDeployment) starts a new set and deployment; a new
 * desired count or deployment configuration re-plans toward the PRIMARY set. A DAEMON service's
 * task definition, constraints and deployment configuration may change, its strategy never; its
 * desired count is recounted from its hosts. The deployment follows `options.deploymentPolicy` when
 * given (kept on the service from then on), else the policy the service keeps.
 */
export async function updateService(ctx: ServiceContext, request: UpdateServiceRequest, meta: RequestMeta, options: DeploymentOptions = {}): Promise<{ service: ServiceView }> {
  refuseNotYet(request, 'UpdateService');
  const service = await ctx.store.transaction(async (tx) => {
    const current = await requireService(tx, request.cluster, request.service);
    if (current.status !== 'ACTIVE') throw wharfError('WHARF_E_SERVICE_NOT_FOUND', { service: current.serviceName, cluster: current.cluster });
    const daemon = current.schedulingStrategy === 'DAEMON';
    const problems = daemon ? daemonProblems(request) : [];
    if (problems.length > 0) throw invalidFields('UpdateService request for a DAEMON service', problems);
    const config = current.deploymentConfiguration;
    const policy = options.deploymentPolicy ?? current.deploymentPolicy;
    let next: ServiceRecord = {
      ...current,
      desiredCount: request.desiredCount ?? current.desiredCount,
      deploymentConfiguration: {
        minimumHealthyPercent: request.deploymentConfiguration?.minimumHealthyPercent ?? config.minimumHealthyPercent,
        maximumPercent: request.deploymentConfiguration?.maximumPercent ?? config.maximumPercent,
        deploymentCircuitBreaker: request.deploymentConfiguration?.deploymentCircuitBreaker ?? config.deploymentCircuitBreaker,
      },
      healthCheckGracePeriodSeconds: request.healthCheckGracePeriodSeconds ?? current.healthCheckGracePeriodSeconds,
      loadBalancers: request.loadBalancers?.map(({ targetGroupArn, containerName, containerPort }) => ({ targetGroupArn, containerName, containerPort })) ?? current.loadBalancers,
      placementStrategy: request.placementStrategy ?? current.placementStrategy,
      placementConstraints: request.placementConstraints ?? current.placementConstraints,
      ...(policy ? { deploymentPolicy: policy } : {}),
      updatedAt: meta.now,
      version: current.version + 1,
    };
    checkBounds(next.desiredCount, next.deploymentConfiguration.minimumHealthyPercent, next.deploymentConfiguration.maximumPercent, next.schedulingStrategy);
    const sets = await tx.taskSets.forService(current.cluster, current.serviceName);
    const primary = sets.find((s) => s.status === 'PRIMARY');
    const record = request.taskDefinition !== undefined ? await activeTaskDefinition(tx, request.taskDefinition) : primary && (await tx.taskDefinitions.get(primary.family, primary.revision));
    if (!record) throw new Error(`service ${current.serviceName} has no PRIMARY task set`);
    if (daemon) {
      const hosts = (await daemonHosts(tx, next, record, ctx.quotas.tasksPerHost)).length;
      checkDaemonDesiredCount(request.desiredCount, hosts);
      next = { ...next, desiredCount: hosts };
    }
    checkLoadBalancers(next.loadBalancers, record);
    await checkTargetGroups(tx, next.loadBalancers);
    if (!(await tx.services.replace(next))) throw new Error(`service ${current.serviceName} changed underneath its transaction`);
    const changes = [
      (request.desiredCount !== undefined || daemon) && next.desiredCount !== current.desiredCount ? `desired count ${current.desiredCount} -> ${next.desiredCount}` : '',
      request.taskDefinition !== undefined ? `task definition ${record.family}:${record.revision}` : '',
      request.forceNewDeployment ? 'forced new deployment' : '',
    ].filter(Boolean);
    await tx.events.append({ resourceType: 'service', resourceId: serviceResourceId(next.cluster, next.serviceName), severity: 'INFO', message: `service ${next.serviceName} updated${changes.length ? `: ${changes.join(', ')}` : ''}.`, requestId: meta.requestId, time: meta.now });
    const newRevision = !primary || record.family !== primary.family || record.revision !== primary.revision;
    if (newRevision || request.forceNewDeployment) await deployRevision(tx, next, record, policy, meta.now);
    else if (primary) await startDeployment(tx, next, primary, policy, meta.now);
    return next;
  });
  ctx.wake();
  return { service: await describeOne(ctx.store, ctx.arnScope, service) };
}

/** DeleteService: DRAINING (its tasks stop), then INACTIVE once none is left. A DAEMON service needs no `force`. */
export async function deleteService(ctx: ServiceContext, request: DeleteServiceRequest, meta: RequestMeta): Promise<{ service: ServiceView }> {
  const service = await ctx.store.transaction(async (tx) => {
    const current = await requireService(tx, request.cluster, request.service);
    if (current.desiredCount > 0 && !request.force && current.schedulingStrategy !== 'DAEMON') throw wharfError('WHARF_E_SERVICE_NOT_SCALED_DOWN', { service: current.serviceName, desiredCount: current.desiredCount });
    const next: ServiceRecord = { ...current, status: serviceTransition(current.status, 'DRAINING'), desiredCount: 0, updatedAt: meta.now, version: current.version + 1 };
    if (!(await tx.services.replace(next))) throw new Error(`service ${current.serviceName} changed underneath its transaction`);
    await supersedeDeployments(tx, current, 'The service was deleted.', meta.now);
    await tx.events.append({ resourceType: 'service', resourceId: serviceResourceId(next.cluster, next.serviceName), severity: 'INFO', message: `service ${next.serviceName} deleted: its tasks are stopping.`, requestId: meta.requestId, time: meta.now });
    return next;
  });
  ctx.wake();
  return { service: await describeOne(ctx.store, ctx.arnScope, service) };
}

/** DescribeServices (INACTIVE ones too, as ECS shows them for a while). */
export async function describeServices(store: Store, scope: ArnScope, request: DescribeServicesRequest): Promise<{ services: ServiceView[]; failures: Failure[] }> {
  const services: ServiceView[] = [];
  const failures: Failure[] = [];
  for (const ref of request.services) {
    const name = serviceNameFrom(ref);
    const service = await store.services.get(request.cluster, name);
    if (service) services.push(await describeOne(store, scope, service));
    else failures.push({ arn: serviceArn(scope, request.cluster, name), reason: 'MISSING' });
  }
  return { services, failures };
}

/** ListServices: ACTIVE services' ARNs by name (DRAINING ones are hidden, as in ECS), of one scheduling strategy when asked. */
export async function listServices(store: Store, scope: ArnScope, request: ListServicesRequest): Promise<{ serviceArns: string[]; nextToken?: string }> {
  const cluster = await store.clusters.get(request.cluster);
  if (!cluster) throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: request.cluster });
  if (request.launchType === 'FARGATE' || request.launchType === 'MANAGED_INSTANCES') return { serviceArns: [] };
  let after = request.nextToken === undefined ? undefined : decodePageToken(request.nextToken, 'string');
  const shown: ServiceRecord[] = [];
  let more = false;
  // Pages of the store until a page of matches and one more is seen (a strategy filter skips some).
  for (;;) {
    const page = await store.services.list({ cluster: request.cluster, status: 'ACTIVE', after, limit: request.maxResults + 1 });
    for (const s of page) {
      if (request.schedulingStrategy !== undefined && s.schedulingStrategy !== request.schedulingStrategy) continue;
      if (shown.length === request.maxResults) more = true;
      else shown.push(s);
    }
    if (more || page.length <= request.maxResults) break;
    after = page[page.length - 1]!.serviceName;
  }
  const last = shown[shown.length - 1];
  return {
    serviceArns: shown.map((s) => serviceArn(scope, s.cluster, s.serviceName)),
    ...(more && last ? { nextToken: encodePageToken(last.serviceName) } : {}),
  };
}

async function describeOne(store: Store, scope: ArnScope, service: ServiceRecord): Promise<ServiceView> {
  const sets = (await store.taskSets.forService(service.cluster, service.serviceName)).filter((s) => s.status !== 'INACTIVE');
  const tasks = (await serviceTasks(store, service.cluster, service.serviceName)).filter((t) => t.lastStatus !== 'STOPPED' && t.desiredStatus === 'RUNNING');
  const count = (setId: string | undefined, running: boolean) => tasks.filter((t) => (setId === undefined || t.startedBy === setId) && (t.lastStatus === 'RUNNING') === running).length;
  const primary = sets.find((s) => s.status === 'PRIMARY');
  const events = await store.events.query({ resourceType: 'service', resourceId: serviceResourceId(service.cluster, service.serviceName), limit: SERVICE_EVENTS_SHOWN });
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    serviceArn: serviceArn(scope, service.cluster, service.serviceName),
    serviceName: service.serviceName,
    clusterArn: clusterArn(scope, service.cluster),
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: count(undefined, true),
    pendingCount: count(undefined, false),
    launchType: 'EC2',
    taskDefinition: primary ? taskDefinitionArn(scope, primary.family, primary.revision) : '',
    deploymentConfiguration: service.deploymentConfiguration,
    deploymentController: { type: 'ECS' },
    deployments: [...sets].reverse().map((s) => ({
      id: s.id,
      status: s.status,
      taskDefinition: taskDefinitionArn(scope, s.family, s.revision),
      desiredCount: s.targetCount,
      pendingCount: count(s.id, false),
      runningCount: count(s.id, true),
      failedTasks: s.failedTasks,
      createdAt: iso(s.createdAt),
      updatedAt: iso(s.updatedAt),
      launchType: 'EC2',
      rolloutState: s.rolloutState,
      rolloutStateReason: s.rolloutStateReason,
    })),
    events: events.map((e) => ({ id: String(e.id), createdAt: iso(e.time), message: e.message })),
    loadBalancers: service.loadBalancers,
    placementStrategy: service.placementStrategy,
    placementConstraints: service.placementConstraints,
    schedulingStrategy: service.schedulingStrategy,
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    createdAt: iso(service.createdAt),
    createdBy: 'wharf',
    tags: service.tags,
  };
}
