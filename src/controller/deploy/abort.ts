/**
 * Aborting a rollout: the service stops moving to its new revision and returns to the task set it
 * was rolling out from (Elastic Beanstalk's AbortEnvironmentUpdate, through the platform).
 *
 *   rollout IN_PROGRESS ──abort──▶ rollout ROLLED_BACK; its set ACTIVE (rolloutState FAILED)
 *                                  previous set PRIMARY again (a new set of its revision when the
 *                                  rollout had already retired it)
 *                                  rollback deployment (kind ROLLBACK, `abortPlan`):
 *                                    1. previous set back to the desired count (all traffic to it
 *                                       when the rollout had split traffic), wait until healthy
 *                                    2. the aborted sets stop (their tasks drain first)
 *                                  (one step for both when maximumPercent is 100)
 *
 * Unlike the circuit breaker's rollback (ECS's rolling plan over both sets), the first step waits
 * only for the previous set: a rollout is usually aborted because its new tasks are not healthy,
 * and a plan that waited for them would never finish. The aborted tasks keep serving (when they
 * do) until the previous set is back at full strength, so capacity does not drop meanwhile.
 * Everything is written in one transaction; the runner carries the deployment out as any other.
 */
import { wharfError } from '../../model/errors.js';
import type { DeploymentConfiguration, DeploymentPolicy, DeploymentRecord, DeploymentStep, ServiceRecord, TaskSetRecord } from '../../model/service.js';
import { deploymentTransition, taskSetTransition } from '../../model/service.js';
import type { Store } from '../../store/store.js';
import type { RequestMeta } from '../request.js';
import { startDeployment } from './engine.js';
import type { PlannedSet } from './plan.js';
import { liveCounts, newSetId, serviceResourceId } from './records.js';

/** What an abort needs of its caller (the services layer's context): the store, and a way to wake the runner. */
export interface AbortContext {
  readonly store: Store;
  /** Called after the abort commits, so the runner acts at once. */
  readonly wake: () => void;
}

/** The service as it was before the rollout: what the abort puts back along with the task set. */
export interface ServiceSettings {
  readonly desiredCount: number;
  readonly deploymentConfiguration: DeploymentConfiguration;
  readonly deploymentPolicy: DeploymentPolicy | undefined;
}

export interface AbortRolloutRequest {
  readonly cluster: string;
  readonly serviceName: string;
  /** The revision (`family:revision`) the rollout moves to; it is undone only while its set is PRIMARY. */
  readonly revision: string;
  readonly restore: ServiceSettings;
}

export interface AbortRolloutResult {
  /** The deployment that returns the service to its previous set (the latest one when there was nothing to undo). */
  readonly deploymentId: number | null;
  /** The revision the service returns to (undefined when the rollout had not reached the service). */
  readonly revision?: string;
}

/**
 * The steps of an abort's rollback (pure): the previous set back to `desired` (with all the
 * traffic when the rollout had split it), then every aborted set to zero. The first step names
 * only the previous set, so it holds however unhealthy the aborted tasks are. With `atOnce` (the
 * service may not run more than its desired count: maximumPercent 100, as AllAtOnce and a single
 * instance on its fixed port) both happen in one step, as such a service's deployments do.
 */
export function abortPlan(input: { desired: number; back: PlannedSet; aborted: readonly PlannedSet[]; split: boolean; atOnce?: boolean }): DeploymentStep[] {
  const { desired, back, aborted } = input;
  const weights = input.split ? { weights: Object.fromEntries([[back.id, 100], ...aborted.map((s) => [s.id, 0] as const)]) } : {};
  const stopped = Object.fromEntries([[back.id, desired], ...aborted.map((s) => [s.id, 0] as const)]);
  if (input.atOnce) return [{ name: 'start set', targets: stopped, ...weights }];
  return [
    { name: 'scale set', targets: { [back.id]: desired }, ...weights },
    { name: 'stop set', targets: stopped },
  ];
}

/** `family:revision` of a set. */
function revisionOf(set: Pick<TaskSetRecord, 'family' | 'revision'>): string {
  return `${set.family}:${set.revision}`;
}

/**
 * Aborts the service's rollout to `revision`: puts back the service's settings, makes the set it
 * was rolling out from PRIMARY again and starts the rollback deployment (see the file comment).
 * Idempotent: once the rollout's set is no longer PRIMARY there is nothing to undo, and the
 * answer names the rollback already under way (a controller killed after the abort resumes).
 */
export async function abortRollout(ctx: AbortContext, request: AbortRolloutRequest, meta: RequestMeta): Promise<AbortRolloutResult> {
  const { cluster, serviceName, restore } = request;
  const now = meta.now;
  const result = await ctx.store.transaction(async (tx): Promise<AbortRolloutResult> => {
    const current = await tx.services.get(cluster, serviceName);
    if (!current || current.status !== 'ACTIVE') throw wharfError('WHARF_E_SERVICE_NOT_FOUND', { service: serviceName, cluster });
    const { deploymentPolicy: _policy, ...rest } = current;
    const service: ServiceRecord = {
      ...rest,
      ...(restore.deploymentPolicy ? { deploymentPolicy: restore.deploymentPolicy } : {}),
      desiredCount: restore.desiredCount,
      deploymentConfiguration: restore.deploymentConfiguration,
      updatedAt: now,
      version: current.version + 1,
    };
    if (!(await tx.services.replace(service))) throw new Error(`service ${serviceName} changed underneath abortRollout`);
    const event = (severity: 'INFO' | 'WARN', message: string) =>
      tx.events.append({ resourceType: 'service', resourceId: serviceResourceId(cluster, serviceName), severity, message, requestId: meta.requestId, time: now });

    const sets = await tx.taskSets.forService(cluster, serviceName);
    const primary = sets.find((s) => s.status === 'PRIMARY');
    if (!primary || revisionOf(primary) !== request.revision) {
      // The rollout never reached the service, or its rollback is under way already.
      if (primary && service.desiredCount !== current.desiredCount) {
        const deployment = await startDeployment(tx, service, primary, service.deploymentPolicy, now);
        return { deploymentId: deployment.id };
      }
      const [latest] = await tx.deployments.forService(cluster, serviceName, 1);
      return { deploymentId: latest?.id ?? null };
    }

    const deployments = await tx.deployments.forService(cluster, serviceName, 20);
    const rollout = deployments.find((d) => d.toSet === primary.id && d.rollbackOf === null);
    const candidates = sets.filter((s) => s.id !== primary.id && (rollout === undefined || rollout.fromSets.includes(s.id)));
    const previous = candidates.reduce<TaskSetRecord | undefined>((newest, s) => (newest === undefined || s.createdAt >= newest.createdAt ? s : newest), undefined);
    if (!previous) throw new Error(`service ${serviceName} has no task set to return to from ${request.revision}`);

    const reason = `Aborted: the service returns to ${revisionOf(previous)}.`;
    for (const d of deployments) {
      if (d.status === 'IN_PROGRESS') await tx.deployments.replace({ ...d, status: deploymentTransition(d.status, d.id === rollout?.id ? 'ROLLED_BACK' : 'SUPERSEDED'), reason, updatedAt: now });
    }
    await tx.taskSets.replace({ ...primary, status: taskSetTransition(primary.status, 'ACTIVE'), rolloutState: 'FAILED', rolloutStateReason: reason, updatedAt: now });
    const rollbackReason = `Rolling back deployment ${rollout?.id ?? '?'} (aborted).`;
    let back: TaskSetRecord;
    if (previous.status === 'INACTIVE') {
      // The rollout had finished and retired the previous set: its revision comes back as a new set.
      back = { ...previous, id: newSetId(), status: 'PRIMARY', targetCount: 0, weight: 100, rolloutState: 'IN_PROGRESS', rolloutStateReason: rollbackReason, failedTasks: 0, createdAt: now, updatedAt: now };
      await tx.taskSets.insert(back);
    } else {
      back = { ...previous, status: taskSetTransition(previous.status, 'PRIMARY'), rolloutState: 'IN_PROGRESS', rolloutStateReason: rollbackReason, updatedAt: now };
      await tx.taskSets.replace(back);
    }

    const counts = await liveCounts(tx, service);
    const live = (await tx.taskSets.forService(cluster, serviceName)).filter((s) => s.status !== 'INACTIVE');
    const aborted = live.filter((s) => s.id !== back.id).map((s) => ({ id: s.id, count: counts.get(s.id) ?? 0 }));
    const split = live.some((s) => s.weight !== 100);
    const deployment: DeploymentRecord = {
      cluster,
      serviceName,
      id: await tx.deployments.nextId(cluster, serviceName),
      kind: 'ROLLBACK',
      toSet: back.id,
      fromSets: aborted.map((s) => s.id),
      steps: abortPlan({ desired: service.desiredCount, back: { id: back.id, count: counts.get(back.id) ?? 0 }, aborted, split, atOnce: service.deploymentConfiguration.maximumPercent <= 100 }),
      cursor: 0,
      stepAppliedAt: null,
      stepHeldSince: null,
      status: 'IN_PROGRESS',
      reason: '',
      rollbackOf: rollout?.id ?? null,
      createdAt: now,
      updatedAt: now,
    };
    await tx.deployments.insert(deployment);
    await event('WARN', `service ${serviceName} deployment ${rollout?.id ?? '?'} to ${request.revision} aborted: deployment ${deployment.id} (ROLLBACK) returns it to ${revisionOf(back)}.`);
    return { deploymentId: deployment.id, revision: revisionOf(back) };
  });
  ctx.wake();
  return result;
}
