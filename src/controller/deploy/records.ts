/**
 * What the engine reads and names besides its records: a new set's id, a service's tasks and the
 * live count of each of its sets, and the events stream a service's deployments write to.
 */
import { randomInt } from 'node:crypto';
import type { ServiceRecord } from '../../model/service.js';
import type { TaskRecord } from '../../model/task.js';
import type { Repositories } from '../../store/store.js';

/** A set id as ECS writes deployment ids: `ecs-svc/` and 19 digits. */
export function newSetId(): string {
  return `ecs-svc/${randomInt(1, 10) + String(randomInt(0, 1e9)).padStart(9, '0') + String(randomInt(0, 1e9)).padStart(9, '0')}`;
}

/** The events stream's id of a service. */
export function serviceResourceId(cluster: string, serviceName: string): string {
  return `${cluster}/${serviceName}`;
}

/** Every task of a service (all statuses): the store's `tasks.ofService` query, which load balancing and auto scaling call directly too. */
export function serviceTasks(repos: Pick<Repositories, 'tasks'>, cluster: string, serviceName: string): Promise<TaskRecord[]> {
  return repos.tasks.ofService(cluster, serviceName);
}

/** Live task counts per set id of a service (tasks asked to run, by their set). */
export async function liveCounts(repos: Pick<Repositories, 'tasks'>, service: Pick<ServiceRecord, 'cluster' | 'serviceName'>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const t of await serviceTasks(repos, service.cluster, service.serviceName)) {
    if (t.desiredStatus === 'RUNNING' && t.startedBy) counts.set(t.startedBy, (counts.get(t.startedBy) ?? 0) + 1);
  }
  return counts;
}
