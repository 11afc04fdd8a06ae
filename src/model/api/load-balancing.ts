/**
 * ELBv2 on Wharf's router (`POST /v1/elbv2/<Operation>`, AWS's PascalCase JSON): the requests of
 * the load balancer, target group, target, listener, rule and tag operations and what they answer
 * with; and the
 * routers' side (`/v1/router/table`, `/v1/router/health`). The router's own shapes and ranges are
 * in `model/routing.ts`; the controller turns these requests into them.
 */
import { z } from 'zod';
import { bodyOperations } from './operation.js';
import { notYetField } from '../validation.js';

/** ELBv2 tags (PascalCase `Key`/`Value`, unlike ECS's); at most 50 on a resource (checked with the ones it has). */
const tagsSchema = z.array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256).default('') }).strict()).max(50);

/** ELBv2's load balancer names: 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen, not starting with `internal-`. */
export const LOAD_BALANCER_NAME = /^(?!-)(?!internal-)[A-Za-z0-9-]{1,32}(?<!-)$/;

export const createLoadBalancerRequestSchema = z
  .object({
    Name: z.string().regex(LOAD_BALANCER_NAME, 'A load balancer name has 1 to 32 letters, numbers and hyphens, does not start or end with a hyphen, and does not start with "internal-"'),
    /** Checked by the controller: `network` and `gateway` are refused by name. */
    Type: z.enum(['application', 'network', 'gateway']).default('application'),
    Scheme: z.enum(['internet-facing', 'internal']).default('internet-facing'),
    IpAddressType: z.literal('ipv4', { message: "Wharf's load balancers are IPv4 ('ipv4')" }).default('ipv4'),
    CustomerOwnedIpv4Pool: notYetField('no Outposts here: the routers serve every load balancer'),
    Tags: tagsSchema.optional(),
  })
  .strict();

/** A load balancer in ELBv2's response shape. */
export interface LoadBalancerView {
  LoadBalancerArn: string;
  DNSName: string;
  CanonicalHostedZoneId: string;
  CreatedTime: string;
  LoadBalancerName: string;
  Scheme: 'internet-facing' | 'internal';
  State: { Code: 'active' | 'provisioning'; Reason?: string };
  Type: 'application';
  AvailabilityZones: unknown[];
  SecurityGroups: string[];
  IpAddressType: 'ipv4';
}

export const describeLoadBalancersRequestSchema = z
  .object({
    LoadBalancerArns: z.array(z.string().min(1)).max(20).optional(),
    Names: z.array(z.string().min(1)).max(20).optional(),
  })
  .strict();

export const deleteLoadBalancerRequestSchema = z.object({ LoadBalancerArn: z.string().min(1) }).strict();

const attributeSchema = z.object({ Key: z.string().min(1).max(256), Value: z.string().max(1024) }).strict();

export const describeLoadBalancerAttributesRequestSchema = z.object({ LoadBalancerArn: z.string().min(1) }).strict();
export const modifyLoadBalancerAttributesRequestSchema = z.object({ LoadBalancerArn: z.string().min(1), Attributes: z.array(attributeSchema).min(1).max(20) }).strict();
export const describeTargetGroupAttributesRequestSchema = z.object({ TargetGroupArn: z.string().min(1) }).strict();

export const addTagsRequestSchema = z.object({ ResourceArns: z.array(z.string().min(1)).min(1).max(20), Tags: tagsSchema.min(1) }).strict();
export const removeTagsRequestSchema = z.object({ ResourceArns: z.array(z.string().min(1)).min(1).max(20), TagKeys: z.array(z.string().min(1).max(128)).min(1).max(50) }).strict();
export const describeTagsRequestSchema = z.object({ ResourceArns: z.array(z.string().min(1)).min(1).max(20) }).strict();

export const setRulePrioritiesRequestSchema = z
  .object({ RulePriorities: z.array(z.object({ RuleArn: z.string().min(1), Priority: z.number().int().min(1).max(50_000) }).strict()).min(1).max(100) })
  .strict();

export const deleteListenerRequestSchema = z.object({ ListenerArn: z.string().min(1) }).strict();

/** ELBv2's health check fields, as CreateTargetGroup and ModifyTargetGroup take them (ranges are checked by healthCheckSchema). */
const healthCheckFields = {
  HealthCheckProtocol: z.literal('HTTP').optional(),
  HealthCheckPort: z.string().optional(),
  HealthCheckEnabled: z.literal(true).optional(),
  HealthCheckPath: z.string().optional(),
  HealthCheckIntervalSeconds: z.number().optional(),
  HealthCheckTimeoutSeconds: z.number().optional(),
  HealthyThresholdCount: z.number().optional(),
  UnhealthyThresholdCount: z.number().optional(),
  Matcher: z.object({ HttpCode: z.string(), GrpcCode: notYetField('target groups speak HTTP, not gRPC') }).strict().optional(),
};

export const createTargetGroupRequestSchema = z
  .object({
    Name: z.string().min(1),
    Protocol: z.literal('HTTP', { message: 'Wharf target groups speak HTTP' }).default('HTTP'),
    ProtocolVersion: z.literal('HTTP1').optional(),
    Port: z.number().int().min(1).max(65535).default(80),
    VpcId: z.string().optional(),
    TargetType: z.enum(['instance', 'ip']).default('instance'),
    IpAddressType: z.literal('ipv4', { message: "Wharf's target groups are IPv4 ('ipv4')" }).optional(),
    ...healthCheckFields,
    Tags: tagsSchema.optional(),
  })
  .strict();

/** A target group in ELBv2's response shape. */
export interface TargetGroupView {
  TargetGroupArn: string;
  TargetGroupName: string;
  Protocol: 'HTTP';
  Port: number;
  TargetType: 'instance' | 'ip';
  HealthCheckProtocol: 'HTTP';
  HealthCheckPort: 'traffic-port';
  HealthCheckEnabled: true;
  HealthCheckPath: string;
  HealthCheckIntervalSeconds: number;
  HealthCheckTimeoutSeconds: number;
  HealthyThresholdCount: number;
  UnhealthyThresholdCount: number;
  Matcher: { HttpCode: string };
  LoadBalancerArns: string[];
  DeregistrationDelaySeconds: number;
}

export const modifyTargetGroupRequestSchema = z
  .object({
    TargetGroupArn: z.string().min(1),
    ...healthCheckFields,
  })
  .strict();

export const describeTargetGroupsRequestSchema = z
  .object({
    TargetGroupArns: z.array(z.string()).optional(),
    Names: z.array(z.string()).optional(),
    LoadBalancerArn: z.string().optional(),
    PageSize: z.number().int().min(1).max(400).optional(),
    Marker: z.string().optional(),
  })
  .strict();

export const modifyTargetGroupAttributesRequestSchema = z
  .object({
    TargetGroupArn: z.string().min(1),
    Attributes: z.array(z.object({ Key: z.string(), Value: z.string() }).strict()).min(1),
  })
  .strict();

const targetSchema = z.object({ Id: z.string().min(1), Port: z.number().int().min(1).max(65535).optional(), AvailabilityZone: z.string().optional() }).strict();

const targetsRequestSchema = z
  .object({
    TargetGroupArn: z.string().min(1),
    Targets: z.array(targetSchema).min(1).max(500),
  })
  .strict();
export const registerTargetsRequestSchema = targetsRequestSchema;
export const deregisterTargetsRequestSchema = targetsRequestSchema;

export type TargetsRequest = z.infer<typeof targetsRequestSchema>;

export const describeTargetHealthRequestSchema = z.object({ TargetGroupArn: z.string().min(1), Targets: z.array(targetSchema).max(500).optional(), Include: z.array(z.enum(['AnomalyDetection', 'All'])).optional() }).strict();

/** An ELBv2 action as requests give it (the controller turns it into the router's). */
const actionInputSchema = z
  .object({
    Type: z.enum(['forward', 'fixed-response']),
    TargetGroupArn: z.string().optional(),
    ForwardConfig: z
      .object({ TargetGroups: z.array(z.object({ TargetGroupArn: z.string(), Weight: z.number().optional() }).strict()), TargetGroupStickinessConfig: notYetField('the routers have no sticky sessions') })
      .strict()
      .optional(),
    FixedResponseConfig: z.object({ StatusCode: z.string(), ContentType: z.string().optional(), MessageBody: z.string().optional() }).strict().optional(),
    Order: z.number().int().optional(),
    AuthenticateOidcConfig: notYetField("the routers do not authenticate; use 'forward' or 'fixed-response'"),
    AuthenticateCognitoConfig: notYetField("the routers do not authenticate; use 'forward' or 'fixed-response'"),
    RedirectConfig: notYetField("the routers do not redirect; use 'forward' or 'fixed-response'"),
  })
  .strict();

export type ListenerActionInput = z.infer<typeof actionInputSchema>;

export const describeListenersRequestSchema = z.object({ LoadBalancerArn: z.string().optional(), ListenerArns: z.array(z.string()).max(20).optional() }).strict();

export const createListenerRequestSchema = z
  .object({
    LoadBalancerArn: z.string().optional(),
    Protocol: z.literal('HTTP').default('HTTP'),
    Port: z.number().int().min(1).max(65535),
    DefaultActions: z.array(actionInputSchema).min(1).max(1),
    SslPolicy: notYetField('listeners speak HTTP; TLS is not terminated by the routers'),
    Certificates: notYetField('listeners speak HTTP; TLS is not terminated by the routers'),
    AlpnPolicy: notYetField('listeners speak HTTP; TLS is not terminated by the routers'),
    Tags: tagsSchema.optional(),
  })
  .strict();

export const modifyListenerRequestSchema = z
  .object({
    ListenerArn: z.string().min(1),
    Port: z.number().int().min(1).max(65535).optional(),
    Protocol: z.literal('HTTP', { message: "Wharf's listeners speak HTTP ('HTTP')" }).optional(),
    DefaultActions: z.array(actionInputSchema).min(1).max(1).optional(),
    SslPolicy: notYetField('listeners speak HTTP; TLS is not terminated by the routers'),
    Certificates: notYetField('listeners speak HTTP; TLS is not terminated by the routers'),
    AlpnPolicy: notYetField('listeners speak HTTP; TLS is not terminated by the routers'),
  })
  .strict();

/** A listener in ELBv2's response shape. */
export interface ListenerView {
  ListenerArn: string;
  LoadBalancerArn: string;
  Port: number;
  Protocol: 'HTTP';
  DefaultActions: unknown[];
}

/** An ELBv2 rule condition as requests give it (host-header or path-pattern). */
const conditionInputSchema = z
  .object({
    Field: z.enum(['host-header', 'path-pattern']),
    Values: z.array(z.string()).optional(),
    HostHeaderConfig: z.object({ Values: z.array(z.string()) }).strict().optional(),
    PathPatternConfig: z.object({ Values: z.array(z.string()) }).strict().optional(),
    HttpHeaderConfig: notYetField("rules match on 'host-header' and 'path-pattern'"),
    QueryStringConfig: notYetField("rules match on 'host-header' and 'path-pattern'"),
    HttpRequestMethodConfig: notYetField("rules match on 'host-header' and 'path-pattern'"),
    SourceIpConfig: notYetField("rules match on 'host-header' and 'path-pattern'"),
  })
  .strict();

export type RuleConditionInput = z.infer<typeof conditionInputSchema>;

export const createRuleRequestSchema = z
  .object({
    ListenerArn: z.string().min(1),
    Priority: z.number().int().min(1).max(50_000),
    Conditions: z.array(conditionInputSchema).min(1),
    Actions: z.array(actionInputSchema).min(1).max(1),
    Tags: tagsSchema.optional(),
  })
  .strict();

export const modifyRuleRequestSchema = z
  .object({
    RuleArn: z.string().min(1),
    Conditions: z.array(conditionInputSchema).min(1).optional(),
    Actions: z.array(actionInputSchema).min(1).max(1).optional(),
  })
  .strict();

/** A rule in ELBv2's response shape. */
export interface RuleView {
  RuleArn: string;
  Priority: string;
  Conditions: unknown[];
  Actions: unknown[];
  IsDefault: false;
}

export const deleteRuleRequestSchema = z.object({ RuleArn: z.string().min(1) }).strict();

export const deleteTargetGroupRequestSchema = z.object({ TargetGroupArn: z.string().min(1) }).strict();

export const describeRulesRequestSchema = z.object({ ListenerArn: z.string().optional(), RuleArns: z.array(z.string()).optional() }).strict();

export type CreateTargetGroupRequest = z.infer<typeof createTargetGroupRequestSchema>;
export type ModifyTargetGroupRequest = z.infer<typeof modifyTargetGroupRequestSchema>;
export type DescribeTargetGroupsRequest = z.infer<typeof describeTargetGroupsRequestSchema>;
export type ModifyTargetGroupAttributesRequest = z.infer<typeof modifyTargetGroupAttributesRequestSchema>;
export type DescribeTargetHealthRequest = z.infer<typeof describeTargetHealthRequestSchema>;
export type DescribeListenersRequest = z.infer<typeof describeListenersRequestSchema>;
export type CreateListenerRequest = z.infer<typeof createListenerRequestSchema>;
export type CreateRuleRequest = z.infer<typeof createRuleRequestSchema>;
export type ModifyRuleRequest = z.infer<typeof modifyRuleRequestSchema>;
export type DeleteRuleRequest = z.infer<typeof deleteRuleRequestSchema>;
export type DeleteTargetGroupRequest = z.infer<typeof deleteTargetGroupRequestSchema>;
export type DescribeRulesRequest = z.infer<typeof describeRulesRequestSchema>;
export type CreateLoadBalancerRequest = z.infer<typeof createLoadBalancerRequestSchema>;
export type DescribeLoadBalancersRequest = z.infer<typeof describeLoadBalancersRequestSchema>;
export type DeleteLoadBalancerRequest = z.infer<typeof deleteLoadBalancerRequestSchema>;
export type DescribeLoadBalancerAttributesRequest = z.infer<typeof describeLoadBalancerAttributesRequestSchema>;
export type ModifyLoadBalancerAttributesRequest = z.infer<typeof modifyLoadBalancerAttributesRequestSchema>;
export type DescribeTargetGroupAttributesRequest = z.infer<typeof describeTargetGroupAttributesRequestSchema>;
export type AddTagsRequest = z.infer<typeof addTagsRequestSchema>;
export type RemoveTagsRequest = z.infer<typeof removeTagsRequestSchema>;
export type DescribeTagsRequest = z.infer<typeof describeTagsRequestSchema>;
export type SetRulePrioritiesRequest = z.infer<typeof setRulePrioritiesRequestSchema>;
export type DeleteListenerRequest = z.infer<typeof deleteListenerRequestSchema>;
export type ModifyListenerRequest = z.infer<typeof modifyListenerRequestSchema>;

/** ELBv2's operations (`2015-12-01`): each one's native route (`POST /v1/elbv2/<Operation>`) and request schema (see `operation.ts`), read by the AWS endpoint's Query protocol and the `wharf elbv2` commands. */
export const ELBV2_API = bodyOperations(
  'elbv2',
  {
    CreateTargetGroup: createTargetGroupRequestSchema,
    DescribeTargetGroups: describeTargetGroupsRequestSchema,
    ModifyTargetGroup: modifyTargetGroupRequestSchema,
    ModifyTargetGroupAttributes: modifyTargetGroupAttributesRequestSchema,
    RegisterTargets: registerTargetsRequestSchema,
    DeregisterTargets: deregisterTargetsRequestSchema,
    DescribeTargetHealth: describeTargetHealthRequestSchema,
    CreateListener: createListenerRequestSchema,
    DescribeListeners: describeListenersRequestSchema,
    ModifyListener: modifyListenerRequestSchema,
    DeleteListener: deleteListenerRequestSchema,
    CreateRule: createRuleRequestSchema,
    ModifyRule: modifyRuleRequestSchema,
    DescribeRules: describeRulesRequestSchema,
    DeleteRule: deleteRuleRequestSchema,
    DeleteTargetGroup: deleteTargetGroupRequestSchema,
    DescribeTargetGroupAttributes: describeTargetGroupAttributesRequestSchema,
    SetRulePriorities: setRulePrioritiesRequestSchema,
    CreateLoadBalancer: createLoadBalancerRequestSchema,
    DescribeLoadBalancers: describeLoadBalancersRequestSchema,
    DeleteLoadBalancer: deleteLoadBalancerRequestSchema,
    DescribeLoadBalancerAttributes: describeLoadBalancerAttributesRequestSchema,
    ModifyLoadBalancerAttributes: modifyLoadBalancerAttributesRequestSchema,
    AddTags: addTagsRequestSchema,
    RemoveTags: removeTagsRequestSchema,
    DescribeTags: describeTagsRequestSchema,
  },
  {
    DescribeListeners: ['Marker', 'PageSize'],
    DescribeRules: ['Marker', 'PageSize'],
    // Every answer is one page: no marker is ever issued.
    DescribeLoadBalancers: ['Marker', 'PageSize'],
    // No VPCs here: the routers serve every load balancer on their own addresses.
    CreateLoadBalancer: ['Subnets', 'SubnetMappings', 'SecurityGroups'],
  },
);
