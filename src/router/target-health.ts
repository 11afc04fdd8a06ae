/**
 * A target's health as the router keeps it: a state (`initial`, `healthy`, `unhealthy`,
 * `draining`), the run of consecutive check results, and why it is not healthy. `nextTargetHealth`
 * is the one pure transition function: a health record and an event in, the next record out; it
 * never reads the clock (a draining deadline comes in with its event). `isLegalMove` says which
 * state changes exist; the router logs each real one as `{from, to}`.
 *
 *   initial ──healthyThresholdCount passes──▶ healthy ──unhealthyThresholdCount failures──▶ unhealthy
 *      │                                          │  ◀──healthyThresholdCount passes (or one, after
 *      └──unhealthyThresholdCount failures──▶ unhealthy       a failed connection)──┘
 *   any ──deregistered──▶ draining ──idle or deadline──▶ (removed);  draining ──registered again──▶ initial
 */
import type { HealthCheck, TargetState } from '../model/routing.js';

/** ELBv2's reason codes for a target that does not take traffic. */
export type TargetHealthReason =
  | 'Elb.InitialHealthChecking'
  | 'Target.ResponseCodeMismatch'
  | 'Target.Timeout'
  | 'Target.FailedHealthChecks'
  | 'Target.ConnectionFailed'
  | 'Target.DeregistrationInProgress';

export interface TargetHealth {
  readonly state: TargetState;
  /** Consecutive passing checks (reset by a failure). */
  readonly passes: number;
  /** Consecutive failing checks (reset by a pass). */
  readonly failures: number;
  readonly reason?: TargetHealthReason;
  /** What the last failing check saw, e.g. "Health checks failed with these codes: [500]". */
  readonly description?: string;
  /**
   * Taken out by a failed connection while serving (passive health), not by checks: one passing
   * check brings it back, since its checks were passing until then.
   */
  readonly passive?: boolean;
  /** When draining: ms since the epoch after which it is removed even if requests are in flight. */
  readonly drainDeadline?: number;
}

/** What can happen to a target. */
export type TargetEvent =
  | { readonly type: 'check-passed' }
  | { readonly type: 'check-failed'; readonly reason: TargetHealthReason; readonly description: string }
  /** A request could not connect (or was reset before any response byte): out of rotation at once. */
  | { readonly type: 'connection-failed'; readonly description: string }
  | { readonly type: 'deregistered'; readonly drainDeadline: number }
  | { readonly type: 'registered-again' };

/** A freshly registered target: no traffic until it passes healthyThresholdCount checks. */
export const INITIAL_TARGET_HEALTH: TargetHealth = { state: 'initial', passes: 0, failures: 0, reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' };

/** A target that was healthy before the router restarted (from its cache): it keeps serving. */
export const RESTORED_HEALTHY: TargetHealth = { state: 'healthy', passes: 0, failures: 0 };

const LEGAL_MOVES: Readonly<Record<TargetState, readonly TargetState[]>> = {
  initial: ['healthy', 'unhealthy', 'draining'],
  healthy: ['unhealthy', 'draining'],
  unhealthy: ['healthy', 'draining'],
  draining: ['initial'],
};

/** Whether a target may move from one state to another. */
export function isLegalMove(from: TargetState, to: TargetState): boolean {
  return from === to || LEGAL_MOVES[from].includes(to);
}

type Thresholds = Pick<HealthCheck, 'healthyThresholdCount' | 'unhealthyThresholdCount'>;

/** The record after `event`. Checks that land while draining change nothing. */
export function nextTargetHealth(current: TargetHealth, event: TargetEvent, thresholds: Thresholds): TargetHealth {
  const next = decide(current, event, thresholds);
  if (!isLegalMove(current.state, next.state)) throw new Error(`illegal target move ${current.state} -> ${next.state} on ${event.type}`);
  return next;
}

function decide(current: TargetHealth, event: TargetEvent, thresholds: Thresholds): TargetHealth {
  switch (event.type) {
    case 'deregistered':
      if (current.state === 'draining') return current;
      return { state: 'draining', passes: 0, failures: 0, reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress', drainDeadline: event.drainDeadline };
    case 'registered-again':
      return current.state === 'draining' ? INITIAL_TARGET_HEALTH : current;
    case 'connection-failed':
      if (current.state !== 'healthy') return current;
      return { state: 'unhealthy', passes: 0, failures: 0, reason: 'Target.ConnectionFailed', description: event.description, passive: true };
    case 'check-passed': {
      if (current.state === 'draining' || current.state === 'healthy') return current.state === 'healthy' && current.failures > 0 ? { ...current, failures: 0 } : current;
      const passes = current.passes + 1;
      const needed = current.passive ? 1 : thresholds.healthyThresholdCount;
      if (passes >= needed) return { state: 'healthy', passes, failures: 0 };
      return { ...current, passes, failures: 0 };
    }
    case 'check-failed': {
      if (current.state === 'draining') return current;
      const failures = current.failures + 1;
      if (current.state === 'unhealthy') return { ...current, passes: 0, failures, reason: event.reason, description: event.description, passive: false };
      if (failures >= thresholds.unhealthyThresholdCount) return { state: 'unhealthy', passes: 0, failures, reason: event.reason, description: event.description };
      return { ...current, passes: 0, failures };
    }
  }
}

/** Whether a target in this state gets new requests. */
export function takesTraffic(health: TargetHealth): boolean {
  return health.state === 'healthy';
}
