/**
 * The engine's one choice, as a pure function: which plan moves a service to a set, given the
 * service, its live sets with their live task counts, the policy the caller hands over and the
 * deployment being rolled back (see the table in README.md). `startDeployment` reads, calls it and
 * writes; nothing else picks a plan.
 */
import type { DeploymentPolicy, DeploymentStep, ServiceRecord, TaskSetRecord } from '../../model/service.js';
import type { PlannedSet } from './plan.js';
import { daemonPlan, rollingPlan } from './plan.js';
import { policyPlan, rollingUpdateKind, rollingUpdatePlan } from './policies.js';

/** What `choosePlan` picked: the deployment's kind, the sets it moves from, and its steps. */
export interface PlanChoice {
  /** `ECS_ROLLING`, `ECS_DAEMON`, `ROLLBACK`, a policy's name or `RollingUpdate:<type>`. */
  readonly kind: string;
  readonly fromSets: readonly string[];
  readonly steps: readonly DeploymentStep[];
}

/**
 * A plan that starts while a traffic split is in effect (some set weighs other than 100: a
 * TrafficSplitting deployment that failed or was replaced) first evens the weights, so every task
 * takes its share again; a rollback sends the set it leaves no traffic at once.
 */
function evenWeights(steps: DeploymentStep[], toSetId: string, sets: readonly TaskSetRecord[], rollback: boolean): DeploymentStep[] {
  const [first, ...rest] = steps;
  if (!first || sets.every((s) => s.weight === 100)) return steps;
  const weights = Object.fromEntries(sets.map((s) => [s.id, s.id === toSetId || !rollback ? 100 : 0]));
  return [{ ...first, weights: { ...weights, ...first.weights } }, ...rest];
}

/**
 * The plan that moves `service` to the set `toSetId` from its other live `sets` (not INACTIVE),
 * whose live task counts are `counts`. A new revision replacing running tasks follows `policy`
 * (its rolling update when it has one, else its named plan); a DAEMON service always follows the
 * DAEMON plan; scaling, first revisions and rollbacks roll as ECS does, except that a rollback
 * follows the policy's rolling update when it has one (Elastic Beanstalk rolls back with another).
 * A rollback (`rollbackOf`, the deployment it undoes) plans the failed set at what it keeps (its
 * target, lowered to its healthy tasks when it failed), so no step waits on a task that cannot
 * become healthy. Throws PlanError when the bounds leave no plan.
 */
export function choosePlan(service: ServiceRecord, sets: readonly TaskSetRecord[], counts: ReadonlyMap<string, number>, toSetId: string, policy: DeploymentPolicy | undefined, rollbackOf: number | null): PlanChoice {
  const from: PlannedSet[] = sets.filter((s) => s.id !== toSetId).map((s) => ({ id: s.id, count: counts.get(s.id) ?? 0 }));
  const { minimumHealthyPercent, maximumPercent } = service.deploymentConfiguration;
  const to: PlannedSet = { id: toSetId, count: counts.get(toSetId) ?? 0 };
  const applies = policy && rollbackOf === null && to.count === 0 && from.some((s) => s.count > 0) ? policy : undefined;
  const rollingUpdate = applies ? applies.rollingUpdate : rollbackOf !== null ? policy?.rollingUpdate : undefined;
  const keptFrom = rollbackOf === null ? from : from.map((s) => ({ ...s, count: Math.min(s.count, sets.find((x) => x.id === s.id)?.targetCount ?? s.count) }));
  const planned =
    service.schedulingStrategy === 'DAEMON'
      ? daemonPlan(service.desiredCount, minimumHealthyPercent, from, to)
      : rollingUpdate
        ? rollingUpdatePlan({ ...rollingUpdate, desired: service.desiredCount, from: keptFrom, to })
        : applies
          ? policyPlan(applies.name, { ...applies, desired: service.desiredCount, from, to })
          : rollingPlan(service.desiredCount, minimumHealthyPercent, maximumPercent, keptFrom, to);
  const steps = applies?.name === 'TrafficSplitting' && !rollingUpdate ? planned : evenWeights(planned, toSetId, sets, rollbackOf !== null);
  const ecs = rollbackOf !== null ? 'ROLLBACK' : service.schedulingStrategy === 'DAEMON' ? 'ECS_DAEMON' : 'ECS_ROLLING';
  return { kind: applies ? (rollingUpdate ? rollingUpdateKind(rollingUpdate.type) : applies.name) : ecs, fromSets: from.map((s) => s.id), steps };
}
