/**
 * Application Auto Scaling: POST /v1/application-autoscaling/<Operation> with AWS's PascalCase JSON
 * (RegisterScalableTarget, DescribeScalableTargets, PutScalingPolicy, DescribeScalingPolicies,
 * DescribeScalingActivities, DeregisterScalableTarget, DeleteScalingPolicy, PutScheduledAction,
 * DescribeScheduledActions, DeleteScheduledAction, TagResource, UntagResource, ListTagsForResource).
 */
import { parseInput } from '../../../model/validation.js';
import {
  deleteScalingPolicyRequestSchema,
  deleteScheduledActionRequestSchema,
  deregisterScalableTargetRequestSchema,
  describeScalableTargetsRequestSchema,
  describeScalingActivitiesRequestSchema,
  describeScalingPoliciesRequestSchema,
  describeScheduledActionsRequestSchema,
  putScalingPolicyRequestSchema,
  registerScalableTargetRequestSchema,
  scalingListTagsForResourceRequestSchema,
  scalingTagResourceRequestSchema,
  scalingUntagResourceRequestSchema,
} from '../../../model/api/autoscaling.js';
import {
  deleteScalingPolicy,
  deregisterScalableTarget,
  describeScalableTargets,
  describeScalingActivities,
  describeScalingPolicies,
  listScalableTargetTags,
  putScalingPolicy,
  registerScalableTarget,
  tagScalableTarget,
  untagScalableTarget,
} from '../../autoscaling/autoscaling.js';
import { checkedPutScheduledActionRequestSchema, deleteScheduledAction, describeScheduledActions, putScheduledAction } from '../../autoscaling/scheduled.js';
import type { RouteHandlers } from '../handlers.js';
import type { ApiContext } from '../route-context.js';

export function autoScalingRoutes(ctx: ApiContext): RouteHandlers {
  const meta = (requestId: string) => ({ requestId, now: Date.now() });
  const path = (name: string) => `POST /v1/application-autoscaling/${name}`;
  return {
    [path('RegisterScalableTarget')]: async ({ body }, id) => registerScalableTarget(ctx, parseInput(registerScalableTargetRequestSchema, body, 'RegisterScalableTarget request'), meta(id)),
    [path('PutScalingPolicy')]: async ({ body }, id) => putScalingPolicy(ctx, parseInput(putScalingPolicyRequestSchema, body, 'PutScalingPolicy request'), meta(id)),
    [path('DescribeScalableTargets')]: async ({ body }) => describeScalableTargets(ctx, parseInput(describeScalableTargetsRequestSchema, body, 'DescribeScalableTargets request')),
    [path('DescribeScalingPolicies')]: async ({ body }) => describeScalingPolicies(ctx, parseInput(describeScalingPoliciesRequestSchema, body, 'DescribeScalingPolicies request')),
    [path('DescribeScalingActivities')]: async ({ body }) => describeScalingActivities(ctx, parseInput(describeScalingActivitiesRequestSchema, body, 'DescribeScalingActivities request')),
    [path('DeregisterScalableTarget')]: async ({ body }, id) => deregisterScalableTarget(ctx, parseInput(deregisterScalableTargetRequestSchema, body, 'DeregisterScalableTarget request'), meta(id)),
    [path('DeleteScalingPolicy')]: async ({ body }, id) => deleteScalingPolicy(ctx, parseInput(deleteScalingPolicyRequestSchema, body, 'DeleteScalingPolicy request'), meta(id)),
    [path('PutScheduledAction')]: async ({ body }, id) => putScheduledAction(ctx, parseInput(checkedPutScheduledActionRequestSchema, body, 'PutScheduledAction request'), meta(id)),
    [path('DescribeScheduledActions')]: async ({ body }) => describeScheduledActions(ctx, parseInput(describeScheduledActionsRequestSchema, body, 'DescribeScheduledActions request')),
    [path('DeleteScheduledAction')]: async ({ body }, id) => deleteScheduledAction(ctx, parseInput(deleteScheduledActionRequestSchema, body, 'DeleteScheduledAction request'), meta(id)),
    [path('TagResource')]: async ({ body }, id) => tagScalableTarget(ctx, parseInput(scalingTagResourceRequestSchema, body, 'TagResource request'), meta(id)),
    [path('UntagResource')]: async ({ body }, id) => untagScalableTarget(ctx, parseInput(scalingUntagResourceRequestSchema, body, 'UntagResource request'), meta(id)),
    [path('ListTagsForResource')]: async ({ body }) => listScalableTargetTags(ctx, parseInput(scalingListTagsForResourceRequestSchema, body, 'ListTagsForResource request')),
  };
}
