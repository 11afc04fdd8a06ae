/**
 * Application Auto Scaling: POST /v1/application-autoscaling/<Operation> with AWS's PascalCase JSON
 * (RegisterScalableTarget, DescribeScalableTargets, PutScalingPolicy, DescribeScalingPolicies,
 * DescribeScalingActivities).
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { parseInput } from '../../../model/validation.js';
import { describeAutoScalingRequestSchema, putScalingPolicyRequestSchema, registerScalableTargetRequestSchema } from '../../../model/api/autoscaling.js';
import { describeScalableTargets, describeScalingActivities, describeScalingPolicies, putScalingPolicy, registerScalableTarget } from '../../autoscaling/autoscaling.js';
import type { ApiContext } from '../route-context.js';

export function registerAutoScalingRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const meta = (id: string) => ({ requestId: id, now: Date.now() });
  const op = <S extends z.ZodType>(name: string, schema: S, run: (body: z.output<S>, requestId: string) => Promise<unknown>) =>
    app.post(`/v1/application-autoscaling/${name}`, async (request) => run(parseInput(schema, request.body, `${name} request`), request.id));
  op('RegisterScalableTarget', registerScalableTargetRequestSchema, (b, id) => registerScalableTarget(ctx, b, meta(id)));
  op('PutScalingPolicy', putScalingPolicyRequestSchema, (b, id) => putScalingPolicy(ctx, b, meta(id)));
  op('DescribeScalableTargets', describeAutoScalingRequestSchema, (b) => describeScalableTargets(ctx, b));
  op('DescribeScalingPolicies', describeAutoScalingRequestSchema, (b) => describeScalingPolicies(ctx, b));
  op('DescribeScalingActivities', describeAutoScalingRequestSchema, (b) => describeScalingActivities(ctx, b));
}
