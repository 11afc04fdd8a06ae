/**
 * The router's Prometheus metrics, the same names whichever data plane serves (the node plane
 * reports each request as it ends; the haproxy plane from its per-request log lines):
 *
 * - `wharf_router_requests_total{target_group,target}`: requests a target answered
 * - `wharf_router_responses_total{target_group,target,code_class}`: by status class (2xx … 5xx)
 * - `wharf_router_request_duration_seconds{target_group,target}`: histogram, request received to
 *   last response byte
 * - `wharf_router_healthy_targets{target_group}` and `wharf_router_targets{target_group,state}`
 * - `wharf_router_connection_failures_total{target_group,target}`: connections that failed (retried elsewhere)
 * - `wharf_router_local_responses_total{listener,code}`: answers the router gave itself (404, 503, fixed)
 * - `wharf_router_table_version`: the routing table version being served
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TargetState } from '../model/routing.js';
import { TARGET_STATES } from '../model/routing.js';

/** Latency buckets, seconds: from a loopback hop to ALB's idle timeout. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class RouterMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'wharf_router_requests_total', help: 'Requests answered by a target', labelNames: ['target_group', 'target'], registers: [this.registry] });
  private readonly responses = new Counter({ name: 'wharf_router_responses_total', help: 'Responses from targets by status class', labelNames: ['target_group', 'target', 'code_class'], registers: [this.registry] });
  private readonly duration = new Histogram({
    name: 'wharf_router_request_duration_seconds',
    help: 'Time from request received to last response byte, for requests answered by a target',
    labelNames: ['target_group', 'target'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly healthy = new Gauge({ name: 'wharf_router_healthy_targets', help: 'Healthy targets per target group', labelNames: ['target_group'], registers: [this.registry] });
  private readonly targets = new Gauge({ name: 'wharf_router_targets', help: 'Registered and draining targets per target group and state', labelNames: ['target_group', 'state'], registers: [this.registry] });
  private readonly connectionFailures = new Counter({ name: 'wharf_router_connection_failures_total', help: 'Connections to a target that failed before any response byte (the request went elsewhere)', labelNames: ['target_group', 'target'], registers: [this.registry] });
  private readonly local = new Counter({ name: 'wharf_router_local_responses_total', help: 'Answers the router gave itself: no route, no healthy target, fixed responses', labelNames: ['listener', 'code'], registers: [this.registry] });
  private readonly tableVersion = new Gauge({ name: 'wharf_router_table_version', help: 'Version of the routing table being served', registers: [this.registry] });

  /** Requests answered so far per target group (by name), for the controller's requests-per-target metric. */
  async requestTotals(): Promise<Record<string, number>> {
    const totals: Record<string, number> = {};
    for (const v of (await this.requests.get()).values) {
      const group = String(v.labels.target_group ?? '');
      totals[group] = (totals[group] ?? 0) + v.value;
    }
    return totals;
  }

  /**
   * Per target group (by name), so far: requests answered, those answered 5xx, and the sum of
   * their durations in seconds (the controller turns two samples into an error rate and a mean
   * latency for Elastic Beanstalk's enhanced health).
   */
  async trafficTotals(): Promise<Record<string, { requests: number; errors5xx: number; secondsSum: number }>> {
    return this.totalsBy('target_group');
  }

  private async totalsBy(label: 'target_group' | 'target'): Promise<Record<string, { requests: number; errors5xx: number; secondsSum: number }>> {
    const totals: Record<string, { requests: number; errors5xx: number; secondsSum: number }> = {};
    const of = (key: string) => (totals[key] ??= { requests: 0, errors5xx: 0, secondsSum: 0 });
    for (const v of (await this.requests.get()).values) of(String(v.labels[label] ?? '')).requests += v.value;
    for (const v of (await this.responses.get()).values) if (v.labels.code_class === '5xx') of(String(v.labels[label] ?? '')).errors5xx += v.value;
    for (const v of (await this.duration.get()).values) {
      if (v.metricName === 'wharf_router_request_duration_seconds_sum') of(String(v.labels[label] ?? '')).secondsSum += v.value;
    }
    return totals;
  }

  /** The same totals per target id (all groups together): a deployment judges its new tasks by them. */
  async trafficByTarget(): Promise<Record<string, { requests: number; errors5xx: number; secondsSum: number }>> {
    return this.totalsBy('target');
  }

  observe(targetGroup: string, target: string, status: number, seconds: number): void {
    this.requests.inc({ target_group: targetGroup, target });
    this.responses.inc({ target_group: targetGroup, target, code_class: `${Math.floor(status / 100)}xx` });
    this.duration.observe({ target_group: targetGroup, target }, seconds);
  }

  connectionFailed(targetGroup: string, target: string): void {
    this.connectionFailures.inc({ target_group: targetGroup, target });
  }

  answered(listenerPort: number, status: number): void {
    this.local.inc({ listener: String(listenerPort), code: String(status) });
  }

  /** Sets the per-group target gauges from a count by state (groups not given are dropped). */
  setTargetCounts(counts: ReadonlyMap<string, Readonly<Record<TargetState, number>>>): void {
    this.healthy.reset();
    this.targets.reset();
    for (const [group, byState] of counts) {
      this.healthy.set({ target_group: group }, byState.healthy);
      for (const state of TARGET_STATES) this.targets.set({ target_group: group, state }, byState[state]);
    }
  }

  setTableVersion(version: number): void {
    this.tableVersion.set(version);
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
