/**
 * The service reconciler: a pure function from a service's desired state (its sets' target counts)
 * and observed state (its tasks, their health, the hosts' status) at `now` to a plan of tasks to
 * place and tasks to stop. The runner applies the plan; nothing here reads a clock or the store.
 */
import type { ServiceRecord, TaskSetRecord } from '../../model/service.js';
import type { TaskRecord } from '../../model/task.js';
import { maximumTotal, minimumHealthy } from '../deploy/plan.js';

/** How a service task counts right now. */
export type TaskHealthState = 'pending' | 'healthy' | 'unhealthy';

/** What decides a task's health: its load balancer's view, its container health check, or time running. */
export interface HealthEvidence {
  /** The target group's state of the task, when the service is load balanced. */
  readonly targetHealth?: 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'unused';
  /** Whether an essential container of its task definition has a health check. */
  readonly hasHealthCheck: boolean;
}

export interface HealthTimings {
  /** The service's healthCheckGracePeriodSeconds, in ms: no unhealthy verdict before it passes. */
  readonly graceMs: number;
  /** Without load balancer or health check, RUNNING this long counts as healthy (ECS: 40 s). */
  readonly settleMs: number;
}

/** Classifies one task (ECS's rules for what counts toward minimum healthy). */
export function taskHealthState(task: TaskRecord, evidence: HealthEvidence, timings: HealthTimings, now: number): TaskHealthState {
  if (task.lastStatus !== 'RUNNING' || task.startedAt === null) return 'pending';
  const inGrace = now - task.startedAt < timings.graceMs;
  if (evidence.targetHealth !== undefined) {
    if (evidence.targetHealth === 'healthy') return 'healthy';
    if (evidence.targetHealth === 'unhealthy' && !inGrace) return 'unhealthy';
    return 'pending';
  }
  if (evidence.hasHealthCheck) {
    if (task.healthStatus === 'HEALTHY') return 'healthy';
    if (task.healthStatus === 'UNHEALTHY' && !inGrace) return 'unhealthy';
    return 'pending';
  }
  return now - task.startedAt >= timings.settleMs ? 'healthy' : 'pending';
}

export interface ReconcileInput {
  readonly service: ServiceRecord;
  /** The service's sets that are not INACTIVE. */
  readonly sets: readonly TaskSetRecord[];
  /** The service's tasks that are not STOPPED. */
  readonly tasks: readonly TaskRecord[];
  /** Health of each task by id (see taskHealthState). */
  readonly health: ReadonlyMap<string, TaskHealthState>;
  /** Container instances that are DRAINING: their tasks move elsewhere (a DAEMON's stop there). */
  readonly drainingHosts: ReadonlySet<string>;
  /**
   * DAEMON services only: the container instances that take one task each (ACTIVE, agent
   * connected, meeting the placement constraints), in the order free ones are filled.
   */
  readonly eligibleHosts?: readonly string[];
}

export interface StopOrder {
  readonly taskId: string;
  readonly setId: string;
  readonly reason: string;
  /** True when the stop counts as a failure of its set (circuit breaker). */
  readonly failure: boolean;
}

/** New tasks of one set: `count` anywhere placement finds room, or one on each of `hosts` (DAEMON). */
export interface PlaceOrder {
  readonly setId: string;
  readonly count: number;
  readonly hosts?: readonly string[];
}

/** The plan: buckets the runner applies. */
export interface ServicePlan {
  /** New tasks to place, per set. */
  readonly place: readonly PlaceOrder[];
  /** Tasks to stop, each with its reason. */
  readonly stop: readonly StopOrder[];
}

/** Scale-in preference: tasks not yet running go first, then the newest. */
function stopOrder(a: TaskRecord, b: TaskRecord): number {
  const running = (t: TaskRecord): number => (t.lastStatus === 'RUNNING' ? 1 : 0);
  return running(a) - running(b) || b.createdAt - a.createdAt;
}

/**
 * Keeps every set at its target count: stops unhealthy tasks (they count as failures), stops extra
 * tasks, places missing ones, and moves tasks off DRAINING hosts within the service's maximum
 * percent (a replacement first when there is headroom) and minimum healthy percent.
 */
export function reconcileService(input: ReconcileInput): ServicePlan {
  if (input.service.schedulingStrategy === 'DAEMON') return reconcileDaemon(input);
  const { service, sets, health } = input;
  const place: { setId: string; count: number }[] = [];
  const stop: StopOrder[] = [];
  if (service.status === 'INACTIVE') return { place, stop };

  const live = input.tasks.filter((t) => t.desiredStatus === 'RUNNING');
  const maxTotal = Math.max(maximumTotal(service.desiredCount, service.deploymentConfiguration.maximumPercent), service.desiredCount === 0 ? 0 : 1);
  const minHealthy = minimumHealthy(service.desiredCount, service.deploymentConfiguration.minimumHealthyPercent);
  let totalLive = live.length;
  let healthyTotal = live.filter((t) => health.get(t.id) === 'healthy').length;

  for (const set of sets) {
    const target = service.status === 'DRAINING' ? 0 : set.targetCount;
    const mine = live.filter((t) => t.startedBy === set.id);

    // Unhealthy tasks never count as healthy, so stopping them costs no capacity.
    const unhealthy = mine.filter((t) => health.get(t.id) === 'unhealthy');
    for (const t of unhealthy) stop.push({ taskId: t.id, setId: set.id, reason: 'Task failed health checks', failure: true });
    totalLive -= unhealthy.length;
    const keep = mine.filter((t) => health.get(t.id) !== 'unhealthy');
    const draining = keep.filter((t) => input.drainingHosts.has(t.containerInstanceId));
    const settled = keep.filter((t) => !input.drainingHosts.has(t.containerInstanceId));

    // Too many tasks where they may stay: stop those not running yet first, then the newest.
    if (settled.length > target) {
      const extras = [...settled].sort(stopOrder).slice(0, settled.length - target);
      for (const t of extras) stop.push({ taskId: t.id, setId: set.id, reason: 'Scaling activity initiated by the service scheduler', failure: false });
      totalLive -= extras.length;
      healthyTotal -= extras.filter((t) => health.get(t.id) === 'healthy').length;
    }
    const staying = Math.min(settled.length, target);

    // Missing tasks, plus replacements for tasks on draining hosts while there is headroom.
    const missing = Math.max(0, target - staying - draining.length);
    const replacements = Math.max(0, Math.min(draining.length, target - staying - missing, maxTotal - totalLive - missing));
    if (missing + replacements > 0) place.push({ setId: set.id, count: missing + replacements });
    totalLive += missing + replacements;

    // A task on a draining host goes once its set has its target healthy elsewhere, when it is not
    // healthy anyway, or while the service keeps its minimum healthy without it.
    const healthySettled = settled.filter((t) => health.get(t.id) === 'healthy').length;
    for (const t of draining) {
      const isHealthy = health.get(t.id) === 'healthy';
      if (!isHealthy || healthySettled >= target || healthyTotal - 1 >= minHealthy) {
        stop.push({ taskId: t.id, setId: set.id, reason: `Task moved off draining container instance ${t.containerInstanceId}`, failure: false });
        totalLive -= 1;
        if (isHealthy) healthyTotal -= 1;
      }
    }
  }
  return { place, stop };
}

/** Which of several tasks on one host stays: healthy, then running, then the oldest. */
function keepOrder(health: ReadonlyMap<string, TaskHealthState>): (a: TaskRecord, b: TaskRecord) => number {
  const rank = (t: TaskRecord): number => (health.get(t.id) === 'healthy' ? 0 : t.lastStatus === 'RUNNING' ? 1 : 2);
  return (a, b) => rank(a) - rank(b) || a.createdAt - b.createdAt;
}

/**
 * A DAEMON service: one task on each eligible host. Sets' targets count hosts. Tasks on hosts that
 * are no longer eligible (DRAINING, lost, failing a constraint) stop and are not replaced
 * elsewhere; unhealthy tasks stop as failures; a set above its target stops its extras (not yet
 * running first, then the newest); a set below it gets tasks pinned to free eligible hosts, the
 * newest set first. A host is free only once no task of the service is left on it, stopping ones
 * included, so a host's old task is gone before its new one starts and a host never runs two.
 */
function reconcileDaemon(input: ReconcileInput): ServicePlan {
  const { service, sets, health } = input;
  const place: PlaceOrder[] = [];
  const stop: StopOrder[] = [];
  if (service.status === 'INACTIVE') return { place, stop };
  const live = input.tasks.filter((t) => t.desiredStatus === 'RUNNING');
  const stopping = new Set<string>();
  const stopTask = (t: TaskRecord, reason: string, failure: boolean): void => {
    stop.push({ taskId: t.id, setId: t.startedBy ?? '', reason, failure });
    stopping.add(t.id);
  };
  if (service.status === 'DRAINING') {
    for (const t of live) stopTask(t, 'Scaling activity initiated by the service scheduler', false);
    return { place, stop };
  }

  // Without the list (unknown), no task stops for its host and none is placed.
  const eligible = input.eligibleHosts ?? [];
  const takes = input.eligibleHosts ? new Set(eligible) : undefined;
  const setIds = new Set(sets.map((s) => s.id));
  for (const t of live) {
    if (!setIds.has(t.startedBy ?? '')) continue;
    const host = t.containerInstanceId;
    if (health.get(t.id) === 'unhealthy') stopTask(t, 'Task failed health checks', true);
    else if (input.drainingHosts.has(host)) stopTask(t, `Daemon task stopped: container instance ${host} is DRAINING`, false);
    else if (takes && !takes.has(host)) stopTask(t, `Daemon task stopped: container instance ${host} no longer meets the service's placement constraints or has no connected agent`, false);
  }

  // One task per host: should two ever share one, the best stays.
  const byHost = new Map<string, TaskRecord[]>();
  for (const t of live) {
    if (stopping.has(t.id) || !setIds.has(t.startedBy ?? '')) continue;
    byHost.set(t.containerInstanceId, [...(byHost.get(t.containerInstanceId) ?? []), t]);
  }
  for (const [host, here] of byHost) {
    for (const t of [...here].sort(keepOrder(health)).slice(1)) stopTask(t, `Daemon task stopped: container instance ${host} runs another task of the service`, false);
  }

  // Each set at its target: extras stop, missing ones go to free hosts, the newest set first.
  const occupied = new Set(input.tasks.map((t) => t.containerInstanceId));
  const free = eligible.filter((h) => !occupied.has(h));
  const newestFirst = [...sets].sort((a, b) => Number(b.status === 'PRIMARY') - Number(a.status === 'PRIMARY') || b.createdAt - a.createdAt);
  for (const set of newestFirst) {
    const mine = live.filter((t) => t.startedBy === set.id && !stopping.has(t.id));
    if (mine.length > set.targetCount) {
      for (const t of [...mine].sort(stopOrder).slice(0, mine.length - set.targetCount)) stopTask(t, 'Scaling activity initiated by the service scheduler', false);
    }
    const hosts = free.splice(0, Math.max(0, set.targetCount - mine.length));
    if (hosts.length > 0) place.push({ setId: set.id, count: hosts.length, hosts });
  }
  return { place, stop };
}
