/**
 * Starting a deployment: read the service's live sets and their live tasks, let `choosePlan` pick
 * the plan, and write the deployment (superseding the one in progress) in the caller's
 * transaction. CreateService, UpdateService, the DAEMON recount, the circuit breaker's rollback and
 * an abort start theirs here; the runner's engine step (`step.ts`) carries them out.
 */
import type { DeploymentPolicy, DeploymentRecord, ServiceRecord, TaskSetRecord } from '../../model/service.js';
import { deploymentTransition, taskSetTransition } from '../../model/service.js';
import type { TaskDefinitionRecord } from '../../model/task-definition.js';
import type { Repositories } from '../../store/store.js';
import { choosePlan } from './choose-plan.js';
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
