/**
 * ELBv2 on Wharf's router: target groups, targets, listeners and rules, with AWS's request and
 * response shapes (PascalCase, as the AWS CLI's JSON). The router's own shapes and ranges are in
 * src/model/routing.ts; every request is turned into them and validated there, so the API and the
 * router agree on what is valid. Each change writes an event and makes the routing table newer.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ArnScope } from '../../model/arn.js';
import { arn } from '../../model/arn.js';
import { wharfError } from '../../model/errors.js';
import type { ListenerRecord, LoadBalancerRecord, LoadBalancingTag, RuleRecord, TargetGroupRecord } from '../../model/load-balancing.js';
import { BUILT_IN_LOAD_BALANCER, MAX_LOAD_BALANCING_TAGS } from '../../model/load-balancing.js';
import type { ListenerAction, RuleConditions } from '../../model/routing.js';
import { TARGET_GROUP_DEFAULTS, healthCheckSchema, listenerActionSchema, ruleConditionsSchema, ruleConflicts, targetSchema } from '../../model/routing.js';
import { parseInput, zodFieldErrors } from '../../model/validation.js';
import type { Repositories, Store } from '../../store/store.js';
import type { RequestMeta } from '../request.js';
import type { RouterBoard } from './routers.js';
import type { TargetHealthBoard } from './target-health.js';
import type {
  CreateListenerRequest,
  CreateRuleRequest,
  CreateTargetGroupRequest,
  DeleteRuleRequest,
  DeleteTargetGroupRequest,
  DescribeRulesRequest,
  DescribeTargetGroupsRequest,
  DescribeTargetHealthRequest,
  ListenerActionInput,
  ListenerView,
  ModifyRuleRequest,
  ModifyTargetGroupAttributesRequest,
  DescribeTargetGroupAttributesRequest,
  DeleteListenerRequest,
  ModifyListenerRequest,
  SetRulePrioritiesRequest,
  DescribeListenersRequest,
  ModifyTargetGroupRequest,
  RuleConditionInput,
  RuleView,
  TargetGroupView,
  TargetsRequest,
} from '../../model/api/load-balancing.js';

/**
 * The built-in load balancer's ARN: it holds the listeners created without a `LoadBalancerArn`
 * (Elastic Beanstalk environments', and those made before load balancers existed).
 */
export function loadBalancerArn(scope: ArnScope): string {
  return arn(scope, 'elasticloadbalancing', `loadbalancer/app/${BUILT_IN_LOAD_BALANCER}/0000000000000000`);
}

/** The load balancer a listener belongs to. */
export function listenerLoadBalancer(scope: ArnScope, listener: ListenerRecord): string {
  return listener.loadBalancerArn ?? loadBalancerArn(scope);
}

export const hex = (): string => randomBytes(8).toString('hex');

/** Tags as ELBv2 answers them. */
export function tagsView(tags: readonly LoadBalancingTag[] | undefined): { Key: string; Value: string }[] {
  return (tags ?? []).map((t) => ({ Key: t.key, Value: t.value }));
}

/**
 * A resource's tags after adding `added` (a key given again replaces its value): refused when one
 * call names a key twice, or when the resource would hold more than ELBv2's 50.
 */
export function withTags(current: readonly LoadBalancingTag[] | undefined, added: readonly { Key: string; Value: string }[], resource: string): LoadBalancingTag[] {
  const seen = new Set<string>();
  for (const t of added) {
    if (seen.has(t.Key)) throw wharfError('WHARF_E_DUPLICATE_TAG_KEYS', { key: t.Key });
    seen.add(t.Key);
  }
  const next = [...(current ?? []).filter((t) => !seen.has(t.key)), ...added.map((t) => ({ key: t.Key, value: t.Value }))];
  if (next.length > MAX_LOAD_BALANCING_TAGS) throw wharfError('WHARF_E_TOO_MANY_TAGS', { kind: 'ELBv2 resource', arn: resource, count: next.length, limit: MAX_LOAD_BALANCING_TAGS });
  return next;
}

/** Parses a nested part of a request with a routing-model schema, naming fields under `prefix`. */
function parsePart<S extends z.ZodType>(schema: S, input: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = zodFieldErrors(result.error).map((e) => ({ field: [prefix, e.field].filter(Boolean).join('.'), message: e.message }));
  throw wharfError('WHARF_E_VALIDATION', { summary: `${prefix}: ${errors[0]?.message ?? 'invalid'}` }, { errors });
}

function targetGroupView(g: TargetGroupRecord, loadBalancers: ReadonlySet<string> = new Set()): TargetGroupView {
  return {
    TargetGroupArn: g.arn,
    TargetGroupName: g.name,
    Protocol: 'HTTP',
    Port: g.port,
    TargetType: g.targetType,
    HealthCheckProtocol: 'HTTP',
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckPath: g.healthCheck.path,
    HealthCheckIntervalSeconds: g.healthCheck.intervalSeconds,
    HealthCheckTimeoutSeconds: g.healthCheck.timeoutSeconds,
    HealthyThresholdCount: g.healthCheck.healthyThresholdCount,
    UnhealthyThresholdCount: g.healthCheck.unhealthyThresholdCount,
    Matcher: { HttpCode: g.healthCheck.matcher.httpCode },
    LoadBalancerArns: [...loadBalancers].sort(),
    DeregistrationDelaySeconds: g.deregistrationDelaySeconds,
  };
}

export interface LoadBalancingContext {
  readonly store: Store;
  readonly arnScope: ArnScope;
  readonly health: TargetHealthBoard;
  /** The listeners routers serve (load balancers' state). */
  readonly routers: RouterBoard;
  /** The routers' configured address (`WHARF_ROUTER_HOST`), for load balancers' DNSName. */
  readonly routerHost: string;
  /** The routing table changed: routers' long polls should answer. */
  readonly changed: () => void;
}

async function event(tx: Repositories, resourceId: string, message: string, meta: RequestMeta): Promise<void> {
  await tx.events.append({ resourceType: 'target-group', resourceId, severity: 'INFO', message, requestId: meta.requestId, time: meta.now });
}

async function requireTargetGroup(repos: Repositories, targetGroupArn: string): Promise<TargetGroupRecord> {
  const group = (await repos.loadBalancing.targetGroups()).find((g) => g.arn === targetGroupArn);
  if (!group) throw wharfError('WHARF_E_TARGET_GROUP_NOT_FOUND', { targetGroup: targetGroupArn });
  return group;
}

/** The target group of an ARN, for services' loadBalancers (exported for CreateService). */
export async function findTargetGroup(repos: Repositories, targetGroupArn: string): Promise<TargetGroupRecord | undefined> {
  return (await repos.loadBalancing.targetGroups()).find((g) => g.arn === targetGroupArn);
}

type HealthCheckFields = Pick<CreateTargetGroupRequest, 'HealthCheckPath' | 'HealthCheckIntervalSeconds' | 'HealthCheckTimeoutSeconds' | 'HealthyThresholdCount' | 'UnhealthyThresholdCount' | 'Matcher'>;

/** A target group's health check from ELBv2's fields, over `base` (ELBv2's defaults when absent). */
function healthCheckFrom(request: HealthCheckFields, base?: TargetGroupRecord['healthCheck']): TargetGroupRecord['healthCheck'] {
  return parsePart(
    healthCheckSchema,
    {
      ...(base ?? {}),
      ...(request.HealthCheckPath !== undefined ? { path: request.HealthCheckPath } : {}),
      ...(request.HealthCheckIntervalSeconds !== undefined ? { intervalSeconds: request.HealthCheckIntervalSeconds } : {}),
      ...(request.HealthCheckTimeoutSeconds !== undefined ? { timeoutSeconds: request.HealthCheckTimeoutSeconds } : {}),
      ...(request.HealthyThresholdCount !== undefined ? { healthyThresholdCount: request.HealthyThresholdCount } : {}),
      ...(request.UnhealthyThresholdCount !== undefined ? { unhealthyThresholdCount: request.UnhealthyThresholdCount } : {}),
      ...(request.Matcher !== undefined ? { matcher: { httpCode: request.Matcher.HttpCode } } : {}),
    },
    'HealthCheck',
  );
}

/** ModifyTargetGroup: its health check settings; the routers apply them at once. */
export async function modifyTargetGroup(ctx: LoadBalancingContext, request: ModifyTargetGroupRequest, meta: RequestMeta): Promise<{ TargetGroups: TargetGroupView[] }> {
  const group = await ctx.store.transaction(async (tx) => {
    const current = await requireTargetGroup(tx, request.TargetGroupArn);
    const next = { ...current, healthCheck: healthCheckFrom(request, current.healthCheck) };
    await tx.loadBalancing.replaceTargetGroup(next);
    await event(tx, current.name, `Target group ${current.name}: health check modified.`, meta);
    return next;
  });
  ctx.changed();
  return { TargetGroups: [targetGroupView(group, (await usedTargetGroups(ctx.store, ctx.arnScope)).get(group.arn))] };
}

/** CreateTargetGroup: idempotent for the same name and settings, as ELBv2. */
export async function createTargetGroup(ctx: LoadBalancingContext, request: CreateTargetGroupRequest, meta: RequestMeta): Promise<{ TargetGroups: TargetGroupView[] }> {
  const name = parseInput(z.string().regex(/^(?!-)[A-Za-z0-9-]{1,32}(?<!-)$/, 'A target group name has 1 to 32 letters, numbers and hyphens, and does not start or end with a hyphen'), request.Name, 'CreateTargetGroup Name');
  const healthCheck = healthCheckFrom(request);
  const group = await ctx.store.transaction(async (tx) => {
    const existing = (await tx.loadBalancing.targetGroups()).find((g) => g.name === name);
    if (existing) {
      if (JSON.stringify(existing.healthCheck) === JSON.stringify(healthCheck) && existing.port === request.Port) return existing;
      throw wharfError('WHARF_E_TARGET_GROUP_EXISTS', { name });
    }
    const created: TargetGroupRecord = {
      arn: arn(ctx.arnScope, 'elasticloadbalancing', `targetgroup/${name}/${hex()}`),
      name,
      protocol: 'HTTP',
      port: request.Port,
      targetType: request.TargetType,
      healthCheck,
      deregistrationDelaySeconds: TARGET_GROUP_DEFAULTS.deregistrationDelaySeconds,
      targets: [],
      tags: withTags([], request.Tags ?? [], `Target group ${name}`),
      createdAt: meta.now,
    };
    await tx.loadBalancing.insertTargetGroup(created);
    await event(tx, name, `Target group ${name} created.`, meta);
    return created;
  });
  ctx.changed();
  return { TargetGroups: [targetGroupView(group, (await usedTargetGroups(ctx.store, ctx.arnScope)).get(group.arn))] };
}

/** DescribeTargetGroups: all, or by ARNs or names (a missing one is an error, as ELBv2). */
export async function describeTargetGroups(ctx: LoadBalancingContext, request: DescribeTargetGroupsRequest): Promise<{ TargetGroups: TargetGroupView[] }> {
  const groups = await ctx.store.loadBalancing.targetGroups();
  const inUse = await usedTargetGroups(ctx.store, ctx.arnScope);
  let chosen = groups;
  if (request.TargetGroupArns) {
    chosen = request.TargetGroupArns.map((a) => groups.find((g) => g.arn === a) ?? notFound(a));
  } else if (request.Names) {
    chosen = request.Names.map((n) => groups.find((g) => g.name === n) ?? notFound(n));
  }
  if (request.LoadBalancerArn) {
    await requireLoadBalancerArn(ctx, ctx.store, request.LoadBalancerArn);
    chosen = chosen.filter((g) => inUse.get(g.arn)?.has(request.LoadBalancerArn!));
  }
  return { TargetGroups: chosen.map((g) => targetGroupView(g, inUse.get(g.arn))) };
}

function notFound(ref: string): never {
  throw wharfError('WHARF_E_TARGET_GROUP_NOT_FOUND', { targetGroup: ref });
}

/** Each target group's load balancers: those of the listeners and rules that forward to it. */
async function usedTargetGroups(repos: Repositories, scope: ArnScope): Promise<Map<string, Set<string>>> {
  const used = new Map<string, Set<string>>();
  const visit = (action: ListenerAction | undefined, loadBalancer: string) => {
    if (action?.type === 'forward') for (const g of action.targetGroups) used.set(g.targetGroupArn, (used.get(g.targetGroupArn) ?? new Set()).add(loadBalancer));
  };
  const listeners = await repos.loadBalancing.listeners();
  const owner = new Map(listeners.map((l) => [l.arn, listenerLoadBalancer(scope, l)]));
  for (const l of listeners) visit(l.defaultAction, listenerLoadBalancer(scope, l));
  for (const r of await repos.loadBalancing.rules()) visit(r.action, owner.get(r.listenerArn) ?? loadBalancerArn(scope));
  return used;
}

/** Refuses a load balancer ARN that names neither a load balancer nor the built-in one (with listeners). */
export async function requireLoadBalancerArn(ctx: Pick<LoadBalancingContext, 'arnScope'>, repos: Repositories, loadBalancer: string): Promise<LoadBalancerRecord | undefined> {
  if (loadBalancer === loadBalancerArn(ctx.arnScope) && (await repos.loadBalancing.listeners()).some((l) => l.loadBalancerArn === undefined)) return undefined;
  const found = (await repos.loadBalancing.loadBalancers()).find((lb) => lb.arn === loadBalancer);
  if (!found) throw wharfError('WHARF_E_LOAD_BALANCER_NOT_FOUND', { loadBalancer });
  return found;
}

/**
 * The target group attributes the routers have with fixed values: ModifyTargetGroupAttributes
 * accepts a key only with that value (the routers cannot do otherwise) and refuses any other by name.
 */
export const FIXED_TARGET_GROUP_ATTRIBUTES: Readonly<Record<string, string>> = {
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'load_balancing.algorithm.type': 'round_robin',
  'slow_start.duration_seconds': '0',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
};

function targetGroupAttributes(group: TargetGroupRecord): { Key: string; Value: string }[] {
  return [{ Key: 'deregistration_delay.timeout_seconds', Value: String(group.deregistrationDelaySeconds) }, ...Object.entries(FIXED_TARGET_GROUP_ATTRIBUTES).map(([Key, Value]) => ({ Key, Value }))];
}

/** DescribeTargetGroupAttributes: the deregistration delay (acted on) and the attributes the routers have fixed. */
export async function describeTargetGroupAttributes(ctx: LoadBalancingContext, request: DescribeTargetGroupAttributesRequest): Promise<{ Attributes: { Key: string; Value: string }[] }> {
  return { Attributes: targetGroupAttributes(await requireTargetGroup(ctx.store, request.TargetGroupArn)) };
}

/** ModifyTargetGroupAttributes: `deregistration_delay.timeout_seconds` (0-3600); the fixed ones only at their values. */
export async function modifyTargetGroupAttributes(ctx: LoadBalancingContext, request: ModifyTargetGroupAttributesRequest, meta: RequestMeta): Promise<{ Attributes: { Key: string; Value: string }[] }> {
  const patch: { deregistrationDelaySeconds?: number } = {};
  request.Attributes.forEach((a, i) => {
    const fixed = FIXED_TARGET_GROUP_ATTRIBUTES[a.Key];
    if (fixed !== undefined && Object.hasOwn(FIXED_TARGET_GROUP_ATTRIBUTES, a.Key)) {
      if (a.Value === fixed) return;
      throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: `Attributes.${i}.Value`, format: 'ELBv2 ModifyTargetGroupAttributes', reason: `the routers have ${a.Key} ${fixed} only, not ${a.Value}` });
    }
    if (a.Key !== 'deregistration_delay.timeout_seconds') {
      throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: `Attributes.${i}.Key`, format: 'ELBv2 ModifyTargetGroupAttributes', reason: `${a.Key} is not an attribute Wharf's target groups have (deregistration_delay.timeout_seconds is acted on; ${Object.keys(FIXED_TARGET_GROUP_ATTRIBUTES).join(', ')} have fixed values)` });
    }
    const seconds = Number(a.Value);
    if (!/^\d+$/.test(a.Value) || seconds > 3600) {
      throw wharfError('WHARF_E_VALIDATION', { summary: 'deregistration_delay.timeout_seconds is a whole number of seconds from 0 to 3600' }, { errors: [{ field: `Attributes.${i}.Value`, message: 'Give 0 to 3600' }] });
    }
    patch.deregistrationDelaySeconds = seconds;
  });
  const group = await ctx.store.transaction(async (tx) => {
    const current = await requireTargetGroup(tx, request.TargetGroupArn);
    const next = { ...current, ...patch };
    await tx.loadBalancing.replaceTargetGroup(next);
    if (patch.deregistrationDelaySeconds !== undefined) await event(tx, current.name, `Target group ${current.name}: deregistration delay ${patch.deregistrationDelaySeconds} s.`, meta);
    return next;
  });
  ctx.changed();
  return { Attributes: targetGroupAttributes(group) };
}

/** RegisterTargets: hand-registered targets (`ip` or host name and port). Services register their tasks on their own. */
export async function registerTargets(ctx: LoadBalancingContext, request: TargetsRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    const group = await requireTargetGroup(tx, request.TargetGroupArn);
    const targets = [...group.targets];
    request.Targets.forEach((t, i) => {
      const target = parsePart(targetSchema, { id: `${t.Id}:${t.Port ?? group.port}`, host: t.Id, port: t.Port ?? group.port }, `Targets.${i}`);
      if (!targets.some((x) => x.id === target.id)) targets.push(target);
    });
    await tx.loadBalancing.replaceTargetGroup({ ...group, targets });
    await event(tx, group.name, `Registered ${request.Targets.length} target(s) in ${group.name}.`, meta);
  });
  ctx.changed();
  return {};
}

/** DeregisterTargets: the router drains them (no new requests; in-flight ones finish up to the delay). */
export async function deregisterTargets(ctx: LoadBalancingContext, request: TargetsRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    const group = await requireTargetGroup(tx, request.TargetGroupArn);
    const gone = new Set(request.Targets.map((t) => `${t.Id}:${t.Port ?? group.port}`));
    await tx.loadBalancing.replaceTargetGroup({ ...group, targets: group.targets.filter((t) => !gone.has(t.id)) });
    await event(tx, group.name, `Deregistered ${request.Targets.length} target(s) from ${group.name}.`, meta);
  });
  ctx.changed();
  return {};
}

/** DescribeTargetHealth: what the routers last reported for each target of the group. */
export async function describeTargetHealth(
  ctx: LoadBalancingContext,
  request: DescribeTargetHealthRequest,
  currentTargets: (group: TargetGroupRecord) => Promise<readonly { id: string; host: string; port: number }[]>,
): Promise<{ TargetHealthDescriptions: unknown[] }> {
  const group = await requireTargetGroup(ctx.store, request.TargetGroupArn);
  const targets = await currentTargets(group);
  const described = (t: { id: string; host: string; port: number }) => {
    const seen = ctx.health.get(group.arn, t.id);
    const state = seen?.state ?? 'initial';
    return {
      Target: { Id: t.host, Port: t.port },
      HealthCheckPort: String(t.port),
      TargetHealth: { State: state, ...(seen?.reason ? { Reason: seen.reason } : state === 'initial' ? { Reason: 'Elb.InitialHealthChecking' } : {}), ...(seen?.description ? { Description: seen.description } : {}) },
    };
  };
  if (request.Targets === undefined) return { TargetHealthDescriptions: targets.map(described) };
  // Named targets: each one's health, and a target the group does not have is "unused", as ELBv2 answers (the target-deregistered waiter waits for it).
  return {
    TargetHealthDescriptions: request.Targets.flatMap((wanted): unknown[] => {
      const found = targets.filter((t) => t.host === wanted.Id && (wanted.Port === undefined || t.port === wanted.Port));
      if (found.length > 0) return found.map(described);
      return [{ Target: { Id: wanted.Id, ...(wanted.Port !== undefined ? { Port: wanted.Port } : {}) }, TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' } }];
    }),
  };
}

function toAction(input: ListenerActionInput, field: string): ListenerAction {
  if (input.Type === 'fixed-response') {
    return parsePart(listenerActionSchema, { type: 'fixed-response', statusCode: Number(input.FixedResponseConfig?.StatusCode), ...(input.FixedResponseConfig?.ContentType ? { contentType: input.FixedResponseConfig.ContentType } : {}), ...(input.FixedResponseConfig?.MessageBody !== undefined ? { messageBody: input.FixedResponseConfig.MessageBody } : {}) }, field);
  }
  const groups = input.ForwardConfig?.TargetGroups.map((g) => ({ targetGroupArn: g.TargetGroupArn, weight: g.Weight ?? 1 })) ?? (input.TargetGroupArn ? [{ targetGroupArn: input.TargetGroupArn, weight: 1 }] : []);
  return parsePart(listenerActionSchema, { type: 'forward', targetGroups: groups }, field);
}

async function checkReferences(repos: Repositories, action: ListenerAction, field: string): Promise<void> {
  if (action.type !== 'forward') return;
  const groups = await repos.loadBalancing.targetGroups();
  action.targetGroups.forEach((g, i) => {
    if (!groups.some((x) => x.arn === g.targetGroupArn)) {
      throw wharfError('WHARF_E_TARGET_GROUP_NOT_FOUND', { targetGroup: g.targetGroupArn }, { errors: [{ field: `${field}.targetGroups.${i}.targetGroupArn`, message: 'No such target group' }] });
    }
  });
}

function actionView(action: ListenerAction | undefined): unknown[] {
  if (!action) return [];
  if (action.type === 'fixed-response') return [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: String(action.statusCode), ContentType: action.contentType, MessageBody: action.messageBody } }];
  return [{ Type: 'forward', ...(action.targetGroups.length === 1 ? { TargetGroupArn: action.targetGroups[0]!.targetGroupArn } : {}), ForwardConfig: { TargetGroups: action.targetGroups.map((g) => ({ TargetGroupArn: g.targetGroupArn, Weight: g.weight })) } }];
}

function listenerView(scope: ArnScope, l: ListenerRecord): ListenerView {
  return { ListenerArn: l.arn, LoadBalancerArn: listenerLoadBalancer(scope, l), Port: l.port, Protocol: 'HTTP', DefaultActions: actionView(l.defaultAction) };
}

/**
 * CreateListener: one per port across every load balancer (the routers serve them all on their
 * ports). With a `LoadBalancerArn` it joins that load balancer; without (or with the built-in's),
 * the built-in one. The router serves it on its own port (`wharf router --port` for port 80).
 */
export async function createListener(ctx: LoadBalancingContext, request: CreateListenerRequest, meta: RequestMeta): Promise<{ Listeners: ListenerView[] }> {
  const action = toAction(request.DefaultActions[0]!, 'DefaultActions.0');
  const listener = await ctx.store.transaction(async (tx) => {
    await checkReferences(tx, action, 'DefaultActions.0');
    const owner = request.LoadBalancerArn === undefined || request.LoadBalancerArn === loadBalancerArn(ctx.arnScope) ? undefined : await requireLoadBalancerArn(ctx, tx, request.LoadBalancerArn);
    if ((await tx.loadBalancing.listeners()).some((l) => l.port === request.Port)) throw wharfError('WHARF_E_LISTENER_EXISTS', { port: request.Port });
    const prefix = owner ? owner.arn.slice(owner.arn.indexOf(':loadbalancer/') + ':loadbalancer/'.length) : `app/${BUILT_IN_LOAD_BALANCER}/0000000000000000`;
    const created: ListenerRecord = {
      arn: arn(ctx.arnScope, 'elasticloadbalancing', `listener/${prefix}/${hex()}`),
      ...(owner ? { loadBalancerArn: owner.arn } : {}),
      port: request.Port,
      protocol: 'HTTP',
      defaultAction: action,
      tags: withTags([], request.Tags ?? [], `Listener on port ${request.Port}`),
      createdAt: meta.now,
    };
    await tx.loadBalancing.insertListener(created);
    await tx.events.append({ resourceType: 'listener', resourceId: created.arn, severity: 'INFO', message: `Listener on port ${created.port} created${owner ? ` on load balancer ${owner.name}` : ''}.`, requestId: meta.requestId, time: meta.now });
    return created;
  });
  ctx.changed();
  return { Listeners: [listenerView(ctx.arnScope, listener)] };
}

async function requireListener(repos: Repositories, listenerArn: string): Promise<ListenerRecord> {
  const found = (await repos.loadBalancing.listeners()).find((l) => l.arn === listenerArn);
  if (!found) throw wharfError('WHARF_E_LISTENER_NOT_FOUND', { listener: listenerArn });
  return found;
}

/** ModifyListener: its port (free across the routers) and/or its default action; HTTP only. */
export async function modifyListener(ctx: LoadBalancingContext, request: ModifyListenerRequest, meta: RequestMeta): Promise<{ Listeners: ListenerView[] }> {
  const action = request.DefaultActions ? toAction(request.DefaultActions[0]!, 'DefaultActions.0') : undefined;
  const listener = await ctx.store.transaction(async (tx) => {
    const current = await requireListener(tx, request.ListenerArn);
    if (action) await checkReferences(tx, action, 'DefaultActions.0');
    if (request.Port !== undefined && request.Port !== current.port && (await tx.loadBalancing.listeners()).some((l) => l.port === request.Port)) throw wharfError('WHARF_E_LISTENER_EXISTS', { port: request.Port });
    const next: ListenerRecord = { ...current, ...(request.Port !== undefined ? { port: request.Port } : {}), ...(action ? { defaultAction: action } : {}) };
    await tx.loadBalancing.replaceListener(next);
    const changes = [...(next.port !== current.port ? [`port ${current.port} → ${next.port}`] : []), ...(action ? ['default action'] : [])];
    await tx.events.append({ resourceType: 'listener', resourceId: next.arn, severity: 'INFO', message: `Listener on port ${next.port} modified${changes.length ? `: ${changes.join(', ')}` : ''}.`, requestId: meta.requestId, time: meta.now });
    return next;
  });
  ctx.changed();
  return { Listeners: [listenerView(ctx.arnScope, listener)] };
}

/** DeleteListener: the listener and its rules; the routers stop serving its port at once. */
export async function deleteListener(ctx: LoadBalancingContext, request: DeleteListenerRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    const current = await requireListener(tx, request.ListenerArn);
    await tx.loadBalancing.deleteListener(current.arn);
    await tx.events.append({ resourceType: 'listener', resourceId: current.arn, severity: 'INFO', message: `Listener on port ${current.port} deleted with its rules.`, requestId: meta.requestId, time: meta.now });
  });
  ctx.changed();
  return {};
}

function toConditions(inputs: readonly RuleConditionInput[]): RuleConditions {
  const hosts: string[] = [];
  const paths: string[] = [];
  for (const c of inputs) {
    const values = c.Values ?? c.HostHeaderConfig?.Values ?? c.PathPatternConfig?.Values ?? [];
    (c.Field === 'host-header' ? hosts : paths).push(...values);
  }
  return parsePart(ruleConditionsSchema, { ...(hosts.length ? { hostHeader: hosts } : {}), ...(paths.length ? { pathPattern: paths } : {}) }, 'Conditions');
}

function ruleView(r: RuleRecord): RuleView {
  return {
    RuleArn: r.arn,
    Priority: String(r.priority),
    Conditions: [
      ...(r.conditions.hostHeader ? [{ Field: 'host-header', Values: r.conditions.hostHeader, HostHeaderConfig: { Values: r.conditions.hostHeader } }] : []),
      ...(r.conditions.pathPattern ? [{ Field: 'path-pattern', Values: r.conditions.pathPattern, PathPatternConfig: { Values: r.conditions.pathPattern } }] : []),
    ],
    Actions: actionView(r.action),
    IsDefault: false,
  };
}

/** Refuses a rule that conflicts with the listener's others (same priority or same conditions). */
async function checkConflicts(repos: Repositories, rule: RuleRecord): Promise<void> {
  const others = (await repos.loadBalancing.rules()).filter((r) => r.listenerArn === rule.listenerArn && r.arn !== rule.arn);
  const conflict = ruleConflicts([...others, rule]).find((c) => c.index === others.length);
  if (conflict) throw wharfError('WHARF_E_RULE_CONFLICT', { reason: conflict.message }, { errors: [{ field: conflict.field === 'priority' ? 'Priority' : 'Conditions', message: conflict.message }] });
}

/** CreateRule: Host-header and path-pattern conditions, forwarding to weighted target groups. */
export async function createRule(ctx: LoadBalancingContext, request: CreateRuleRequest, meta: RequestMeta): Promise<{ Rules: RuleView[] }> {
  const conditions = toConditions(request.Conditions);
  const action = toAction(request.Actions[0]!, 'Actions.0');
  if (action.type !== 'forward') throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: 'Actions.0.Type', format: 'ELBv2 CreateRule', reason: 'rules forward to target groups; fixed responses are for listener defaults' });
  const rule = await ctx.store.transaction(async (tx) => {
    if (!(await tx.loadBalancing.listeners()).some((l) => l.arn === request.ListenerArn)) throw wharfError('WHARF_E_LISTENER_NOT_FOUND', { listener: request.ListenerArn });
    await checkReferences(tx, action, 'Actions.0');
    const created: RuleRecord = {
      arn: `${request.ListenerArn.replace(':listener/', ':listener-rule/')}/${hex()}`,
      listenerArn: request.ListenerArn,
      priority: request.Priority,
      conditions,
      action,
      tags: withTags([], request.Tags ?? [], `Rule ${request.Priority}`),
      createdAt: meta.now,
    };
    await checkConflicts(tx, created);
    await tx.loadBalancing.insertRule(created);
    await tx.events.append({ resourceType: 'rule', resourceId: created.arn, severity: 'INFO', message: `Rule ${created.priority} created: ${JSON.stringify(conditions)}.`, requestId: meta.requestId, time: meta.now });
    return created;
  });
  ctx.changed();
  return { Rules: [ruleView(rule)] };
}

/** ModifyRule: new conditions and/or actions (weights shift here); the router applies them at once. */
export async function modifyRule(ctx: LoadBalancingContext, request: ModifyRuleRequest, meta: RequestMeta): Promise<{ Rules: RuleView[] }> {
  const conditions = request.Conditions ? toConditions(request.Conditions) : undefined;
  const action = request.Actions ? toAction(request.Actions[0]!, 'Actions.0') : undefined;
  if (action && action.type !== 'forward') throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: 'Actions.0.Type', format: 'ELBv2 ModifyRule', reason: 'rules forward to target groups' });
  const rule = await ctx.store.transaction(async (tx) => {
    const current = (await tx.loadBalancing.rules()).find((r) => r.arn === request.RuleArn);
    if (!current) throw wharfError('WHARF_E_RULE_NOT_FOUND', { rule: request.RuleArn });
    if (action) await checkReferences(tx, action, 'Actions.0');
    const next: RuleRecord = { ...current, ...(conditions ? { conditions } : {}), ...(action ? { action } : {}) };
    await checkConflicts(tx, next);
    await tx.loadBalancing.replaceRule(next);
    await tx.events.append({ resourceType: 'rule', resourceId: next.arn, severity: 'INFO', message: `Rule ${next.priority} modified.`, requestId: meta.requestId, time: meta.now });
    return next;
  });
  ctx.changed();
  return { Rules: [ruleView(rule)] };
}

/** DeleteRule: the rule stops routing at once (routers' long polls answer). */
export async function deleteRule(ctx: LoadBalancingContext, request: DeleteRuleRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    const current = (await tx.loadBalancing.rules()).find((r) => r.arn === request.RuleArn);
    if (!current) throw wharfError('WHARF_E_RULE_NOT_FOUND', { rule: request.RuleArn });
    await tx.loadBalancing.deleteRule(current.arn);
    await tx.events.append({ resourceType: 'rule', resourceId: current.arn, severity: 'INFO', message: `Rule ${current.priority} deleted.`, requestId: meta.requestId, time: meta.now });
  });
  ctx.changed();
  return {};
}

/** DeleteTargetGroup: refused while a listener, a rule or a live service still uses it (ELBv2's ResourceInUse). */
export async function deleteTargetGroup(ctx: LoadBalancingContext, request: DeleteTargetGroupRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    const group = await requireTargetGroup(tx, request.TargetGroupArn);
    const forwardsTo = (action: ListenerAction) => action.type === 'forward' && action.targetGroups.some((t) => t.targetGroupArn === group.arn);
    const user =
      (await tx.loadBalancing.rules()).find((r) => forwardsTo(r.action))?.arn ??
      (await tx.loadBalancing.listeners()).find((l) => (l.defaultAction !== undefined && forwardsTo(l.defaultAction)))?.arn ??
      (await tx.services.listLive()).find((s) => s.loadBalancers.some((b) => b.targetGroupArn === group.arn))?.serviceName;
    if (user) throw wharfError('WHARF_E_TARGET_GROUP_IN_USE', { targetGroup: group.name, user });
    await tx.loadBalancing.deleteTargetGroup(group.arn);
    await event(tx, group.arn, `Target group ${group.name} deleted.`, meta);
  });
  ctx.changed();
  return {};
}

export async function describeRules(ctx: LoadBalancingContext, request: DescribeRulesRequest): Promise<{ Rules: RuleView[] }> {
  const rules = (await ctx.store.loadBalancing.rules()).filter((r) => (!request.ListenerArn || r.listenerArn === request.ListenerArn) && (!request.RuleArns || request.RuleArns.includes(r.arn)));
  return { Rules: rules.map(ruleView) };
}

/** DescribeListeners: all, those of a load balancer, or by ARNs (a missing one is an error, as ELBv2). */
export async function describeListeners(ctx: LoadBalancingContext, request: DescribeListenersRequest = {}): Promise<{ Listeners: ListenerView[] }> {
  let listeners = await ctx.store.loadBalancing.listeners();
  if (request.LoadBalancerArn !== undefined) {
    await requireLoadBalancerArn(ctx, ctx.store, request.LoadBalancerArn);
    listeners = listeners.filter((l) => listenerLoadBalancer(ctx.arnScope, l) === request.LoadBalancerArn);
  }
  if (request.ListenerArns !== undefined) {
    const all = listeners;
    listeners = request.ListenerArns.map((a) => all.find((l) => l.arn === a) ?? notFoundListener(a));
  }
  return { Listeners: listeners.map((l) => listenerView(ctx.arnScope, l)) };
}

function notFoundListener(listener: string): never {
  throw wharfError('WHARF_E_LISTENER_NOT_FOUND', { listener });
}

/**
 * SetRulePriorities: new priorities for rules, all at once (two rules may swap); refused whole when
 * a rule is missing or two rules of a listener would share a priority.
 */
export async function setRulePriorities(ctx: LoadBalancingContext, request: SetRulePrioritiesRequest, meta: RequestMeta): Promise<{ Rules: RuleView[] }> {
  const changed = await ctx.store.transaction(async (tx) => {
    const rules = await tx.loadBalancing.rules();
    const wanted = new Map<string, number>();
    request.RulePriorities.forEach((p, i) => {
      if (!rules.some((r) => r.arn === p.RuleArn)) throw wharfError('WHARF_E_RULE_NOT_FOUND', { rule: p.RuleArn }, { errors: [{ field: `RulePriorities.${i}.RuleArn`, message: 'No such rule' }] });
      if (wanted.has(p.RuleArn)) throw wharfError('WHARF_E_VALIDATION', { summary: `RulePriorities names rule ${p.RuleArn} twice` }, { errors: [{ field: `RulePriorities.${i}.RuleArn`, message: 'Name each rule once' }] });
      wanted.set(p.RuleArn, p.Priority);
    });
    const next = rules.map((r) => (wanted.has(r.arn) ? { ...r, priority: wanted.get(r.arn)! } : r));
    for (const listenerArn of new Set(next.filter((r) => wanted.has(r.arn)).map((r) => r.listenerArn))) {
      const conflict = ruleConflicts(next.filter((r) => r.listenerArn === listenerArn)).find((c) => c.field === 'priority');
      if (conflict) throw wharfError('WHARF_E_RULE_CONFLICT', { reason: conflict.message }, { errors: [{ field: 'RulePriorities', message: conflict.message }] });
    }
    const moved = next.filter((r) => wanted.has(r.arn));
    // Two steps, so that rules swapping priorities never meet the (listener, priority) uniqueness halfway.
    for (const [i, r] of moved.entries()) await tx.loadBalancing.replaceRule({ ...r, priority: -(i + 1) });
    for (const r of moved) {
      await tx.loadBalancing.replaceRule(r);
      await tx.events.append({ resourceType: 'rule', resourceId: r.arn, severity: 'INFO', message: `Rule priority set to ${r.priority}.`, requestId: meta.requestId, time: meta.now });
    }
    return moved;
  });
  ctx.changed();
  return { Rules: changed.map(ruleView) };
}

export async function describeListenersOf(ctx: LoadBalancingContext, loadBalancer: string): Promise<ListenerRecord[]> {
  return (await ctx.store.loadBalancing.listeners()).filter((l) => listenerLoadBalancer(ctx.arnScope, l) === loadBalancer);
}
