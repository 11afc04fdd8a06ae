/**
 * Container instances (hosts with an agent): agent registration and authentication, and ECS's
 * ListContainerInstances, DescribeContainerInstances and UpdateContainerInstancesState. Remaining
 * resources are computed from the tasks that hold resources on each host, never stored.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { RegisterAgentRequest, RegisterAgentResponse } from '../../model/agent-protocol.js';
import type { ArnScope } from '../../model/arn.js';
import { arn } from '../../model/arn.js';
import type { Failure } from '../../model/api/common.js';
import type {
  ContainerInstanceView,
  DescribeContainerInstancesRequest,
  ListContainerInstancesRequest,
  ContainerInstanceResource,
  UpdateContainerInstancesStateRequest,
} from '../../model/api/container-instances.js';
import { MAX_LIST_CONTAINER_INSTANCES, listContainerInstancesRequestSchema } from '../../model/api/container-instances.js';
import type { ContainerInstance } from '../../model/container-instance.js';
import { containerInstanceTransition, effectiveAttributes } from '../../model/container-instance.js';
import { wharfError } from '../../model/errors.js';
import type { HostResources, PlacementHost } from '../../model/placement.js';
import { sameSecret } from '../../secrets.js';
import type { HostUsage, Repositories, Store } from '../../store/store.js';
import { decodePageToken, encodePageToken } from '../paging.js';
import { checkClusterQuery, evaluateClusterQuery, hostQueryTarget, parseClusterQuery } from '../scheduler/index.js';
import type { RequestMeta } from '../request.js';
import type { DesiredStateBus } from './desired-state-bus.js';
import { recordRefusal } from './refusals.js';

/** `arn:…:container-instance/<cluster>/<id>` */
export function containerInstanceArn(scope: ArnScope, cluster: string, id: string): string {
  return arn(scope, 'ecs', `container-instance/${cluster}/${id}`);
}

/** Accepts an id or an ARN and returns the id. */
export function containerInstanceIdFrom(ref: string): string {
  return /container-instance\/(?:[^/]+\/)?([^/]+)$/.exec(ref)?.[1] ?? ref;
}

function hashCredential(credential: string): string {
  return createHash('sha256').update(credential).digest('hex');
}

/**
 * What the controller presents to an agent's log server: HMAC-SHA256 keyed by the join token over
 * the container instance and its credential hash. Every controller sharing the join token derives
 * it; the database alone (which holds only the hash) does not give it. New with each registration.
 */
export function agentLogsToken(joinToken: string, instance: Pick<ContainerInstance, 'id' | 'credentialHash'>): string {
  return createHmac('sha256', joinToken).update(`wharf-agent-logs\0${instance.id}\0${instance.credentialHash}`).digest('hex');
}

export interface AgentAuthContext {
  readonly store: Store;
  readonly joinToken: string;
  readonly bus: DesiredStateBus;
  readonly arnScope: ArnScope;
}

/**
 * Registers an agent's host. A live instance of the same host id in the cluster is taken over with
 * a new credential (the agent restarted without its credential), keeping its tasks, so the agent
 * converges on them instead of running duplicates.
 */
export async function registerAgent(ctx: AgentAuthContext, request: RegisterAgentRequest, meta: RequestMeta): Promise<RegisterAgentResponse> {
  if (!sameSecret(request.joinToken, ctx.joinToken)) {
    await recordRefusal(ctx.store, request.hostId, `Agent on host ${request.hostId} gave a wrong join token; registration refused.`, meta);
    throw wharfError('WHARF_E_UNAUTHORIZED', { reason: 'the join token is wrong' });
  }
  const credential = randomBytes(32).toString('base64url');
  const resources: HostResources = { cpu: request.resources.cpu, memory: request.resources.memory, portsTcp: request.resources.reservedPorts, portsUdp: [] };
  const attributes = { ...request.attributes, 'wharf.driver': request.driver, 'wharf.host-id': request.hostId };
  const instance = await ctx.store.transaction(async (tx) => {
    const cluster = await tx.clusters.get(request.cluster);
    if (!cluster || cluster.status !== 'ACTIVE') throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: request.cluster });
    const existing = await tx.containerInstances.findLive(request.cluster, request.hostId);
    const fields = {
      agentConnected: true,
      credentialHash: hashCredential(credential),
      agentUrl: request.agentUrl,
      agentVersion: request.agentVersion,
      resources,
      attributes,
      lastSeenAt: meta.now,
      updatedAt: meta.now,
    };
    if (existing) {
      const next: ContainerInstance = { ...existing, ...fields, desiredVersion: existing.desiredVersion + 1 };
      await tx.containerInstances.replace(next);
      await tx.events.append({ resourceType: 'container-instance', resourceId: next.id, severity: 'INFO', message: `Host ${request.hostId} re-registered as container instance ${next.id} in cluster ${request.cluster}.`, requestId: meta.requestId, time: meta.now });
      return next;
    }
    const created: ContainerInstance = { id: randomBytes(16).toString('hex'), cluster: request.cluster, hostId: request.hostId, status: 'ACTIVE', desiredVersion: 1, registeredAt: meta.now, customAttributes: {}, tags: [], ...fields };
    await tx.containerInstances.insert(created);
    await tx.events.append({ resourceType: 'container-instance', resourceId: created.id, severity: 'INFO', message: `Host ${request.hostId} registered as container instance ${created.id} in cluster ${request.cluster}.`, requestId: meta.requestId, time: meta.now });
    return created;
  });
  ctx.bus.notify([instance.id]);
  return { containerInstanceId: instance.id, containerInstanceArn: containerInstanceArn(ctx.arnScope, instance.cluster, instance.id), credential, logsToken: agentLogsToken(ctx.joinToken, instance) };
}

/** Checks `Authorization: Bearer <id>.<credential>`; a refusal is logged as an event and is a 401. */
export async function authenticateAgent(store: Store, authorization: string | undefined, meta: RequestMeta): Promise<ContainerInstance> {
  const match = /^Bearer ([0-9a-f]{32})\.([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  const refuse = async (resourceId: string, reason: string): Promise<never> => {
    await recordRefusal(store, resourceId, `Agent call refused: ${reason}.`, meta);
    throw wharfError('WHARF_E_UNAUTHORIZED', { reason });
  };
  if (!match) return refuse('unknown', 'no agent credential in the Authorization header');
  const [, id, credential] = match as unknown as [string, string, string];
  const instance = await store.containerInstances.get(id);
  if (!instance || instance.status === 'INACTIVE') return refuse(id, `container instance ${id} is not registered`);
  if (!sameSecret(hashCredential(credential), instance.credentialHash)) return refuse(id, `wrong credential for container instance ${id}`);
  return instance;
}

/** Usage by host, as a map. */
function usageById(usage: readonly HostUsage[]): Map<string, HostUsage> {
  return new Map(usage.map((u) => [u.containerInstanceId, u]));
}

function remaining(registered: HostResources, used: HostUsage | undefined): HostResources {
  return {
    cpu: registered.cpu - (used?.cpu ?? 0),
    memory: registered.memory - (used?.memory ?? 0),
    portsTcp: [...registered.portsTcp, ...(used?.hostPorts ?? [])],
    portsUdp: registered.portsUdp,
  };
}

/** Every live instance of a cluster (all pages). */
async function liveInstances(repos: Repositories, cluster: string): Promise<ContainerInstance[]> {
  const all: ContainerInstance[] = [];
  for (let after: string | undefined; ; ) {
    const page = await repos.containerInstances.list({ cluster, after, limit: 1000 });
    all.push(...page.filter((i) => i.status !== 'INACTIVE'));
    if (page.length < 1000) return all;
    after = page[page.length - 1]?.id;
  }
}

/** The cluster's hosts as the scheduler sees them, with remaining resources and group counts. */
export async function placementHosts(repos: Repositories, cluster: string): Promise<PlacementHost[]> {
  const [instances, usage] = await Promise.all([liveInstances(repos, cluster), repos.tasks.usage(cluster)]);
  const used = usageById(usage);
  return instances.map((i) => ({
    id: i.id,
    cluster: i.cluster,
    status: i.status === 'DRAINING' ? 'DRAINING' : 'ACTIVE',
    agentConnected: i.agentConnected,
    registered: i.resources,
    remaining: remaining(i.resources, used.get(i.id)),
    attributes: effectiveAttributes(i),
    groupCounts: used.get(i.id)?.groupCounts ?? {},
    agentVersion: i.agentVersion,
    ec2InstanceId: i.hostId,
    registeredAt: i.registeredAt,
  }));
}

function resourceList(r: HostResources): ContainerInstanceResource[] {
  return [
    { name: 'CPU', type: 'INTEGER', integerValue: r.cpu },
    { name: 'MEMORY', type: 'INTEGER', integerValue: r.memory },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: r.portsTcp.map(String) },
    { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: r.portsUdp.map(String) },
  ];
}

function instanceView(scope: ArnScope, i: ContainerInstance, used: HostUsage | undefined, counts: { running: number; pending: number }): ContainerInstanceView {
  return {
    containerInstanceArn: containerInstanceArn(scope, i.cluster, i.id),
    ec2InstanceId: i.hostId,
    status: i.status,
    agentConnected: i.agentConnected,
    registeredResources: resourceList(i.resources),
    remainingResources: resourceList(remaining(i.resources, used)),
    runningTasksCount: counts.running,
    pendingTasksCount: counts.pending,
    attributes: Object.entries(effectiveAttributes(i)).map(([name, value]) => (value === '' ? { name } : { name, value })),
    versionInfo: { agentVersion: i.agentVersion },
    registeredAt: new Date(i.registeredAt).toISOString(),
    agentUrl: i.agentUrl,
    lastSeenAt: new Date(i.lastSeenAt).toISOString(),
  };
}

async function views(store: Store, scope: ArnScope, instances: readonly ContainerInstance[], withTags = false): Promise<ContainerInstanceView[]> {
  if (instances.length === 0) return [];
  const clusters = [...new Set(instances.map((i) => i.cluster))];
  const used = usageById((await Promise.all(clusters.map((c) => store.tasks.usage(c)))).flat());
  const result: ContainerInstanceView[] = [];
  for (const i of instances) {
    const tasks = await store.tasks.onInstance(i.id);
    const running = tasks.filter((t) => t.lastStatus === 'RUNNING').length;
    const view = instanceView(scope, i, used.get(i.id), { running, pending: tasks.length - running });
    result.push(withTags ? { ...view, tags: i.tags.map((t) => ({ ...t })) } : view);
  }
  return result;
}

/**
 * The ListContainerInstances request (model/api/container-instances.ts) with its `filter` parsed as
 * the cluster query language, so a bad expression is refused naming the field.
 */
export const checkedListContainerInstancesRequestSchema = listContainerInstancesRequestSchema.extend({
  filter: z
    .string()
    .max(2000)
    .superRefine((expression, ctx) => {
      const problem = checkClusterQuery(expression);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
    })
    .optional(),
});

async function requireCluster(repos: Repositories, name: string): Promise<void> {
  const cluster = await repos.clusters.get(name);
  if (!cluster || cluster.status !== 'ACTIVE') throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: name });
}

/** ListContainerInstances: ARNs by id, optionally by status and a cluster query `filter`. */
export async function listContainerInstances(store: Store, scope: ArnScope, request: ListContainerInstancesRequest): Promise<{ containerInstanceArns: string[]; nextToken?: string }> {
  await requireCluster(store, request.cluster);
  const query = request.filter === undefined ? undefined : parseClusterQuery(request.filter);
  const hosts = query ? new Map((await placementHosts(store, request.cluster)).map((h) => [h.id, h])) : undefined;
  const shown: ContainerInstance[] = [];
  let after = request.nextToken === undefined ? undefined : decodePageToken(request.nextToken, 'string');
  let more = false;
  for (;;) {
    const page = await store.containerInstances.list({ cluster: request.cluster, status: request.status, after, limit: MAX_LIST_CONTAINER_INSTANCES });
    for (const i of page) {
      if (i.status === 'INACTIVE' && request.status !== 'INACTIVE') continue;
      const host = hosts?.get(i.id);
      if (query && !(host && evaluateClusterQuery(query, hostQueryTarget(host)))) continue;
      if (shown.length === request.maxResults) {
        more = true;
        break;
      }
      shown.push(i);
    }
    if (more || page.length < MAX_LIST_CONTAINER_INSTANCES) break;
    after = page[page.length - 1]?.id;
  }
  const last = shown[shown.length - 1];
  return {
    containerInstanceArns: shown.map((i) => containerInstanceArn(scope, i.cluster, i.id)),
    ...(more && last ? { nextToken: encodePageToken(last.id) } : {}),
  };
}

/** DescribeContainerInstances: found ones, and MISSING failures. */
export async function describeContainerInstances(store: Store, scope: ArnScope, request: DescribeContainerInstancesRequest): Promise<{ containerInstances: ContainerInstanceView[]; failures: Failure[] }> {
  await requireCluster(store, request.cluster);
  const found: ContainerInstance[] = [];
  const failures: Failure[] = [];
  for (const ref of request.containerInstances) {
    const id = containerInstanceIdFrom(ref);
    const instance = await store.containerInstances.get(id);
    if (instance && instance.cluster === request.cluster) found.push(instance);
    else failures.push({ arn: containerInstanceArn(scope, request.cluster, id), reason: 'MISSING' });
  }
  return { containerInstances: await views(store, scope, found, request.include?.includes('TAGS') ?? false), failures };
}

/** UpdateContainerInstancesState: ACTIVE or DRAINING. A draining host takes no new tasks. */
export async function updateContainerInstancesState(
  store: Store,
  scope: ArnScope,
  request: UpdateContainerInstancesStateRequest,
  meta: RequestMeta,
): Promise<{ containerInstances: ContainerInstanceView[]; failures: Failure[] }> {
  if (request.status !== 'ACTIVE' && request.status !== 'DRAINING') {
    throw wharfError('WHARF_E_VALIDATION', { summary: `Container instances can be set ACTIVE or DRAINING, not ${request.status}` }, { errors: [{ field: 'status', message: 'Use ACTIVE or DRAINING' }] });
  }
  const status = request.status;
  const { updated, failures } = await store.transaction(async (tx) => {
    await requireCluster(tx, request.cluster);
    const updated: ContainerInstance[] = [];
    const failures: Failure[] = [];
    for (const ref of request.containerInstances) {
      const id = containerInstanceIdFrom(ref);
      const instance = await tx.containerInstances.get(id);
      if (!instance || instance.cluster !== request.cluster || instance.status === 'INACTIVE') {
        failures.push({ arn: containerInstanceArn(scope, request.cluster, id), reason: 'MISSING' });
        continue;
      }
      if (instance.status !== status) {
        const next = { ...instance, status: containerInstanceTransition(instance.status, status), updatedAt: meta.now };
        await tx.containerInstances.replace(next);
        await tx.events.append({ resourceType: 'container-instance', resourceId: id, severity: 'INFO', message: `Container instance ${id} (${instance.hostId}) is now ${status}.`, requestId: meta.requestId, time: meta.now });
        updated.push(next);
      } else updated.push(instance);
    }
    return { updated, failures };
  });
  return { containerInstances: await views(store, scope, updated), failures };
}
