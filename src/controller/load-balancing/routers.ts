/**
 * What the routers say they serve: each report (`POST /v1/router/health`) names the listeners the
 * router's data plane has in effect. Observed state, in memory on the leader like the target health
 * board; re-sent by every router within seconds, so a new leader learns it at once. A load balancer
 * is `active` once routers serve every one of its listeners (`LoadBalancerView.State`).
 */
import { TARGET_HEALTH_STALE_MS } from './target-health.js';

/** A router that has not reported for this long no longer counts as serving anything. */
export const ROUTER_REPORT_STALE_MS = TARGET_HEALTH_STALE_MS;

/** Addresses a router binds to that no client can call. */
const WILDCARD = new Set(['', '0.0.0.0', '::', '[::]']);

export class RouterBoard {
  private readonly served = new Map<string, number>();
  private lastReport: { at: number; address: string | undefined } | undefined;

  /** A router's report: the ARNs of the listeners its data plane serves, and the address it reported from. */
  report(listenerArns: readonly string[], address: string | undefined, now: number): void {
    for (const arn of listenerArns) this.served.set(arn, now);
    this.lastReport = { at: now, address };
  }

  /** Whether a router reported within the stale window. */
  anyRouter(now: number): boolean {
    return this.lastReport !== undefined && now - this.lastReport.at <= ROUTER_REPORT_STALE_MS;
  }

  /** Whether some router that reported within the stale window serves the listener. */
  serves(listenerArn: string, now: number): boolean {
    const at = this.served.get(listenerArn);
    return at !== undefined && now - at <= ROUTER_REPORT_STALE_MS;
  }

  /**
   * Where clients reach the routers: the configured router host (`WHARF_ROUTER_HOST`), unless it is
   * a wildcard bind address; then the address the latest router report came from; else loopback.
   */
  address(configured: string | undefined): string {
    if (configured !== undefined && !WILDCARD.has(configured)) return configured;
    const seen = this.lastReport?.address?.replace(/^::ffff:/, '');
    return seen && !WILDCARD.has(seen) ? seen : '127.0.0.1';
  }
}
