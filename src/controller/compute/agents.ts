/**
 * The controller's side of the agent protocol (see src/model/agent-protocol.ts): the desired set of
 * tasks for a host (long poll), applying an agent's report, and the sweep that disconnects silent
 * hosts and stops their tasks.
 */
import type { AgentContainer, AgentReport, AgentTask, DesiredStateResponse } from '../../model/agent-protocol.js';
import type { ContainerInstance } from '../../model/container-instance.js';
import type { TaskDefinitionRecord } from '../../model/task-definition.js';
import { DEFAULT_START_TIMEOUT_SEC, DEFAULT_STOP_TIMEOUT_SEC } from '../../model/task-definition.js';
import type { TaskRecord } from '../../model/task.js';
import type { Logger } from '../../log.js';
import type { Repositories, Store } from '../../store/store.js';
import type { UsageBoard } from './usage.js';
import type { RequestMeta } from '../request.js';
import type { DesiredStateBus } from './desired-state-bus.js';
import { applyReport, stopWithoutAgent } from './task-state.js';
import { writeChange } from './tasks.js';

/**
 * A task as its agent must run it: the definition with the task's overrides and host ports applied,
 * and every default resolved here, once (stop and start timeouts; the health check's were filled in
 * at registration). The agent and its drivers use these containers as they are.
 */
export function agentTask(task: TaskRecord, record: TaskDefinitionRecord): AgentTask {
  const def = record.definition;
  const overrides = new Map((task.overrides.containerOverrides ?? []).map((o) => [o.name, o]));
  let port = 0;
  const containers = def.containerDefinitions.map((c): AgentContainer => {
    const o = overrides.get(c.name);
    const environment: Record<string, string> = {};
    for (const e of c.environment) environment[e.name] = e.value;
    for (const e of o?.environment ?? []) environment[e.name] = e.value;
    return {
      name: c.name,
      image: c.image,
      essential: c.essential,
      entryPoint: c.entryPoint ?? [],
      command: o?.command ?? c.command ?? [],
      environment,
      portMappings: c.portMappings.map((m) => {
        const hostPort = task.hostPorts[port++] ?? 0;
        return { containerPort: m.containerPort ?? hostPort, hostPort, protocol: m.protocol };
      }),
      cpu: o?.cpu ?? c.cpu,
      memory: o?.memory ?? c.memory,
      memoryReservation: o?.memoryReservation ?? c.memoryReservation,
      // Complete since registration: the schema fills in HEALTH_CHECK_DEFAULTS and the CMD prefix.
      healthCheck: c.healthCheck,
      dependsOn: c.dependsOn ?? [],
      startTimeout: c.startTimeout ?? DEFAULT_START_TIMEOUT_SEC,
      stopTimeout: c.stopTimeout ?? DEFAULT_STOP_TIMEOUT_SEC,
      workingDirectory: c.workingDirectory,
      user: c.user,
      ...(c.privileged === true ? { privileged: true } : {}),
      ulimits: c.ulimits ?? [],
    };
  });
  return { taskId: task.id, family: task.family, revision: task.revision, containers };
}

async function desiredTasks(repos: Repositories, instanceId: string): Promise<AgentTask[]> {
  // Desired RUNNING, or still draining on the router before it may stop.
  const tasks = (await repos.tasks.onInstance(instanceId)).filter((t) => t.desiredStatus === 'RUNNING' || (t.lastStatus === 'DEACTIVATING' && t.drainUntil !== null));
  const definitions = new Map<string, TaskDefinitionRecord | undefined>();
  const result: AgentTask[] = [];
  for (const t of tasks) {
    const key = `${t.family}:${t.revision}`;
    if (!definitions.has(key)) definitions.set(key, await repos.taskDefinitions.get(t.family, t.revision));
    const record = definitions.get(key);
    if (record) result.push(agentTask(t, record));
  }
  return result;
}

/**
 * The full set of tasks `instance` should run. When the agent already holds `knownVersion`, waits
 * (up to `waitMs`) for a change first; answers at the deadline either way.
 */
export async function desiredState(store: Store, bus: DesiredStateBus, instanceId: string, knownVersion: number | undefined, waitMs: number, signal?: AbortSignal): Promise<DesiredStateResponse> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const instance = await store.containerInstances.get(instanceId);
    const version = instance?.desiredVersion ?? 0;
    const remaining = deadline - Date.now();
    if (version !== knownVersion || remaining <= 0 || signal?.aborted) return { version, tasks: await desiredTasks(store, instanceId) };
    await bus.wait(instanceId, remaining, signal);
  }
}

/**
 * Applies an agent's report: it is also the heartbeat. Reports about tasks that are not on this
 * host, or already STOPPED, change nothing (the agent stops what is not in its desired set).
 */
export async function applyAgentReport(store: Store, instance: ContainerInstance, report: AgentReport, meta: RequestMeta, usage?: UsageBoard): Promise<{ desiredVersion: number }> {
  for (const reported of report.tasks) {
    if (reported.usage) usage?.record(reported.taskId, reported.usage);
    else if (reported.lastStatus === 'STOPPED') usage?.forget(reported.taskId);
  }
  return store.transaction(async (tx) => {
    const current = (await tx.containerInstances.get(instance.id)) ?? instance;
    if (!current.agentConnected) {
      await tx.containerInstances.replace({ ...current, agentConnected: true, lastSeenAt: meta.now, updatedAt: meta.now });
      await tx.events.append({ resourceType: 'container-instance', resourceId: current.id, severity: 'INFO', message: `The agent on ${current.hostId} is connected again.`, requestId: meta.requestId, time: meta.now });
    } else {
      await tx.containerInstances.touch(current.id, meta.now);
    }
    for (const reported of report.tasks) {
      const task = await tx.tasks.get(reported.taskId);
      if (!task || task.containerInstanceId !== current.id) continue;
      const change = applyReport(task, reported, meta.now);
      if (change) await writeChange(tx, change, meta);
    }
    return { desiredVersion: current.desiredVersion };
  });
}

/**
 * Disconnects every host whose agent has been silent past `timeoutMs` and stops its tasks, so their
 * resources are free and services can replace them. Returns the hosts it disconnected.
 */
export async function sweepSilentHosts(store: Store, bus: DesiredStateBus, timeoutMs: number, now: number, log: Logger): Promise<string[]> {
  const lost = await store.transaction(async (tx) => {
    const silent = await tx.containerInstances.listSilent(now - timeoutMs);
    for (const instance of silent) {
      await tx.containerInstances.replace({ ...instance, agentConnected: false, updatedAt: now });
      const reason = `Host ${instance.hostId} lost: its agent sent no heartbeat for ${Math.round((now - instance.lastSeenAt) / 1000)} s`;
      await tx.events.append({ resourceType: 'container-instance', resourceId: instance.id, severity: 'WARN', message: `${reason}; its tasks are stopped.`, requestId: null, time: now });
      for (const task of await tx.tasks.onInstance(instance.id)) {
        const change = stopWithoutAgent(task, 'InfrastructureHealth', reason, now);
        if (change) await writeChange(tx, change, { requestId: null, now });
      }
      await tx.containerInstances.bumpDesiredVersion([instance.id], now);
    }
    return silent;
  });
  for (const instance of lost) log.warn({ containerInstance: instance.id, hostId: instance.hostId, lastSeenAt: instance.lastSeenAt }, 'host lost');
  bus.notify(lost.map((i) => i.id));
  return lost.map((i) => i.id);
}
