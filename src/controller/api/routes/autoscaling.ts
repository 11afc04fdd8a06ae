/**
 * Application Auto Scaling: POST /v1/application-autoscaling/<Operation> with AWS's PascalCase JSON
 * (RegisterScalableTarget, DescribeScalableTargets, PutScalingPolicy, DescribeScalingPolicies,
 * DescribeScalingActivities).
 */
import { parseInput } from '../../../model/validation.js';
import { describeAutoScalingRequestSchema, putScalingPolicyRequestSchema, registerScalableTargetRequestSchema } from '../../../model/api/autoscaling.js';
import { describeScalableTargets, describeScalingActivities, describeScalingPolicies, putScalingPolicy, registerScalableTarget } from '../../autoscaling/autoscaling.js';
import type { RouteHandlers } from '../handlers.js';
import type { ApiContext } from '../route-context.js';

export function autoScalingRoutes(ctx: ApiContext): RouteHandlers {
  const meta = (requestId: string) => ({ requestId, now: Date.now() });
  const path = (name: string) => `POST /v1/application-autoscaling/${name}`;
  return {
    [path('RegisterScalableTarget')]: async ({ body }, id) => registerScalableTarget(ctx, parseInput(registerScalableTargetRequestSchema, body, 'RegisterScalableTarget request'), meta(id)),
    [path('PutScalingPolicy')]: async ({ body }, id) => putScalingPolicy(ctx, parseInput(putScalingPolicyRequestSchema, body, 'PutScalingPolicy request'), meta(id)),
    [path('DescribeScalableTargets')]: async ({ body }) => describeScalableTargets(ctx, parseInput(describeAutoScalingRequestSchema, body, 'DescribeScalableTargets request')),
    [path('DescribeScalingPolicies')]: async ({ body }) => describeScalingPolicies(ctx, parseInput(describeAutoScalingRequestSchema, body, 'DescribeScalingPolicies request')),
    [path('DescribeScalingActivities')]: async ({ body }) => describeScalingActivities(ctx, parseInput(describeAutoScalingRequestSchema, body, 'DescribeScalingActivities request')),
  };
}
