/**
 * ECS's ListServiceDeployments and DescribeServiceDeployments, read from the deployments services
 * already record (one per new revision, forced deployment, re-plan or rollback; `deploy/`). A
 * service deployment is `service-deployment/<cluster>/<service>/<id>`; its revisions are the task
 * sets it moves from and to (`service-revision/<cluster>/<service>/<set number>`).
 *
 * Statuses: IN_PROGRESS stays; COMPLETED is SUCCESSFUL; SUPERSEDED (a newer deployment took over, or
 * the service was deleted) is STOPPED; FAILED is ROLLBACK_IN_PROGRESS while a rollback of it runs,
 * else STOPPED (the circuit breaker stopped it without a rollback); ROLLED_BACK is ROLLBACK_SUCCESSFUL.
 */
import type { ArnScope } from '../../model/arn.js';
import { arn, clusterArn } from '../../model/arn.js';
import type { Failure } from '../../model/api/common.js';
import type {
  DescribeServiceDeploymentsRequest,
  ListServiceDeploymentsRequest,
  ServiceDeploymentBriefView,
  ServiceDeploymentStatus,
  ServiceDeploymentView,
  ServiceRevisionSummaryView,
} from '../../model/api/services.js';
import { wharfError } from '../../model/errors.js';
import type { DeploymentRecord, ServiceRecord, TaskSetRecord } from '../../model/service.js';
import { circuitBreakerThreshold } from '../../model/service.js';
import type { Store } from '../../store/store.js';
import { serviceTasks } from '../deploy/records.js';
import { decodePageToken, encodePageToken } from '../paging.js';
import { serviceArn, serviceNameFrom } from './services.js';

/** How many of a service's deployments are read at most (the newest). */
const MAX_DEPLOYMENTS_READ = 1000;

function deploymentArn(scope: ArnScope, d: Pick<DeploymentRecord, 'cluster' | 'serviceName' | 'id'>): string {
  return arn(scope, 'ecs', `service-deployment/${d.cluster}/${d.serviceName}/${d.id}`);
}

function revisionArn(scope: ArnScope, cluster: string, service: string, setId: string): string {
  return arn(scope, 'ecs', `service-revision/${cluster}/${service}/${setId.replace(/^ecs-svc\//, '')}`);
}

const iso = (ms: number): string => new Date(ms).toISOString();

function statusOf(d: DeploymentRecord, all: readonly DeploymentRecord[]): ServiceDeploymentStatus {
  switch (d.status) {
    case 'IN_PROGRESS':
      return 'IN_PROGRESS';
    case 'COMPLETED':
      return 'SUCCESSFUL';
    case 'SUPERSEDED':
      return 'STOPPED';
    case 'ROLLED_BACK':
      return 'ROLLBACK_SUCCESSFUL';
    case 'FAILED': {
      const rollback = all.find((r) => r.rollbackOf === d.id);
      if (!rollback) return 'STOPPED';
      return rollback.status === 'IN_PROGRESS' ? 'ROLLBACK_IN_PROGRESS' : rollback.status === 'COMPLETED' ? 'ROLLBACK_SUCCESSFUL' : 'ROLLBACK_FAILED';
    }
  }
}

const FINISHED: ReadonlySet<ServiceDeploymentStatus> = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

interface Context {
  readonly service: ServiceRecord;
  readonly sets: ReadonlyMap<string, TaskSetRecord>;
  readonly counts: ReadonlyMap<string, { running: number; pending: number }>;
  readonly all: readonly DeploymentRecord[];
}

async function contextOf(store: Store, service: ServiceRecord): Promise<Context> {
  const [sets, tasks, all] = await Promise.all([
    store.taskSets.forService(service.cluster, service.serviceName),
    serviceTasks(store, service.cluster, service.serviceName),
    store.deployments.forService(service.cluster, service.serviceName, MAX_DEPLOYMENTS_READ),
  ]);
  const counts = new Map<string, { running: number; pending: number }>();
  for (const t of tasks) {
    if (t.lastStatus === 'STOPPED' || t.desiredStatus !== 'RUNNING' || t.startedBy === null) continue;
    const c = counts.get(t.startedBy) ?? { running: 0, pending: 0 };
    if (t.lastStatus === 'RUNNING') c.running++;
    else c.pending++;
    counts.set(t.startedBy, c);
  }
  return { service, sets: new Map(sets.map((s) => [s.id, s])), counts, all };
}

function revision(scope: ArnScope, ctx: Context, setId: string): ServiceRevisionSummaryView {
  const counts = ctx.counts.get(setId) ?? { running: 0, pending: 0 };
  return { arn: revisionArn(scope, ctx.service.cluster, ctx.service.serviceName, setId), requestedTaskCount: ctx.sets.get(setId)?.targetCount ?? 0, runningTaskCount: counts.running, pendingTaskCount: counts.pending };
}

function briefView(scope: ArnScope, ctx: Context, d: DeploymentRecord): ServiceDeploymentBriefView {
  const status = statusOf(d, ctx.all);
  return {
    serviceDeploymentArn: deploymentArn(scope, d),
    serviceArn: serviceArn(scope, d.cluster, d.serviceName),
    clusterArn: clusterArn(scope, d.cluster),
    createdAt: iso(d.createdAt),
    startedAt: iso(d.createdAt),
    ...(FINISHED.has(status) ? { finishedAt: iso(d.updatedAt) } : {}),
    targetServiceRevisionArn: revisionArn(scope, d.cluster, d.serviceName, d.toSet),
    status,
    statusReason: d.reason,
  };
}

function fullView(scope: ArnScope, ctx: Context, d: DeploymentRecord): ServiceDeploymentView {
  const brief = briefView(scope, ctx, d);
  const rollback = ctx.all.find((r) => r.rollbackOf === d.id);
  const breaker = ctx.service.deploymentConfiguration.deploymentCircuitBreaker;
  const failed = ctx.sets.get(d.toSet)?.failedTasks ?? 0;
  return {
    serviceDeploymentArn: brief.serviceDeploymentArn,
    serviceArn: brief.serviceArn,
    clusterArn: brief.clusterArn,
    createdAt: brief.createdAt,
    startedAt: brief.startedAt,
    updatedAt: iso(d.updatedAt),
    ...(brief.finishedAt ? { finishedAt: brief.finishedAt } : {}),
    ...(brief.status === 'STOPPED' ? { stoppedAt: iso(d.updatedAt) } : {}),
    sourceServiceRevisions: d.fromSets.map((id) => revision(scope, ctx, id)),
    targetServiceRevision: revision(scope, ctx, d.toSet),
    status: brief.status,
    statusReason: d.reason,
    deploymentConfiguration: ctx.service.deploymentConfiguration,
    ...(rollback ? { rollback: { reason: rollback.reason || d.reason, startedAt: iso(rollback.createdAt), serviceRevisionArn: revisionArn(scope, d.cluster, d.serviceName, rollback.toSet) } } : {}),
    deploymentCircuitBreaker: {
      status: !breaker.enable ? 'DISABLED' : d.status === 'FAILED' || d.status === 'ROLLED_BACK' ? 'TRIGGERED' : d.status === 'IN_PROGRESS' ? 'MONITORING' : 'MONITORING_COMPLETE',
      failureCount: failed,
      threshold: circuitBreakerThreshold(ctx.service.desiredCount),
    },
  };
}

/** ListServiceDeployments: the service's deployments, newest first, filtered by status and creation time, paged. */
export async function listServiceDeployments(store: Store, scope: ArnScope, request: ListServiceDeploymentsRequest): Promise<{ serviceDeployments: ServiceDeploymentBriefView[]; nextToken?: string }> {
  const name = serviceNameFrom(request.service);
  const service = await store.services.get(request.cluster, name);
  if (!service) throw wharfError('WHARF_E_SERVICE_NOT_FOUND', { service: name, cluster: request.cluster });
  const ctx = await contextOf(store, service);
  const before = request.createdAt?.before;
  const after = request.createdAt?.after;
  const matching = ctx.all
    .map((d) => briefView(scope, ctx, d))
    .filter((b, i) => {
      const d = ctx.all[i] as DeploymentRecord;
      return (!request.status || request.status.includes(b.status)) && (before === undefined || d.createdAt < before) && (after === undefined || d.createdAt > after);
    });
  const start = request.nextToken === undefined ? 0 : decodePageToken(request.nextToken, 'number');
  return {
    serviceDeployments: matching.slice(start, start + request.maxResults),
    ...(start + request.maxResults < matching.length ? { nextToken: encodePageToken(start + request.maxResults) } : {}),
  };
}

/** DescribeServiceDeployments: each deployment by ARN, MISSING failures for the rest. */
export async function describeServiceDeployments(store: Store, scope: ArnScope, request: DescribeServiceDeploymentsRequest): Promise<{ serviceDeployments: ServiceDeploymentView[]; failures: Failure[] }> {
  const serviceDeployments: ServiceDeploymentView[] = [];
  const failures: Failure[] = [];
  const contexts = new Map<string, Context | undefined>();
  for (const ref of request.serviceDeploymentArns) {
    const [, cluster = '', service = '', id = ''] = /:service-deployment\/([^/]+)\/([^/]+)\/(\d+)$/.exec(ref) ?? [];
    const key = `${cluster}/${service}`;
    if (!contexts.has(key)) {
      const record = cluster === '' ? undefined : await store.services.get(cluster, service);
      contexts.set(key, record ? await contextOf(store, record) : undefined);
    }
    const ctx = contexts.get(key);
    const deployment = ctx?.all.find((d) => d.id === Number(id));
    if (ctx && deployment) serviceDeployments.push(fullView(scope, ctx, deployment));
    else failures.push({ arn: ref, reason: 'MISSING' });
  }
  return { serviceDeployments, failures };
}
