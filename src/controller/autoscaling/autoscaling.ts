/**
 * Application Auto Scaling for ECS services, with AWS's request and response shapes (PascalCase):
 * RegisterScalableTarget, DescribeScalableTargets, PutScalingPolicy (target tracking),
 * DescribeScalingPolicies, DescribeScalingActivities; and the scaler that, on the leader, reads the
 * metrics each period and changes services' desired counts through UpdateService.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../log.js';
import type { ArnScope } from '../../model/arn.js';
import { arn } from '../../model/arn.js';
import type { ScalableTargetRecord, ScalingPolicyRecord } from '../../model/autoscaling.js';
import { runScheduledActions } from './scheduled.js';
import { serviceLinkedRoleArn } from '../../model/autoscaling.js';
import type { TargetGroupRecord } from '../../model/load-balancing.js';
import { wharfError } from '../../model/errors.js';
import type { Repositories, Store } from '../../store/store.js';
import type { UsageBoard } from '../compute/usage.js';
import type { RequestMeta } from '../request.js';
import { updateService } from '../services/services.js';
import type { ServiceContext } from '../services/services.js';
import type { PolicyReading } from './decide.js';
import { decideScaling } from './decide.js';
import type {
  DeleteScalingPolicyRequest,
  DeregisterScalableTargetRequest,
  DescribeAutoScalingRequest,
  PutScalingPolicyRequest,
  RegisterScalableTargetRequest,
  ScalingListTagsForResourceRequest,
  ScalingTagResourceRequest,
  ScalingUntagResourceRequest,
} from '../../model/api/autoscaling.js';
import { SCALABLE_RESOURCE_ID } from '../../model/api/autoscaling.js';

/** How often the scaler reads metrics and decides (Application Auto Scaling: one minute). */
export const DEFAULT_SCALING_PERIOD_MS = 60_000;

export function parseResource(resourceId: string): { cluster: string; service: string } {
  const [, cluster = '', service = ''] = SCALABLE_RESOURCE_ID.exec(resourceId) ?? [];
  return { cluster, service };
}

export interface AutoScalingContext {
  readonly store: Store;
  readonly arnScope: ArnScope;
}

/** RegisterScalableTarget: creates or updates min/max capacity of a service's desired count. */
export async function registerScalableTarget(ctx: AutoScalingContext, request: RegisterScalableTargetRequest, meta: RequestMeta): Promise<{ ScalableTargetARN: string }> {
  const { cluster, service } = parseResource(request.ResourceId);
  const target = await ctx.store.transaction(async (tx) => {
    const found = await tx.services.get(cluster, service);
    if (!found || found.status !== 'ACTIVE') throw wharfError('WHARF_E_SERVICE_NOT_FOUND', { service, cluster });
    if (found.schedulingStrategy === 'DAEMON') {
      throw wharfError('WHARF_E_VALIDATION', { summary: `ResourceId: ${service} is a DAEMON service, whose count is its hosts'` }, { errors: [{ field: 'ResourceId', message: 'a DAEMON service runs one task per host and cannot be scaled; scale a REPLICA service' }] });
    }
    const existing = (await tx.autoScaling.targets()).find((t) => t.resourceId === request.ResourceId);
    if (!existing && (request.MinCapacity === undefined || request.MaxCapacity === undefined)) {
      throw wharfError('WHARF_E_VALIDATION', { summary: 'A new scalable target needs MinCapacity and MaxCapacity' }, { errors: [{ field: request.MinCapacity === undefined ? 'MinCapacity' : 'MaxCapacity', message: 'Required for a new scalable target' }] });
    }
    const minCapacity = request.MinCapacity ?? existing?.minCapacity ?? 0;
    const maxCapacity = request.MaxCapacity ?? existing?.maxCapacity ?? 0;
    if (minCapacity > maxCapacity) throw wharfError('WHARF_E_VALIDATION', { summary: `MinCapacity ${minCapacity} is above MaxCapacity ${maxCapacity}` }, { errors: [{ field: 'MinCapacity', message: 'Must not exceed MaxCapacity' }] });
    const next: ScalableTargetRecord = {
      resourceId: request.ResourceId,
      arn: existing?.arn ?? arn(ctx.arnScope, 'application-autoscaling', `scalable-target/${randomUUID().replace(/-/g, '').slice(0, 24)}`),
      minCapacity,
      maxCapacity,
      suspended: {
        dynamicScalingIn: request.SuspendedState?.DynamicScalingInSuspended ?? existing?.suspended.dynamicScalingIn ?? false,
        dynamicScalingOut: request.SuspendedState?.DynamicScalingOutSuspended ?? existing?.suspended.dynamicScalingOut ?? false,
        scheduledScaling: request.SuspendedState?.ScheduledScalingSuspended ?? existing?.suspended.scheduledScaling ?? false,
      },
      lastScaleOutAt: existing?.lastScaleOutAt ?? null,
      lastScaleInAt: existing?.lastScaleInAt ?? null,
      createdAt: existing?.createdAt ?? meta.now,
      // Tags are given when the target is created (Application Auto Scaling's rule); TagResource changes them later.
      tags: existing ? (existing.tags ?? {}) : (request.Tags ?? {}),
    };
    await tx.autoScaling.putTarget(next);
    await tx.events.append({ resourceType: 'service', resourceId: `${cluster}/${service}`, severity: 'INFO', message: `Scalable target: desired count between ${minCapacity} and ${maxCapacity}.`, requestId: meta.requestId, time: meta.now });
    return next;
  });
  return { ScalableTargetARN: target.arn };
}

/** PutScalingPolicy: a target-tracking policy on CPU or requests per target. */
export async function putScalingPolicy(ctx: AutoScalingContext, request: PutScalingPolicyRequest, meta: RequestMeta): Promise<{ PolicyARN: string; Alarms: [] }> {
  const config = request.TargetTrackingScalingPolicyConfiguration;
  const policy = await ctx.store.transaction(async (tx) => {
    if (!(await tx.autoScaling.targets()).some((t) => t.resourceId === request.ResourceId)) {
      throw wharfError('WHARF_E_SCALABLE_TARGET_NOT_FOUND', { resourceId: request.ResourceId });
    }
    const policy: ScalingPolicyRecord = {
      arn: arn(ctx.arnScope, 'autoscaling', `scalingPolicy:${randomUUID()}:resource/ecs/${request.ResourceId}:policyName/${request.PolicyName}`),
      name: request.PolicyName,
      resourceId: request.ResourceId,
      metric: config.PredefinedMetricSpecification.PredefinedMetricType,
      resourceLabel: config.PredefinedMetricSpecification.ResourceLabel ?? null,
      targetValue: config.TargetValue,
      scaleOutCooldownSeconds: config.ScaleOutCooldown,
      scaleInCooldownSeconds: config.ScaleInCooldown,
      disableScaleIn: config.DisableScaleIn,
      createdAt: meta.now,
    };
    await tx.autoScaling.putPolicy(policy);
    return policy;
  });
  return { PolicyARN: policy.arn, Alarms: [] };
}

export async function describeScalableTargets(ctx: AutoScalingContext, request: DescribeAutoScalingRequest): Promise<{ ScalableTargets: unknown[] }> {
  const targets = (await ctx.store.autoScaling.targets()).filter((t) => !request.ResourceIds || request.ResourceIds.includes(t.resourceId));
  return {
    ScalableTargets: targets.map((t) => ({
      ServiceNamespace: 'ecs',
      ResourceId: t.resourceId,
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: t.minCapacity,
      MaxCapacity: t.maxCapacity,
      ScalableTargetARN: t.arn,
      RoleARN: serviceLinkedRoleArn(ctx.arnScope.accountId),
      CreationTime: new Date(t.createdAt).toISOString(),
      SuspendedState: { DynamicScalingInSuspended: t.suspended.dynamicScalingIn, DynamicScalingOutSuspended: t.suspended.dynamicScalingOut, ScheduledScalingSuspended: t.suspended.scheduledScaling ?? false },
    })),
  };
}

export async function describeScalingPolicies(ctx: AutoScalingContext, request: DescribeAutoScalingRequest): Promise<{ ScalingPolicies: unknown[] }> {
  const policies = (await ctx.store.autoScaling.policies(request.ResourceId)).filter((p) => !request.PolicyNames || request.PolicyNames.includes(p.name));
  return {
    ScalingPolicies: policies.map((p) => ({
      PolicyARN: p.arn,
      PolicyName: p.name,
      ServiceNamespace: 'ecs',
      ResourceId: p.resourceId,
      ScalableDimension: 'ecs:service:DesiredCount',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: p.targetValue,
        PredefinedMetricSpecification: { PredefinedMetricType: p.metric, ...(p.resourceLabel ? { ResourceLabel: p.resourceLabel } : {}) },
        ScaleOutCooldown: p.scaleOutCooldownSeconds,
        ScaleInCooldown: p.scaleInCooldownSeconds,
        DisableScaleIn: p.disableScaleIn,
      },
      Alarms: [],
      CreationTime: new Date(p.createdAt).toISOString(),
    })),
  };
}

export async function describeScalingActivities(ctx: AutoScalingContext, request: DescribeAutoScalingRequest): Promise<{ ScalingActivities: unknown[] }> {
  const activities = await ctx.store.autoScaling.activities(request.ResourceId, request.MaxResults ?? 50);
  return {
    ScalingActivities: activities.map((a) => ({
      ActivityId: a.id,
      ServiceNamespace: 'ecs',
      ResourceId: a.resourceId,
      ScalableDimension: 'ecs:service:DesiredCount',
      Description: a.description,
      Cause: a.cause,
      StartTime: new Date(a.at).toISOString(),
      EndTime: new Date(a.at).toISOString(),
      StatusCode: 'Successful',
      StatusMessage: a.statusMessage ?? `Successfully set desired count to ${a.to}. Change successfully fulfilled by ecs.`,
    })),
  };
}

/** Requests per target of a target group over the last period, from the routers' counters. */
export type RequestsPerTarget = (targetGroupArn: string, periodMs: number, now: number) => number | undefined;

export interface ScalerOptions {
  readonly store: Store;
  readonly services: ServiceContext;
  readonly usage: UsageBoard;
  readonly requestsPerTarget?: RequestsPerTarget;
  readonly periodMs: number;
  readonly log: Logger;
}

/**
 * The ARN of the target group a policy's ResourceLabel names: by ARN, by name (what Elastic
 * Beanstalk environments write), or in AWS's `app/<lb>/<id>/targetgroup/<name>/<id>` form, whose
 * tail is the ARN's resource part. The routers' request totals are kept by ARN.
 */
export function targetGroupArnFor(label: string, groups: readonly TargetGroupRecord[]): string | undefined {
  return groups.find((g) => g.arn === label || g.name === label || label.endsWith(`/${g.arn.slice(g.arn.indexOf(':targetgroup/') + 1)}`))?.arn;
}

function requestsPerTarget(o: ScalerOptions, label: string | null, groups: readonly TargetGroupRecord[], now: number): number | undefined {
  const targetGroupArn = label === null ? undefined : targetGroupArnFor(label, groups);
  return targetGroupArn === undefined ? undefined : o.requestsPerTarget?.(targetGroupArn, o.periodMs, now);
}

/** One scaling pass over every scalable target (the leader runs it every period). */
export async function scaleOnce(o: ScalerOptions, now: number): Promise<void> {
  await runScheduledActions(o, now);
  const targets = await o.store.autoScaling.targets();
  const groups = targets.length > 0 ? await o.store.loadBalancing.targetGroups() : [];
  for (const target of targets) {
    try {
      const { cluster, service: name } = parseResource(target.resourceId);
      const service = await o.store.services.get(cluster, name);
      if (!service || service.status !== 'ACTIVE') continue;
      const policies = await o.store.autoScaling.policies(target.resourceId);
      const tasks = (await o.store.tasks.ofService(cluster, name)).filter((t) => t.desiredStatus === 'RUNNING' && t.lastStatus === 'RUNNING');
      const cpu = tasks.map((t) => o.usage.cpuUtilization(t.id, t.cpu, now)).filter((v): v is number => v !== undefined);
      const readings: PolicyReading[] = policies.map((policy) => ({
        policy,
        value:
          policy.metric === 'ECSServiceAverageCPUUtilization'
            ? cpu.length > 0 ? cpu.reduce((a, b) => a + b, 0) / cpu.length : undefined
            : requestsPerTarget(o, policy.resourceLabel, groups, now),
      }));
      const [deployment] = await o.store.deployments.forService(cluster, name, 1);
      const decision = decideScaling({ target, readings, desiredCount: service.desiredCount, runningCount: tasks.length, deploymentInProgress: deployment?.status === 'IN_PROGRESS', now });
      if (!decision) continue;
      await updateService(o.services, { cluster, service: name, desiredCount: decision.desiredCount }, { requestId: `autoscaling-${randomUUID()}`, now });
      await o.store.transaction(async (tx) => {
        await tx.autoScaling.putTarget({ ...target, ...(decision.direction === 'out' ? { lastScaleOutAt: now } : { lastScaleInAt: now }) });
        await tx.autoScaling.addActivity({ id: randomUUID(), resourceId: target.resourceId, description: `Setting desired count to ${decision.desiredCount}.`, cause: `monitor alarm ${decision.cause}`, from: service.desiredCount, to: decision.desiredCount, at: now });
        await tx.events.append({ resourceType: 'service', resourceId: `${cluster}/${name}`, severity: 'INFO', message: `Auto scaling: desired count ${service.desiredCount} -> ${decision.desiredCount} (${decision.cause}).`, requestId: null, time: now });
      });
      o.log.info({ resourceId: target.resourceId, from: service.desiredCount, to: decision.desiredCount, cause: decision.cause }, 'scaled');
    } catch (error) {
      o.log.error({ err: error, resourceId: target.resourceId }, 'scaling pass failed');
    }
  }
}

/** DeregisterScalableTarget: the target goes, with its policies and scheduled actions (its activities stay, as history). */
export async function deregisterScalableTarget(ctx: AutoScalingContext, request: DeregisterScalableTargetRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.autoScaling.targets()).some((t) => t.resourceId === request.ResourceId)) throw wharfError('WHARF_E_SCALABLE_TARGET_NOT_FOUND', { resourceId: request.ResourceId });
    await tx.autoScaling.deleteTarget(request.ResourceId);
    const { cluster, service } = parseResource(request.ResourceId);
    await tx.events.append({ resourceType: 'service', resourceId: `${cluster}/${service}`, severity: 'INFO', message: 'Scalable target deregistered, with its scaling policies and scheduled actions.', requestId: meta.requestId, time: meta.now });
  });
  return {};
}

/** DeleteScalingPolicy. */
export async function deleteScalingPolicy(ctx: AutoScalingContext, request: DeleteScalingPolicyRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.autoScaling.deletePolicy(request.ResourceId, request.PolicyName))) {
      throw wharfError('WHARF_E_SCALING_OBJECT_NOT_FOUND', { kind: 'scaling policy', name: request.PolicyName, resourceId: request.ResourceId, list: 'DescribeScalingPolicies' });
    }
    const { cluster, service } = parseResource(request.ResourceId);
    await tx.events.append({ resourceType: 'service', resourceId: `${cluster}/${service}`, severity: 'INFO', message: `Scaling policy ${request.PolicyName} deleted.`, requestId: meta.requestId, time: meta.now });
  });
  return {};
}

/** The scalable target an ARN names, in the caller's transaction, or WHARF_E_RESOURCE_NOT_FOUND. */
async function targetByArn(tx: Repositories, resourceArn: string): Promise<ScalableTargetRecord> {
  const found = (await tx.autoScaling.targets()).find((t) => t.arn === resourceArn);
  if (!found) throw wharfError('WHARF_E_RESOURCE_NOT_FOUND', { kind: 'scalable target', arn: resourceArn, fix: 'Tags go on scalable targets: take the ScalableTargetARN DescribeScalableTargets answers.' });
  return found;
}

/** Application Auto Scaling's quota of tags per scalable target. */
const MAX_SCALING_TAGS = 50;

async function changeScalingTags(ctx: AutoScalingContext, resourceArn: string, change: (tags: Record<string, string>) => void, what: string, meta: RequestMeta): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const target = await targetByArn(tx, resourceArn);
    const tags = { ...(target.tags ?? {}) };
    change(tags);
    if (Object.keys(tags).length > MAX_SCALING_TAGS) {
      throw wharfError('WHARF_E_VALIDATION', { summary: `${resourceArn} would have ${Object.keys(tags).length} tags; a scalable target has at most ${MAX_SCALING_TAGS}` }, { errors: [{ field: 'Tags', message: 'Remove some tags first (UntagResource), or add fewer' }] });
    }
    await tx.autoScaling.putTarget({ ...target, tags });
    const { cluster, service } = parseResource(target.resourceId);
    await tx.events.append({ resourceType: 'service', resourceId: `${cluster}/${service}`, severity: 'INFO', message: `Scalable target ${what}.`, requestId: meta.requestId, time: meta.now });
  });
}

/** TagResource on a scalable target: adds the tags, replacing the values of keys it has. */
export async function tagScalableTarget(ctx: AutoScalingContext, request: ScalingTagResourceRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await changeScalingTags(ctx, request.ResourceARN, (tags) => Object.assign(tags, request.Tags), `tagged ${Object.keys(request.Tags).join(', ')}`, meta);
  return {};
}

/** UntagResource on a scalable target (keys it does not have are ignored). */
export async function untagScalableTarget(ctx: AutoScalingContext, request: ScalingUntagResourceRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await changeScalingTags(ctx, request.ResourceARN, (tags) => request.TagKeys.forEach((k) => delete tags[k]), `untagged ${request.TagKeys.join(', ')}`, meta);
  return {};
}

/** ListTagsForResource on a scalable target. */
export async function listScalableTargetTags(ctx: AutoScalingContext, request: ScalingListTagsForResourceRequest): Promise<{ Tags: Record<string, string> }> {
  const target = await targetByArn(ctx.store, request.ResourceARN);
  return { Tags: { ...(target.tags ?? {}) } };
}
