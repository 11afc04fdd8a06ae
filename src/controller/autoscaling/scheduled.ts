/**
 * Scheduled scaling: PutScheduledAction, DescribeScheduledActions, DeleteScheduledAction, and the
 * pass the scaler makes each period before its target tracking: every scheduled action whose
 * schedule fell due since it last fired (or was put) sets its target's min and max capacity, and
 * the service's desired count is brought inside them through UpdateService; each is recorded as a
 * scaling activity and an event.
 *
 * A due time is looked for in (last fired or put, now]: a controller that was down fires each
 * action once for the latest time it missed (a cron schedule looks back at most
 * `CRON_LOOKBACK_MS`). A target whose scheduled scaling is suspended skips its actions' times.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../log.js';
import type { ArnScope } from '../../model/arn.js';
import { arn } from '../../model/arn.js';
import type { ScheduledActionRecord } from '../../model/autoscaling.js';
import type { DeleteScheduledActionRequest, DescribeScheduledActionsRequest, PutScheduledActionRequest } from '../../model/api/autoscaling.js';
import { putScheduledActionRequestSchema, SCALABLE_RESOURCE_ID } from '../../model/api/autoscaling.js';
import { wharfError } from '../../model/errors.js';
import { isTimeZone, latestFireTime, parseSchedule } from '../../model/schedule.js';
import type { Store } from '../../store/store.js';
import type { RequestMeta } from '../request.js';
import { updateService } from '../services/services.js';
import type { ServiceContext } from '../services/services.js';

/** Application Auto Scaling's quota of scheduled actions per scalable target. */
export const MAX_SCHEDULED_ACTIONS_PER_TARGET = 200;

/** PutScheduledAction's request with its schedule parsed and its time zone known, so a bad one is refused naming the field. */
export const checkedPutScheduledActionRequestSchema = putScheduledActionRequestSchema.superRefine((request, ctx) => {
  if (request.Schedule !== undefined) {
    try {
      parseSchedule(request.Schedule);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['Schedule'], message: (error as Error).message });
    }
  }
  if (request.Timezone !== undefined && !isTimeZone(request.Timezone)) ctx.addIssue({ code: 'custom', path: ['Timezone'], message: `"${request.Timezone}" is not an IANA time zone (e.g. UTC, Europe/Paris, America/New_York)` });
});

export interface ScheduledContext {
  readonly store: Store;
  readonly arnScope: ArnScope;
}

/** PutScheduledAction: creates one (Schedule and ScalableTargetAction required) or updates one (fields left out keep their values). */
export async function putScheduledAction(ctx: ScheduledContext, request: PutScheduledActionRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.autoScaling.targets()).some((t) => t.resourceId === request.ResourceId)) throw wharfError('WHARF_E_SCALABLE_TARGET_NOT_FOUND', { resourceId: request.ResourceId });
    const actions = await tx.autoScaling.scheduledActions(request.ResourceId);
    const existing = actions.find((a) => a.name === request.ScheduledActionName);
    const schedule = request.Schedule ?? existing?.schedule;
    const given = request.ScalableTargetAction;
    const minCapacity = given ? (given.MinCapacity ?? null) : (existing?.minCapacity ?? null);
    const maxCapacity = given ? (given.MaxCapacity ?? null) : (existing?.maxCapacity ?? null);
    const errors: { field: string; message: string }[] = [];
    if (schedule === undefined) errors.push({ field: 'Schedule', message: 'A new scheduled action needs a Schedule: at(...), rate(...) or cron(...)' });
    if (minCapacity === null && maxCapacity === null) errors.push({ field: 'ScalableTargetAction', message: 'Give MinCapacity, MaxCapacity or both: what the action sets' });
    if (errors.length > 0) throw wharfError('WHARF_E_VALIDATION', { summary: `Scheduled action ${request.ScheduledActionName} cannot be put as given` }, { errors });
    if (!existing && actions.length >= MAX_SCHEDULED_ACTIONS_PER_TARGET) {
      throw wharfError('WHARF_E_QUOTA_EXCEEDED', { cluster: serviceResource(request.ResourceId).split('/')[0] ?? '', quota: 'Scheduled actions per scalable target', limit: String(MAX_SCHEDULED_ACTIONS_PER_TARGET), reason: `the scalable target ${request.ResourceId} has ${actions.length}`, fix: 'Delete scheduled actions you no longer need (DeleteScheduledAction)' });
    }
    const startTime = request.StartTime ?? existing?.startTime ?? null;
    const endTime = request.EndTime ?? existing?.endTime ?? null;
    if (startTime !== null && endTime !== null && endTime <= startTime) throw wharfError('WHARF_E_VALIDATION', { summary: 'EndTime is not after StartTime' }, { errors: [{ field: 'EndTime', message: 'Must be after StartTime' }] });
    const next: ScheduledActionRecord = {
      arn: existing?.arn ?? arn(ctx.arnScope, 'autoscaling', `scheduledAction:${randomUUID()}:resource/ecs/${request.ResourceId}:scheduledActionName/${request.ScheduledActionName}`),
      name: request.ScheduledActionName,
      resourceId: request.ResourceId,
      schedule: schedule as string,
      timezone: request.Timezone ?? existing?.timezone ?? 'UTC',
      startTime,
      endTime,
      minCapacity,
      maxCapacity,
      createdAt: existing?.createdAt ?? meta.now,
      updatedAt: meta.now,
      lastFiredAt: existing?.lastFiredAt ?? null,
    };
    await tx.autoScaling.putScheduledAction(next);
    await tx.events.append({ resourceType: 'service', resourceId: serviceResource(request.ResourceId), severity: 'INFO', message: `Scheduled action ${next.name} put: ${next.schedule} (${next.timezone}).`, requestId: meta.requestId, time: meta.now });
  });
  return {};
}

/** `<cluster>/<service>` of a scalable target's resource id, as service events name it. */
function serviceResource(resourceId: string): string {
  const [, cluster = '', service = ''] = SCALABLE_RESOURCE_ID.exec(resourceId) ?? [];
  return `${cluster}/${service}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** DescribeScheduledActions: by resource id and names, at most MaxResults (50). */
export async function describeScheduledActions(ctx: ScheduledContext, request: DescribeScheduledActionsRequest): Promise<{ ScheduledActions: unknown[] }> {
  const actions = (await ctx.store.autoScaling.scheduledActions(request.ResourceId)).filter((a) => !request.ScheduledActionNames || request.ScheduledActionNames.includes(a.name));
  return {
    ScheduledActions: actions.slice(0, request.MaxResults ?? 50).map((a) => ({
      ScheduledActionName: a.name,
      ScheduledActionARN: a.arn,
      ServiceNamespace: 'ecs',
      Schedule: a.schedule,
      Timezone: a.timezone,
      ResourceId: a.resourceId,
      ScalableDimension: 'ecs:service:DesiredCount',
      ...(a.startTime === null ? {} : { StartTime: iso(a.startTime) }),
      ...(a.endTime === null ? {} : { EndTime: iso(a.endTime) }),
      ScalableTargetAction: { ...(a.minCapacity === null ? {} : { MinCapacity: a.minCapacity }), ...(a.maxCapacity === null ? {} : { MaxCapacity: a.maxCapacity }) },
      CreationTime: iso(a.createdAt),
    })),
  };
}

/** DeleteScheduledAction. */
export async function deleteScheduledAction(ctx: ScheduledContext, request: DeleteScheduledActionRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.autoScaling.deleteScheduledAction(request.ResourceId, request.ScheduledActionName))) {
      throw wharfError('WHARF_E_SCALING_OBJECT_NOT_FOUND', { kind: 'scheduled action', name: request.ScheduledActionName, resourceId: request.ResourceId, list: 'DescribeScheduledActions' });
    }
    await tx.events.append({ resourceType: 'service', resourceId: serviceResource(request.ResourceId), severity: 'INFO', message: `Scheduled action ${request.ScheduledActionName} deleted.`, requestId: meta.requestId, time: meta.now });
  });
  return {};
}

export interface ScheduledRunOptions {
  readonly store: Store;
  readonly services: ServiceContext;
  readonly log: Logger;
}

/** Fires every scheduled action due in (its last firing or put, now]; one transaction per action, after the service update. */
export async function runScheduledActions(o: ScheduledRunOptions, now: number): Promise<void> {
  const actions = await o.store.autoScaling.scheduledActions();
  if (actions.length === 0) return;
  const targets = new Map((await o.store.autoScaling.targets()).map((t) => [t.resourceId, t]));
  for (const action of actions) {
    try {
      const target = targets.get(action.resourceId);
      if (!target || target.suspended.scheduledScaling) continue;
      const due = latestFireTime(parseSchedule(action.schedule), { timezone: action.timezone, startTime: action.startTime, endTime: action.endTime, base: action.updatedAt }, Math.max(action.lastFiredAt ?? -Infinity, action.updatedAt), now);
      if (due === undefined) continue;
      const minCapacity = action.minCapacity ?? target.minCapacity;
      // A minimum above the maximum the action leaves in place raises that maximum with it.
      const maxCapacity = Math.max(action.maxCapacity ?? target.maxCapacity, minCapacity);
      const [, cluster = '', name = ''] = SCALABLE_RESOURCE_ID.exec(action.resourceId) ?? [];
      const service = await o.store.services.get(cluster, name);
      const from = service?.desiredCount ?? 0;
      const to = Math.min(Math.max(from, minCapacity), maxCapacity);
      if (service && service.status === 'ACTIVE' && to !== from) {
        await updateService(o.services, { cluster, service: name, desiredCount: to }, { requestId: `autoscaling-${randomUUID()}`, now });
      }
      const next = { ...target, minCapacity, maxCapacity };
      targets.set(action.resourceId, next);
      await o.store.transaction(async (tx) => {
        await tx.autoScaling.putTarget(next);
        await tx.autoScaling.putScheduledAction({ ...action, lastFiredAt: due });
        await tx.autoScaling.addActivity({
          id: randomUUID(),
          resourceId: action.resourceId,
          description: `Setting min capacity to ${minCapacity} and max capacity to ${maxCapacity}`,
          cause: `scheduled action name ${action.name} was triggered`,
          from,
          to,
          at: now,
          statusMessage: `Successfully set min capacity to ${minCapacity} and max capacity to ${maxCapacity}${to !== from ? ` (desired count ${from} -> ${to})` : ''}. Change successfully fulfilled by ecs.`,
        });
        await tx.events.append({ resourceType: 'service', resourceId: `${cluster}/${name}`, severity: 'INFO', message: `Scheduled action ${action.name} (${action.schedule}): min capacity ${minCapacity}, max capacity ${maxCapacity}${to !== from ? `, desired count ${from} -> ${to}` : ''}.`, requestId: null, time: now });
      });
      o.log.info({ resourceId: action.resourceId, action: action.name, due, minCapacity, maxCapacity, from, to }, 'scheduled action fired');
    } catch (error) {
      o.log.error({ err: error, resourceId: action.resourceId, action: action.name }, 'scheduled action failed');
    }
  }
}
