/**
 * Application Auto Scaling for ECS services: scalable targets (min and max capacity of a service's
 * desired count), target-tracking policies, and the activities they caused.
 */

export const PREDEFINED_METRICS = ['ECSServiceAverageCPUUtilization', 'ALBRequestCountPerTarget'] as const;
export type PredefinedMetric = (typeof PREDEFINED_METRICS)[number];

/**
 * The role Application Auto Scaling acts as on ECS services: its service-linked role, whatever
 * RoleARN a registration names (AWS uses the service-linked role for ECS and reports it).
 */
export function serviceLinkedRoleArn(accountId: string): string {
  return `arn:wharf:iam::${accountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`;
}

/** Application Auto Scaling's default cooldowns for ECS, seconds. */
export const DEFAULT_COOLDOWN_SECONDS = 300;

export interface ScalableTargetRecord {
  /** `service/<cluster>/<service>` */
  readonly resourceId: string;
  readonly arn: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** `scheduledScaling` is absent in targets stored before scheduled actions existed (false). */
  readonly suspended: { readonly dynamicScalingIn: boolean; readonly dynamicScalingOut: boolean; readonly scheduledScaling?: boolean };
  /** When it last scaled out / in (ms), for cooldowns. */
  readonly lastScaleOutAt: number | null;
  readonly lastScaleInAt: number | null;
  readonly createdAt: number;
  /** The user's tags (RegisterScalableTarget's `Tags` at creation, TagResource); absent in targets stored before tags existed. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface ScalingPolicyRecord {
  readonly arn: string;
  readonly name: string;
  readonly resourceId: string;
  readonly metric: PredefinedMetric;
  /** For ALBRequestCountPerTarget: the target group, by ARN, by name, or in AWS's `app/<lb>/<id>/targetgroup/<name>/<id>` form (targetGroupArnFor). */
  readonly resourceLabel: string | null;
  readonly targetValue: number;
  readonly scaleOutCooldownSeconds: number;
  readonly scaleInCooldownSeconds: number;
  readonly disableScaleIn: boolean;
  readonly createdAt: number;
}

export interface ScalingActivityRecord {
  readonly id: string;
  readonly resourceId: string;
  readonly description: string;
  readonly cause: string;
  readonly from: number;
  readonly to: number;
  readonly at: number;
  /** What DescribeScalingActivities says it did; absent: the desired count it set. */
  readonly statusMessage?: string;
}

/**
 * A scheduled action: at its times (`at(…)`, `rate(…)`, `cron(…)` in `timezone`, between `startTime`
 * and `endTime`), the scaler sets the target's min and max capacity to the action's.
 */
export interface ScheduledActionRecord {
  readonly arn: string;
  readonly name: string;
  readonly resourceId: string;
  /** As the caller wrote it: `at(2026-01-01T00:00:00)`, `rate(5 minutes)`, `cron(0 9 * * ? *)`. */
  readonly schedule: string;
  /** An IANA time zone the schedule's times are in; `UTC` by default. */
  readonly timezone: string;
  readonly startTime: number | null;
  readonly endTime: number | null;
  readonly minCapacity: number | null;
  readonly maxCapacity: number | null;
  readonly createdAt: number;
  /** When it was last put (a put restarts a rate's count and the window fired times are looked for in). */
  readonly updatedAt: number;
  /** The schedule time it last fired for (ms), null before its first. */
  readonly lastFiredAt: number | null;
}
