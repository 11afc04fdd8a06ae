/**
 * The router's routing table, shaped like Elastic Load Balancing v2 (application load balancers):
 * target groups with their health checks and deregistration delay, the targets registered in
 * them, listeners (one per port) with a default action, and rules (priority, host-header and
 * path-pattern conditions, a forward action to one or more weighted target groups).
 *
 * The zod schemas here are the one validation of these shapes: the controller's elbv2 API parses
 * requests with them, and the router parses every table it receives (from the controller, or from
 * its cache file) with `routingTableSchema`. Ranges and defaults are ELBv2's; cross-field rules
 * (timeout below interval, no conflicting rules, weights not all zero, references that resolve)
 * are checked in the same parse and name the offending field.
 */
import { z } from 'zod';

/** ELBv2's defaults for a target group's health check and deregistration delay (ALB, HTTP). */
export const TARGET_GROUP_DEFAULTS = {
  healthCheckPath: '/',
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThresholdCount: 5,
  unhealthyThresholdCount: 2,
  matcherHttpCode: '200',
  deregistrationDelaySeconds: 300,
} as const;

/** ELBv2's ranges. */
export const ROUTING_LIMITS = {
  intervalSeconds: { min: 5, max: 300 },
  timeoutSeconds: { min: 2, max: 120 },
  thresholdCount: { min: 2, max: 10 },
  deregistrationDelaySeconds: { min: 0, max: 3600 },
  /** Forward-action weights per target group. */
  weight: { min: 0, max: 999 },
  /** Rule priorities on a listener. */
  priority: { min: 1, max: 50_000 },
  /** Condition values per rule (host-header and path-pattern values together), as ALB. */
  conditionValues: 5,
  /** Characters per condition value. */
  conditionValueLength: 128,
  /** Target groups one forward action may name. */
  forwardTargetGroups: 5,
  /** Status codes the health check matcher may accept (ALB). */
  matcherCode: { min: 200, max: 499 },
} as const;

/** The largest target weight (HAProxy's server weights go to 256). */
export const TARGET_WEIGHT_MAX = 256;

/** The states of a registered target, as the router sees it (see src/router/README.md). */
export const TARGET_STATES = ['initial', 'healthy', 'unhealthy', 'draining'] as const;
export type TargetState = (typeof TARGET_STATES)[number];

const int = (min: number, max: number, what: string) =>
  z
    .number({ message: `${what} must be a whole number from ${min} to ${max}` })
    .int(`${what} must be a whole number from ${min} to ${max}`)
    .min(min, `${what} must be at least ${min}`)
    .max(max, `${what} must be at most ${max}`);

/** `200`, `200-299`, `200,302` or a mix (`200,301-302`), every code from 200 to 499, ranges low-high. */
const HTTP_CODE_LIST = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;

/** The inclusive code ranges a matcher string stands for; undefined when it is malformed. */
export function parseMatcherCodes(httpCode: string): readonly (readonly [number, number])[] | undefined {
  if (!HTTP_CODE_LIST.test(httpCode)) return undefined;
  const ranges: [number, number][] = [];
  for (const part of httpCode.split(',')) {
    const [low, high = low] = part.split('-').map(Number) as [number, number?];
    if (high < low || low < ROUTING_LIMITS.matcherCode.min || high > ROUTING_LIMITS.matcherCode.max) return undefined;
    ranges.push([low, high]);
  }
  return ranges;
}

/** Whether `status` is one of the codes a matcher string accepts. */
export function matcherAccepts(httpCode: string, status: number): boolean {
  return (parseMatcherCodes(httpCode) ?? []).some(([low, high]) => status >= low && status <= high);
}

export const matcherSchema = z
  .object({
    httpCode: z
      .string()
      .refine((value) => parseMatcherCodes(value) !== undefined, 'Give status codes from 200 to 499 as "200", "200-299" or "200,302"')
      .default(TARGET_GROUP_DEFAULTS.matcherHttpCode),
  })
  .strict();

export const healthCheckSchema = z
  .object({
    path: z
      .string()
      .max(1024, 'A health check path has at most 1024 characters')
      .regex(/^\/[^\s#]*$/, 'A health check path starts with "/" and has no spaces')
      .default(TARGET_GROUP_DEFAULTS.healthCheckPath),
    intervalSeconds: int(ROUTING_LIMITS.intervalSeconds.min, ROUTING_LIMITS.intervalSeconds.max, 'intervalSeconds').default(TARGET_GROUP_DEFAULTS.intervalSeconds),
    timeoutSeconds: int(ROUTING_LIMITS.timeoutSeconds.min, ROUTING_LIMITS.timeoutSeconds.max, 'timeoutSeconds').default(TARGET_GROUP_DEFAULTS.timeoutSeconds),
    healthyThresholdCount: int(ROUTING_LIMITS.thresholdCount.min, ROUTING_LIMITS.thresholdCount.max, 'healthyThresholdCount').default(TARGET_GROUP_DEFAULTS.healthyThresholdCount),
    unhealthyThresholdCount: int(ROUTING_LIMITS.thresholdCount.min, ROUTING_LIMITS.thresholdCount.max, 'unhealthyThresholdCount').default(TARGET_GROUP_DEFAULTS.unhealthyThresholdCount),
    matcher: matcherSchema.default({ httpCode: TARGET_GROUP_DEFAULTS.matcherHttpCode }),
  })
  .strict()
  .refine((check) => check.timeoutSeconds < check.intervalSeconds, {
    path: ['timeoutSeconds'],
    message: 'timeoutSeconds must be less than intervalSeconds',
  });
export type HealthCheck = Readonly<z.output<typeof healthCheckSchema>>;

/** A target: where one copy of an application listens (for a task, its host and dynamic host port). */
export const targetSchema = z
  .object({
    /** Unique within its target group; for ECS tasks, the task id (with the container port when a task has several). */
    id: z.string().regex(/^[A-Za-z0-9_.:/-]{1,255}$/, 'A target id has 1 to 255 letters, numbers and _ . : / -'),
    host: z.string().regex(/^[A-Za-z0-9.:_-]{1,253}$/, 'A target host is an IP address or a host name'),
    port: int(1, 65535, 'port'),
    /**
     * Wharf: the target's share of its group's requests relative to the others (absent: 1; 0: none).
     * ELBv2 targets have none; a service's traffic split (TrafficSplitting) sets it per task.
     */
    weight: int(0, TARGET_WEIGHT_MAX, 'weight').optional(),
  })
  .strict();
export type Target = Readonly<z.output<typeof targetSchema>>;

/** A target group's name, as ELBv2: 1-32 letters, numbers and hyphens, not starting or ending with a hyphen. */
export const TARGET_GROUP_NAME = /^(?!-)[A-Za-z0-9-]{1,32}(?<!-)$/;

export const targetGroupSchema = z
  .object({
    name: z.string().regex(TARGET_GROUP_NAME, 'A target group name has 1 to 32 letters, numbers and hyphens, and does not start or end with a hyphen'),
    /** The ARN the controller gave it; rules and listeners name target groups by it. */
    arn: z.string().min(1).max(512),
    protocol: z.literal('HTTP').default('HTTP'),
    /** The port targets receive traffic on unless a target says otherwise (kept for ELBv2 shape; targets carry their own). */
    port: int(1, 65535, 'port').default(80),
    healthCheck: healthCheckSchema.default(() => healthCheckSchema.parse({})),
    deregistrationDelaySeconds: int(
      ROUTING_LIMITS.deregistrationDelaySeconds.min,
      ROUTING_LIMITS.deregistrationDelaySeconds.max,
      'deregistrationDelaySeconds',
    ).default(TARGET_GROUP_DEFAULTS.deregistrationDelaySeconds),
    targets: z.array(targetSchema).default([]),
  })
  .strict()
  .superRefine((group, ctx) => {
    const seen = new Set<string>();
    group.targets.forEach((target, index) => {
      if (seen.has(target.id)) ctx.addIssue({ code: 'custom', path: ['targets', index, 'id'], message: `Target "${target.id}" is registered twice in this target group` });
      seen.add(target.id);
    });
  });
export type TargetGroup = Readonly<z.output<typeof targetGroupSchema>>;

export const weightedTargetGroupSchema = z
  .object({
    targetGroupArn: z.string().min(1),
    weight: int(ROUTING_LIMITS.weight.min, ROUTING_LIMITS.weight.max, 'weight').default(1),
  })
  .strict();
export type WeightedTargetGroup = Readonly<z.output<typeof weightedTargetGroupSchema>>;

/** Forward to one or more target groups; each request picks one by weight. */
export const forwardActionSchema = z
  .object({
    type: z.literal('forward'),
    targetGroups: z
      .array(weightedTargetGroupSchema)
      .min(1, 'A forward action names at least one target group')
      .max(ROUTING_LIMITS.forwardTargetGroups, `A forward action names at most ${ROUTING_LIMITS.forwardTargetGroups} target groups`),
  })
  .strict()
  .superRefine((action, ctx) => {
    if (action.targetGroups.every((group) => group.weight === 0)) {
      ctx.addIssue({ code: 'custom', path: ['targetGroups'], message: 'At least one target group needs a weight above 0' });
    }
    const seen = new Set<string>();
    action.targetGroups.forEach((group, index) => {
      if (seen.has(group.targetGroupArn)) ctx.addIssue({ code: 'custom', path: ['targetGroups', index, 'targetGroupArn'], message: 'A target group appears twice in this action' });
      seen.add(group.targetGroupArn);
    });
  });
export type ForwardAction = Readonly<z.output<typeof forwardActionSchema>>;

/** A fixed answer (ELBv2's fixed-response action), for a listener's default. */
export const fixedResponseActionSchema = z
  .object({
    type: z.literal('fixed-response'),
    statusCode: int(200, 599, 'statusCode'),
    contentType: z.enum(['text/plain', 'text/css', 'text/html', 'application/javascript', 'application/json']).default('text/plain'),
    messageBody: z.string().max(1024, 'A fixed response body has at most 1024 characters').default(''),
  })
  .strict();
export type FixedResponseAction = Readonly<z.output<typeof fixedResponseActionSchema>>;

export const listenerActionSchema = z.discriminatedUnion('type', [forwardActionSchema, fixedResponseActionSchema]);
export type ListenerAction = Readonly<z.output<typeof listenerActionSchema>>;

/** Host header values: letters, digits, `-`, `.`, and the wildcards `*` (any run) and `?` (one character). */
const HOST_VALUE = /^[A-Za-z0-9.*?-]+$/;
/** Path pattern values: ALB's characters, plus `*` and `?`. */
const PATH_VALUE = /^[A-Za-z0-9_\-.$/~"'@:+&*?%=]+$/;

export const ruleConditionsSchema = z
  .object({
    hostHeader: z
      .array(
        z
          .string()
          .max(ROUTING_LIMITS.conditionValueLength)
          .regex(HOST_VALUE, 'A host-header value has letters, digits, "-", "." and the wildcards "*" and "?"'),
      )
      .min(1, 'Give at least one host-header value, or leave hostHeader out')
      .optional(),
    pathPattern: z
      .array(
        z
          .string()
          .max(ROUTING_LIMITS.conditionValueLength)
          .regex(PATH_VALUE, 'A path-pattern value has letters, digits, the characters _ - . $ / ~ " \' @ : + & % = and the wildcards "*" and "?"'),
      )
      .min(1, 'Give at least one path-pattern value, or leave pathPattern out')
      .optional(),
  })
  .strict()
  .superRefine((conditions, ctx) => {
    const count = (conditions.hostHeader?.length ?? 0) + (conditions.pathPattern?.length ?? 0);
    if (count === 0) ctx.addIssue({ code: 'custom', path: [], message: 'A rule needs a hostHeader or a pathPattern condition' });
    if (count > ROUTING_LIMITS.conditionValues) {
      ctx.addIssue({ code: 'custom', path: [], message: `A rule has at most ${ROUTING_LIMITS.conditionValues} condition values in all (it has ${count})` });
    }
  });
export type RuleConditions = Readonly<z.output<typeof ruleConditionsSchema>>;

export const ruleSchema = z
  .object({
    /** The controller's id (ARN) for the rule; optional in the router's table. */
    arn: z.string().min(1).optional(),
    priority: int(ROUTING_LIMITS.priority.min, ROUTING_LIMITS.priority.max, 'priority'),
    conditions: ruleConditionsSchema,
    action: forwardActionSchema,
  })
  .strict();
export type Rule = Readonly<z.output<typeof ruleSchema>>;

/** Two rules' conditions are identical when they have the same values (order and host case aside). */
export function conditionsKey(conditions: RuleConditions): string {
  const hosts = (conditions.hostHeader ?? []).map((h) => h.toLowerCase()).sort();
  const paths = [...(conditions.pathPattern ?? [])].sort();
  return JSON.stringify([hosts, paths]);
}

/**
 * The conflicts among a listener's rules: the same priority twice, or identical conditions (which
 * would make one of the rules unreachable). Each names the later rule's index. The controller's
 * CreateRule/ModifyRule check a new rule against the listener's others with this.
 */
export function ruleConflicts(rules: readonly Pick<Rule, 'priority' | 'conditions'>[]): { index: number; field: 'priority' | 'conditions'; message: string }[] {
  const conflicts: { index: number; field: 'priority' | 'conditions'; message: string }[] = [];
  const byPriority = new Map<number, number>();
  const byConditions = new Map<string, number>();
  rules.forEach((rule, index) => {
    const samePriority = byPriority.get(rule.priority);
    if (samePriority !== undefined) conflicts.push({ index, field: 'priority', message: `Priority ${rule.priority} is already used by rule ${samePriority} on this listener` });
    else byPriority.set(rule.priority, index);
    const key = conditionsKey(rule.conditions);
    const sameConditions = byConditions.get(key);
    if (sameConditions !== undefined) conflicts.push({ index, field: 'conditions', message: `Rule ${sameConditions} on this listener has the same conditions` });
    else byConditions.set(key, index);
  });
  return conflicts;
}

export const listenerSchema = z
  .object({
    arn: z.string().min(1).optional(),
    port: int(1, 65535, 'port'),
    protocol: z.literal('HTTP').default('HTTP'),
    /** What a request no rule matches gets; without one, a 404 problem (WHARF_E_ROUTER_NO_ROUTE). */
    defaultAction: listenerActionSchema.optional(),
    rules: z.array(ruleSchema).default([]),
  })
  .strict()
  .superRefine((listener, ctx) => {
    for (const conflict of ruleConflicts(listener.rules)) {
      ctx.addIssue({ code: 'custom', path: ['rules', conflict.index, conflict.field], message: conflict.message });
    }
  });
export type Listener = Readonly<z.output<typeof listenerSchema>>;

/** A version of the whole routing table: what the controller serves and every router applies. */
export const routingTableSchema = z
  .object({
    /** Increases with every change; a router applies a table only when its version is newer. */
    version: z.number().int().min(0),
    listeners: z.array(listenerSchema).default([]),
    targetGroups: z.array(targetGroupSchema).default([]),
  })
  .strict()
  .superRefine((table, ctx) => {
    const arns = new Set<string>();
    const names = new Set<string>();
    table.targetGroups.forEach((group, index) => {
      if (arns.has(group.arn)) ctx.addIssue({ code: 'custom', path: ['targetGroups', index, 'arn'], message: `Target group ARN "${group.arn}" appears twice` });
      if (names.has(group.name)) ctx.addIssue({ code: 'custom', path: ['targetGroups', index, 'name'], message: `Target group name "${group.name}" appears twice` });
      arns.add(group.arn);
      names.add(group.name);
    });
    const ports = new Set<number>();
    table.listeners.forEach((listener, index) => {
      if (ports.has(listener.port)) ctx.addIssue({ code: 'custom', path: ['listeners', index, 'port'], message: `Two listeners on port ${listener.port}` });
      ports.add(listener.port);
      const checkAction = (action: ListenerAction | undefined, path: (string | number)[]) => {
        if (action?.type !== 'forward') return;
        action.targetGroups.forEach((group, groupIndex) => {
          if (!arns.has(group.targetGroupArn)) {
            ctx.addIssue({ code: 'custom', path: [...path, 'targetGroups', groupIndex, 'targetGroupArn'], message: `No target group has the ARN "${group.targetGroupArn}"` });
          }
        });
      };
      checkAction(listener.defaultAction, ['listeners', index, 'defaultAction']);
      listener.rules.forEach((rule, ruleIndex) => checkAction(rule.action, ['listeners', index, 'rules', ruleIndex, 'action']));
    });
  });
export type RoutingTable = Readonly<z.output<typeof routingTableSchema>>;
export type RoutingTableInput = z.input<typeof routingTableSchema>;

/** An empty table: what a router serves before it has ever heard from the controller. */
export const EMPTY_ROUTING_TABLE: RoutingTable = routingTableSchema.parse({ version: 0 });

/**
 * The controller's answer to `GET /v1/router/table?version=N&waitMs=M`: the current table. The
 * controller answers at once when its version differs from N, else when it changes or after M ms
 * (then with the same version, which the router ignores).
 */
export interface RouterTableResponse {
  readonly version: number;
  readonly table: RoutingTableInput;
}

/** The path of the controller's routing-table endpoint. */
export const ROUTER_TABLE_PATH = '/v1/router/table';

/** One target's health as a router reports it (ELBv2 DescribeTargetHealth's shape, lower-cased states). */
export interface TargetHealthDescription {
  readonly targetGroupArn: string;
  readonly targetId: string;
  readonly host: string;
  readonly port: number;
  readonly state: TargetState;
  /** Why, when not healthy: `Elb.InitialHealthChecking`, `Target.FailedHealthChecks`, `Target.ResponseCodeMismatch`, `Target.Timeout`, `Target.ConnectionFailed`, `Target.DeregistrationInProgress`. */
  readonly reason?: string;
  readonly description?: string;
}

/** The routers' long poll for the routing table (`GET /v1/router/table`): the version they hold, and how long to wait for a newer one. */
export const routingTableQuerySchema = z.object({ version: z.coerce.number().int().min(0).optional(), waitMs: z.coerce.number().int().min(0).max(30_000).default(0) }).strict();

/**
 * What a router POSTs to the controller's `/v1/router/health` (src/router/health-reporter.ts): each
 * target's health as it sees it, and the requests it answered so far (auto scaling's
 * requests-per-target metric, environment health). Parsed by the controller's route.
 */
export const routerHealthReportSchema = z
  .object({
    targets: z.array(
      z
        .object({
          targetGroupArn: z.string().min(1),
          targetId: z.string().min(1),
          host: z.string(),
          port: z.number().int(),
          state: z.enum(TARGET_STATES),
          reason: z.string().optional(),
          description: z.string().optional(),
        })
        .strict(),
    ),
    /** Requests answered so far per target group name, sampled at `at`. */
    requests: z
      .object({
        at: z.number(),
        byTargetGroup: z.record(z.string(), z.number().nonnegative()),
        /** Of those, answered 5xx (routers before this field send none). */
        errorsByTargetGroup: z.record(z.string(), z.number().nonnegative()).optional(),
        /** Their durations' sum, seconds. */
        secondsByTargetGroup: z.record(z.string(), z.number().nonnegative()).optional(),
        /** The same totals per target id (a service's task), for judging a deployment's new tasks against its old. */
        byTarget: z.record(z.string(), z.object({ requests: z.number().nonnegative(), errors5xx: z.number().nonnegative(), secondsSum: z.number().nonnegative() }).strict()).optional(),
      })
      .strict()
      .optional(),
    /** The listeners this router's data plane serves (routers before this field send none): load balancers are `active` once routers serve their listeners. */
    listeners: z.array(z.object({ arn: z.string().min(1).optional(), port: z.number().int().min(1).max(65535) }).strict()).max(10_000).optional(),
  })
  .strict();
export type RouterHealthReport = z.output<typeof routerHealthReportSchema>;
