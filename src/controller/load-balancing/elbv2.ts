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
import type { ListenerRecord, RuleRecord, TargetGroupRecord } from '../../model/load-balancing.js';
import type { ListenerAction, RuleConditions } from '../../model/routing.js';
import { TARGET_GROUP_DEFAULTS, healthCheckSchema, listenerActionSchema, ruleConditionsSchema, ruleConflicts, targetSchema } from '../../model/routing.js';
import { parseInput, zodFieldErrors } from '../../model/validation.js';
import type { Repositories, Store } from '../../store/store.js';
import type { RequestMeta } from '../request.js';
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
  ModifyTargetGroupRequest,
  RuleConditionInput,
  RuleView,
  TargetGroupView,
  TargetsRequest,
} from '../../model/api/load-balancing.js';

/** The one load balancer Wharf's router is, named as ELBv2 would name it. */
export function loadBalancerArn(scope: ArnScope): string {
  return arn(scope, 'elasticloadbalancing', 'loadbalancer/app/wharf/0000000000000000');
}

const hex = (): string => randomBytes(8).toString('hex');

/** Parses a nested part of a request with a routing-model schema, naming fields under `prefix`. */
function parsePart<S extends z.ZodType>(schema: S, input: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = zodFieldErrors(result.error).map((e) => ({ field: [prefix, e.field].filter(Boolean).join('.'), message: e.message }));
  throw wharfError('WHARF_E_VALIDATION', { summary: `${prefix}: ${errors[0]?.message ?? 'invalid'}` }, { errors });
}

function targetGroupView(scope: ArnScope, g: TargetGroupRecord, inUse: boolean): TargetGroupView {
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
    LoadBalancerArns: inUse ? [loadBalancerArn(scope)] : [],
    DeregistrationDelaySeconds: g.deregistrationDelaySeconds,
  };
}

export interface LoadBalancingContext {
  readonly store: Store;
  readonly arnScope: ArnScope;
  readonly health: TargetHealthBoard;
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
  return { TargetGroups: [targetGroupView(ctx.arnScope, group, false)] };
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
      tags: (request.Tags ?? []).map((t) => ({ key: t.Key, value: t.Value })),
      createdAt: meta.now,
    };
    await tx.loadBalancing.insertTargetGroup(created);
    await event(tx, name, `Target group ${name} created.`, meta);
    return created;
  });
  ctx.changed();
  return { TargetGroups: [targetGroupView(ctx.arnScope, group, false)] };
}

/** DescribeTargetGroups: all, or by ARNs or names (a missing one is an error, as ELBv2). */
export async function describeTargetGroups(ctx: LoadBalancingContext, request: DescribeTargetGroupsRequest): Promise<{ TargetGroups: TargetGroupView[] }> {
  const groups = await ctx.store.loadBalancing.targetGroups();
  const inUse = await usedTargetGroups(ctx.store);
  let chosen = groups;
  if (request.TargetGroupArns) {
    chosen = request.TargetGroupArns.map((a) => groups.find((g) => g.arn === a) ?? notFound(a));
  } else if (request.Names) {
    chosen = request.Names.map((n) => groups.find((g) => g.name === n) ?? notFound(n));
  }
  return { TargetGroups: chosen.map((g) => targetGroupView(ctx.arnScope, g, inUse.has(g.arn))) };
}

function notFound(ref: string): never {
  throw wharfError('WHARF_E_TARGET_GROUP_NOT_FOUND', { targetGroup: ref });
}

async function usedTargetGroups(repos: Repositories): Promise<Set<string>> {
  const used = new Set<string>();
  const visit = (action: ListenerAction | undefined) => {
    if (action?.type === 'forward') for (const g of action.targetGroups) used.add(g.targetGroupArn);
  };
  for (const l of await repos.loadBalancing.listeners()) visit(l.defaultAction);
  for (const r of await repos.loadBalancing.rules()) visit(r.action);
  return used;
}

/** ModifyTargetGroupAttributes: `deregistration_delay.timeout_seconds` (0-3600). */
export async function modifyTargetGroupAttributes(ctx: LoadBalancingContext, request: ModifyTargetGroupAttributesRequest, meta: RequestMeta): Promise<{ Attributes: { Key: string; Value: string }[] }> {
  const patch: { deregistrationDelaySeconds?: number } = {};
  request.Attributes.forEach((a, i) => {
    if (a.Key !== 'deregistration_delay.timeout_seconds') {
      throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: `Attributes.${i}.Key`, format: 'ELBv2 ModifyTargetGroupAttributes', reason: `only deregistration_delay.timeout_seconds is acted on, not ${a.Key}` });
    }
    const seconds = Number(a.Value);
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
      throw wharfError('WHARF_E_VALIDATION', { summary: 'deregistration_delay.timeout_seconds is a whole number of seconds from 0 to 3600' }, { errors: [{ field: `Attributes.${i}.Value`, message: 'Give 0 to 3600' }] });
    }
    patch.deregistrationDelaySeconds = seconds;
  });
  await ctx.store.transaction(async (tx) => {
    const group = await requireTargetGroup(tx, request.TargetGroupArn);
    await tx.loadBalancing.replaceTargetGroup({ ...group, ...patch });
    await event(tx, group.name, `Target group ${group.name}: deregistration delay ${patch.deregistrationDelaySeconds} s.`, meta);
  });
  ctx.changed();
  return { Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(patch.deregistrationDelaySeconds) }] };
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

/** CreateListener: one per port. The router serves the listener on its own port (`wharf router --port`). */
export async function createListener(ctx: LoadBalancingContext, request: CreateListenerRequest, meta: RequestMeta): Promise<{ Listeners: ListenerView[] }> {
  const action = toAction(request.DefaultActions[0]!, 'DefaultActions.0');
  const listener = await ctx.store.transaction(async (tx) => {
    await checkReferences(tx, action, 'DefaultActions.0');
    if ((await tx.loadBalancing.listeners()).some((l) => l.port === request.Port)) throw wharfError('WHARF_E_LISTENER_EXISTS', { port: request.Port });
    const created: ListenerRecord = { arn: arn(ctx.arnScope, 'elasticloadbalancing', `listener/app/wharf/0000000000000000/${hex()}`), port: request.Port, protocol: 'HTTP', defaultAction: action, createdAt: meta.now };
    await tx.loadBalancing.insertListener(created);
    await tx.events.append({ resourceType: 'listener', resourceId: created.arn, severity: 'INFO', message: `Listener on port ${created.port} created.`, requestId: meta.requestId, time: meta.now });
    return created;
  });
  ctx.changed();
  return { Listeners: [{ ListenerArn: listener.arn, LoadBalancerArn: loadBalancerArn(ctx.arnScope), Port: listener.port, Protocol: 'HTTP', DefaultActions: actionView(listener.defaultAction) }] };
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
    const created: RuleRecord = { arn: `${request.ListenerArn.replace(':listener/', ':listener-rule/')}/${hex()}`, listenerArn: request.ListenerArn, priority: request.Priority, conditions, action, createdAt: meta.now };
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

export async function describeListeners(ctx: LoadBalancingContext): Promise<{ Listeners: ListenerView[] }> {
  return { Listeners: (await ctx.store.loadBalancing.listeners()).map((l) => ({ ListenerArn: l.arn, LoadBalancerArn: loadBalancerArn(ctx.arnScope), Port: l.port, Protocol: 'HTTP', DefaultActions: actionView(l.defaultAction) })) };
}
