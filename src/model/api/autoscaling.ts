/**
 * Application Auto Scaling for ECS services (`POST /v1/application-autoscaling/<Operation>`, AWS's
 * PascalCase JSON): the requests of RegisterScalableTarget, PutScalingPolicy (target tracking) and
 * the Describe operations.
 */
import { z } from 'zod';
import { bodyOperations } from './operation.js';
import { DEFAULT_COOLDOWN_SECONDS, PREDEFINED_METRICS } from '../autoscaling.js';
import { MAX_TASKS_PER_SERVICE, MAX_TASKS_PER_SERVICE_MESSAGE } from '../service.js';
import { requestTimeSchema } from './common.js';

/** An ECS service as Application Auto Scaling names it: `service/<cluster>/<service>`. */
export const SCALABLE_RESOURCE_ID = /^service\/([A-Za-z0-9_-]{1,255})\/([A-Za-z0-9_-]{1,255})$/;

const resourceFields = {
  ServiceNamespace: z.literal('ecs', { message: 'Wharf scales ECS services: ServiceNamespace is "ecs"' }),
  ResourceId: z.string().regex(SCALABLE_RESOURCE_ID, 'ResourceId is service/<cluster>/<service>'),
  ScalableDimension: z.literal('ecs:service:DesiredCount', { message: 'ScalableDimension is "ecs:service:DesiredCount"' }),
};

export const registerScalableTargetRequestSchema = z
  .object({
    ...resourceFields,
    MinCapacity: z.number().int().min(0).max(MAX_TASKS_PER_SERVICE, MAX_TASKS_PER_SERVICE_MESSAGE).optional(),
    MaxCapacity: z.number().int().min(0).max(MAX_TASKS_PER_SERVICE, MAX_TASKS_PER_SERVICE_MESSAGE).optional(),
    RoleARN: z.string().optional(),
    SuspendedState: z.object({ DynamicScalingInSuspended: z.boolean().optional(), DynamicScalingOutSuspended: z.boolean().optional(), ScheduledScalingSuspended: z.boolean().optional() }).strict().optional(),
    Tags: z.lazy(() => scalingTagsSchema).optional(),
  })
  .strict();

export const putScalingPolicyRequestSchema = z
  .object({
    PolicyName: z.string().regex(/^[^:/]{1,256}$/, 'A policy name has 1 to 256 characters, without ":" or "/"'),
    ...resourceFields,
    PolicyType: z.literal('TargetTrackingScaling', { message: 'Wharf supports TargetTrackingScaling policies (step scaling is not supported yet)' }),
    TargetTrackingScalingPolicyConfiguration: z
      .object({
        TargetValue: z.number().positive('TargetValue must be above 0'),
        PredefinedMetricSpecification: z.object({ PredefinedMetricType: z.enum(PREDEFINED_METRICS), ResourceLabel: z.string().optional() }).strict(),
        ScaleOutCooldown: z.number().int().min(0).max(86_400).default(DEFAULT_COOLDOWN_SECONDS),
        ScaleInCooldown: z.number().int().min(0).max(86_400).default(DEFAULT_COOLDOWN_SECONDS),
        DisableScaleIn: z.boolean().default(false),
      })
      .strict()
      .refine((c) => c.PredefinedMetricSpecification.PredefinedMetricType !== 'ALBRequestCountPerTarget' || c.PredefinedMetricSpecification.ResourceLabel, {
        path: ['PredefinedMetricSpecification', 'ResourceLabel'],
        message: 'ALBRequestCountPerTarget needs a ResourceLabel naming the target group',
      }),
  })
  .strict();

/** DescribeScalableTargets, DescribeScalingPolicies and DescribeScalingActivities: every member any of them has (each takes its own, below). */
export const describeAutoScalingRequestSchema = z
  .object({
    ServiceNamespace: z.literal('ecs'),
    ResourceIds: z.array(z.string()).optional(),
    ResourceId: z.string().optional(),
    /** DescribeScalingPolicies: only the policies of these names. */
    PolicyNames: z.array(z.string().min(1).max(1600)).max(50).optional(),
    MaxResults: z.number().int().min(1).max(50).optional(),
  })
  .strict();

/** Each Describe operation's own members, as AWS's model has them. */
export const describeScalableTargetsRequestSchema = describeAutoScalingRequestSchema.omit({ ResourceId: true, PolicyNames: true });
export const describeScalingPoliciesRequestSchema = describeAutoScalingRequestSchema.omit({ ResourceIds: true });
export const describeScalingActivitiesRequestSchema = describeAutoScalingRequestSchema.omit({ ResourceIds: true, PolicyNames: true });

/** DeregisterScalableTarget: the target, with its policies and scheduled actions. */
export const deregisterScalableTargetRequestSchema = z.object(resourceFields).strict();

const policyNameSchema = z.string().regex(/^[^:/]{1,256}$/, 'A policy name has 1 to 256 characters, without ":" or "/"');

export const deleteScalingPolicyRequestSchema = z.object({ PolicyName: policyNameSchema, ...resourceFields }).strict();

const scheduledActionNameSchema = z.string().regex(/^[^:/|]{1,256}$/, 'A scheduled action name has 1 to 256 characters, without ":", "/" or "|"');


const capacitySchema = z.number().int().min(0).max(MAX_TASKS_PER_SERVICE, MAX_TASKS_PER_SERVICE_MESSAGE);

/**
 * PutScheduledAction: creates or updates one (fields left out of an update keep their values).
 * The schedule and time zone are checked by the controller (`checkedPutScheduledActionRequestSchema`).
 */
export const putScheduledActionRequestSchema = z
  .object({
    ...resourceFields,
    ScheduledActionName: scheduledActionNameSchema,
    Schedule: z.string().min(1).max(1600).optional(),
    Timezone: z.string().min(1).max(1600).optional(),
    StartTime: requestTimeSchema.optional(),
    EndTime: requestTimeSchema.optional(),
    ScalableTargetAction: z
      .object({ MinCapacity: capacitySchema.optional(), MaxCapacity: capacitySchema.optional() })
      .strict()
      .refine((a) => a.MinCapacity === undefined || a.MaxCapacity === undefined || a.MinCapacity <= a.MaxCapacity, { path: ['MinCapacity'], message: 'MinCapacity must not exceed MaxCapacity' })
      .optional(),
  })
  .strict()
  .refine((r) => r.StartTime === undefined || r.EndTime === undefined || r.StartTime < r.EndTime, { path: ['EndTime'], message: 'EndTime must be after StartTime' });

export const describeScheduledActionsRequestSchema = z
  .object({
    ServiceNamespace: resourceFields.ServiceNamespace,
    ScheduledActionNames: z.array(scheduledActionNameSchema).max(50).optional(),
    ResourceId: z.string().optional(),
    ScalableDimension: resourceFields.ScalableDimension.optional(),
    MaxResults: z.number().int().min(1).max(50).optional(),
  })
  .strict();

export const deleteScheduledActionRequestSchema = z.object({ ...resourceFields, ScheduledActionName: scheduledActionNameSchema }).strict();

/** Application Auto Scaling tags: a map, at most 50, keys 1-128 characters (the `aws:` prefix is reserved), values up to 256. */
export const scalingTagsSchema = z
  .record(z.string().min(1).max(128).refine((k) => !k.toLowerCase().startsWith('aws:'), 'Tag keys starting with "aws:" are reserved'), z.string().max(256))
  .refine((tags) => Object.keys(tags).length <= 50, 'At most 50 tags');

const scalableTargetArnSchema = z.string().min(1).max(1011);

export const scalingTagResourceRequestSchema = z.object({ ResourceARN: scalableTargetArnSchema, Tags: scalingTagsSchema.refine((t) => Object.keys(t).length > 0, 'Give at least one tag') }).strict();
export const scalingUntagResourceRequestSchema = z.object({ ResourceARN: scalableTargetArnSchema, TagKeys: z.array(z.string().min(1).max(128)).min(1).max(200) }).strict();
export const scalingListTagsForResourceRequestSchema = z.object({ ResourceARN: scalableTargetArnSchema }).strict();

export type DeregisterScalableTargetRequest = z.infer<typeof deregisterScalableTargetRequestSchema>;
export type DeleteScalingPolicyRequest = z.infer<typeof deleteScalingPolicyRequestSchema>;
export type PutScheduledActionRequest = z.infer<typeof putScheduledActionRequestSchema>;
export type DescribeScheduledActionsRequest = z.infer<typeof describeScheduledActionsRequestSchema>;
export type DeleteScheduledActionRequest = z.infer<typeof deleteScheduledActionRequestSchema>;
export type ScalingTagResourceRequest = z.infer<typeof scalingTagResourceRequestSchema>;
export type ScalingUntagResourceRequest = z.infer<typeof scalingUntagResourceRequestSchema>;
export type ScalingListTagsForResourceRequest = z.infer<typeof scalingListTagsForResourceRequestSchema>;

export type RegisterScalableTargetRequest = z.infer<typeof registerScalableTargetRequestSchema>;
export type PutScalingPolicyRequest = z.infer<typeof putScalingPolicyRequestSchema>;
export type DescribeAutoScalingRequest = z.infer<typeof describeAutoScalingRequestSchema>;

/** Application Auto Scaling's operations (`AnyScaleFrontendService`): each one's native route (`POST /v1/application-autoscaling/<Operation>`) and request schema (see `operation.ts`), read by the AWS endpoint's JSON protocol and the `wharf application-autoscaling` commands. */
export const AUTOSCALING_API = bodyOperations(
  'application-autoscaling',
  {
    RegisterScalableTarget: registerScalableTargetRequestSchema,
    DescribeScalableTargets: describeScalableTargetsRequestSchema,
    PutScalingPolicy: putScalingPolicyRequestSchema,
    DescribeScalingPolicies: describeScalingPoliciesRequestSchema,
    DescribeScalingActivities: describeScalingActivitiesRequestSchema,
    DeregisterScalableTarget: deregisterScalableTargetRequestSchema,
    DeleteScalingPolicy: deleteScalingPolicyRequestSchema,
    PutScheduledAction: putScheduledActionRequestSchema,
    DescribeScheduledActions: describeScheduledActionsRequestSchema,
    DeleteScheduledAction: deleteScheduledActionRequestSchema,
    TagResource: scalingTagResourceRequestSchema,
    UntagResource: scalingUntagResourceRequestSchema,
    ListTagsForResource: scalingListTagsForResourceRequestSchema,
  },
  {
    // Every answer is one page (no token is ever issued), for every dimension (ECS services have one).
    DescribeScalableTargets: ['ScalableDimension', 'NextToken'],
    DescribeScalingPolicies: ['ScalableDimension', 'NextToken'],
    DescribeScalingActivities: ['ScalableDimension', 'NextToken', 'IncludeNotScaledActivities'],
    DescribeScheduledActions: ['NextToken'],
    // Step and predictive scaling are not Wharf's: a policy of either type is refused by its type.
    PutScalingPolicy: ['StepScalingPolicyConfiguration', 'PredictiveScalingPolicyConfiguration'],
  },
);
