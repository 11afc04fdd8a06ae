/**
 * The routing table the routers serve: target groups, listeners and rules from the store, plus every
 * RUNNING task of a load-balanced service as a target of its target group (services register their
 * tasks on their own). A task the service is stopping leaves the table first, so the router drains
 * it before the agent sends SIGTERM. The table's version increases whenever its content changes.
 */
import type { RouterTableResponse, RoutingTableInput } from '../../model/routing.js';
import { routingTableSchema, TARGET_WEIGHT_MAX } from '../../model/routing.js';
import type { TaskSetRecord } from '../../model/service.js';
import type { TargetGroupRecord } from '../../model/load-balancing.js';
import type { TaskRecord } from '../../model/task.js';
import type { Repositories, Store } from '../../store/store.js';

/** How often a waiting router's long poll re-reads the table when nothing woke it. */
export const TABLE_POLL_MS = 200;

/** The target of a task's container port: the address its agent reported, or its host and host port. */
function taskTarget(task: TaskRecord, containerName: string, containerPort: number, agentHost: string): { id: string; host: string; port: number } | undefined {
  const container = task.containers.find((c) => c.name === containerName);
  const binding = container?.networkBindings.find((b) => b.containerPort === containerPort);
  if (!container || !binding) return undefined;
  if (container.targetAddress && container.networkBindings[0] === binding) {
    const at = container.targetAddress.lastIndexOf(':');
    return { id: task.id, host: container.targetAddress.slice(0, at), port: Number(container.targetAddress.slice(at + 1)) };
  }
  return { id: task.id, host: agentHost, port: binding.hostPort };
}

/**
 * Per-task weights while a service's traffic is split (its live sets weigh differently, as during
 * TrafficSplitting): each set's weight shared among its running tasks, scaled so the heaviest task
 * weighs TARGET_WEIGHT_MAX; a set of weight 0 gets none, any other at least 1. Empty when the sets
 * weigh alike (every task the same share, the plain case).
 */
export function splitWeights(sets: readonly Pick<TaskSetRecord, 'id' | 'status' | 'weight'>[], tasks: readonly Pick<TaskRecord, 'id' | 'startedBy'>[]): Map<string, number> {
  const live = sets.filter((s) => s.status !== 'INACTIVE' && tasks.some((t) => t.startedBy === s.id));
  const weights = new Map<string, number>();
  if (live.every((s) => s.weight === live[0]?.weight)) return weights;
  const perTask = new Map(live.map((s) => [s.id, s.weight / tasks.filter((t) => t.startedBy === s.id).length]));
  const heaviest = Math.max(...perTask.values());
  for (const task of tasks) {
    const share = perTask.get(task.startedBy ?? '');
    if (share === undefined) continue;
    weights.set(task.id, share === 0 ? 0 : Math.max(1, Math.round((share / heaviest) * TARGET_WEIGHT_MAX)));
  }
  return weights;
}

/** Every target of each target group: registered by hand, and the load-balanced services' RUNNING tasks. */
export async function currentTargets(repos: Repositories): Promise<Map<string, { id: string; host: string; port: number }[]>> {
  const groups = await repos.loadBalancing.targetGroups();
  const targets = new Map(groups.map((g) => [g.arn, [...g.targets]]));
  const hosts = new Map<string, string>();
  for (const service of await repos.services.listLive()) {
    if (service.loadBalancers.length === 0) continue;
    const tasks = (await repos.tasks.ofService(service.cluster, service.serviceName)).filter((t) => t.desiredStatus === 'RUNNING' && t.lastStatus === 'RUNNING');
    const weights = splitWeights(await repos.taskSets.forService(service.cluster, service.serviceName), tasks);
    for (const task of tasks) {
      if (!hosts.has(task.containerInstanceId)) {
        const instance = await repos.containerInstances.get(task.containerInstanceId);
        hosts.set(task.containerInstanceId, instance ? new URL(instance.agentUrl).hostname : '127.0.0.1');
      }
      for (const lb of service.loadBalancers) {
        const target = taskTarget(task, lb.containerName, lb.containerPort, hosts.get(task.containerInstanceId) ?? '127.0.0.1');
        const list = targets.get(lb.targetGroupArn);
        const weight = weights.get(task.id);
        if (target && list && !list.some((t) => t.id === target.id)) list.push(weight === undefined ? target : { ...target, weight });
      }
    }
  }
  return targets;
}

/** The whole table at a version (validated with the router's own schema). */
export async function buildRoutingTable(repos: Repositories, version: number): Promise<RoutingTableInput> {
  const [groups, listeners, rules, targets] = await Promise.all([repos.loadBalancing.targetGroups(), repos.loadBalancing.listeners(), repos.loadBalancing.rules(), currentTargets(repos)]);
  const table: RoutingTableInput = {
    version,
    targetGroups: groups.map((g: TargetGroupRecord) => ({
      name: g.name,
      arn: g.arn,
      protocol: 'HTTP',
      port: g.port,
      healthCheck: g.healthCheck,
      deregistrationDelaySeconds: g.deregistrationDelaySeconds,
      targets: targets.get(g.arn) ?? [],
    })),
    listeners: listeners.map((l) => ({
      arn: l.arn,
      port: l.port,
      protocol: 'HTTP',
      ...(l.defaultAction ? { defaultAction: l.defaultAction } : {}),
      rules: rules.filter((r) => r.listenerArn === l.arn).map((r) => ({ arn: r.arn, priority: r.priority, conditions: r.conditions, action: r.action })),
    })),
  };
  routingTableSchema.parse(table);
  return table;
}

/**
 * The leader's view of the table for routers: a version that increases with every change of
 * content (starting from the time this controller began leading, so versions grow across leaders),
 * and long polls that answer when it changes.
 */
export class RoutingTables {
  private version = Date.now();
  private lastJson = '';
  private waiters = new Set<() => void>();

  constructor(private readonly store: Store) {}

  /** Something that may change the table happened: wake waiting routers. */
  changed(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** The current table, with a new version if its content changed since the last read. */
  async current(): Promise<RouterTableResponse> {
    const table = await buildRoutingTable(this.store, 0);
    const json = JSON.stringify({ ...table, version: 0 });
    if (json !== this.lastJson) {
      this.lastJson = json;
      this.version = Math.max(this.version + 1, Date.now());
    }
    return { version: this.version, table: { ...table, version: this.version } };
  }

  /** Answers when the version differs from `known`, or after `waitMs`. */
  async wait(known: number | undefined, waitMs: number, signal: AbortSignal): Promise<RouterTableResponse> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const now = await this.current();
      if (now.version !== known || Date.now() >= deadline || signal.aborted) return now;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(TABLE_POLL_MS, Math.max(0, deadline - Date.now())));
        this.waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
}
