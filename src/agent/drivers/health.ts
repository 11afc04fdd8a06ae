/**
 * Container health checks run by the agent itself (the process driver; Docker runs its own).
 * Semantics are Docker's and ECS's: the first probe runs one interval after start, then one per
 * interval; a probe that outlives `timeout` fails; failures during `startPeriod` do not
 * count, a success during it ends the grace; `retries` failures in a row → UNHEALTHY; a success
 * → HEALTHY. The state is UNKNOWN until the first verdict.
 *
 * `nextHealth` is the pure rule; `HealthMonitor` is the timer around it.
 */
import type { AgentHealthCheck } from '../../model/agent-protocol.js';
import type { HealthStatus } from './driver.js';

/** Where a container's health evaluation stands. */
export interface HealthState {
  readonly status: HealthStatus;
  /** Failures in a row that counted. */
  readonly failures: number;
  /** Whether the start period is over (elapsed, or ended by a success). */
  readonly graceOver: boolean;
}

export const INITIAL_HEALTH: HealthState = { status: 'UNKNOWN', failures: 0, graceOver: false };

/** The state after one probe that ended `elapsedMs` after the container started. */
export function nextHealth(spec: AgentHealthCheck, state: HealthState, passed: boolean, elapsedMs: number): HealthState {
  if (passed) return { status: 'HEALTHY', failures: 0, graceOver: true };
  const inGrace = !state.graceOver && elapsedMs < spec.startPeriod * 1000;
  if (inGrace) return state;
  const failures = state.failures + 1;
  return { status: failures >= spec.retries ? 'UNHEALTHY' : state.status, failures, graceOver: true };
}

/** Runs a probe and says whether it passed; it must give up by `timeoutMs` (a timeout is a failure). */
export type Probe = (command: readonly string[], timeoutMs: number) => Promise<boolean>;

/** Probes a container on a timer and reports real transitions only. */
export class HealthMonitor {
  private state: HealthState = INITIAL_HEALTH;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly spec: AgentHealthCheck,
    private readonly probe: Probe,
    private readonly startedAt: number,
    private readonly onChange: (from: HealthStatus, to: HealthStatus) => void,
  ) {}

  get status(): HealthStatus {
    return this.state.status;
  }

  /** Schedules the first probe one interval from now. */
  start(): void {
    this.schedule();
  }

  /** Stops probing (the container exited, or the driver let go of it). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runOnce(), this.spec.interval * 1000);
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    let passed: boolean;
    try {
      passed = await this.probe(this.spec.command, this.spec.timeout * 1000);
    } catch {
      passed = false;
    }
    if (this.stopped) return;
    const before = this.state.status;
    this.state = nextHealth(this.spec, this.state, passed, Date.now() - this.startedAt);
    if (this.state.status !== before) this.onChange(before, this.state.status);
    this.schedule();
  }
}
