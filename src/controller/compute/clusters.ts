/**
 * ECS clusters: CreateCluster, DescribeClusters, ListClusters, DeleteCluster. The functions here
 * (their requests and views are in model/api/clusters.ts) are shared by the native API and the
 * AWS-compatible facade, so both answer alike. Each change writes its event in the same transaction.
 */
import type { ArnScope } from '../../model/arn.js';
import { arn, clusterArn, clusterNameFrom } from '../../model/arn.js';
import type { Cluster, ClusterSetting } from '../../model/cluster.js';
import { DEFAULT_CLUSTER } from '../../model/cluster.js';
import { wharfError } from '../../model/errors.js';
import type {
  ClusterView,
  CreateClusterRequest,
  DescribeCapacityProvidersRequest,
  DescribeClustersRequest,
  ListClustersRequest,
  PutClusterCapacityProvidersRequest,
  UpdateClusterRequest,
  UpdateClusterSettingsRequest,
} from '../../model/api/clusters.js';
import type { Failure } from '../../model/api/common.js';
import type { Repositories, Store } from '../../store/store.js';
import { decodePageToken, encodePageToken } from '../paging.js';
import type { RequestMeta } from '../request.js';

/** Fields ECS's CreateCluster takes that Wharf does not act on yet, and why. */
const NOT_YET: Record<string, string> = {
  capacityProviders: 'capacity providers come with their own issue',
  defaultCapacityProviderStrategy: 'capacity providers come with their own issue',
  configuration: 'execute-command and managed-storage configuration come with the exec issue',
  serviceConnectDefaults: 'Service Connect is not planned yet',
};

/** What a cluster holds, counted when it is described (never stored). */
export interface ClusterCounts {
  readonly instances: number;
  readonly running: number;
  readonly pending: number;
}

const NO_COUNTS: ClusterCounts = { instances: 0, running: 0, pending: 0 };

/** Counts a cluster's live hosts and its running and pending tasks. */
export async function clusterCounts(repos: Pick<Repositories, 'containerInstances' | 'tasks'>, clusterName: string): Promise<ClusterCounts> {
  const [instances, tasks] = await Promise.all([repos.containerInstances.countLive(clusterName), repos.tasks.counts(clusterName)]);
  return { instances, ...tasks };
}

/** Renders a stored cluster in ECS's shape. */
export function clusterView(scope: ArnScope, cluster: Cluster, counts: ClusterCounts = NO_COUNTS): ClusterView {
  return {
    clusterArn: clusterArn(scope, cluster.clusterName),
    clusterName: cluster.clusterName,
    status: cluster.status,
    registeredContainerInstancesCount: counts.instances,
    runningTasksCount: counts.running,
    pendingTasksCount: counts.pending,
    activeServicesCount: 0,
    statistics: [],
    tags: cluster.tags.map((t) => ({ ...t })),
    settings: cluster.settings.map((s) => ({ ...s })),
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
}

/** CreateCluster: idempotent for an ACTIVE cluster, re-activates an INACTIVE one. */
export async function createCluster(store: Store, scope: ArnScope, request: CreateClusterRequest, meta: RequestMeta): Promise<ClusterView> {
  for (const [field, reason] of Object.entries(NOT_YET)) {
    if (request[field as keyof CreateClusterRequest] !== undefined) {
      throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field, format: 'ECS CreateCluster', reason });
    }
  }
  const clusterName = request.clusterName ?? DEFAULT_CLUSTER;
  return store.transaction(async (tx) => {
    const { cluster, created } = await tx.clusters.create({ clusterName, tags: request.tags ?? [], settings: request.settings ?? [] }, meta.now);
    if (created) {
      await tx.events.append({ resourceType: 'cluster', resourceId: clusterName, severity: 'INFO', message: `Cluster ${clusterName} created.`, requestId: meta.requestId, time: meta.now });
    }
    return clusterView(scope, cluster);
  });
}

/** DescribeClusters: found clusters, and a MISSING failure for each one that is not. */
export async function describeClusters(store: Store, scope: ArnScope, request: DescribeClustersRequest): Promise<{ clusters: ClusterView[]; failures: Failure[] }> {
  const clusters: ClusterView[] = [];
  const failures: Failure[] = [];
  for (const ref of request.clusters ?? [DEFAULT_CLUSTER]) {
    const name = clusterNameFrom(ref);
    const cluster = await store.clusters.get(name);
    if (cluster) clusters.push(clusterView(scope, cluster, await clusterCounts(store, name)));
    else failures.push({ arn: clusterArn(scope, name), reason: 'MISSING' });
  }
  return { clusters, failures };
}

/** One cluster by name or ARN, or WHARF_E_CLUSTER_NOT_FOUND. */
export async function getCluster(store: Store, scope: ArnScope, ref: string): Promise<ClusterView> {
  const name = clusterNameFrom(ref);
  const cluster = await store.clusters.get(name);
  if (!cluster) throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: name });
  return clusterView(scope, cluster, await clusterCounts(store, name));
}

/** ListClusters: ACTIVE clusters' ARNs by name, paged by an opaque token. */
export async function listClusters(store: Store, scope: ArnScope, request: ListClustersRequest): Promise<{ clusterArns: string[]; nextToken?: string }> {
  const after = request.nextToken === undefined ? undefined : decodePageToken(request.nextToken, 'string');
  const page = await store.clusters.list({ status: 'ACTIVE', after, limit: request.maxResults + 1 });
  const shown = page.slice(0, request.maxResults);
  const last = shown[shown.length - 1];
  return {
    clusterArns: shown.map((c) => clusterArn(scope, c.clusterName)),
    ...(page.length > request.maxResults && last ? { nextToken: encodePageToken(last.clusterName) } : {}),
  };
}

/** DeleteCluster: marks it INACTIVE (it stays describable, as in ECS). The default cluster stays. */
export async function deleteCluster(store: Store, scope: ArnScope, ref: string, meta: RequestMeta): Promise<ClusterView> {
  const name = clusterNameFrom(ref);
  if (name === DEFAULT_CLUSTER) throw wharfError('WHARF_E_DEFAULT_CLUSTER_PROTECTED', {});
  return store.transaction(async (tx) => {
    const counts = await clusterCounts(tx, name);
    if (counts.instances > 0 || counts.running + counts.pending > 0) {
      const what = [counts.instances > 0 ? `${counts.instances} registered container instance(s)` : '', counts.running + counts.pending > 0 ? `${counts.running + counts.pending} task(s) not stopped` : '']
        .filter(Boolean)
        .join(' and ');
      throw wharfError('WHARF_E_CLUSTER_NOT_EMPTY', { cluster: name, what });
    }
    const cluster = await tx.clusters.deactivate(name, meta.now);
    if (!cluster) throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: name });
    await tx.events.append({ resourceType: 'cluster', resourceId: name, severity: 'INFO', message: `Cluster ${name} deleted.`, requestId: meta.requestId, time: meta.now });
    return clusterView(scope, cluster);
  });
}

/** The settings after an update: each given setting replaces the one of its name. */
function mergedSettings(current: readonly ClusterSetting[], given: readonly ClusterSetting[]): ClusterSetting[] {
  const names = new Set(given.map((s) => s.name));
  return [...current.filter((s) => !names.has(s.name)), ...given.map((s) => ({ name: s.name, value: s.value }))];
}

async function updateSettings(store: Store, scope: ArnScope, clusterName: string, settings: readonly ClusterSetting[], meta: RequestMeta): Promise<{ cluster: ClusterView }> {
  return store.transaction(async (tx) => {
    const current = await tx.clusters.get(clusterName);
    if (!current || current.status !== 'ACTIVE') throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: clusterName });
    const next = settings.length === 0 ? current : await tx.clusters.update(clusterName, { settings: mergedSettings(current.settings, settings) }, meta.now);
    if (!next) throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: clusterName });
    if (settings.length > 0) {
      const shown = settings.map((s) => `${s.name}=${s.value}`).join(', ');
      await tx.events.append({ resourceType: 'cluster', resourceId: clusterName, severity: 'INFO', message: `Cluster ${clusterName} settings: ${shown}.`, requestId: meta.requestId, time: meta.now });
    }
    return { cluster: clusterView(scope, next, await clusterCounts(tx, clusterName)) };
  });
}

/**
 * UpdateCluster: its settings (`containerInsights`, kept and returned; Wharf collects no Container
 * Insights metrics). `configuration` and `serviceConnectDefaults` are refused by name, as
 * CreateCluster refuses them.
 */
export async function updateCluster(store: Store, scope: ArnScope, request: UpdateClusterRequest, meta: RequestMeta): Promise<{ cluster: ClusterView }> {
  for (const field of ['configuration', 'serviceConnectDefaults'] as const) {
    if (request[field] !== undefined) throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field, format: 'ECS UpdateCluster', reason: NOT_YET[field] as string });
  }
  return updateSettings(store, scope, request.cluster, request.settings ?? [], meta);
}

/** UpdateClusterSettings: the cluster's settings, as UpdateCluster sets them. */
export async function updateClusterSettings(store: Store, scope: ArnScope, request: UpdateClusterSettingsRequest, meta: RequestMeta): Promise<{ cluster: ClusterView }> {
  return updateSettings(store, scope, request.cluster, request.settings, meta);
}

/**
 * PutClusterCapacityProviders: until capacity providers land, a cluster has none and no default
 * strategy (its tasks run on its registered container instances, ECS's launch type EC2), so only
 * the empty lists are accepted; a provider or a strategy is refused by name.
 */
export async function putClusterCapacityProviders(store: Store, scope: ArnScope, request: PutClusterCapacityProvidersRequest): Promise<{ cluster: ClusterView }> {
  const cluster = await store.clusters.get(request.cluster);
  if (!cluster || cluster.status !== 'ACTIVE') throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: request.cluster });
  const reason = (what: string) => `${what}: capacity providers come with their own issue; a Wharf cluster runs its tasks on its registered container instances (launch type EC2), so only the empty lists are accepted`;
  if (request.capacityProviders.length > 0) throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: 'capacityProviders', format: 'ECS PutClusterCapacityProviders', reason: reason(request.capacityProviders.join(', ')) });
  if (request.defaultCapacityProviderStrategy.length > 0) {
    throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: 'defaultCapacityProviderStrategy', format: 'ECS PutClusterCapacityProviders', reason: reason(request.defaultCapacityProviderStrategy.map((s) => s.capacityProvider).join(', ')) });
  }
  return { cluster: clusterView(scope, cluster, await clusterCounts(store, request.cluster)) };
}

/**
 * DescribeCapacityProviders: Wharf has no capacity providers. A cluster's default is none, which
 * ECS reads as launch type EC2 on the cluster's registered container instances; Wharf does not
 * report ECS's built-in FARGATE and FARGATE_SPOT, since it cannot run tasks on them (RunTask refuses
 * launch type FARGATE) and a client that found them would build strategies Wharf refuses. Each
 * provider asked for by name is a MISSING failure.
 */
export async function describeCapacityProviders(store: Store, scope: ArnScope, request: DescribeCapacityProvidersRequest): Promise<{ capacityProviders: never[]; failures: Failure[] }> {
  if (request.cluster !== undefined) {
    const cluster = await store.clusters.get(request.cluster);
    if (!cluster || cluster.status !== 'ACTIVE') throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: request.cluster });
  }
  const failures = (request.capacityProviders ?? []).map((ref) => ({ arn: ref.startsWith('arn:') ? ref : arn(scope, 'ecs', `capacity-provider/${ref}`), reason: 'MISSING' }));
  return { capacityProviders: [], failures };
}
