/**
 * The engine's writes, in the caller's transaction. Starting a deployment: read the service's live
 * sets and their live tasks, let `choosePlan` pick the plan, and write the deployment (superseding
 * the one in progress); CreateService, UpdateService, the DAEMON recount, the circuit breaker's
 * rollback and an abort start theirs here. Its step, on every runner pass: `advanceDeployment`
 * (pure) decides one move (apply a step's targets and weights, notice they hold, go on, finish, or
 * fail on the circuit breaker or a judged step), and `stepDeployment` writes the deployment, its
 * sets and the events, and on a failure that asks for it starts the rollback.
 */
import type { DeploymentPolicy, DeploymentRecord, ServiceRecord, TaskSetRecord } from '../../model/service.js';
import { deploymentTransition, taskSetTransition } from '../../model/service.js';
import type { TaskDefinitionRecord } from '../../model/task-definition.js';
import type { Repositories } from '../../store/store.js';
import { choosePlan } from './choose-plan.js';
import type { SetProgress } from './deployment.js';
import { advanceDeployment } from './deployment.js';
import { liveCounts, newSetId, serviceResourceId } from './records.js';

/** Ends the service's deployments in progress as SUPERSEDED (a newer one took over, or the service was deleted). */
export async function supersedeDeployments(tx: Repositories, service: Pick<ServiceRecord, 'cluster' | 'serviceName'>, reason: string, now: number): Promise<void> {
  for (const d of await tx.deployments.forService(service.cluster, service.serviceName, 5)) {
    if (d.status === 'IN_PROGRESS') await tx.deployments.replace({ ...d, status: deploymentTransition(d.status, 'SUPERSEDED'), reason, updatedAt: now });
  }
}

/**
 * Starts a deployment of `service` to `toSet` from the service's other live sets with the plan
 * `choosePlan` picks for `policy` (the caller's: given to CreateService or UpdateService, or the
 * one the service keeps), superseding any deployment in progress. `rollbackOf` names the
 * deployment a rollback undoes.
 */
export async function startDeployment(tx: Repositories, service: ServiceRecord, toSet: TaskSetRecord, policy: DeploymentPolicy | undefined, now: number, rollbackOf: number | null = null): Promise<DeploymentRecord> {
  const sets = (await tx.taskSets.forService(service.cluster, service.serviceName)).filter((s) => s.status !== 'INACTIVE');
  const counts = await liveCounts(tx, service);
  const plan = choosePlan(service, sets, counts, toSet.id, policy, rollbackOf);
  await supersedeDeployments(tx, service, 'A newer deployment of the service took over.', now);
  const deployment: DeploymentRecord = {
    cluster: service.cluster,
    serviceName: service.serviceName,
    id: await tx.deployments.nextId(service.cluster, service.serviceName),
    kind: plan.kind,
    toSet: toSet.id,
    fromSets: plan.fromSets,
    steps: plan.steps,
    cursor: 0,
    stepAppliedAt: null,
    stepHeldSince: null,
    status: 'IN_PROGRESS',
    reason: '',
    rollbackOf,
    createdAt: now,
    updatedAt: now,
  };
  await tx.deployments.insert(deployment);
  await tx.events.append({
    resourceType: 'service',
    resourceId: serviceResourceId(service.cluster, service.serviceName),
    severity: 'INFO',
    message: `service ${service.serviceName} deployment ${deployment.id} (${deployment.kind}) to ${toSet.family}:${toSet.revision} started: ${plan.steps.length} step(s).`,
    requestId: null,
    time: now,
  });
  return deployment;
}

/**
 * Makes `record` the service's PRIMARY set (a new set, the old PRIMARY becomes ACTIVE) and starts
 * a deployment to it with `policy`. CreateService and UpdateService's new revisions.
 */
export async function deployRevision(tx: Repositories, service: ServiceRecord, record: TaskDefinitionRecord, policy: DeploymentPolicy | undefined, now: number): Promise<{ set: TaskSetRecord; deployment: DeploymentRecord }> {
  for (const s of await tx.taskSets.forService(service.cluster, service.serviceName)) {
    if (s.status === 'PRIMARY') await tx.taskSets.replace({ ...s, status: taskSetTransition(s.status, 'ACTIVE'), updatedAt: now });
  }
  const set: TaskSetRecord = {
    id: newSetId(),
    cluster: service.cluster,
    serviceName: service.serviceName,
    family: record.family,
    revision: record.revision,
    status: 'PRIMARY',
    targetCount: 0,
    weight: 100,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: 'ECS deployment in progress.',
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
  };
  await tx.taskSets.insert(set);
  const deployment = await startDeployment(tx, service, set, policy, now);
  return { set, deployment };
}

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
