/**
 * Waiting for an environment operation, as the EB CLI does after create, deploy, setenv, scale and
 * terminate: every second, DescribeEnvironments for the environment's state and DescribeEvents for
 * what happened since the command started (each event shown once, oldest first), until the
 * environment is Ready again (or Terminated), the operation failed, or the timeout passed.
 *
 * A failed operation and a timeout are user errors (exit 1) that say what failed and what to do.
 * The operation itself goes on (or stays failed) in the controller either way: Ctrl-C or a timeout
 * only stops the watching.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { EnvironmentEventView, EnvironmentView } from '../../../model/api/platform.js';
import type { ErrorCode } from '../../../model/errors.js';
import { WharfError, wharfError } from '../../../model/errors.js';
import type { ApiClient } from '../../client.js';
import { ebCall } from './api.js';
import type { EbContext } from './eb-command.js';
import { eventLine, progressLine } from './render.js';

/** How often the environment and its events are polled. */
export const WAIT_POLL_INTERVAL_MS = 1000;
/** DescribeEvents' largest page. */
const EVENTS_PAGE = 1000;
/** At most this many pages per poll (a flood of events is shown in part rather than never). */
const MAX_EVENT_PAGES = 10;

/**
 * The catalogue has no code of its own for "the environment's operation failed" yet; this one's
 * advice (fix the application, deploy a new version) is the right one for it.
 */
const OPERATION_FAILED_CODE: ErrorCode = 'WHARF_E_BUILD_FAILED';
/** A timeout leaves the operation running in the controller: it is, precisely, still in progress. */
const TIMED_OUT_CODE: ErrorCode = 'WHARF_E_OPERATION_IN_PROGRESS';

/**
 * Which events are new. DescribeEvents answers newest first, from a StartTime on (inclusive, to
 * the millisecond); the cursor moves StartTime up to the newest event seen and remembers the
 * events at exactly that time, so none is shown twice and none is missed.
 */
export class EventCursor {
  private latestMs: number;
  private seenAtLatest = new Set<string>();

  constructor(sinceMs: number) {
    this.latestMs = sinceMs;
  }

  /** The StartTime of the next DescribeEvents. */
  get startTime(): string {
    return new Date(this.latestMs).toISOString();
  }

  /** The events of `newestFirst` not taken before, oldest first. */
  take(newestFirst: readonly EnvironmentEventView[]): EnvironmentEventView[] {
    const fresh: EnvironmentEventView[] = [];
    for (const event of [...newestFirst].reverse()) {
      const ms = Date.parse(event.EventDate);
      if (!Number.isFinite(ms) || ms < this.latestMs) continue;
      const key = `${event.Severity}\0${event.Message}\0${event.RequestId ?? ''}\0${event.VersionLabel ?? ''}`;
      if (ms === this.latestMs && this.seenAtLatest.has(key)) continue;
      if (ms > this.latestMs) {
        this.latestMs = ms;
        this.seenAtLatest = new Set();
      }
      this.seenAtLatest.add(key);
      fresh.push(event);
    }
    return fresh;
  }
}

/** The filter events are read with: one environment (by id, so an old namesake's never show), or an application. */
export type EventFilter = { readonly EnvironmentId: string } | { readonly EnvironmentName: string } | { readonly ApplicationName: string };

/** The events after the cursor, oldest first, taken. */
export async function pollEvents(client: ApiClient, cursor: EventCursor, filter: EventFilter): Promise<EnvironmentEventView[]> {
  const page: EnvironmentEventView[] = [];
  let nextToken: string | undefined;
  for (let n = 0; n < MAX_EVENT_PAGES; n += 1) {
    const answer = await ebCall<{ Events: EnvironmentEventView[]; NextToken?: string }>(client, 'DescribeEvents', {
      ...filter,
      StartTime: cursor.startTime,
      MaxRecords: EVENTS_PAGE,
      ...(nextToken ? { NextToken: nextToken } : {}),
    });
    page.push(...answer.Events);
    nextToken = answer.NextToken;
    if (!nextToken) break;
  }
  return cursor.take(page);
}

export interface WaitSpec {
  readonly client: ApiClient;
  readonly environment: Pick<EnvironmentView, 'EnvironmentId' | 'EnvironmentName'>;
  /** The operation the command started: a Ready environment still showing an older one is not done. */
  readonly operationId: number | undefined;
  readonly until: 'Ready' | 'Terminated';
  /** Events from this time (ms since the epoch) on are shown. */
  readonly sinceMs: number;
  readonly timeoutMs: number;
  readonly onEvent: (event: EnvironmentEventView) => void;
  readonly onProgress?: (environment: EnvironmentView | undefined, elapsedMs: number) => void;
  readonly intervalMs?: number;
  /** `wharf eb abort`: the operation ending aborted (Ready, its failure the abort) is what was awaited. */
  readonly abortAwaited?: boolean;
}

export interface WaitResult {
  readonly environment: EnvironmentView;
  /** Every event shown while waiting, oldest first. */
  readonly events: readonly EnvironmentEventView[];
}

/** What to do after a failed operation, by its kind. */
function adviceAfter(environment: EnvironmentView): string {
  const name = environment.EnvironmentName;
  if (environment.Operation?.Kind === 'create') {
    return `The environment exists but runs no version. Fix the application and run \`wharf eb deploy ${name}\`, or remove it with \`wharf eb terminate ${name}\`; \`wharf eb events ${name}\` has the details`;
  }
  return `The environment keeps ${environment.VersionLabel ? `version ${environment.VersionLabel}` : 'its previous version'} and settings. Fix the problem and try again; \`wharf eb events ${name}\` has the details`;
}

/** The user error for an operation that ended with `Failure`. */
export function operationFailedError(environment: EnvironmentView): WharfError {
  const op = environment.Operation;
  const what = op?.Kind === 'deploy' && op.VersionLabel ? `deploy of version ${op.VersionLabel}` : (op?.Kind ?? 'The operation');
  return new WharfError(OPERATION_FAILED_CODE, `Environment ${environment.EnvironmentName}: ${what} failed: ${op?.Failure ?? 'unknown reason'}. ${adviceAfter(environment)}.`, {
    context: { environmentName: environment.EnvironmentName, environmentId: environment.EnvironmentId, operationId: op?.Id },
  });
}

function timedOutError(name: string, until: string, timeoutMs: number, last: EnvironmentView | undefined): WharfError {
  const minutes = Math.round(timeoutMs / 60_000);
  const now = last ? `it is ${last.Status}${last.Operation && last.Operation.Step !== 'done' ? ` (${last.Operation.Kind}, step ${last.Operation.Step})` : ''}` : 'its state is unknown';
  return new WharfError(
    TIMED_OUT_CODE,
    `Environment ${name} was not ${until} within ${minutes} minute(s): ${now}. The operation goes on in the controller; follow it with \`wharf eb events ${name} -f\`, or wait longer with --timeout <minutes>.`,
    { context: { environmentName: name, timeoutMs } },
  );
}

/** The environment by id, Terminated ones included (a terminate ends there). */
async function environmentById(client: ApiClient, id: string): Promise<EnvironmentView | undefined> {
  const { Environments } = await ebCall<{ Environments: EnvironmentView[] }>(client, 'DescribeEnvironments', { EnvironmentIds: [id], IncludeDeleted: true });
  return Environments.find((e) => e.EnvironmentId === id);
}

/** Waits as the file comment says; the one waiting loop of every eb command. */
export async function waitForEnvironment(spec: WaitSpec): Promise<WaitResult> {
  const started = Date.now();
  const cursor = new EventCursor(spec.sinceMs);
  const shown: EnvironmentEventView[] = [];
  const name = spec.environment.EnvironmentName;
  let last: EnvironmentView | undefined;
  for (;;) {
    // The state first, then the events: an operation's last event is written with its last state,
    // so once the state says done, the events read after it include the last one.
    last = await environmentById(spec.client, spec.environment.EnvironmentId);
    for (const event of await pollEvents(spec.client, cursor, { EnvironmentId: spec.environment.EnvironmentId })) {
      shown.push(event);
      spec.onEvent(event);
    }
    spec.onProgress?.(last, Date.now() - started);
    if (!last) throw wharfError('WHARF_E_ENVIRONMENT_NOT_FOUND', { environment: name });
    const current = spec.operationId === undefined || (last.Operation?.Id ?? 0) >= spec.operationId;
    if (spec.until === 'Terminated' && last.Status === 'Terminated') return { environment: last, events: shown };
    if (spec.until === 'Ready') {
      if (last.Status === 'Ready' && current) {
        if (last.Operation?.Failure && !(spec.abortAwaited && last.Operation.Aborted)) throw operationFailedError(last);
        return { environment: last, events: shown };
      }
      if (last.Status === 'Terminating' || last.Status === 'Terminated') {
        throw new WharfError(OPERATION_FAILED_CODE, `Environment ${name} is ${last.Status}: it was terminated while this command waited for it to be Ready.`, { context: { environmentName: name } });
      }
    }
    if (Date.now() - started > spec.timeoutMs) throw timedOutError(name, spec.until, spec.timeoutMs, last);
    await delay(spec.intervalMs ?? WAIT_POLL_INTERVAL_MS);
  }
}

/**
 * Follows the operation a command just started (`started` is the API's answer, `startedAtMs` when
 * the command began): its events as EB CLI lines, a progress line on a terminal, until `until`.
 */
export function followOperation(
  ctx: Pick<EbContext, 'client' | 'say' | 'progress'>,
  started: EnvironmentView,
  startedAtMs: number,
  until: 'Ready' | 'Terminated',
  timeoutMs: number,
  options: Pick<WaitSpec, 'abortAwaited'> = {},
): Promise<WaitResult> {
  // The controller's clock stamps the events: start from the earlier of its time and ours.
  const controllerTime = Date.parse(started.DateUpdated);
  return waitForEnvironment({
    client: ctx.client,
    environment: started,
    operationId: started.Operation?.Id,
    until,
    sinceMs: Number.isFinite(controllerTime) ? Math.min(startedAtMs, controllerTime) : startedAtMs,
    timeoutMs,
    onEvent: (event) => ctx.say(eventLine(event)),
    onProgress: (environment, elapsedMs) => ctx.progress(progressLine(environment, elapsedMs)),
    ...options,
  });
}
