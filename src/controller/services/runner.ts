/**
 * The service runner: on the leading controller, every tick (and at once when woken), for each
 * live service, in one transaction: read its sets, tasks and hosts; let the deployment engine move
 * one step (`stepDeployment`, the engine's); let the reconciler plan; apply the plan (place through
 * RunTask's placement, stop through the agents); write events. Decisions are the pure
 * `deploy/deployment.ts` and `reconcile.ts`; this file only reads, calls them, and writes.
 */
import type { Logger } from '../../log.js';
import type { PlacementHost } from '../../model/placement.js';
import { MAX_PLACEMENT_CONSTRAINTS } from '../../model/placement.js';
import type { ServiceRecord } from '../../model/service.js';
import { serviceTransition, taskSetTransition } from '../../model/service.js';
import type { TaskRecord } from '../../model/task.js';
import { transition } from '../../model/task.js';
import type { Repositories, Store } from '../../store/store.js';
import type { DesiredStateBus } from '../compute/desired-state-bus.js';
import { requestStop, stopWithoutAgent } from '../compute/task-state.js';
import { placeAndRecord, writeChange } from '../compute/tasks.js';
import type { SetProgress, SetTraffic } from '../deploy/deployment.js';
import { startDeployment, stepDeployment } from '../deploy/engine.js';
import { serviceResourceId, serviceTasks } from '../deploy/records.js';
import { findTargetGroup } from '../load-balancing/elbv2.js';
import type { Rng } from '../scheduler/index.js';
import { pinToHost } from '../scheduler/index.js';
import type { HealthTimings, TaskHealthState } from './reconcile.js';
import { reconcileService, taskHealthState } from './reconcile.js';
import { daemonHosts } from './services.js';

/** How often the runner looks at every service when nothing wakes it. */
export const SERVICE_TICK_MS = 500;

/** The router's view of a task's target, when the service is load balanced (undefined otherwise). */
export type TargetHealthLookup = (service: ServiceRecord, task: TaskRecord) => 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'unused' | undefined;

export interface ServiceRunnerOptions {
  readonly store: Store;
  readonly bus: DesiredStateBus;
  readonly rng: Rng;
  /** Tasks not STOPPED a host may hold (the controller's setting): placement fills a host up to it. */
  readonly maxTasksPerHost: number;
  readonly log: Logger;
  readonly settleMs: number;
  readonly tickMs?: number;
  readonly targetHealth?: TargetHealthLookup;
  /** Called after a pass that changed tasks (the routing table may have changed). */
  readonly onChange?: () => void;
  /** What these tasks answered through the routers over the recent window (judged deployment steps). */
  readonly taskTraffic?: (taskIds: readonly string[], now: number) => SetTraffic | undefined;
}

/** Stop codes and reasons that count against a set (circuit breaker). */
function countsAsFailure(task: TaskRecord): boolean {
  return task.lastStatus === 'STOPPED' && (task.stopCode === 'TaskFailedToStart' || task.stopCode === 'EssentialContainerExited' || task.stoppedReason === 'Task failed health checks');
}

function hasHealthCheck(record: { definition: { containerDefinitions: readonly { essential: boolean; healthCheck?: unknown }[] } } | undefined): boolean {
  return record?.definition.containerDefinitions.some((c) => c.essential && c.healthCheck !== undefined) ?? false;
}

export class ServiceRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly o: ServiceRunnerOptions) {}

  start(): void {
    this.timer ??= setInterval(() => this.wake(), this.o.tickMs ?? SERVICE_TICK_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs a pass now (or right after the one in progress). */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.passOnce(Date.now());
      } while (this.again && this.timer);
    })().finally(() => (this.running = undefined));
  }

  /** One pass over every live service. Errors are logged per service; one bad service stops no other. */
  async passOnce(now: number): Promise<void> {
    let services: ServiceRecord[];
    try {
      services = await this.o.store.services.listLive();
    } catch (error) {
      this.o.log.error({ err: error }, 'service runner could not list services');
      return;
    }
    for (const service of services) {
      try {
        const touched = await this.o.store.transaction((tx) => this.runService(tx, service.cluster, service.serviceName, now));
        this.o.bus.notify(touched);
        if (touched.length > 0) this.o.onChange?.();
      } catch (error) {
        this.o.log.error({ err: error, service: service.serviceName, cluster: service.cluster }, 'service pass failed');
      }
    }
  }

  /** One service, inside a transaction; returns the hosts whose desired tasks changed. */
  private async runService(tx: Repositories, cluster: string, serviceName: string, now: number): Promise<string[]> {
    let service = await tx.services.get(cluster, serviceName);
    if (!service || service.status === 'INACTIVE') return [];
    const resourceId = serviceResourceId(cluster, serviceName);
    const event = async (severity: 'INFO' | 'WARN' | 'ERROR', message: string): Promise<void> => {
      // ECS suppresses a repeated event until its cause changes.
      const [last] = await tx.events.query({ resourceType: 'service', resourceId, limit: 1 });
      if (last?.message !== message) await tx.events.append({ resourceType: 'service', resourceId, severity, message, requestId: null, time: now });
    };

    let sets = (await tx.taskSets.forService(cluster, serviceName)).filter((s) => s.status !== 'INACTIVE');
    const allTasks = await serviceTasks(tx, cluster, serviceName);
    const tasks = allTasks.filter((t) => t.lastStatus !== 'STOPPED');
    const records = new Map(await Promise.all(sets.map(async (s) => [s.id, await tx.taskDefinitions.get(s.family, s.revision)] as const)));
    const draining = new Set((await tx.containerInstances.list({ cluster, status: 'DRAINING', limit: 10_000 })).map((i) => i.id));
    const timings: HealthTimings = { graceMs: service.healthCheckGracePeriodSeconds * 1000, settleMs: this.o.settleMs };
    const health = new Map<string, TaskHealthState>();
    for (const t of tasks) {
      health.set(t.id, taskHealthState(t, { hasHealthCheck: hasHealthCheck(records.get(t.startedBy ?? '')), targetHealth: this.o.targetHealth?.(service, t) }, timings, now));
    }

    // A DAEMON service follows its hosts: their count is its desired count, and a new count re-plans
    // toward the PRIMARY set (a host that joined gets a task, one that left needs none).
    let hosts: PlacementHost[] | undefined;
    if (service.schedulingStrategy === 'DAEMON') {
      const primary = sets.find((s) => s.status === 'PRIMARY');
      hosts = await daemonHosts(tx, service, primary && records.get(primary.id), this.o.maxTasksPerHost);
      if (primary && service.status === 'ACTIVE' && hosts.length !== service.desiredCount) {
        const next: ServiceRecord = { ...service, desiredCount: hosts.length, updatedAt: now, version: service.version + 1 };
        if (!(await tx.services.replace(next))) throw new Error(`service ${serviceName} changed underneath its pass`);
        await event('INFO', `service ${serviceName} desired count ${service.desiredCount} -> ${next.desiredCount}: ${next.desiredCount} container instance(s) take its daemon tasks.`);
        service = next;
        await startDeployment(tx, service, primary, service.deploymentPolicy, now);
      }
    }

    // The deployment engine: one move, persisted.
    const [deployment] = (await tx.deployments.forService(cluster, serviceName, 1)).filter((d) => d.status === 'IN_PROGRESS');
    const judged = deployment?.steps[deployment.cursor]?.judge !== undefined;
    const progress = new Map<string, SetProgress>();
    for (const s of sets) {
      const live = tasks.filter((t) => t.startedBy === s.id && t.desiredStatus === 'RUNNING');
      const traffic = judged ? this.o.taskTraffic?.(live.map((t) => t.id), now) : undefined;
      progress.set(s.id, { live: live.length, healthy: live.filter((t) => health.get(t.id) === 'healthy').length, failed: allTasks.filter((t) => t.startedBy === s.id && countsAsFailure(t) && (t.stoppedAt ?? now) >= (deployment?.createdAt ?? 0)).length, ...(traffic ? { traffic } : {}) });
    }
    for (const s of sets) {
      const failed = progress.get(s.id)?.failed ?? 0;
      if (failed !== s.failedTasks) await tx.taskSets.replace({ ...s, failedTasks: failed, updatedAt: now });
    }
    if (deployment && service.status === 'ACTIVE' && (await stepDeployment(tx, service, deployment, sets, progress, now, event))) {
      sets = (await tx.taskSets.forService(cluster, serviceName)).filter((s) => s.status !== 'INACTIVE');
    }

    // The reconciler: keep every set at its target.
    const plan = reconcileService({ service, sets, tasks, health, drainingHosts: draining, ...(hosts ? { eligibleHosts: hosts.map((h) => h.id) } : {}) });
    const touched = new Set<string>();
    // Load-balanced tasks leave the routing table first and keep running through the target
    // group's deregistration delay, so the router drains their in-flight requests before SIGTERM.
    const drainMs = service.loadBalancers.length === 0 ? 0 : Math.max(0, ...(await Promise.all(service.loadBalancers.map(async (lb) => ((await findTargetGroup(tx, lb.targetGroupArn))?.deregistrationDelaySeconds ?? 0) * 1000))));
    for (const order of plan.stop) {
      const task = tasks.find((t) => t.id === order.taskId);
      if (!task) continue;
      const instance = await tx.containerInstances.get(task.containerInstanceId);
      const connected = instance?.agentConnected === true && task.lastStatus !== 'PROVISIONING';
      let change = connected ? requestStop(task, 'ServiceSchedulerInitiated', order.reason, now) : stopWithoutAgent(task, 'ServiceSchedulerInitiated', order.reason, now);
      if (change && connected && drainMs > 0 && task.lastStatus === 'RUNNING') {
        change = { ...change, next: { ...change.next, lastStatus: transition(task.lastStatus, 'DEACTIVATING'), drainUntil: now + drainMs } };
      }
      if (change) {
        await writeChange(tx, change, { requestId: null, now });
        // The agent's long poll answers on a new version only (a draining task stays in its desired set).
        await tx.containerInstances.bumpDesiredVersion([task.containerInstanceId], now);
        touched.add(task.containerInstanceId);
      }
    }
    // Drained tasks are released to their agents, which stop them.
    for (const task of tasks) {
      if (task.lastStatus === 'DEACTIVATING' && task.drainUntil !== null && task.drainUntil <= now) {
        await writeChange(tx, { next: { ...task, drainUntil: null, version: task.version + 1 }, events: [] }, { requestId: null, now });
        await tx.containerInstances.bumpDesiredVersion([task.containerInstanceId], now);
        touched.add(task.containerInstanceId);
      }
    }
    if (plan.stop.length > 0) await event('INFO', `service ${serviceName} has stopped ${plan.stop.length} running task(s): ${plan.stop.map((s) => `(task ${s.taskId}) ${s.reason}`).join('; ')}.`);
    const names = new Map(hosts?.map((h) => [h.id, h.ec2InstanceId ?? h.id]));
    for (const { setId, count, hosts: pinned } of plan.place) {
      const set = sets.find((s) => s.id === setId);
      const record = records.get(setId);
      if (!set || !record) continue;
      // A DAEMON's task goes to the host that lacks it: one placement per host, pinned there.
      const room = MAX_PLACEMENT_CONSTRAINTS - record.definition.placementConstraints.length;
      const batches = pinned ? pinned.map((h) => ({ count: 1, constraints: pinToHost(service.placementConstraints, names.get(h) ?? h, room) })) : [{ count, constraints: service.placementConstraints }];
      const placed: Awaited<ReturnType<typeof placeAndRecord>> = { created: [], failures: [] };
      for (const batch of batches) {
        const result = await placeAndRecord(tx, this.o, {
          cluster,
          record,
          overrides: {},
          count: batch.count,
          group: `service:${serviceName}`,
          startedBy: set.id,
          tags: service.tags,
          placementConstraints: batch.constraints,
          placementStrategy: service.placementStrategy,
          requestId: null,
          now,
        });
        placed.created.push(...result.created);
        placed.failures.push(...result.failures);
      }
      for (const t of placed.created) touched.add(t.containerInstanceId);
      if (placed.created.length > 0) await event('INFO', `service ${serviceName} has started ${placed.created.length} task(s): ${placed.created.map((t) => `(task ${t.id})`).join(' ')}.`);
      for (const f of placed.failures) await event('WARN', `service ${serviceName} was unable to place a task because no container instance met all of its requirements. ${f.detail}`);
    }

    // A deleted service becomes INACTIVE once its last task stopped.
    if (service.status === 'DRAINING' && tasks.length === 0) {
      if (!(await tx.services.replace({ ...service, status: serviceTransition(service.status, 'INACTIVE'), updatedAt: now, version: service.version + 1 }))) throw new Error(`service ${serviceName} changed underneath its pass`);
      for (const s of sets) await tx.taskSets.replace({ ...s, status: taskSetTransition(s.status, 'INACTIVE'), targetCount: 0, updatedAt: now });
      await event('INFO', `service ${serviceName} is INACTIVE: all its tasks stopped.`);
    }
    return [...touched];
  }
}
