/**
 * ECS tasks on the controller: RunTask (place and record), StopTask, DescribeTasks, ListTasks, and
 * the task in ECS's response shape. What agents report is applied in `agents.ts`; how a record
 * changes is the pure `task-state.ts`.
 */
import { randomBytes } from 'node:crypto';
import type { ArnScope } from '../../model/arn.js';
import { arn, clusterArn, taskDefinitionArn } from '../../model/arn.js';
import type { ClusterQuotas } from '../../model/cluster.js';
import type { Failure } from '../../model/api/common.js';
import type { DescribeTasksRequest, ListTasksRequest, RunTaskRequest, StartTaskRequest, StopTaskRequest, TaskView } from '../../model/api/tasks.js';
import { runTaskRequestSchema } from '../../model/api/tasks.js';
import { wharfError } from '../../model/errors.js';
import type { PlacementConstraint, PlacementFailure, PlacementStrategy } from '../../model/placement.js';
import type { TaskDefinitionRecord } from '../../model/task-definition.js';
import { unsupportedFields } from '../../model/task-definition.js';
import type { TaskOverrides, TaskRecord } from '../../model/task.js';
import type { Repositories, Store } from '../../store/store.js';
import { decodePageToken, encodePageToken } from '../paging.js';
import { createPlacementCluster, placeTasks, placementInputProblems, taskRequirement } from '../scheduler/index.js';
import type { Rng } from '../scheduler/index.js';
import type { ChangeMeta, RequestMeta } from '../request.js';
import { containerInstanceArn, containerInstanceIdFrom, placementHosts } from './container-instances.js';
import type { DesiredStateBus } from './desired-state-bus.js';
import { resolveTaskDefinition } from './task-definitions.js';
import type { TaskChange } from './task-state.js';
import { requestStop, stopWithoutAgent } from './task-state.js';

/** `arn:…:task/<cluster>/<id>` */
export function taskArn(scope: ArnScope, cluster: string, id: string): string {
  return arn(scope, 'ecs', `task/${cluster}/${id}`);
}

/** Accepts a task id or ARN and returns the id. */
export function taskIdFrom(ref: string): string {
  return /task\/(?:[^/]+\/)?([^/]+)$/.exec(ref)?.[1] ?? ref;
}

/** Fields of RunTask that ECS takes and Wharf does not act on yet, and why. */
const RUN_TASK_NOT_YET: Record<string, string> = {
  networkConfiguration: 'awsvpc networking comes later; tasks use bridge or host networking',
  capacityProviderStrategy: 'capacity providers come with their own issue',
  platformVersion: 'the Fargate-like mode comes with its own issue',
  volumeConfigurations: 'volumes are not mounted yet',
  'overrides.inferenceAcceleratorOverrides': 'inference accelerators are not supported',
  'overrides.ephemeralStorage': 'ephemeral storage sizing is not applied yet',
  'overrides.taskRoleArn': 'task roles come with the roles issue',
  'overrides.executionRoleArn': 'execution roles come with the roles issue',
};

/**
 * The RunTask request (model/api/tasks.ts) plus the scheduler's checks of its placement strategies
 * and constraints (a memberOf expression is parsed as the cluster query language).
 */
export const checkedRunTaskRequestSchema = runTaskRequestSchema.superRefine((request, ctx) => {
  for (const problem of placementInputProblems(request.placementStrategy ?? [], request.placementConstraints ?? [])) {
    const [field = '', ...message] = problem.split(': ');
    ctx.addIssue({ code: 'custom', path: field.split('.'), message: message.join(': ') });
  }
});

function refuseNotYet(request: RunTaskRequest | StartTaskRequest, format: string): void {
  for (const [path, reason] of Object.entries(RUN_TASK_NOT_YET)) {
    const value = path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], request);
    if (value !== undefined) throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: path, format, reason });
  }
  if ('launchType' in request && (request.launchType === 'FARGATE' || request.launchType === 'MANAGED_INSTANCES')) {
    throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: 'launchType', format, reason: `${request.launchType} comes with the Fargate-like mode; use EC2 (the default) to run on registered hosts` });
  }
  if (request.enableExecuteCommand) throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: 'enableExecuteCommand', format, reason: 'exec into tasks comes with its own issue' });
}

/** The task definition with `overrides` applied to what placement and the agent read. */
function withOverrides(def: TaskDefinitionRecord['definition'], overrides: TaskOverrides | undefined): TaskDefinitionRecord['definition'] {
  if (!overrides) return def;
  const byName = new Map((overrides.containerOverrides ?? []).map((o) => [o.name, o]));
  return {
    ...def,
    cpu: overrides.cpu ?? def.cpu,
    memory: overrides.memory ?? def.memory,
    containerDefinitions: def.containerDefinitions.map((c) => {
      const o = byName.get(c.name);
      if (!o) return c;
      const environment = new Map(c.environment.map((e) => [e.name, e.value]));
      for (const e of o.environment ?? []) environment.set(e.name, e.value);
      return {
        ...c,
        command: o.command ? [...o.command] : c.command,
        environment: [...environment].map(([name, value]) => ({ name, value })),
        cpu: o.cpu ?? c.cpu,
        memory: o.memory ?? c.memory,
        memoryReservation: o.memoryReservation ?? c.memoryReservation,
      };
    }),
  };
}

export interface TaskContext {
  readonly store: Store;
  readonly arnScope: ArnScope;
  readonly bus: DesiredStateBus;
  readonly rng: Rng;
  /** The quotas RunTask keeps (from settings): per cluster, and per host through placement. */
  readonly quotas: Pick<ClusterQuotas, 'provisioningTasksPerCluster' | 'tasksPerHost'>;
}

/**
 * ECS's quota "Tasks in the PROVISIONING state per cluster": `count` more tasks must keep the
 * cluster's tasks not yet RUNNING within `limit`, or the whole request is refused (no partial placement).
 */
async function checkProvisioningQuota(repos: Repositories, cluster: string, count: number, limit: number): Promise<void> {
  const { pending } = await repos.tasks.counts(cluster);
  if (pending + count <= limit) return;
  throw wharfError('WHARF_E_QUOTA_EXCEEDED', {
    cluster,
    quota: 'Tasks in the PROVISIONING state per cluster',
    limit: limit.toLocaleString('en'),
    reason: `it has ${pending.toLocaleString('en')} tasks not yet RUNNING, and RunTask asks for ${count} more`,
    fix: `Wait until some of them run or stop, ask for at most ${Math.max(limit - pending, 0).toLocaleString('en')} with \`count\`, or raise the quota with WHARF_MAX_PROVISIONING_TASKS_PER_CLUSTER`,
  });
}

/**
 * RunTask: places `count` tasks and records them PROVISIONING for their hosts' agents. Tasks that
 * fit nowhere come back in `failures` (ECS reasons), never as an error.
 */
export async function runTask(ctx: TaskContext, request: RunTaskRequest, meta: RequestMeta): Promise<{ tasks: TaskView[]; failures: Failure[] }> {
  refuseNotYet(request, 'ECS RunTask');
  const { created, failures, record } = await ctx.store.transaction(async (tx) => {
    const record = await startable(tx, request);
    await checkProvisioningQuota(tx, request.cluster, request.count, ctx.quotas.provisioningTasksPerCluster);
    const { created, failures } = await placeAndRecord(tx, { rng: ctx.rng, maxTasksPerHost: ctx.quotas.tasksPerHost }, {
      ...placeFields(request, record, meta),
      count: request.count,
      placementConstraints: request.placementConstraints,
      placementStrategy: request.placementStrategy,
    });
    await recordOutcome(tx, request.cluster, record, created, failures, meta);
    return { created, failures: failures.flatMap((f) => placementFailures(ctx.arnScope, request.cluster, f)), record };
  });
  ctx.bus.notify(created.map((t) => t.containerInstanceId));
  return { tasks: created.map((t) => taskView(ctx.arnScope, t, record)), failures };
}

/** The cluster ACTIVE, the task definition resolved and ACTIVE, each overridden container one of its own. */
async function startable(tx: Repositories, request: Pick<RunTaskRequest, 'cluster' | 'taskDefinition' | 'overrides'>): Promise<TaskDefinitionRecord> {
  const cluster = await tx.clusters.get(request.cluster);
  if (!cluster || cluster.status !== 'ACTIVE') throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: request.cluster });
  const record = await resolveTaskDefinition(tx, request.taskDefinition);
  if (record.status !== 'ACTIVE') {
    throw wharfError('WHARF_E_TASK_DEFINITION_INACTIVE', { taskDefinition: `${record.family}:${record.revision}`, status: record.status, family: record.family });
  }
  const containerNames = new Set(record.definition.containerDefinitions.map((c) => c.name));
  (request.overrides?.containerOverrides ?? []).forEach(({ name }, i) => {
    if (!containerNames.has(name)) {
      throw wharfError('WHARF_E_VALIDATION', { summary: `The overrides name a container "${name}" that ${record.family}:${record.revision} does not have` }, { errors: [{ field: `overrides.containerOverrides.${i}.name`, message: `Use one of: ${[...containerNames].join(', ')}` }] });
    }
  });
  return record;
}

/** What RunTask and StartTask place alike. */
function placeFields(request: Pick<RunTaskRequest, 'cluster' | 'overrides' | 'group' | 'startedBy' | 'tags'>, record: TaskDefinitionRecord, meta: RequestMeta) {
  return {
    cluster: request.cluster,
    record,
    overrides: request.overrides ?? {},
    group: request.group ?? `family:${record.family}`,
    startedBy: request.startedBy ?? null,
    tags: request.tags ?? [],
    requestId: meta.requestId,
    now: meta.now,
  };
}

/** The events of a RunTask or StartTask: fields the tasks ignore, tasks that could not be placed. */
async function recordOutcome(tx: Repositories, cluster: string, record: TaskDefinitionRecord, created: readonly TaskRecord[], failures: readonly PlacementFailure[], meta: RequestMeta): Promise<void> {
  const notActed = unsupportedFields(record.definition);
  if (created.length > 0 && notActed.length > 0) {
    await tx.events.append({ resourceType: 'task-definition', resourceId: `${record.family}:${record.revision}`, severity: 'WARN', message: `Tasks started from ${record.family}:${record.revision} ignore fields Wharf does not act on yet: ${notActed.map((u) => u.field).join(', ')}.`, requestId: meta.requestId, time: meta.now });
  }
  for (const f of failures) {
    await tx.events.append({ resourceType: 'task-definition', resourceId: `${record.family}:${record.revision}`, severity: 'WARN', message: `${f.count} task(s) could not be placed in cluster ${cluster}: ${f.reason} (${f.detail}).`, requestId: meta.requestId, time: meta.now });
  }
}

/**
 * StartTask: RunTask on named container instances, one task on each (no placement strategy; the
 * instance must be ACTIVE, connected and have room, as placement checks). An instance that is not a
 * live one of the cluster, or has no room, comes back in `failures` with its ARN and ECS's reason.
 */
export async function startTask(ctx: TaskContext, request: StartTaskRequest, meta: RequestMeta): Promise<{ tasks: TaskView[]; failures: Failure[] }> {
  refuseNotYet(request, 'ECS StartTask');
  const { created, failures, record } = await ctx.store.transaction(async (tx) => {
    const record = await startable(tx, request);
    const ids = [...new Set(request.containerInstances.map(containerInstanceIdFrom))];
    await checkProvisioningQuota(tx, request.cluster, ids.length, ctx.quotas.provisioningTasksPerCluster);
    const created: TaskRecord[] = [];
    const failures: Failure[] = [];
    const placed: PlacementFailure[] = [];
    for (const id of ids) {
      const instanceArn = containerInstanceArn(ctx.arnScope, request.cluster, id);
      const instance = await tx.containerInstances.get(id);
      if (!instance || instance.cluster !== request.cluster || instance.status === 'INACTIVE') {
        failures.push({ arn: instanceArn, reason: 'MISSING' });
        continue;
      }
      const one = await placeAndRecord(tx, { rng: ctx.rng, maxTasksPerHost: ctx.quotas.tasksPerHost }, { ...placeFields(request, record, meta), count: 1, onlyHosts: [id] });
      created.push(...one.created);
      placed.push(...one.failures);
      failures.push(...one.failures.map((f) => ({ arn: instanceArn, reason: f.reason, detail: f.detail })));
    }
    await recordOutcome(tx, request.cluster, record, created, placed, meta);
    return { created, failures, record };
  });
  ctx.bus.notify(created.map((t) => t.containerInstanceId));
  return { tasks: created.map((t) => taskView(ctx.arnScope, t, record)), failures };
}

/**
 * A task id: 32 hex digits as ECS's, the first 12 the creation time in ms, the rest random. Ids
 * that grow with time keep inserts at the end of the store's indexes: on SQLite, a batch of a
 * million placements commits about 2.5 times faster than with fully random ids (BENCHMARKS.md).
 */
export function newTaskId(now: number): string {
  return Math.floor(now).toString(16).padStart(12, '0').slice(-12) + randomBytes(10).toString('hex');
}

/** The controller's side of placement: its random source and the tasks-per-host quota (settings). */
export interface PlacementContext {
  readonly rng: Rng;
  readonly maxTasksPerHost: number;
}

/** What placing tasks of one task definition needs. */
export interface PlaceRequest {
  readonly cluster: string;
  readonly record: TaskDefinitionRecord;
  readonly overrides: TaskOverrides;
  readonly count: number;
  /** `family:<family>` for standalone tasks, `service:<name>` for a service's. */
  readonly group: string;
  /** A service's tasks carry their task set's id. */
  readonly startedBy: string | null;
  readonly tags: TaskRecord['tags'];
  readonly placementConstraints?: readonly PlacementConstraint[];
  readonly placementStrategy?: readonly PlacementStrategy[];
  /** Place only on these hosts (StartTask's named container instances). */
  readonly onlyHosts?: readonly string[];
  readonly requestId: string | null;
  readonly now: number;
}

/**
 * Places up to `count` tasks on the cluster's hosts and records them (PROVISIONING, desired
 * RUNNING), bumping each host's desired version and writing an event per task; in the caller's
 * transaction. RunTask and the service runner both place through here. Notify the hosts' agents
 * (`bus.notify`) after the transaction commits.
 */
export async function placeAndRecord(tx: Repositories, placement: PlacementContext, request: PlaceRequest): Promise<{ created: TaskRecord[]; failures: PlacementFailure[] }> {
  const { record } = request;
  const def = withOverrides(record.definition, request.overrides);
  const requirement = taskRequirement(
    { ...def, cpu: def.cpu === undefined ? undefined : Number(def.cpu), memory: def.memory === undefined ? undefined : Number(def.memory) },
    { group: request.group, placementConstraints: request.placementConstraints, placementStrategy: request.placementStrategy },
  );
  const hosts = await placementHosts(tx, request.cluster);
  const only = request.onlyHosts === undefined ? undefined : new Set(request.onlyHosts);
  const view = createPlacementCluster(only ? hosts.filter((h) => only.has(h.id)) : hosts, { maxTasksPerHost: placement.maxTasksPerHost });
  const placed = placeTasks(view, requirement, request.count, { rng: placement.rng });
  const created: TaskRecord[] = placed.placements.map((p) => ({
    id: newTaskId(request.now),
    cluster: request.cluster,
    family: record.family,
    revision: record.revision,
    containerInstanceId: p.hostId,
    desiredStatus: 'RUNNING',
    lastStatus: 'PROVISIONING',
    healthStatus: 'UNKNOWN',
    group: requirement.group,
    startedBy: request.startedBy,
    cpu: requirement.cpu,
    memory: requirement.memory,
    // Dynamic ports (0) are chosen on the host when the container starts, as ECS's agent does:
    // several agents on one machine then never race for the same port; the report says which.
    hostPorts: requirement.ports.map((need, i) => (need.hostPort === 0 ? 0 : (p.hostPorts[i] ?? 0))),
    overrides: request.overrides,
    tags: request.tags,
    containers: [],
    stopCode: null,
    stoppedReason: null,
    drainUntil: null,
    version: 1,
    createdAt: request.now,
    startedAt: null,
    stoppingAt: null,
    stoppedAt: null,
  }));
  await tx.tasks.insertMany(created);
  await tx.containerInstances.bumpDesiredVersion(created.map((t) => t.containerInstanceId), request.now);
  for (const t of created) {
    await tx.events.append({ resourceType: 'task', resourceId: t.id, severity: 'INFO', message: `Task ${t.id} of ${record.family}:${record.revision} placed on container instance ${t.containerInstanceId}.`, requestId: request.requestId, time: request.now });
  }
  return { created, failures: placed.failures };
}

/** ECS reports one failure per task not placed. */
function placementFailures(scope: ArnScope, cluster: string, f: PlacementFailure): Failure[] {
  return Array.from({ length: f.count }, () => ({ arn: clusterArn(scope, cluster), reason: f.reason, detail: f.detail }));
}

/**
 * StopTask: asks the task's agent to stop it (SIGTERM, then SIGKILL after stopTimeout). A task whose
 * agent is disconnected or never took it is STOPPED at once.
 */
export async function stopTask(ctx: TaskContext, request: StopTaskRequest, meta: RequestMeta): Promise<{ task: TaskView }> {
  const id = taskIdFrom(request.task);
  const reason = request.reason ?? 'Task stopped by user';
  const { task, record } = await ctx.store.transaction(async (tx) => {
    const task = await tx.tasks.get(id);
    if (!task || task.cluster !== request.cluster) throw wharfError('WHARF_E_TASK_NOT_FOUND', { task: id, cluster: request.cluster });
    const instance = await tx.containerInstances.get(task.containerInstanceId);
    const change = instance?.agentConnected && task.lastStatus !== 'PROVISIONING' ? requestStop(task, 'UserInitiated', reason, meta.now) : stopWithoutAgent(task, 'UserInitiated', reason, meta.now);
    const next = change ? await writeChange(tx, change, meta) : task;
    if (change) await tx.containerInstances.bumpDesiredVersion([task.containerInstanceId], meta.now);
    return { task: next, record: await tx.taskDefinitions.get(task.family, task.revision) };
  });
  ctx.bus.notify([task.containerInstanceId]);
  return { task: taskView(ctx.arnScope, task, record) };
}

/** Writes a task change and its events; a concurrent write (version moved) is a bug in the caller's transaction use. */
export async function writeChange(tx: Repositories, change: TaskChange, meta: ChangeMeta): Promise<TaskRecord> {
  if (!(await tx.tasks.replace(change.next))) throw new Error(`task ${change.next.id} changed underneath its transaction (version ${change.next.version - 1})`);
  for (const e of change.events) {
    await tx.events.append({ resourceType: 'task', resourceId: change.next.id, severity: e.severity, message: e.message, requestId: meta.requestId, time: meta.now });
  }
  return change.next;
}

/** DescribeTasks: found tasks (any status), and MISSING failures. */
export async function describeTasks(store: Store, scope: ArnScope, request: DescribeTasksRequest): Promise<{ tasks: TaskView[]; failures: Failure[] }> {
  const tasks: TaskView[] = [];
  const failures: Failure[] = [];
  const definitions = new Map<string, TaskDefinitionRecord | undefined>();
  for (const ref of request.tasks) {
    const id = taskIdFrom(ref);
    const task = await store.tasks.get(id);
    if (!task || task.cluster !== request.cluster) {
      failures.push({ arn: taskArn(scope, request.cluster, id), reason: 'MISSING' });
      continue;
    }
    const key = `${task.family}:${task.revision}`;
    if (!definitions.has(key)) definitions.set(key, await store.taskDefinitions.get(task.family, task.revision));
    tasks.push(taskView(scope, task, definitions.get(key)));
  }
  return { tasks, failures };
}

/** ListTasks: task ARNs by id; desired status RUNNING unless asked (ECS's default). */
export async function listTasks(store: Store, scope: ArnScope, request: ListTasksRequest): Promise<{ taskArns: string[]; nextToken?: string }> {
  const cluster = await store.clusters.get(request.cluster);
  if (!cluster) throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: request.cluster });
  if (request.launchType === 'FARGATE' || request.launchType === 'MANAGED_INSTANCES') return { taskArns: [] };
  const after = request.nextToken === undefined ? undefined : decodePageToken(request.nextToken, 'string');
  const page = await store.tasks.list({
    cluster: request.cluster,
    // ECS accepts PENDING as a filter but never sets it as a desired status: tasks not yet running.
    desiredStatus: request.desiredStatus === 'PENDING' ? 'RUNNING' : request.desiredStatus,
    family: request.family,
    startedBy: request.startedBy,
    containerInstanceId: request.containerInstance === undefined ? undefined : containerInstanceIdFrom(request.containerInstance),
    group: request.serviceName === undefined ? undefined : `service:${request.serviceName}`,
    after,
    limit: request.maxResults + 1,
  });
  const matching = request.desiredStatus === 'PENDING' ? page.filter((t) => t.lastStatus !== 'RUNNING') : page;
  const shown = matching.slice(0, request.maxResults);
  const last = shown[shown.length - 1];
  return {
    taskArns: shown.map((t) => taskArn(scope, t.cluster, t.id)),
    ...(page.length > request.maxResults && last ? { nextToken: encodePageToken(last.id) } : {}),
  };
}

const iso = (ms: number | null): string | undefined => (ms === null ? undefined : new Date(ms).toISOString());

/** Renders a task; `record` (its task definition) supplies container images and limits. */
export function taskView(scope: ArnScope, task: TaskRecord, record: TaskDefinitionRecord | undefined): TaskView {
  const self = taskArn(scope, task.cluster, task.id);
  const reported = new Map(task.containers.map((c) => [c.name, c]));
  const definitions = record?.definition.containerDefinitions ?? [];
  return {
    taskArn: self,
    clusterArn: clusterArn(scope, task.cluster),
    taskDefinitionArn: taskDefinitionArn(scope, task.family, task.revision),
    containerInstanceArn: containerInstanceArn(scope, task.cluster, task.containerInstanceId),
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    healthStatus: task.healthStatus,
    cpu: String(task.cpu),
    memory: String(task.memory),
    launchType: 'EC2',
    group: task.group,
    ...(task.startedBy !== null ? { startedBy: task.startedBy } : {}),
    version: task.version,
    connectivity: 'CONNECTED',
    createdAt: new Date(task.createdAt).toISOString(),
    startedAt: iso(task.startedAt),
    stoppingAt: iso(task.stoppingAt),
    stoppedAt: iso(task.stoppedAt),
    ...(task.stopCode !== null ? { stopCode: task.stopCode } : {}),
    ...(task.stoppedReason !== null ? { stoppedReason: task.stoppedReason } : {}),
    overrides: task.overrides,
    tags: task.tags,
    containers: definitions.map((c) => {
      const r = reported.get(c.name);
      return {
        containerArn: arn(scope, 'ecs', `container/${task.cluster}/${task.id}/${c.name}`),
        taskArn: self,
        name: c.name,
        image: c.image,
        lastStatus: r?.lastStatus ?? 'PENDING',
        ...(r?.exitCode != null ? { exitCode: r.exitCode } : {}),
        ...(r?.reason ? { reason: r.reason } : {}),
        healthStatus: r?.healthStatus ?? 'UNKNOWN',
        networkBindings: r?.networkBindings ?? [],
        ...(r?.runtimeId ? { runtimeId: r.runtimeId } : {}),
        cpu: String(c.cpu ?? 0),
        ...(c.memory !== undefined ? { memory: String(c.memory) } : {}),
        ...(c.memoryReservation !== undefined ? { memoryReservation: String(c.memoryReservation) } : {}),
      };
    }),
  };
}
