/**
 * DeregisterContainerInstance: the host leaves its cluster (INACTIVE for good). With tasks not yet
 * stopped it is refused unless `force`; forced, its tasks are recorded STOPPED at once, as ECS stops
 * accounting for the tasks of a deregistered instance (orphans), so the services they belong to
 * start replacements on other hosts. The host's agent finds its tasks gone from its desired set and
 * stops them; its credential is refused from then on.
 */
import type { ArnScope } from '../../model/arn.js';
import type { ContainerInstanceView, DeregisterContainerInstanceRequest } from '../../model/api/container-instances.js';
import { containerInstanceTransition } from '../../model/container-instance.js';
import { wharfError } from '../../model/errors.js';
import type { Store } from '../../store/store.js';
import type { RequestMeta } from '../request.js';
import { containerInstanceIdFrom, describeContainerInstances } from './container-instances.js';
import type { DesiredStateBus } from './desired-state-bus.js';
import { stopWithoutAgent } from './task-state.js';
import { writeChange } from './tasks.js';

export async function deregisterContainerInstance(
  ctx: { readonly store: Store; readonly arnScope: ArnScope; readonly bus: DesiredStateBus },
  request: DeregisterContainerInstanceRequest,
  meta: RequestMeta,
): Promise<{ containerInstance: ContainerInstanceView }> {
  const id = containerInstanceIdFrom(request.containerInstance);
  await ctx.store.transaction(async (tx) => {
    const cluster = await tx.clusters.get(request.cluster);
    if (!cluster || cluster.status !== 'ACTIVE') throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: request.cluster });
    const instance = await tx.containerInstances.get(id);
    if (!instance || instance.cluster !== request.cluster || instance.status === 'INACTIVE') throw wharfError('WHARF_E_CONTAINER_INSTANCE_NOT_FOUND', { containerInstance: id, cluster: request.cluster });
    const tasks = await tx.tasks.onInstance(id);
    if (tasks.length > 0 && !request.force) {
      throw wharfError(
        'WHARF_E_VALIDATION',
        { summary: `Container instance ${id} has ${tasks.length} task(s) not stopped` },
        { errors: [{ field: 'force', message: 'Stop its tasks first (or drain it with UpdateContainerInstancesState), or set force to true: its tasks are then recorded STOPPED and services replace them elsewhere' }] },
      );
    }
    const reason = `Container instance ${id} was deregistered`;
    for (const task of tasks) {
      const change = stopWithoutAgent(task, 'TerminationNotice', reason, meta.now);
      if (change) await writeChange(tx, change, meta);
    }
    await tx.containerInstances.replace({ ...instance, status: containerInstanceTransition(instance.status, 'INACTIVE'), agentConnected: false, desiredVersion: instance.desiredVersion + 1, updatedAt: meta.now });
    const orphans = tasks.length > 0 ? ` ${tasks.length} task(s) recorded STOPPED (force).` : '';
    await tx.events.append({ resourceType: 'container-instance', resourceId: id, severity: 'INFO', message: `Container instance ${id} (${instance.hostId}) deregistered from cluster ${request.cluster}.${orphans}`, requestId: meta.requestId, time: meta.now });
  });
  ctx.bus.notify([id]);
  const described = await describeContainerInstances(ctx.store, ctx.arnScope, { cluster: request.cluster, containerInstances: [id] });
  const view = described.containerInstances[0];
  if (!view) throw new Error(`container instance ${id} vanished after its deregistration`);
  return { containerInstance: view };
}
