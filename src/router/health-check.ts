/**
 * Active health checks: one small object per registered target, holding its target group's
 * settings (interval, timeout, path, thresholds, matcher) and the target's health. It probes on a
 * timer, feeds each result and every other event (a failed connection seen while serving,
 * deregistration) through `nextTargetHealth`, and calls `onTransition` only when the state really
 * changes, so a steady target logs nothing.
 */
import http from 'node:http';
import type { HealthCheck, Target } from '../model/routing.js';
import { matcherAccepts } from '../model/routing.js';
import type { TargetEvent, TargetHealth, TargetHealthReason } from './target-health.js';
import { INITIAL_TARGET_HEALTH, nextTargetHealth } from './target-health.js';

/** The outcome of one probe. */
export type ProbeResult = { readonly ok: true } | { readonly ok: false; readonly reason: TargetHealthReason; readonly description: string };

/** Sends one health check request; must settle by `timeoutMs`. */
export type HealthProbe = (target: Pick<Target, 'host' | 'port'>, check: Pick<HealthCheck, 'path' | 'matcher'>, timeoutMs: number) => Promise<ProbeResult>;

/** `GET http://host:port<path>` on a fresh connection; passes when the status is one the matcher accepts. */
export const httpHealthProbe: HealthProbe = (target, check, timeoutMs) =>
  new Promise<ProbeResult>((resolve) => {
    let settled = false;
    const settle = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = http.get({ host: target.host, port: target.port, path: check.path, agent: false, headers: { host: `${target.host}:${target.port}`, 'user-agent': 'Wharf-HealthChecker/1.0', connection: 'close' } }, (response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      response.on('end', () =>
        settle(matcherAccepts(check.matcher.httpCode, status) ? { ok: true } : { ok: false, reason: 'Target.ResponseCodeMismatch', description: `Health checks failed with these codes: [${status}]` }),
      );
      response.on('error', (error) => settle({ ok: false, reason: 'Target.FailedHealthChecks', description: `Health check response broke: ${error.message}` }));
    });
    const timer = setTimeout(() => {
      settle({ ok: false, reason: 'Target.Timeout', description: `Request timed out after ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => settle({ ok: false, reason: 'Target.FailedHealthChecks', description: `Health check could not connect: ${error.code ?? error.message}` }));
  });

export interface TargetHealthCheckOptions {
  readonly probe: HealthProbe;
  /** Multiplies interval and timeout (1 in production; tests and benchmarks shorten them). */
  readonly timeScale: number;
  /** Called on every real state change, never otherwise. */
  readonly onTransition: (from: TargetHealth, to: TargetHealth, event: TargetEvent) => void;
}

/** The health of one target of one target group, and the timer that checks it. */
export class TargetHealthCheck {
  private current: TargetHealth;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private probing = false;

  constructor(
    readonly target: Target,
    private settings: HealthCheck,
    private readonly options: TargetHealthCheckOptions,
    initial: TargetHealth = INITIAL_TARGET_HEALTH,
  ) {
    this.current = initial;
  }

  get health(): TargetHealth {
    return this.current;
  }

  /** Starts checking: the first probe at once, then one per interval. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops checking (the target drains, or is gone). */
  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** New settings of the target group; they apply from the next probe. */
  reconfigure(settings: HealthCheck): void {
    this.settings = settings;
  }

  /** Feeds one event; reports a transition when the state changes. */
  apply(event: TargetEvent): TargetHealth {
    const before = this.current;
    this.current = nextTargetHealth(before, event, this.settings);
    if (this.current.state !== before.state) this.options.onTransition(before, this.current, event);
    return this.current;
  }

  /** Probes once now (used after a failed connection, to bring a target back as soon as it answers). */
  checkSoon(): void {
    if (!this.running || this.probing) return;
    if (this.timer) clearTimeout(this.timer);
    this.schedule(Math.min(1000, this.intervalMs() / 4));
  }

  private intervalMs(): number {
    return this.settings.intervalSeconds * 1000 * this.options.timeScale;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.runOnce(), delayMs);
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    if (!this.running) return;
    this.probing = true;
    const started = performance.now();
    let result: ProbeResult;
    try {
      result = await this.options.probe(this.target, this.settings, Math.max(1, this.settings.timeoutSeconds * 1000 * this.options.timeScale));
    } catch (error) {
      result = { ok: false, reason: 'Target.FailedHealthChecks', description: error instanceof Error ? error.message : String(error) };
    }
    this.probing = false;
    if (!this.running) return;
    this.apply(result.ok ? { type: 'check-passed' } : { type: 'check-failed', reason: result.reason, description: result.description });
    // The next probe starts one interval after this one started, as ELB's.
    this.schedule(Math.max(0, this.intervalMs() - (performance.now() - started)));
  }
}
