/**
 * Deployment plans: pure functions that turn "move this service from these sets to that one" into
 * the list of steps the deployment engine runs. ECS's rolling update is one such plan; the Elastic
 * Beanstalk deployment policies are others over the same steps.
 */
import type { DeploymentStep } from '../../model/service.js';

/** A set as the planner sees it: its id and how many tasks it has (or is to have) now. */
export interface PlannedSet {
  readonly id: string;
  readonly count: number;
}

/** Why a plan cannot be built (the bounds leave no room to start or stop a task). */
export class PlanError extends Error {
  override readonly name = 'PlanError';
}

/** ceil(desired × minimumHealthyPercent / 100): tasks that must stay healthy (ECS). */
export function minimumHealthy(desired: number, minimumHealthyPercent: number): number {
  return Math.ceil((desired * minimumHealthyPercent) / 100);
}

/** floor(desired × maximumPercent / 100): tasks that may run or start at once (ECS). */
export function maximumTotal(desired: number, maximumPercent: number): number {
  return Math.floor((desired * maximumPercent) / 100);
}

/**
 * ECS's rolling update as steps: start as many new tasks as `maximumPercent` allows, wait until they
 * are healthy, stop as many old ones as `minimumHealthyPercent` allows, and repeat until the new set
 * has `desired` tasks and the old sets none. Old sets shrink oldest first. Throws PlanError when the
 * bounds allow neither (ECS: "unable to stop or start tasks during a deployment").
 */
export function rollingPlan(desired: number, minimumHealthyPercent: number, maximumPercent: number, from: readonly PlannedSet[], to: PlannedSet): DeploymentStep[] {
  const minHealthy = minimumHealthy(desired, minimumHealthyPercent);
  const maxTotal = Math.max(maximumTotal(desired, maximumPercent), desired === 0 ? 0 : 1);
  const old = from.map((s) => ({ id: s.id, count: s.count }));
  const oldTotal = (): number => old.reduce((n, s) => n + s.count, 0);
  let fresh = Math.min(to.count, desired);
  const steps: DeploymentStep[] = [];
  const targets = (): Record<string, number> => Object.fromEntries([[to.id, fresh], ...old.map((s) => [s.id, s.count] as const)]);
  // Too many new tasks already (a scale-in during a deployment): shrink the new set first.
  if (to.count > desired) steps.push({ name: 'scale set', targets: targets() });

  for (let guard = 0; fresh < desired || oldTotal() > 0; guard++) {
    if (guard > 2 * (desired + oldTotal()) + 4) throw new PlanError('the rolling plan does not converge');
    const canStart = Math.min(desired, maxTotal - oldTotal());
    if (canStart > fresh) {
      fresh = canStart;
      steps.push({ name: steps.length === 0 && to.count === 0 ? 'start set' : 'scale set', targets: targets() });
      continue;
    }
    const keepOld = Math.max(0, Math.min(oldTotal(), minHealthy - fresh));
    if (keepOld < oldTotal()) {
      let stop = oldTotal() - keepOld;
      for (const s of old) {
        const cut = Math.min(s.count, stop);
        s.count -= cut;
        stop -= cut;
      }
      steps.push({ name: oldTotal() === 0 ? 'stop set' : 'scale set', targets: targets() });
      continue;
    }
    throw new PlanError(
      `with minimumHealthyPercent ${minimumHealthyPercent} and maximumPercent ${maximumPercent}, a service of ${desired} task(s) can neither start a new task (at most ${maxTotal} at once) nor stop an old one (at least ${minHealthy} must stay healthy)`,
    );
  }
  if (steps.length === 0) steps.push({ name: 'scale set', targets: targets() });
  return steps;
}

/**
 * A DAEMON service's rollout as steps whose targets are host counts. A host runs one task of the
 * service and maximumPercent is 100, so a host's old task stops before its new one starts there:
 * each batch stops `hosts - minimumHealthy` old tasks (at least one, so that a few hosts always
 * make progress however the percentage rounds), waits, then starts as many new ones on the freed
 * hosts, and so on. Hosts without a task (one that just joined) get a new one first. Counts above
 * the host count (hosts that left) shrink first, old sets oldest first. Throws PlanError when
 * minimumHealthyPercent is 100 and old tasks are to be replaced: none may stop, so none can start.
 */
export function daemonPlan(hosts: number, minimumHealthyPercent: number, from: readonly PlannedSet[], to: PlannedSet): DeploymentStep[] {
  const old = from.map((s) => ({ id: s.id, count: s.count }));
  const oldTotal = (): number => old.reduce((n, s) => n + s.count, 0);
  const shrinkOld = (by: number): void => {
    for (const s of old) {
      const cut = Math.min(s.count, by);
      s.count -= cut;
      by -= cut;
    }
  };
  let fresh = Math.min(to.count, hosts);
  const steps: DeploymentStep[] = [];
  const targets = (): Record<string, number> => Object.fromEntries([[to.id, fresh], ...old.map((s) => [s.id, s.count] as const)]);
  if (to.count > hosts || fresh + oldTotal() > hosts) {
    shrinkOld(fresh + oldTotal() - hosts);
    steps.push({ name: 'scale set', targets: targets() });
  }
  if (minimumHealthyPercent >= 100 && oldTotal() > 0) {
    throw new PlanError(`with minimumHealthyPercent ${minimumHealthyPercent}, a DAEMON service may stop none of its tasks, and a host runs only one: no new task can start`);
  }
  const batch = Math.max(1, hosts - minimumHealthy(hosts, minimumHealthyPercent));
  while (fresh < hosts || oldTotal() > 0) {
    const free = hosts - fresh - oldTotal();
    if (free > 0) {
      const first = fresh === 0;
      fresh += free;
      steps.push({ name: first ? 'start set' : 'scale set', targets: targets() });
      continue;
    }
    shrinkOld(Math.min(batch, oldTotal()));
    steps.push({ name: oldTotal() === 0 ? 'stop set' : 'scale set', targets: targets() });
  }
  if (steps.length === 0) steps.push({ name: 'scale set', targets: targets() });
  return steps;
}
