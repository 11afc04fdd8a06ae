/**
 * The runner's engine step: one move of a service's deployment in progress, persisted in the
 * runner's transaction. `advanceDeployment` (pure) decides: apply a step's targets and weights,
 * notice they hold, go on, finish, or fail (circuit breaker, judged step); this writes the
 * deployment and its sets, the events, and on a failure that asks for it starts the rollback.
 */
import type { DeploymentRecord, ServiceRecord, TaskSetRecord } from '../../model/service.js';
import { taskSetTransition } from '../../model/service.js';
import type { Repositories } from '../../store/store.js';
import type { SetProgress } from './deployment.js';
import { advanceDeployment } from './deployment.js';
import { startDeployment } from './start.js';

/** Writes one of the service's events (the runner's, which suppresses a repeated one). */
export type ServiceEventWriter = (severity: 'INFO' | 'WARN' | 'ERROR', message: string) => Promise<void>;

/**
 * Moves `deployment` (IN_PROGRESS, of the ACTIVE `service`) one step given its live `sets` and
 * their observed `progress` at `now`; returns whether anything was written (the sets may have
 * changed: read them again).
 */
export async function stepDeployment(
  tx: Repositories,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  sets: readonly TaskSetRecord[],
  progress: ReadonlyMap<string, SetProgress>,
  now: number,
  event: ServiceEventWriter,
): Promise<boolean> {
  const decision = advanceDeployment(deployment, service, sets, progress, now);
  if (!decision) return false;
  await tx.deployments.replace(decision.deployment);
  for (const s of decision.sets) await tx.taskSets.replace(s);
  for (const e of decision.events) await event(e.severity, e.message);
  if (decision.rollbackTo) await rollBack(tx, service, decision.deployment.toSet, decision.rollbackTo, decision.deployment.id, now);
  return true;
}

/**
 * The circuit breaker (or a judged step) asked for a rollback: the last good set becomes PRIMARY
 * again and a ROLLBACK deployment to it starts, with the policy the service keeps (a rolling
 * update rolls back with another).
 */
async function rollBack(tx: Repositories, service: ServiceRecord, failedSetId: string, goodSetId: string, failedDeployment: number, now: number): Promise<void> {
  const sets = await tx.taskSets.forService(service.cluster, service.serviceName);
  let good: TaskSetRecord | undefined;
  for (const s of sets) {
    if (s.id === failedSetId && s.status === 'PRIMARY') await tx.taskSets.replace({ ...s, status: taskSetTransition(s.status, 'ACTIVE'), updatedAt: now });
    if (s.id === goodSetId) {
      good = { ...s, status: taskSetTransition(s.status, 'PRIMARY'), rolloutState: 'IN_PROGRESS', rolloutStateReason: `Rolling back deployment ${failedDeployment}.`, updatedAt: now };
      await tx.taskSets.replace(good);
    }
  }
  if (!good) return;
  await startDeployment(tx, service, good, service.deploymentPolicy, now, failedDeployment);
}
