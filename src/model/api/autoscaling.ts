/**
 * Application Auto Scaling for ECS services (`POST /v1/application-autoscaling/<Operation>`, AWS's
 * PascalCase JSON): the requests of RegisterScalableTarget, PutScalingPolicy (target tracking) and
 * the Describe operations.
 */
import { z } from 'zod';
import { DEFAULT_COOLDOWN_SECONDS, PREDEFINED_METRICS } from '../autoscaling.js';
import { MAX_TASKS_PER_SERVICE, MAX_TASKS_PER_SERVICE_MESSAGE } from '../service.js';

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
    Tags: z.record(z.string(), z.string()).optional(),
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

/** DescribeScalableTargets, DescribeScalingPolicies and DescribeScalingActivities. */
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

export type RegisterScalableTargetRequest = z.infer<typeof registerScalableTargetRequestSchema>;
export type PutScalingPolicyRequest = z.infer<typeof putScalingPolicyRequestSchema>;
export type DescribeAutoScalingRequest = z.infer<typeof describeAutoScalingRequestSchema>;
