/**
 * Application Auto Scaling: POST /v1/application-autoscaling/<Operation> with AWS's PascalCase JSON
 * (RegisterScalableTarget, DescribeScalableTargets, PutScalingPolicy, DescribeScalingPolicies,
 * DescribeScalingActivities).
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { parseInput } from '../../../model/validation.js';
import {
  describeRequestSchema,
  describeScalableTargets,
  describeScalingActivities,
  describeScalingPolicies,
  putScalingPolicy,
  putScalingPolicyRequestSchema,
  registerScalableTarget,
  registerScalableTargetRequestSchema,
} from '../../autoscaling/autoscaling.js';
import type { ApiContext } from '../route-context.js';

export function registerAutoScalingRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const meta = (id: string) => ({ requestId: id, now: Date.now() });
  const op = <S extends z.ZodType>(name: string, schema: S, run: (body: z.output<S>, requestId: string) => Promise<unknown>) =>
    app.post(`/v1/application-autoscaling/${name}`, async (request) => run(parseInput(schema, request.body, `${name} request`), request.id));
  op('RegisterScalableTarget', registerScalableTargetRequestSchema, (b, id) => registerScalableTarget(ctx, b, meta(id)));
  op('PutScalingPolicy', putScalingPolicyRequestSchema, (b, id) => putScalingPolicy(ctx, b, meta(id)));
  op('DescribeScalableTargets', describeRequestSchema, (b) => describeScalableTargets(ctx, b));
  op('DescribeScalingPolicies', describeRequestSchema, (b) => describeScalingPolicies(ctx, b));
  op('DescribeScalingActivities', describeRequestSchema, (b) => describeScalingActivities(ctx, b));
}
