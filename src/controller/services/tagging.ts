/**
 * ECS tagging: TagResource, UntagResource and ListTagsForResource on the ARN of a cluster, service,
 * task, task definition or container instance. Tags live on each record (the cluster's row, the
 * service's and task's documents, the task definition's `tags`, the container instance's column);
 * the Describe operations return them. It sits in the services area because it touches every ECS
 * record, services included.
 */
import type { ArnScope } from '../../model/arn.js';
import type { Tag } from '../../model/cluster.js';
import { wharfError } from '../../model/errors.js';
import type { ListTagsForResourceRequest, TagResourceRequest, UntagResourceRequest } from '../../model/api/tagging.js';
import type { Repositories, Store } from '../../store/store.js';
import type { RequestMeta } from '../request.js';

/** ECS: at most 50 tags per resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

/** An ECS resource a tag call names. */
type Tagged =
  | { kind: 'cluster'; cluster: string }
  | { kind: 'service' | 'task' | 'container-instance'; cluster: string; id: string }
  | { kind: 'task-definition'; family: string; revision: number };

const KINDS = 'a cluster, service, task, task definition or container instance';

/** Reads the ARN's resource part; a kind ECS tags but Wharf does not have (capacity providers, task sets) is refused by name. */
function parseResourceArn(resourceArn: string): Tagged {
  const refuse = (message: string): never => {
    throw wharfError('WHARF_E_VALIDATION', { summary: `resourceArn ${resourceArn} is not the ARN of ${KINDS}` }, { errors: [{ field: 'resourceArn', message }] });
  };
  const [, resource = ''] = /^arn:[^:]+:ecs:[^:]*:[^:]*:(.+)$/.exec(resourceArn) ?? [];
  const slash = resource.indexOf('/');
  const kind = resource.slice(0, slash);
  const rest = resource.slice(slash + 1).split('/');
  switch (kind) {
    case 'cluster':
      return rest.length === 1 && rest[0] ? { kind, cluster: rest[0] } : refuse('A cluster ARN ends in cluster/<name>');
    case 'service':
      // ECS's older service ARNs have no cluster part: the default cluster's.
      if (rest.length === 1 && rest[0]) return { kind, cluster: 'default', id: rest[0] };
      return rest.length === 2 && rest[0] && rest[1] ? { kind, cluster: rest[0], id: rest[1] } : refuse('A service ARN ends in service/<cluster>/<name>');
    case 'task':
    case 'container-instance':
      return rest.length === 2 && rest[0] && rest[1] ? { kind, cluster: rest[0], id: rest[1] } : refuse(`A ${kind} ARN ends in ${kind}/<cluster>/<id>`);
    case 'task-definition': {
      const match = rest.length === 1 ? /^([A-Za-z0-9_-]{1,255}):(\d+)$/.exec(rest[0] ?? '') : null;
      return match ? { kind, family: match[1] as string, revision: Number(match[2]) } : refuse('A task definition ARN ends in task-definition/<family>:<revision>');
    }
    default:
      return refuse(`Wharf tags ${KINDS}${kind === 'capacity-provider' || kind === 'task-set' ? `; it has no ${kind}s yet` : ''}`);
  }
}

/** The resource's tags now, or the not-found error of its kind. */
async function currentTags(tx: Repositories, target: Tagged, resourceArn: string): Promise<readonly Tag[]> {
  const missing = (kind: string, fix: string): never => {
    throw wharfError('WHARF_E_RESOURCE_NOT_FOUND', { kind, arn: resourceArn, fix });
  };
  switch (target.kind) {
    case 'cluster': {
      const cluster = await tx.clusters.get(target.cluster);
      if (!cluster || cluster.status !== 'ACTIVE') throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: target.cluster });
      return cluster.tags;
    }
    case 'service': {
      const service = await tx.services.get(target.cluster, target.id);
      return service && service.status !== 'INACTIVE' ? service.tags : missing('service', 'List the services with ListServices.');
    }
    case 'task': {
      const task = await tx.tasks.get(target.id);
      return task && task.cluster === target.cluster ? task.tags : missing('task', 'List the tasks with ListTasks.');
    }
    case 'container-instance': {
      const instance = await tx.containerInstances.get(target.id);
      return instance && instance.cluster === target.cluster && instance.status !== 'INACTIVE' ? instance.tags : missing('container instance', 'List them with ListContainerInstances.');
    }
    case 'task-definition': {
      const record = await tx.taskDefinitions.get(target.family, target.revision);
      return record ? (record.definition.tags ?? []) : missing('task definition', 'List them with ListTaskDefinitions.');
    }
  }
}

/** Writes the resource's new tags (it was read in the same transaction). */
async function writeTags(tx: Repositories, target: Tagged, tags: readonly Tag[], now: number): Promise<void> {
  switch (target.kind) {
    case 'cluster':
      await tx.clusters.update(target.cluster, { tags }, now);
      return;
    case 'service': {
      const service = await tx.services.get(target.cluster, target.id);
      if (!service || !(await tx.services.replace({ ...service, tags, updatedAt: now, version: service.version + 1 }))) throw new Error(`service ${target.id} changed underneath its transaction`);
      return;
    }
    case 'task': {
      const task = await tx.tasks.get(target.id);
      if (!task || !(await tx.tasks.replace({ ...task, tags: [...tags], version: task.version + 1 }))) throw new Error(`task ${target.id} changed underneath its transaction`);
      return;
    }
    case 'container-instance': {
      const instance = await tx.containerInstances.get(target.id);
      if (instance) await tx.containerInstances.replace({ ...instance, tags, updatedAt: now });
      return;
    }
    case 'task-definition':
      await tx.taskDefinitions.setTags(target.family, target.revision, tags);
      return;
  }
}

function resourceOf(target: Tagged): { resourceType: string; resourceId: string } {
  if (target.kind === 'task-definition') return { resourceType: 'task-definition', resourceId: `${target.family}:${target.revision}` };
  if (target.kind === 'cluster') return { resourceType: 'cluster', resourceId: target.cluster };
  return { resourceType: target.kind, resourceId: target.kind === 'service' ? `${target.cluster}/${target.id}` : target.id };
}

async function changeTags(store: Store, resourceArn: string, change: (tags: readonly Tag[]) => Tag[], what: string, meta: RequestMeta): Promise<void> {
  const target = parseResourceArn(resourceArn);
  await store.transaction(async (tx) => {
    const before = await currentTags(tx, target, resourceArn);
    const after = change(before);
    if (after.length > MAX_TAGS_PER_RESOURCE) {
      throw wharfError('WHARF_E_VALIDATION', { summary: `${resourceArn} would have ${after.length} tags; a resource has at most ${MAX_TAGS_PER_RESOURCE}` }, { errors: [{ field: 'tags', message: 'Remove some tags first (UntagResource), or add fewer' }] });
    }
    await writeTags(tx, target, after, meta.now);
    await tx.events.append({ ...resourceOf(target), severity: 'INFO', message: `${what}.`, requestId: meta.requestId, time: meta.now });
  });
}

/** TagResource: adds the tags, replacing the values of keys the resource has already. */
export async function tagResource(store: Store, request: TagResourceRequest, meta: RequestMeta): Promise<Record<string, never>> {
  const given = new Map(request.tags.map((t) => [t.key, t.value]));
  await changeTags(store, request.resourceArn, (tags) => [...tags.filter((t) => !given.has(t.key)), ...request.tags.map((t) => ({ key: t.key, value: t.value }))], `Tagged ${request.tags.map((t) => t.key).join(', ')}`, meta);
  return {};
}

/** UntagResource: removes the tags of these keys (keys the resource does not have are ignored, as ECS does). */
export async function untagResource(store: Store, request: UntagResourceRequest, meta: RequestMeta): Promise<Record<string, never>> {
  const keys = new Set(request.tagKeys);
  await changeTags(store, request.resourceArn, (tags) => tags.filter((t) => !keys.has(t.key)), `Untagged ${request.tagKeys.join(', ')}`, meta);
  return {};
}

/** ListTagsForResource: the resource's tags. */
export async function listTagsForResource(store: Store, _scope: ArnScope, request: ListTagsForResourceRequest): Promise<{ tags: Tag[] }> {
  const tags = await store.transaction((tx) => currentTags(tx, parseResourceArn(request.resourceArn), request.resourceArn));
  return { tags: tags.map((t) => ({ key: t.key, value: t.value })) };
}
