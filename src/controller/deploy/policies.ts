/**
 * Elastic Beanstalk's deployment policies as plans for the one deployment engine (the steps of
 * `plan.ts`): pure functions from "move `desired` tasks from these sets to that one" to steps.
 * An environment's instances are its service's tasks, so a batch of instances is a number of
 * tasks, and a temporary Auto Scaling group is the new task set.
 *
 * - AllAtOnce: every old task goes and every new one starts in one step (EB: downtime).
 * - Rolling: batch by batch, `batch` old tasks make way for `batch` new ones; capacity N − batch.
 * - RollingWithAdditionalBatch: `batch` new tasks start first; then each step stops a batch of old
 *   ones as another batch of new ones starts; the extra tasks go at the end; capacity never below N.
 * - Immutable: one new task, then the rest (N new beside N old), then the old set stops.
 * - TrafficSplitting: a full new set at weight 0, then `newVersionPercent` of the traffic for the
 *   evaluation time, judged against the old set (health, 5xx share, latency), then all of it, then
 *   the old set stops. The routing table turns set weights into per-target weights.
 *
 * A new revision rolls out with the plan of the policy its caller hands over (`choosePlan`);
 * scaling and rollbacks keep ECS's rolling plan.
 *
 * Configuration updates that replace instances (a new instance size) follow
 * `aws:autoscaling:updatepolicy:rollingupdate` instead (`rollingUpdatePlan`), rollbacks included:
 *
 * - Disabled (RollingUpdateEnabled false): AllAtOnce's plan.
 * - Health: batches of min(MaxBatchSize, N − MinInstancesInService) tasks (at least one): each step
 *   stops a batch of old tasks as a batch of new ones starts, so at least MinInstancesInService
 *   serve; when that leaves no room (MinInstancesInService ≥ N), a batch starts before its old tasks stop.
 * - Time: the same, each batch held PauseTime once healthy before the next (`holdMs`).
 * - Immutable: Immutable's plan.
 */
import type { CanaryMargins, DeploymentPolicyName, DeploymentStep, RollingUpdateType } from '../../model/service.js';
import type { PlannedSet } from './plan.js';
import { PlanError } from './plan.js';

export type { DeploymentPolicyName };

/**
 * Tasks per batch from `aws:elasticbeanstalk:command` BatchSizeType and BatchSize: a percentage of
 * the instances, rounded up, or a fixed count; at least one, at most all of them.
 */
export function batchTasks(desired: number, batchSizeType: 'Percentage' | 'Fixed', batchSize: number): number {
  const raw = batchSizeType === 'Percentage' ? Math.ceil((desired * batchSize) / 100) : batchSize;
  return Math.max(1, Math.min(Math.max(desired, 1), raw));
}

export interface PolicyPlanInput {
  readonly desired: number;
  /** Tasks per batch (batchTasks), for Rolling and RollingWithAdditionalBatch. */
  readonly batch: number;
  readonly from: readonly PlannedSet[];
  readonly to: PlannedSet;
  /** TrafficSplitting: the new set's share of requests during the evaluation (1-100). */
  readonly newVersionPercent?: number;
  /** TrafficSplitting: how long the split holds before all traffic moves, ms. */
  readonly evaluationMs?: number;
  /** TrafficSplitting: how much worse than the old set the new one may do during the evaluation. */
  readonly canary?: CanaryMargins;
}

/** The margins a TrafficSplitting evaluation judges by when none are given (Wharf's defaults). */
export const DEFAULT_CANARY: CanaryMargins = { errorRatePoints: 1, latencyPercent: 100, minRequests: 20 };

/** The old sets as a plan shrinks them: their counts, their total, and `keepOld(total)` (oldest first). */
function oldSets(from: readonly PlannedSet[]): { old: { id: string; count: number }[]; oldTotal: () => number; keepOld: (total: number) => void } {
  const old = from.map((s) => ({ id: s.id, count: s.count }));
  const oldTotal = (): number => old.reduce((n, s) => n + s.count, 0);
  const keepOld = (total: number): void => {
    let cut = oldTotal() - total;
    for (const s of old) {
      const n = Math.min(s.count, Math.max(0, cut));
      s.count -= n;
      cut -= n;
    }
  };
  return { old, oldTotal, keepOld };
}

/** The steps of `policy` (see the file comment). Throws PlanError on inputs no plan fits. */
export function policyPlan(policy: DeploymentPolicyName, input: PolicyPlanInput): DeploymentStep[] {
  const { desired, to } = input;
  if (!Number.isInteger(desired) || desired < 0) throw new PlanError(`desired must be a whole number of tasks, not ${desired}`);
  const batch = Math.max(1, Math.min(Math.max(desired, 1), input.batch));
  const { old, oldTotal, keepOld } = oldSets(input.from);
  let fresh = Math.min(to.count, desired);
  const targets = (): Record<string, number> => Object.fromEntries([[to.id, fresh], ...old.map((s) => [s.id, s.count] as const)]);
  const allWeight = (newShare: number): Record<string, number> => Object.fromEntries([[to.id, newShare], ...old.map((s) => [s.id, 100 - newShare] as const)]);
  const steps: DeploymentStep[] = [];
  const push = (name: string, extra: Partial<DeploymentStep> = {}): void => void steps.push({ name, targets: targets(), ...extra });

  switch (policy) {
    case 'AllAtOnce':
      keepOld(0);
      fresh = desired;
      push('start set');
      break;
    case 'Rolling': {
      // Old tasks beyond what the new set will replace go first (a scale-in since they started).
      while (fresh < desired || oldTotal() > 0) {
        const step = Math.min(batch, Math.max(desired - fresh, 0));
        keepOld(Math.max(0, Math.min(oldTotal(), desired - fresh - step)));
        fresh += step;
        push(steps.length === 0 ? 'start set' : oldTotal() === 0 ? 'stop set' : 'scale set');
        if (step === 0 && oldTotal() === 0) break;
      }
      break;
    }
    case 'RollingWithAdditionalBatch': {
      const extra = Math.min(batch, Math.max(desired - fresh, 0));
      if (extra > 0) {
        fresh += extra;
        push('start set');
      }
      // Each step a batch of old tasks stops while the next batch of new ones starts: the old ones
      // left plus the new ones already healthy are never fewer than desired. The last old ones
      // (the extra batch's worth) go in one step at the end.
      while (oldTotal() > 0 || fresh < desired) {
        const start = Math.min(batch, desired - fresh);
        keepOld(fresh < desired ? Math.min(oldTotal(), Math.max(oldTotal() - batch, desired - fresh)) : 0);
        fresh += start;
        push(oldTotal() === 0 ? 'stop set' : 'scale set');
      }
      break;
    }
    case 'Immutable':
      if (fresh < Math.min(1, desired)) {
        fresh = Math.min(1, desired);
        push('start set');
      }
      if (fresh < desired) {
        fresh = desired;
        push('scale set');
      }
      keepOld(0);
      push('stop set');
      break;
    case 'TrafficSplitting': {
      const percent = input.newVersionPercent ?? 10;
      if (!Number.isInteger(percent) || percent < 1 || percent > 100) throw new PlanError(`NewVersionPercent must be a whole number from 1 to 100, not ${percent}`);
      fresh = desired;
      push('start set', { weights: allWeight(0) });
      push('shift weight', { weights: allWeight(percent), holdMs: input.evaluationMs ?? 5 * 60_000, judge: input.canary ?? DEFAULT_CANARY });
      push('shift weight', { weights: allWeight(100) });
      keepOld(0);
      push('stop set');
      break;
    }
  }
  return steps;
}

export interface RollingUpdatePlanInput {
  readonly type: RollingUpdateType;
  readonly desired: number;
  /** MaxBatchSize: tasks replaced per batch at most (Time, Health). */
  readonly maxBatchSize: number;
  /** MinInstancesInService: tasks that stay in service while a batch is replaced (Time, Health). */
  readonly minInstancesInService: number;
  /** PauseTime (Time): how long each batch holds once healthy before the next, ms. */
  readonly pauseMs?: number;
  readonly from: readonly PlannedSet[];
  readonly to: PlannedSet;
}

/** What a deployment that follows `rollingUpdatePlan` is called, e.g. `RollingUpdate:Health`. */
export function rollingUpdateKind(type: RollingUpdateType): string {
  return `RollingUpdate:${type}`;
}

/** Tasks per batch of a Time or Health rolling update: min(MaxBatchSize, N − MinInstancesInService), at least one. */
export function rollingUpdateBatch(desired: number, maxBatchSize: number, minInstancesInService: number): number {
  return Math.max(1, Math.min(maxBatchSize, desired - minInstancesInService));
}

/**
 * The steps of a configuration update that replaces instances, by `aws:autoscaling:updatepolicy:rollingupdate`
 * (see the file comment). Throws PlanError on inputs no plan fits.
 */
export function rollingUpdatePlan(input: RollingUpdatePlanInput): DeploymentStep[] {
  const { type, desired, maxBatchSize, minInstancesInService, to } = input;
  if (type === 'Disabled') return policyPlan('AllAtOnce', { desired, batch: desired, from: input.from, to });
  if (type === 'Immutable') return policyPlan('Immutable', { desired, batch: desired, from: input.from, to });
  if (!Number.isInteger(desired) || desired < 0) throw new PlanError(`desired must be a whole number of tasks, not ${desired}`);
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw new PlanError(`MaxBatchSize must be a whole number of at least 1, not ${maxBatchSize}`);
  if (!Number.isInteger(minInstancesInService) || minInstancesInService < 0) throw new PlanError(`MinInstancesInService must be a whole number of at least 0, not ${minInstancesInService}`);
  const pauseMs = input.pauseMs ?? 0;
  if (!Number.isFinite(pauseMs) || pauseMs < 0) throw new PlanError(`PauseTime must be a duration of at least 0, not ${pauseMs} ms`);
  const batch = rollingUpdateBatch(desired, maxBatchSize, minInstancesInService);
  // More than N cannot serve: the guarantee is MinInstancesInService, or all N when it asks for more.
  const floor = Math.min(minInstancesInService, desired);
  const hold = type === 'Time' && pauseMs > 0 ? { holdMs: pauseMs } : {};
  const { old, oldTotal, keepOld } = oldSets(input.from);
  let fresh = Math.min(to.count, desired);
  const steps: DeploymentStep[] = [];
  const done = (): boolean => fresh >= desired && oldTotal() === 0;
  /** A step's targets; the last step of a batch holds (Time) when another batch follows. */
  const push = (last: boolean): void => {
    const name = steps.length === 0 && to.count === 0 ? 'start set' : oldTotal() === 0 ? 'stop set' : 'scale set';
    steps.push({ name, targets: Object.fromEntries([[to.id, fresh], ...old.map((s) => [s.id, s.count] as const)]), ...(last && !done() ? hold : {}) });
  };
  while (!done()) {
    const start = Math.min(batch, desired - fresh);
    // Old tasks left while this batch's new ones start; beyond what the new set will replace, they go now (a scale-in).
    const keep = Math.max(0, Math.min(oldTotal(), desired - fresh - start));
    if (start > 0 && keep + fresh < floor) {
      // Replacing in place would leave fewer than MinInstancesInService serving: the batch starts first, then its old tasks stop.
      fresh += start;
      const stopTo = Math.max(0, Math.min(oldTotal(), desired - fresh));
      if (stopTo < oldTotal()) {
        push(false);
        keepOld(stopTo);
      }
      push(true);
    } else {
      keepOld(keep);
      fresh += start;
      push(true);
    }
  }
  if (steps.length === 0) push(true);
  return steps;
}

/** The smallest number of tasks serving (counted before a step's new tasks are healthy) across the plan: the capacity guarantee. */
export function minimumServing(desiredFrom: number, steps: readonly DeploymentStep[], toSetId: string): number {
  let serving = desiredFrom;
  let previous: Readonly<Record<string, number>> | undefined;
  for (const step of steps) {
    const oldNow = Object.entries(step.targets).filter(([id]) => id !== toSetId).reduce((n, [, c]) => n + c, 0);
    const newBefore = previous ? (previous[toSetId] ?? 0) : 0;
    serving = Math.min(serving, oldNow + newBefore);
    previous = step.targets;
  }
  return serving;
}
