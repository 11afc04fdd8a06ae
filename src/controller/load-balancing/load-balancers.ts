/**
 * ELBv2 load balancers on Wharf's routers, their attributes, and the tags of every ELBv2 resource.
 * A load balancer is a named set of listeners: the routers serve every listener of every load
 * balancer (one port each), so a load balancer is what a client calls (its DNSName, the routers'
 * address) on its listeners' ports. It is `active` once the routers report serving each of its
 * listeners (`RouterBoard`), `provisioning` before. Listeners created without a load balancer
 * (Elastic Beanstalk's) belong to the built-in one, `wharf`, which has no record and cannot be
 * deleted.
 */
import { arn } from '../../model/arn.js';
import { wharfError } from '../../model/errors.js';
import type { ListenerRecord, LoadBalancerRecord, LoadBalancingTag } from '../../model/load-balancing.js';
import { BUILT_IN_LOAD_BALANCER } from '../../model/load-balancing.js';
import type {
  AddTagsRequest,
  CreateLoadBalancerRequest,
  DeleteLoadBalancerRequest,
  DescribeLoadBalancerAttributesRequest,
  DescribeLoadBalancersRequest,
  DescribeTagsRequest,
  LoadBalancerView,
  ModifyLoadBalancerAttributesRequest,
  RemoveTagsRequest,
} from '../../model/api/load-balancing.js';
import type { Repositories } from '../../store/store.js';
import type { RequestMeta } from '../request.js';
import type { LoadBalancingContext } from './elbv2.js';
import { hex, listenerLoadBalancer, loadBalancerArn, tagsView, withTags } from './elbv2.js';

/** What a client is told the load balancers' hosted zone is (no Route 53 here). */
export const CANONICAL_HOSTED_ZONE_ID = 'WHARFROUTERS';

interface AttributeSpec {
  readonly value: string;
  /** Whether setting it changes what Wharf does. */
  readonly actedOn: boolean;
  /** Why a value is refused, or undefined when it is valid. */
  readonly check: (value: string) => string | undefined;
}

const bool = (value: string): string | undefined => (value === 'true' || value === 'false' ? undefined : 'true or false');
const seconds = (min: number, max: number) => (value: string) => (/^\d+$/.test(value) && Number(value) >= min && Number(value) <= max ? undefined : `a whole number of seconds from ${min} to ${max}`);
const oneOf = (...values: string[]) => (value: string) => (values.includes(value) ? undefined : values.join(', '));
const text = (max: number) => (value: string) => (value.length <= max ? undefined : `at most ${max} characters`);

/**
 * The attributes an application load balancer has, with ELBv2's defaults (which are also what the
 * routers do). Every one is kept and returned; `deletion_protection.enabled` is acted on (DeleteLoadBalancer
 * refuses while it is true); the others are kept but not acted on by the routers.
 */
export const LOAD_BALANCER_ATTRIBUTES: Readonly<Record<string, AttributeSpec>> = {
  'deletion_protection.enabled': { value: 'false', actedOn: true, check: bool },
  'idle_timeout.timeout_seconds': { value: '60', actedOn: false, check: seconds(1, 4000) },
  'client_keep_alive.seconds': { value: '3600', actedOn: false, check: seconds(60, 604_800) },
  'access_logs.s3.enabled': { value: 'false', actedOn: false, check: bool },
  'access_logs.s3.bucket': { value: '', actedOn: false, check: text(255) },
  'access_logs.s3.prefix': { value: '', actedOn: false, check: text(1024) },
  'connection_logs.s3.enabled': { value: 'false', actedOn: false, check: bool },
  'connection_logs.s3.bucket': { value: '', actedOn: false, check: text(255) },
  'connection_logs.s3.prefix': { value: '', actedOn: false, check: text(1024) },
  'routing.http.desync_mitigation_mode': { value: 'defensive', actedOn: false, check: oneOf('monitor', 'defensive', 'strictest') },
  'routing.http.drop_invalid_header_fields.enabled': { value: 'false', actedOn: false, check: bool },
  'routing.http.preserve_host_header.enabled': { value: 'false', actedOn: false, check: bool },
  'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': { value: 'false', actedOn: false, check: bool },
  'routing.http.xff_client_port.enabled': { value: 'false', actedOn: false, check: bool },
  'routing.http.xff_header_processing.mode': { value: 'append', actedOn: false, check: oneOf('append', 'preserve', 'remove') },
  'routing.http2.enabled': { value: 'true', actedOn: false, check: bool },
  'waf.fail_open.enabled': { value: 'false', actedOn: false, check: bool },
  'zonal_shift.config.enabled': { value: 'false', actedOn: false, check: bool },
  'load_balancing.cross_zone.enabled': { value: 'true', actedOn: false, check: bool },
};

const DEFAULT_ATTRIBUTES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(LOAD_BALANCER_ATTRIBUTES).map(([key, spec]) => [key, spec.value]));

const attributesView = (attributes: Readonly<Record<string, string>>) => Object.entries({ ...DEFAULT_ATTRIBUTES, ...attributes }).map(([Key, Value]) => ({ Key, Value }));

/** The built-in load balancer, as a record (it has none in the store). */
function builtIn(ctx: LoadBalancingContext, listeners: readonly ListenerRecord[]): LoadBalancerRecord {
  const own = listeners.filter((l) => l.loadBalancerArn === undefined);
  return {
    arn: loadBalancerArn(ctx.arnScope),
    name: BUILT_IN_LOAD_BALANCER,
    type: 'application',
    scheme: 'internet-facing',
    ipAddressType: 'ipv4',
    attributes: DEFAULT_ATTRIBUTES,
    tags: [],
    createdAt: Math.min(...own.map((l) => l.createdAt)),
  };
}

/** Every load balancer: the stored ones, and the built-in one while it has listeners. */
async function allLoadBalancers(ctx: LoadBalancingContext, repos: Repositories): Promise<{ loadBalancers: LoadBalancerRecord[]; listeners: ListenerRecord[] }> {
  const [stored, listeners] = await Promise.all([repos.loadBalancing.loadBalancers(), repos.loadBalancing.listeners()]);
  const withBuiltIn = listeners.some((l) => l.loadBalancerArn === undefined) ? [builtIn(ctx, listeners), ...stored] : stored;
  return { loadBalancers: withBuiltIn.sort((a, b) => a.name.localeCompare(b.name)), listeners };
}

function view(ctx: LoadBalancingContext, lb: LoadBalancerRecord, listeners: readonly ListenerRecord[], now: number): LoadBalancerView {
  const own = listeners.filter((l) => listenerLoadBalancer(ctx.arnScope, l) === lb.arn);
  const unserved = own.filter((l) => !ctx.routers.serves(l.arn, now));
  const state: LoadBalancerView['State'] = !ctx.routers.anyRouter(now)
    ? { Code: 'provisioning', Reason: 'No router has reported to the controller yet (start one with `wharf router`)' }
    : unserved.length > 0
      ? { Code: 'provisioning', Reason: `The routers do not serve port${unserved.length > 1 ? 's' : ''} ${unserved.map((l) => l.port).join(', ')} yet` }
      : { Code: 'active' };
  return {
    LoadBalancerArn: lb.arn,
    DNSName: ctx.routers.address(ctx.routerHost),
    CanonicalHostedZoneId: CANONICAL_HOSTED_ZONE_ID,
    CreatedTime: new Date(lb.createdAt).toISOString(),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    State: state,
    Type: lb.type,
    AvailabilityZones: [],
    SecurityGroups: [],
    IpAddressType: lb.ipAddressType,
  };
}

async function event(tx: Repositories, lb: LoadBalancerRecord, message: string, meta: RequestMeta): Promise<void> {
  await tx.events.append({ resourceType: 'load-balancer', resourceId: lb.arn, severity: 'INFO', message, requestId: meta.requestId, time: meta.now });
}

/**
 * CreateLoadBalancer: an application load balancer with no listeners yet (CreateListener with its
 * ARN adds them). Idempotent for the same name and settings, as ELBv2.
 */
export async function createLoadBalancer(ctx: LoadBalancingContext, request: CreateLoadBalancerRequest, meta: RequestMeta): Promise<{ LoadBalancers: LoadBalancerView[] }> {
  if (request.Type !== 'application') {
    throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: 'Type', format: 'ELBv2 CreateLoadBalancer', reason: `the routers are application load balancers (HTTP); ${request.Type} load balancers are not there yet` });
  }
  const tags = withTags([], request.Tags ?? [], `Load balancer ${request.Name}`);
  const lb = await ctx.store.transaction(async (tx) => {
    const existing = (await tx.loadBalancing.loadBalancers()).find((l) => l.name === request.Name);
    if (existing && existing.scheme === request.Scheme && existing.type === request.Type) return existing;
    if (existing || request.Name === BUILT_IN_LOAD_BALANCER) throw wharfError('WHARF_E_LOAD_BALANCER_EXISTS', { name: request.Name });
    const created: LoadBalancerRecord = {
      arn: arn(ctx.arnScope, 'elasticloadbalancing', `loadbalancer/app/${request.Name}/${hex()}`),
      name: request.Name,
      type: 'application',
      scheme: request.Scheme,
      ipAddressType: 'ipv4',
      attributes: DEFAULT_ATTRIBUTES,
      tags,
      createdAt: meta.now,
    };
    if (!(await tx.loadBalancing.insertLoadBalancer(created))) throw wharfError('WHARF_E_LOAD_BALANCER_EXISTS', { name: request.Name });
    await event(tx, created, `Load balancer ${created.name} created (${created.scheme}).`, meta);
    return created;
  });
  const listeners = await ctx.store.loadBalancing.listeners();
  return { LoadBalancers: [view(ctx, lb, listeners, Date.now())] };
}

/** DescribeLoadBalancers: all, or by ARNs or names; a missing one is LoadBalancerNotFound (the CLI's waiters rely on it). */
export async function describeLoadBalancers(ctx: LoadBalancingContext, request: DescribeLoadBalancersRequest): Promise<{ LoadBalancers: LoadBalancerView[] }> {
  const { loadBalancers, listeners } = await allLoadBalancers(ctx, ctx.store);
  let chosen = loadBalancers;
  if (request.LoadBalancerArns !== undefined) chosen = request.LoadBalancerArns.map((a) => loadBalancers.find((lb) => lb.arn === a) ?? notFound(a));
  else if (request.Names !== undefined) chosen = request.Names.map((n) => loadBalancers.find((lb) => lb.name === n) ?? notFound(n));
  const now = Date.now();
  return { LoadBalancers: chosen.map((lb) => view(ctx, lb, listeners, now)) };
}

function notFound(loadBalancer: string): never {
  throw wharfError('WHARF_E_LOAD_BALANCER_NOT_FOUND', { loadBalancer });
}

/** The stored load balancer of an ARN; the built-in one is refused by name for changes. */
async function requireStored(ctx: LoadBalancingContext, repos: Repositories, loadBalancer: string, operation: string): Promise<LoadBalancerRecord> {
  const found = (await repos.loadBalancing.loadBalancers()).find((lb) => lb.arn === loadBalancer);
  if (found) return found;
  if (loadBalancer === loadBalancerArn(ctx.arnScope)) {
    throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: 'LoadBalancerArn', format: `ELBv2 ${operation}`, reason: `the built-in load balancer ${BUILT_IN_LOAD_BALANCER} (the listeners made without a load balancer) is not changed this way; create a load balancer of your own` });
  }
  return notFound(loadBalancer);
}

/**
 * DeleteLoadBalancer: the load balancer with its listeners and their rules (target groups stay);
 * refused while `deletion_protection.enabled` is true. A load balancer that is not there is no
 * error (ELBv2 answers success), but the built-in one cannot be deleted.
 */
export async function deleteLoadBalancer(ctx: LoadBalancingContext, request: DeleteLoadBalancerRequest, meta: RequestMeta): Promise<Record<string, never>> {
  if (request.LoadBalancerArn === loadBalancerArn(ctx.arnScope)) {
    throw wharfError('WHARF_E_DELETION_PROTECTED', { loadBalancer: BUILT_IN_LOAD_BALANCER, reason: 'it is the built-in load balancer, holding the listeners made without one (Elastic Beanstalk environments\'); delete those listeners instead' });
  }
  const deleted = await ctx.store.transaction(async (tx) => {
    const lb = (await tx.loadBalancing.loadBalancers()).find((l) => l.arn === request.LoadBalancerArn);
    if (!lb) return false;
    if (lb.attributes['deletion_protection.enabled'] === 'true') throw wharfError('WHARF_E_DELETION_PROTECTED', { loadBalancer: lb.name, reason: 'deletion_protection.enabled is true' });
    const listeners = (await tx.loadBalancing.listeners()).filter((l) => l.loadBalancerArn === lb.arn);
    for (const l of listeners) await tx.loadBalancing.deleteListener(l.arn);
    await tx.loadBalancing.deleteLoadBalancer(lb.arn);
    await event(tx, lb, `Load balancer ${lb.name} deleted with ${listeners.length} listener(s)${listeners.length ? ` (port ${listeners.map((l) => l.port).join(', ')})` : ''}.`, meta);
    return true;
  });
  if (deleted) ctx.changed();
  return {};
}

/** DescribeLoadBalancerAttributes: every attribute ALB has, with its value. */
export async function describeLoadBalancerAttributes(ctx: LoadBalancingContext, request: DescribeLoadBalancerAttributesRequest): Promise<{ Attributes: { Key: string; Value: string }[] }> {
  const { loadBalancers } = await allLoadBalancers(ctx, ctx.store);
  const lb = loadBalancers.find((l) => l.arn === request.LoadBalancerArn) ?? notFound(request.LoadBalancerArn);
  return { Attributes: attributesView(lb.attributes) };
}

/**
 * ModifyLoadBalancerAttributes: keeps the values given (each checked as ELBv2 checks it; an
 * unknown key refused by name) and answers every attribute. Only `deletion_protection.enabled` is
 * acted on; the event says which of the changed ones the routers do not act on.
 */
export async function modifyLoadBalancerAttributes(ctx: LoadBalancingContext, request: ModifyLoadBalancerAttributesRequest, meta: RequestMeta): Promise<{ Attributes: { Key: string; Value: string }[] }> {
  const patch: Record<string, string> = {};
  request.Attributes.forEach((a, i) => {
    const spec = Object.hasOwn(LOAD_BALANCER_ATTRIBUTES, a.Key) ? LOAD_BALANCER_ATTRIBUTES[a.Key] : undefined;
    if (!spec) {
      throw wharfError('WHARF_E_VALIDATION', { summary: `Load balancer attribute key '${a.Key}' is not recognized` }, { errors: [{ field: `Attributes.${i}.Key`, message: `An application load balancer's attributes are ${Object.keys(LOAD_BALANCER_ATTRIBUTES).join(', ')}` }] });
    }
    const problem = spec.check(a.Value);
    if (problem !== undefined) {
      throw wharfError('WHARF_E_VALIDATION', { summary: `${a.Key}: give ${problem}, not '${a.Value}'` }, { errors: [{ field: `Attributes.${i}.Value`, message: `Give ${problem}` }] });
    }
    patch[a.Key] = a.Value;
  });
  const lb = await ctx.store.transaction(async (tx) => {
    const current = await requireStored(ctx, tx, request.LoadBalancerArn, 'ModifyLoadBalancerAttributes');
    const next: LoadBalancerRecord = { ...current, attributes: { ...DEFAULT_ATTRIBUTES, ...current.attributes, ...patch } };
    await tx.loadBalancing.replaceLoadBalancer(next);
    const notActedOn = Object.keys(patch).filter((key) => !LOAD_BALANCER_ATTRIBUTES[key]!.actedOn);
    await event(tx, next, `Load balancer ${next.name}: attributes ${Object.entries(patch).map(([k, v]) => `${k}=${v}`).join(', ')} set${notActedOn.length ? ` (kept, not acted on by the routers: ${notActedOn.join(', ')})` : ''}.`, meta);
    return next;
  });
  return { Attributes: attributesView(lb.attributes) };
}

/** A taggable resource, found by its ARN's kind, and how to write its tags back. */
interface Taggable {
  readonly arn: string;
  readonly describe: string;
  readonly tags: readonly LoadBalancingTag[];
  write(tags: readonly LoadBalancingTag[]): Promise<void>;
}

async function taggable(ctx: LoadBalancingContext, repos: Repositories, resourceArn: string, field: string): Promise<Taggable> {
  const lb = repos.loadBalancing;
  if (resourceArn.includes(':loadbalancer/')) {
    const found = await requireStored(ctx, repos, resourceArn, 'tagging');
    return { arn: found.arn, describe: `Load balancer ${found.name}`, tags: found.tags, write: (tags) => lb.replaceLoadBalancer({ ...found, tags }) };
  }
  if (resourceArn.includes(':targetgroup/')) {
    const found = (await lb.targetGroups()).find((g) => g.arn === resourceArn);
    if (!found) throw wharfError('WHARF_E_TARGET_GROUP_NOT_FOUND', { targetGroup: resourceArn });
    return { arn: found.arn, describe: `Target group ${found.name}`, tags: found.tags, write: (tags) => lb.replaceTargetGroup({ ...found, tags }) };
  }
  if (resourceArn.includes(':listener-rule/')) {
    const found = (await lb.rules()).find((r) => r.arn === resourceArn);
    if (!found) throw wharfError('WHARF_E_RULE_NOT_FOUND', { rule: resourceArn });
    return { arn: found.arn, describe: `Rule ${found.priority}`, tags: found.tags ?? [], write: (tags) => lb.replaceRule({ ...found, tags }) };
  }
  if (resourceArn.includes(':listener/')) {
    const found = (await lb.listeners()).find((l) => l.arn === resourceArn);
    if (!found) throw wharfError('WHARF_E_LISTENER_NOT_FOUND', { listener: resourceArn });
    return { arn: found.arn, describe: `Listener on port ${found.port}`, tags: found.tags ?? [], write: (tags) => lb.replaceListener({ ...found, tags }) };
  }
  throw wharfError('WHARF_E_VALIDATION', { summary: `${resourceArn} is not the ARN of a load balancer, target group, listener or rule` }, { errors: [{ field, message: 'Give an ELBv2 ARN (DescribeLoadBalancers, DescribeTargetGroups, DescribeListeners, DescribeRules)' }] });
}

/** AddTags: on every resource named, all or none (a key already there gets the new value). */
export async function addTags(ctx: LoadBalancingContext, request: AddTagsRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    for (const [i, resourceArn] of request.ResourceArns.entries()) {
      const resource = await taggable(ctx, tx, resourceArn, `ResourceArns.${i}`);
      await resource.write(withTags(resource.tags, request.Tags, resource.describe));
      await tx.events.append({ resourceType: 'tags', resourceId: resource.arn, severity: 'INFO', message: `${resource.describe}: tags ${request.Tags.map((t) => t.Key).join(', ')} added.`, requestId: meta.requestId, time: meta.now });
    }
  });
  return {};
}

/** RemoveTags: the keys from every resource named (keys it does not have are no error). */
export async function removeTags(ctx: LoadBalancingContext, request: RemoveTagsRequest, meta: RequestMeta): Promise<Record<string, never>> {
  const gone = new Set(request.TagKeys);
  await ctx.store.transaction(async (tx) => {
    for (const [i, resourceArn] of request.ResourceArns.entries()) {
      const resource = await taggable(ctx, tx, resourceArn, `ResourceArns.${i}`);
      await resource.write(resource.tags.filter((t) => !gone.has(t.key)));
      await tx.events.append({ resourceType: 'tags', resourceId: resource.arn, severity: 'INFO', message: `${resource.describe}: tags ${request.TagKeys.join(', ')} removed.`, requestId: meta.requestId, time: meta.now });
    }
  });
  return {};
}

/** DescribeTags: each resource's tags, in the order named. */
export async function describeTags(ctx: LoadBalancingContext, request: DescribeTagsRequest): Promise<{ TagDescriptions: { ResourceArn: string; Tags: { Key: string; Value: string }[] }[] }> {
  const found: { ResourceArn: string; Tags: { Key: string; Value: string }[] }[] = [];
  for (const [i, resourceArn] of request.ResourceArns.entries()) {
    const resource = await taggable(ctx, ctx.store, resourceArn, `ResourceArns.${i}`);
    found.push({ ResourceArn: resource.arn, Tags: tagsView(resource.tags) });
  }
  return { TagDescriptions: found };
}
