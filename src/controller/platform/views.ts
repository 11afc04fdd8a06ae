/**
 * What the platform API answers with, in Elastic Beanstalk's shapes: EnvironmentDescription,
 * DescribeEnvironments, DescribeEvents, DescribeEnvironmentHealth, DescribeInstancesHealth and
 * DescribeEnvironmentResources; and what health is computed from (observeEnvironment).
 */
import { arn } from '../../model/arn.js';
import type { WharfEvent } from '../../model/events.js';
import type { EnvironmentRecord } from '../../model/platform.js';
import { isAbortable, reportedVersionLabel } from '../../model/platform.js';
import type { TaskRecord } from '../../model/task.js';
import { APP_CONTAINER, environmentHost } from './compile.js';
import type { PlatformContext } from './context.js';
import type { HealthResult, InstanceObservation } from './health.js';
import { colourOf, environmentHealth, instanceStatus } from './health.js';
import { knownPlatformArn } from './platforms.js';
import { solutionStackNameOf } from '../../model/platform-versions.js';
import type { DescribeEnvironmentsRequest, DescribeEnvironmentEventsRequest, EnvironmentEventView, EnvironmentView } from '../../model/api/platform.js';

const iso = (ms: number) => new Date(ms).toISOString();
/** How many stored events DescribeEvents reads at a time while it skips those that are not the platform's. */
const EVENT_SCAN_BATCH = 200;

/** Where an environment answers: its host name on the router, or its single task's fixed port. */
export function environmentUrl(ctx: Pick<PlatformContext, 'domain' | 'publicPort'>, environment: EnvironmentRecord): { endpoint: string; url: string } {
  if (environment.resources.instancePort !== null) {
    const endpoint = `127.0.0.1:${environment.resources.instancePort}`;
    return { endpoint, url: `http://${endpoint}/` };
  }
  const host = environmentHost(environment.cname, ctx.domain);
  const port = ctx.publicPort();
  return { endpoint: host, url: `http://${host}${port && port !== 80 ? `:${port}` : ''}/` };
}

/** EB's EnvironmentDescription of a record. */
export function environmentView(ctx: Pick<PlatformContext, 'domain' | 'publicPort' | 'arnScope'>, e: EnvironmentRecord): EnvironmentView {
  const { endpoint, url } = environmentUrl(ctx, e);
  const host = environmentHost(e.cname, ctx.domain);
  const op = e.operation;
  const versionLabel = reportedVersionLabel(e);
  return {
    EnvironmentName: e.environmentName,
    EnvironmentId: e.environmentId,
    ApplicationName: e.applicationName,
    ...(versionLabel ? { VersionLabel: versionLabel } : {}),
    SolutionStackName: solutionStackNameOf(e),
    PlatformArn: knownPlatformArn(ctx.arnScope.region, e.platform),
    ...(e.templateName ? { TemplateName: e.templateName } : {}),
    Description: e.description,
    EndpointURL: endpoint,
    CNAME: host,
    DateCreated: iso(e.createdAt),
    DateUpdated: iso(e.updatedAt),
    Status: e.status,
    AbortableOperationInProgress: isAbortable(e),
    Health: e.health,
    HealthStatus: e.healthStatus,
    Tier: { Name: 'WebServer', Type: 'Standard', Version: '1.0' },
    EnvironmentArn: arn(ctx.arnScope, 'elasticbeanstalk', `environment/${e.applicationName}/${e.environmentName}`),
    Resources: e.resources.targetGroupArn ? { LoadBalancer: { LoadBalancerName: 'wharf-router', Domain: host, Listeners: [{ Protocol: 'http', Port: 80 }] } } : {},
    URL: url,
    ...(op
      ? { Operation: { Id: op.id, Kind: op.kind, Step: op.step, ...(op.versionLabel ? { VersionLabel: op.versionLabel } : {}), ...(op.failure ? { Failure: op.failure } : {}), ...(op.abortedAt !== undefined ? { Aborted: true } : {}) } }
      : {}),
  };
}

/** DescribeEnvironments: live ones (and Terminated ones with IncludeDeleted), filtered as EB. */
export async function describeEnvironments(ctx: PlatformContext, request: DescribeEnvironmentsRequest): Promise<{ Environments: EnvironmentView[] }> {
  const all = await ctx.store.platform.listEnvironments({ ...(request.ApplicationName ? { applicationName: request.ApplicationName } : {}), includeTerminated: request.IncludeDeleted ?? false });
  const since = request.IncludedDeletedBackTo ? Date.parse(request.IncludedDeletedBackTo) : undefined;
  const wanted = all.filter(
    (e) =>
      (!request.VersionLabel || reportedVersionLabel(e) === request.VersionLabel) &&
      (!request.EnvironmentIds || request.EnvironmentIds.includes(e.environmentId)) &&
      (!request.EnvironmentNames || request.EnvironmentNames.includes(e.environmentName)) &&
      (since === undefined || e.status !== 'Terminated' || e.updatedAt >= since),
  );
  return { Environments: wanted.slice(0, request.MaxRecords ?? 1000).map((e) => environmentView(ctx, e)) };
}

/** DescribeEvents: newest first, filtered by application, environment, version, severity (and above) and time. */
export async function describeEvents(ctx: PlatformContext, request: DescribeEnvironmentEventsRequest): Promise<{ Events: EnvironmentEventView[]; NextToken?: string }> {
  const limit = request.MaxRecords ?? 100;
  const filter = {
    ...(request.EnvironmentId ? { resourceType: 'environment', resourceId: request.EnvironmentId } : {}),
    ...(request.ApplicationName ? { applicationName: request.ApplicationName } : {}),
    ...(request.EnvironmentName ? { environmentName: request.EnvironmentName } : {}),
    ...(request.VersionLabel ? { versionLabel: request.VersionLabel } : {}),
    ...(request.RequestId ? { requestId: request.RequestId } : {}),
    ...(request.Severity ? { minSeverity: request.Severity } : {}),
    ...(request.StartTime ? { startTime: Date.parse(request.StartTime) } : {}),
    ...(request.EndTime ? { endTime: Date.parse(request.EndTime) } : {}),
  };
  // Only the platform's events (those that carry an application); the store holds the layer
  // below's too, so read on past them until the page is full and one more shows there are more.
  const page: WharfEvent[] = [];
  let more = false;
  let beforeId = request.NextToken ? Number(request.NextToken) : undefined;
  const batch = Math.max(limit + 1, EVENT_SCAN_BATCH);
  for (;;) {
    const events = await ctx.store.events.query({ ...filter, ...(beforeId === undefined ? {} : { beforeId }), limit: batch });
    for (const e of events) {
      if (e.applicationName === undefined) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(e);
    }
    if (more || events.length < batch) break;
    beforeId = events.at(-1)!.id;
  }
  return {
    Events: page.map((e) => ({
      EventDate: iso(e.time),
      Message: e.message,
      ...(e.applicationName ? { ApplicationName: e.applicationName } : {}),
      ...(e.versionLabel ? { VersionLabel: e.versionLabel } : {}),
      ...(e.environmentName ? { EnvironmentName: e.environmentName } : {}),
      ...(e.requestId ? { RequestId: e.requestId } : {}),
      Severity: e.severity,
    })),
    ...(more && page.length > 0 ? { NextToken: String(page.at(-1)!.id) } : {}),
  };
}

/** The environment's tasks (live ones, and the last stopped ones), each with what health needs. */
export async function observeEnvironment(ctx: PlatformContext, environment: EnvironmentRecord, now: number): Promise<{ tasks: TaskRecord[]; instances: InstanceObservation[]; desiredCount: number }> {
  const { cluster, serviceName, targetGroupArn } = environment.resources;
  const [service, tasks] = await Promise.all([ctx.store.services.get(cluster, serviceName), ctx.store.tasks.ofService(cluster, serviceName)]);
  const live = tasks.filter((t) => t.desiredStatus === 'RUNNING' || t.lastStatus === 'DEACTIVATING');
  const labels = new Map<string, string | null>();
  const instances: InstanceObservation[] = [];
  for (const task of live) {
    const revision = `${task.family}:${task.revision}`;
    if (!labels.has(revision)) labels.set(revision, await versionOfTaskDefinition(ctx, task.family, task.revision));
    const known = targetGroupArn ? ctx.loadBalancing.health.get(targetGroupArn, task.id, now) : undefined;
    const app = task.containers.find((c) => c.name === APP_CONTAINER);
    instances.push({
      id: task.id,
      lastStatus: task.lastStatus,
      settled: task.lastStatus === 'RUNNING' && task.startedAt !== null && now - task.startedAt >= ctx.settleMs,
      ...(known ? { target: known.state } : {}),
      containerHealth: app?.healthStatus ?? 'UNKNOWN',
      versionLabel: labels.get(revision) ?? null,
    });
  }
  return { tasks: live, instances, desiredCount: service?.desiredCount ?? 0 };
}

async function versionOfTaskDefinition(ctx: PlatformContext, family: string, revision: number): Promise<string | null> {
  const record = await ctx.store.taskDefinitions.get(family, revision);
  return record?.definition.containerDefinitions.find((c) => c.name === APP_CONTAINER)?.dockerLabels?.['wharf.version-label'] ?? null;
}

/** The environment's health now (see health.ts). */
export async function currentHealth(ctx: PlatformContext, environment: EnvironmentRecord, now: number): Promise<HealthResult & { instances: InstanceObservation[]; desiredCount: number }> {
  const observed = await observeEnvironment(ctx, environment, now);
  const traffic = environment.resources.targetGroupArn ? ctx.traffic(environment.resources.targetGroupArn, now) : undefined;
  return { ...environmentHealth({ environment, desiredCount: observed.desiredCount, instances: observed.instances, ...(traffic ? { traffic } : {}) }), instances: observed.instances, desiredCount: observed.desiredCount };
}

/** DescribeEnvironmentHealth: the environment's status, colour, causes and instance counts by status. */
export async function describeEnvironmentHealth(ctx: PlatformContext, environment: EnvironmentRecord, now: number) {
  const health = await currentHealth(ctx, environment, now);
  const counts: Record<string, number> = { NoData: 0, Unknown: 0, Pending: 0, Ok: 0, Info: 0, Warning: 0, Degraded: 0, Severe: 0 };
  for (const i of health.instances) counts[instanceStatus(i).status] = (counts[instanceStatus(i).status] ?? 0) + 1;
  return {
    EnvironmentName: environment.environmentName,
    HealthStatus: health.healthStatus,
    Status: environment.status,
    Color: health.health,
    Causes: [...health.causes],
    InstancesHealth: counts,
    RefreshedAt: iso(now),
  };
}

/** DescribeInstancesHealth: one entry per task (Wharf's instance), with its version and causes. */
export async function describeInstancesHealth(ctx: PlatformContext, environment: EnvironmentRecord, now: number) {
  const { tasks, instances } = await observeEnvironment(ctx, environment, now);
  const sets = new Map((await ctx.store.taskSets.forService(environment.resources.cluster, environment.resources.serviceName)).map((s) => [s.id, s]));
  return {
    InstanceHealthList: instances.map((i) => {
      const task = tasks.find((t) => t.id === i.id);
      // EB's per-instance deployment: its version, and when and how the deployment that started its set went.
      const set = sets.get(task?.startedBy ?? '');
      const deployed = set?.rolloutState === 'FAILED' ? 'Failed' : i.versionLabel === environment.versionLabel ? 'Deployed' : 'In Progress';
      const { status, cause } = instanceStatus(i);
      return {
        InstanceId: i.id,
        HealthStatus: status,
        Color: colourOf(status),
        Causes: cause ? [cause] : [],
        LaunchedAt: iso(task?.createdAt ?? now),
        Deployment: { VersionLabel: i.versionLabel ?? undefined, DeploymentId: environment.operation?.id, Status: deployed, DeploymentTime: iso(set?.createdAt ?? task?.createdAt ?? now) },
        ContainerInstanceId: task?.containerInstanceId,
      };
    }),
    RefreshedAt: iso(now),
  };
}

/** DescribeEnvironmentResources: the records below the environment, named as EB's resource kinds. */
export async function describeEnvironmentResources(ctx: PlatformContext, environment: EnvironmentRecord) {
  const { tasks } = await observeEnvironment(ctx, environment, Date.now());
  const r = environment.resources;
  return {
    EnvironmentResources: {
      EnvironmentName: environment.environmentName,
      AutoScalingGroups: [{ Name: `service/${r.cluster}/${r.serviceName}` }],
      Instances: tasks.map((t) => ({ Id: t.id })),
      LaunchTemplates: [{ Id: r.taskDefinitionFamily }],
      LoadBalancers: r.targetGroupArn ? [{ Name: r.targetGroupArn }] : [],
      Triggers: [],
      Queues: [],
    },
  };
}
