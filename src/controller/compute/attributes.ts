/**
 * ECS attributes on container instances: PutAttributes, DeleteAttributes, ListAttributes. Custom
 * attributes are kept apart from the agent's (`customAttributes`), so an agent that registers again
 * keeps them; placement reads both, so a `memberOf` constraint such as `attribute:stack == prod`
 * places on the hosts given that attribute. The agent's own (`ecs.*`, `wharf.*`) are listed but
 * cannot be put or deleted.
 */
import type { ArnScope } from '../../model/arn.js';
import type { AttributesRequest, AttributeView, ListAttributesRequest } from '../../model/api/container-instances.js';
import type { ContainerInstance } from '../../model/container-instance.js';
import { effectiveAttributes, isReservedAttribute, MAX_CUSTOM_ATTRIBUTES, RESERVED_ATTRIBUTE_PREFIXES } from '../../model/container-instance.js';
import { wharfError } from '../../model/errors.js';
import type { Repositories, Store } from '../../store/store.js';
import { decodePageToken, encodePageToken } from '../paging.js';
import type { RequestMeta } from '../request.js';
import { containerInstanceArn, containerInstanceIdFrom } from './container-instances.js';

type Attribute = AttributesRequest['attributes'][number];

async function requireActiveCluster(repos: Repositories, cluster: string): Promise<void> {
  const found = await repos.clusters.get(cluster);
  if (!found || found.status !== 'ACTIVE') throw wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster });
}

/** Checks each attribute names a target and is not one of the agent's; returns the instance ids they name, in order. */
function targetsOf(attributes: readonly Attribute[], operation: string): string[] {
  const errors: { field: string; message: string }[] = [];
  attributes.forEach((a, i) => {
    if (a.targetId === undefined) errors.push({ field: `attributes.${i}.targetId`, message: 'Name the container instance (id or ARN) the attribute is on' });
    if (isReservedAttribute(a.name)) errors.push({ field: `attributes.${i}.name`, message: `Names starting with ${RESERVED_ATTRIBUTE_PREFIXES.join(', ')} are the agent's; choose another name` });
  });
  if (errors.length > 0) throw wharfError('WHARF_E_VALIDATION', { summary: `${operation}: ${errors.length} attribute(s) cannot be changed as given` }, { errors });
  return attributes.map((a) => containerInstanceIdFrom(a.targetId as string));
}

/** Applies `change` to the custom attributes of each instance the attributes name, all or none. */
async function changeAttributes(
  store: Store,
  request: AttributesRequest,
  operation: string,
  change: (custom: Record<string, string>, attribute: Attribute) => void,
  meta: RequestMeta,
): Promise<{ attributes: Attribute[] }> {
  const ids = targetsOf(request.attributes, operation);
  await store.transaction(async (tx) => {
    await requireActiveCluster(tx, request.cluster);
    const changed = new Map<string, { instance: ContainerInstance; custom: Record<string, string> }>();
    for (const [i, attribute] of request.attributes.entries()) {
      const id = ids[i] as string;
      let entry = changed.get(id);
      if (!entry) {
        const instance = await tx.containerInstances.get(id);
        if (!instance || instance.cluster !== request.cluster || instance.status === 'INACTIVE') throw wharfError('WHARF_E_ATTRIBUTE_TARGET_NOT_FOUND', { target: attribute.targetId as string, cluster: request.cluster });
        entry = { instance, custom: { ...instance.customAttributes } };
        changed.set(id, entry);
      }
      change(entry.custom, attribute);
    }
    for (const [id, { instance, custom }] of changed) {
      const count = Object.keys(custom).length;
      if (count > MAX_CUSTOM_ATTRIBUTES) throw wharfError('WHARF_E_ATTRIBUTE_LIMIT_EXCEEDED', { target: id, count: String(count), limit: String(MAX_CUSTOM_ATTRIBUTES) });
      await tx.containerInstances.replace({ ...instance, customAttributes: custom, updatedAt: meta.now });
      const names = request.attributes.filter((_, i) => ids[i] === id).map((a) => a.name);
      await tx.events.append({ resourceType: 'container-instance', resourceId: id, severity: 'INFO', message: `${operation} on container instance ${id}: ${names.join(', ')}.`, requestId: meta.requestId, time: meta.now });
    }
  });
  return { attributes: request.attributes.map((a) => ({ ...a, targetType: 'container-instance' as const })) };
}

/** PutAttributes: sets custom attributes on container instances (an attribute without a value is one that only exists). */
export async function putAttributes(store: Store, request: AttributesRequest, meta: RequestMeta): Promise<{ attributes: Attribute[] }> {
  return changeAttributes(store, request, 'PutAttributes', (custom, a) => void (custom[a.name] = a.value ?? ''), meta);
}

/** DeleteAttributes: removes custom attributes (one the instance does not have is ignored). */
export async function deleteAttributes(store: Store, request: AttributesRequest, meta: RequestMeta): Promise<{ attributes: Attribute[] }> {
  return changeAttributes(store, request, 'DeleteAttributes', (custom, a) => void delete custom[a.name], meta);
}

/** ListAttributes: every attribute (the agent's and custom ones) of the cluster's live container instances, by instance then name, optionally of one name and value. */
export async function listAttributes(store: Store, scope: ArnScope, request: ListAttributesRequest): Promise<{ attributes: AttributeView[]; nextToken?: string }> {
  await requireActiveCluster(store, request.cluster);
  const all: AttributeView[] = [];
  for (let after: string | undefined; ; ) {
    const page = await store.containerInstances.list({ cluster: request.cluster, after, limit: 1000 });
    for (const instance of page.filter((i) => i.status !== 'INACTIVE')) {
      const targetId = containerInstanceArn(scope, instance.cluster, instance.id);
      for (const [name, value] of Object.entries(effectiveAttributes(instance)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (request.attributeName !== undefined && name !== request.attributeName) continue;
        if (request.attributeValue !== undefined && value !== request.attributeValue) continue;
        all.push({ name, ...(value === '' ? {} : { value }), targetType: 'container-instance', targetId });
      }
    }
    if (page.length < 1000) break;
    after = page[page.length - 1]?.id;
  }
  const start = request.nextToken === undefined ? 0 : decodePageToken(request.nextToken, 'number');
  const shown = all.slice(start, start + request.maxResults);
  return { attributes: shown, ...(start + request.maxResults < all.length ? { nextToken: encodePageToken(start + request.maxResults) } : {}) };
}
