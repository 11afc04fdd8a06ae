/**
 * The deployment engine's decision, as a pure function: given a deployment, its service's sets and
 * how many healthy tasks each set has, at `now`, what to write next. One call moves at most one
 * step: apply the step's targets and weights, or notice they hold (and the hold time passed) and
 * go to the next step, or finish, or fail on the circuit breaker. `stepDeployment` (engine.ts) persists
 * the result before anything acts on it, so a controller killed at any point resumes from the store.
 */
import type { DeploymentRecord, DeploymentStatus, DeploymentStep, ServiceRecord, TaskSetRecord } from '../../model/service.js';
import { circuitBreakerThreshold, deploymentTransition, taskSetTransition } from '../../model/service.js';

/** A set's observed tasks, as the engine needs them. */
export interface SetProgress {
  /** Tasks of the set that are not asked to stop. */
  readonly live: number;
  /** Of those, the healthy ones. */
  readonly healthy: number;
  /** Tasks of the set that failed to start or were stopped for failing health. */
  readonly failed: number;
  /** What its tasks answered through the routers over the recent window (for a judged step). */
  readonly traffic?: SetTraffic;
}

/** Requests a set's tasks answered over a window, those answered 5xx, and their summed duration. */
export interface SetTraffic {
  readonly requests: number;
  readonly errors5xx: number;
  readonly secondsSum: number;
}

/**
 * Why a judged step's new set does worse than the old sets (undefined: it does not): a task that
 * turned unhealthy after the step held, or a 5xx share or mean latency beyond the margins over the
 * same window. Too few requests to the new set judge nothing.
 */
export function canaryVerdict(step: DeploymentStep, toSet: string, progress: ReadonlyMap<string, SetProgress>, heldBefore: boolean): string | undefined {
  const margins = step.judge;
  const fresh = progress.get(toSet);
  if (!margins || !fresh) return undefined;
  if (heldBefore && fresh.healthy < (step.targets[toSet] ?? 0)) {
    return `${(step.targets[toSet] ?? 0) - fresh.healthy} task(s) of the new version turned unhealthy during the evaluation.`;
  }
  const mine = fresh.traffic;
  const others = [...progress].filter(([id]) => id !== toSet).map(([, p]) => p.traffic);
  const theirs = others.reduce<SetTraffic>((sum, t) => ({ requests: sum.requests + (t?.requests ?? 0), errors5xx: sum.errors5xx + (t?.errors5xx ?? 0), secondsSum: sum.secondsSum + (t?.secondsSum ?? 0) }), { requests: 0, errors5xx: 0, secondsSum: 0 });
  if (!mine || mine.requests < margins.minRequests) return undefined;
  const rate = (t: SetTraffic): number => (t.requests > 0 ? t.errors5xx / t.requests : 0);
  const percent = (x: number): string => `${(x * 100).toFixed(1)} %`;
  if ((rate(mine) - rate(theirs)) * 100 > margins.errorRatePoints) {
    return `the new version answered ${percent(rate(mine))} of ${mine.requests} requests with 5xx, the old ${percent(rate(theirs))} of ${theirs.requests} (margin ${margins.errorRatePoints} points).`;
  }
  if (theirs.requests > 0 && mine.errors5xx < mine.requests) {
    const mean = (t: SetTraffic): number => t.secondsSum / t.requests;
    if (mean(mine) > mean(theirs) * (1 + margins.latencyPercent / 100) && mean(mine) - mean(theirs) > LATENCY_FLOOR_SECONDS) {
      return `the new version's mean latency ${(mean(mine) * 1000).toFixed(1)} ms is above the old's ${(mean(theirs) * 1000).toFixed(1)} ms by more than ${margins.latencyPercent} %.`;
    }
  }
  return undefined;
}

/** Latency differences below this are noise on a loopback hop, whatever their ratio. */
export const LATENCY_FLOOR_SECONDS = 0.005;

/** What to write: the next deployment record, the sets that change, and events to record. */
export interface DeploymentDecision {
  readonly deployment: DeploymentRecord;
  readonly sets: readonly TaskSetRecord[];
  readonly events: readonly { severity: 'INFO' | 'WARN' | 'ERROR'; message: string }[];
  /** Set when the deployment failed and asked for a rollback to this set. */
  readonly rollbackTo?: string;
}

function moveTo(d: DeploymentRecord, status: DeploymentStatus, reason: string, now: number): DeploymentRecord {
  return { ...d, status: deploymentTransition(d.status, status), reason, updatedAt: now };
}

/**
 * Decides the next move of an IN_PROGRESS deployment; returns undefined when there is nothing to
 * do yet (a step still converging).
 */
export function advanceDeployment(
  deployment: DeploymentRecord,
  service: ServiceRecord,
  sets: readonly TaskSetRecord[],
  progress: ReadonlyMap<string, SetProgress>,
  now: number,
): DeploymentDecision | undefined {
  if (deployment.status !== 'IN_PROGRESS') return undefined;
  const byId = new Map(sets.map((s) => [s.id, s]));
  const toSet = byId.get(deployment.toSet);
  const label = `service ${service.serviceName} deployment ${deployment.id}`;

  const fail = (reason: string, rollback: boolean): DeploymentDecision | undefined => {
    if (!toSet) return undefined;
    // A FAILED deployment launches no new tasks: its set keeps only what is healthy.
    const failedSet: TaskSetRecord = { ...toSet, rolloutState: 'FAILED', rolloutStateReason: reason, targetCount: progress.get(toSet.id)?.healthy ?? 0, updatedAt: now };
    // A rollback that fails is not rolled back in turn (that would return to the set it left).
    const rollbackTo = rollback && deployment.rollbackOf === null ? [...deployment.fromSets].reverse().find((id) => byId.has(id)) : undefined;
    return {
      deployment: moveTo(deployment, 'FAILED', reason, now),
      sets: [failedSet],
      events: [{ severity: 'ERROR', message: `${label} failed: ${reason}${rollbackTo ? ' Rolling back.' : ''}` }],
      ...(rollbackTo ? { rollbackTo } : {}),
    };
  };

  // Circuit breaker: the new set keeps failing.
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  const failed = progress.get(deployment.toSet)?.failed ?? 0;
  const threshold = circuitBreakerThreshold(service.desiredCount);
  if (breaker.enable && toSet && failed >= threshold) {
    return fail(`The circuit breaker tripped: ${failed} task(s) of ${toSet.family}:${toSet.revision} failed to start or failed health checks (threshold ${threshold}).`, breaker.rollback);
  }

  // A judged step (TrafficSplitting's evaluation): the new set doing worse always sends traffic back.
  const current = deployment.steps[deployment.cursor];
  if (current?.judge && deployment.stepAppliedAt !== null && toSet) {
    const verdict = canaryVerdict(current, deployment.toSet, progress, deployment.stepHeldSince !== null);
    if (verdict) return fail(`The evaluation of ${toSet.family}:${toSet.revision} failed: ${verdict}`, true);
  }

  if (deployment.cursor >= deployment.steps.length) {
    const done = sets.map((s): TaskSetRecord => {
      if (s.id === deployment.toSet) return { ...s, rolloutState: 'COMPLETED', rolloutStateReason: 'ECS deployment completed.', updatedAt: now };
      if (deployment.fromSets.includes(s.id)) return { ...s, status: taskSetTransition(s.status, 'INACTIVE'), updatedAt: now };
      return s;
    });
    return {
      deployment: moveTo(deployment, 'COMPLETED', 'All steps done and every set healthy at its target.', now),
      sets: done.filter((s, i) => s !== sets[i]),
      events: [{ severity: 'INFO', message: `service ${service.serviceName} has reached a steady state.` }],
    };
  }

  const step = deployment.steps[deployment.cursor]!;
  if (deployment.stepAppliedAt === null) {
    const changed = sets
      .map((s): TaskSetRecord => {
        const targetCount = step.targets[s.id] ?? s.targetCount;
        const weight = step.weights?.[s.id] ?? s.weight;
        return targetCount === s.targetCount && weight === s.weight ? s : { ...s, targetCount, weight, updatedAt: now };
      })
      .filter((s, i) => s !== sets[i]);
    const describe = Object.entries(step.targets)
      .map(([id, n]) => `${id}=${n}`)
      .join(', ');
    return {
      deployment: { ...deployment, stepAppliedAt: now, stepHeldSince: null, updatedAt: now },
      sets: changed,
      events: [{ severity: 'INFO', message: `${label} step ${deployment.cursor + 1}/${deployment.steps.length} (${step.name}): ${describe}.` }],
    };
  }

  // The step holds when every set it names has exactly its target of live tasks, all healthy.
  // A FAILED set (a rollback leaving it) only has to shrink: its tasks may never become healthy.
  const holds = Object.entries(step.targets).every(([id, target]) => {
    const p = progress.get(id) ?? { live: 0, healthy: 0, failed: 0 };
    return byId.get(id)?.rolloutState === 'FAILED' ? p.live <= target : p.live === target && p.healthy === target;
  });
  if (!holds) return deployment.stepHeldSince === null ? undefined : { deployment: { ...deployment, stepHeldSince: null, updatedAt: now }, sets: [], events: [] };
  const heldSince = deployment.stepHeldSince ?? now;
  if (step.holdMs !== undefined && now - heldSince < step.holdMs) {
    return deployment.stepHeldSince === null ? { deployment: { ...deployment, stepHeldSince: heldSince, updatedAt: now }, sets: [], events: [] } : undefined;
  }
  return {
    deployment: { ...deployment, cursor: deployment.cursor + 1, stepAppliedAt: null, stepHeldSince: null, updatedAt: now },
    sets: [],
    events: [],
  };
}
