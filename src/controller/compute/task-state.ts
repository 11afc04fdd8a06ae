/**
 * How a task record changes, as pure functions (record and `now` in, next record and events out):
 * an agent's report, a stop request, a lost host. The runners in `tasks.ts` and `agents.ts` read,
 * call these, and write the result in one transaction.
 */
import type { ReportedTask } from '../../model/agent-protocol.js';
import type { EventSeverity } from '../../model/events.js';
import type { StopCode, TaskRecord, TaskStatus } from '../../model/task.js';
import { canTransition, transition } from '../../model/task.js';

/** An event to write about the task (resourceType `task`, resourceId the task id). */
export interface TaskEvent {
  readonly severity: EventSeverity;
  readonly message: string;
}

/** A change to a task: the next record (version already bumped) and what to say about it. */
export interface TaskChange {
  readonly next: TaskRecord;
  readonly events: readonly TaskEvent[];
}

function bump(task: TaskRecord, patch: Partial<TaskRecord>): TaskRecord {
  return { ...task, ...patch, version: task.version + 1 };
}

/**
 * Applies what the agent reported. A STOPPED task never changes again; a status the task cannot
 * move to (backwards) is ignored while the containers' details are still taken. Returns undefined
 * when nothing changed.
 */
export function applyReport(task: TaskRecord, reported: ReportedTask, now: number): TaskChange | undefined {
  if (task.lastStatus === 'STOPPED') return undefined;
  const events: TaskEvent[] = [];
  const to: TaskStatus = canTransition(task.lastStatus, reported.lastStatus) ? reported.lastStatus : task.lastStatus;
  const patch: { -readonly [K in keyof TaskRecord]?: TaskRecord[K] } = {};

  if (to !== task.lastStatus) {
    patch.lastStatus = transition(task.lastStatus, to);
    if (to === 'RUNNING' && task.startedAt === null) patch.startedAt = now;
    if ((to === 'STOPPING' || to === 'STOPPED') && task.stoppingAt === null) patch.stoppingAt = now;
    if (to === 'STOPPED') patch.stoppedAt = now;
  }
  // The agent ended the task itself (an essential container exited, or it failed to start).
  if (reported.stopCode !== null && task.desiredStatus === 'RUNNING') {
    patch.desiredStatus = 'STOPPED';
    patch.stopCode = reported.stopCode;
    patch.stoppedReason = reported.stoppedReason;
  } else if (to === 'STOPPED' && task.desiredStatus === 'RUNNING') {
    patch.desiredStatus = 'STOPPED';
    patch.stopCode = 'EssentialContainerExited';
    patch.stoppedReason = reported.stoppedReason ?? 'The task stopped on its host';
  }
  if (reported.healthStatus !== task.healthStatus) {
    patch.healthStatus = reported.healthStatus;
    if (reported.healthStatus === 'UNHEALTHY') events.push({ severity: 'WARN', message: `Task ${task.id} is UNHEALTHY: its container health checks fail.` });
  }
  if (JSON.stringify(reported.containers) !== JSON.stringify(task.containers)) patch.containers = reported.containers;
  if (Object.keys(patch).length === 0) return undefined;

  const next = bump(task, patch);
  if (next.lastStatus !== task.lastStatus) {
    if (next.lastStatus === 'RUNNING') events.push({ severity: 'INFO', message: `Task ${task.id} is RUNNING.` });
    if (next.lastStatus === 'STOPPED') events.push(stoppedEvent(next));
  }
  return { next, events };
}

function stoppedEvent(task: TaskRecord): TaskEvent {
  const severity: EventSeverity = task.stopCode === 'UserInitiated' || task.stopCode === 'ServiceSchedulerInitiated' ? 'INFO' : 'WARN';
  return { severity, message: `Task ${task.id} stopped (${task.stopCode ?? 'no stop code'}): ${task.stoppedReason ?? 'no reason given'}.` };
}

/** Asks for a task to stop. A task already asked keeps its first stop code and reason. */
export function requestStop(task: TaskRecord, stopCode: StopCode, reason: string, now: number): TaskChange | undefined {
  if (task.lastStatus === 'STOPPED' || task.desiredStatus === 'STOPPED') return undefined;
  const next = bump(task, { desiredStatus: 'STOPPED', stopCode, stoppedReason: reason, stoppingAt: task.stoppingAt ?? now });
  return { next, events: [{ severity: 'INFO', message: `Task ${task.id} asked to stop (${stopCode}): ${reason}.` }] };
}

/**
 * Stops a task at once without its agent: its host is lost, or its agent never took it. The agent,
 * if it comes back, finds the task missing from its desired set and stops what it still runs.
 */
export function stopWithoutAgent(task: TaskRecord, stopCode: StopCode, reason: string, now: number): TaskChange | undefined {
  if (task.lastStatus === 'STOPPED') return undefined;
  const next = bump(task, {
    desiredStatus: 'STOPPED',
    lastStatus: transition(task.lastStatus, 'STOPPED'),
    stopCode: task.desiredStatus === 'STOPPED' && task.stopCode !== null ? task.stopCode : stopCode,
    stoppedReason: task.desiredStatus === 'STOPPED' && task.stoppedReason !== null ? task.stoppedReason : reason,
    stoppingAt: task.stoppingAt ?? now,
    stoppedAt: now,
  });
  return { next, events: [stoppedEvent(next)] };
}
