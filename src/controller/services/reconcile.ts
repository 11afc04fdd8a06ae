/**
 * The service reconciler: a pure function from a service's desired state (its sets' target counts)
 * and observed state (its tasks, their health, the hosts' status) at `now` to a plan of tasks to
 * place and tasks to stop. The runner applies the plan; nothing here reads a clock or the store.
 */
import type { ServiceRecord, TaskSetRecord } from '../../model/service.js';
import type { TaskRecord } from '../../model/task.js';
import { maximumTotal, minimumHealthy } from './plan.js';

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
  /** Container instances that are DRAINING: their tasks move elsewhere. */
  readonly drainingHosts: ReadonlySet<string>;
}

export interface StopOrder {
  readonly taskId: string;
  readonly setId: string;
  readonly reason: string;
  /** True when the stop counts as a failure of its set (circuit breaker). */
  readonly failure: boolean;
}

/** The plan: buckets the runner applies. */
export interface ServicePlan {
  /** New tasks to place, per set. */
  readonly place: readonly { setId: string; count: number }[];
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
