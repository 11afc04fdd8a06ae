/**
 * Tells the controller what this router sees of each target's health (`POST /v1/router/health`,
 * `routerHealthReportSchema` in src/model/routing.ts):
 * the deployment engine waits on it before stopping old tasks, and DescribeTargetHealth shows it.
 * Each report also carries the requests answered so far per target group (auto scaling's
 * requests-per-target metric), with how many were 5xx and their total duration (environment health),
 * and the listeners its data plane serves (load balancers' state).
 * It sends on every change (checked often) and the whole picture every few seconds, so a new
 * leader learns it at once; a failed report is simply sent again next time.
 */
import type { Logger } from '../log.js';
import type { RouterHealthReport, TargetHealthDescription } from '../model/routing.js';
import type { Router } from './router.js';

/** How often the router looks for changes to report. */
export const HEALTH_REPORT_CHECK_MS = 100;
/** How often it reports everything even without a change. */
export const HEALTH_REPORT_FULL_MS = 5_000;

export class HealthReporter {
  private timer: NodeJS.Timeout | undefined;
  private last = '';
  private lastFullAt = 0;
  private sending: Promise<void> | undefined;

  constructor(
    private readonly router: Router,
    private readonly endpoint: string,
    private readonly token: string | undefined,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(), HEALTH_REPORT_CHECK_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sending;
  }

  private tick(): void {
    if (this.sending) return;
    const targets: TargetHealthDescription[] = this.router.targetHealth();
    const listeners = this.router.servedListeners();
    const json = JSON.stringify([targets, listeners]);
    const now = Date.now();
    if (json === this.last && now - this.lastFullAt < HEALTH_REPORT_FULL_MS) return;
    this.sending = Promise.all([this.router.metrics.trafficTotals(), this.router.metrics.trafficByTarget()])
      .then(([traffic, byTarget]) => {
        const pick = (field: 'requests' | 'errors5xx' | 'secondsSum') => Object.fromEntries(Object.entries(traffic).map(([group, t]) => [group, t[field]]));
        const report: RouterHealthReport = { targets, requests: { at: now, byTargetGroup: pick('requests'), errorsByTargetGroup: pick('errors5xx'), secondsByTargetGroup: pick('secondsSum'), byTarget }, listeners };
        return fetch(new URL('/v1/router/health', this.endpoint + '/'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
          body: JSON.stringify(report),
          signal: AbortSignal.timeout(5_000),
        });
      })
      .then(async (response) => {
        await response.text();
        if (!response.ok) throw new Error(`the controller answered ${response.status}`);
        this.last = json;
        this.lastFullAt = now;
      })
      .catch((error: unknown) => this.log.debug({ err: error }, 'target health report failed; sending again'))
      .finally(() => (this.sending = undefined));
  }
}
