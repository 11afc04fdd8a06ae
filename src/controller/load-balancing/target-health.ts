/**
 * What the routers last said about each target's health, kept in memory on the leading controller:
 * health is observed state, reported again by every router within seconds, so a new leader learns
 * it without a store. A report older than the staleness bound is ignored.
 */
import type { TargetHealthDescription, TargetState } from '../../model/routing.js';

/** A report this old no longer counts (routers report every few seconds and on each change). */
export const TARGET_HEALTH_STALE_MS = 30_000;

export interface KnownHealth {
  readonly state: TargetState;
  readonly reason?: string;
  readonly description?: string;
  readonly at: number;
}

export class TargetHealthBoard {
  private readonly byTarget = new Map<string, KnownHealth>();

  /** Takes a router's report (all its targets, or only the changed ones). */
  report(descriptions: readonly TargetHealthDescription[], now: number): void {
    // A report lists every target of the groups it names: targets it no longer lists are gone.
    const groups = new Set(descriptions.map((d) => d.targetGroupArn));
    for (const key of [...this.byTarget.keys()]) if (groups.has(key.slice(0, key.indexOf(' ')))) this.byTarget.delete(key);
    for (const d of descriptions) this.byTarget.set(`${d.targetGroupArn} ${d.targetId}`, { state: d.state, reason: d.reason, description: d.description, at: now });
  }

  /** How many targets of a group the routers last saw healthy. */
  healthyCount(targetGroupArn: string, now = Date.now()): number {
    let n = 0;
    for (const [key, known] of this.byTarget) {
      if (key.startsWith(`${targetGroupArn} `) && known.state === 'healthy' && now - known.at <= TARGET_HEALTH_STALE_MS) n += 1;
    }
    return n;
  }

  /** The last fresh report about a target, if any. */
  get(targetGroupArn: string, targetId: string, now = Date.now()): KnownHealth | undefined {
    const known = this.byTarget.get(`${targetGroupArn} ${targetId}`);
    return known && now - known.at <= TARGET_HEALTH_STALE_MS ? known : undefined;
  }
}

/** One router sample of a target group's running totals. */
interface TrafficSample {
  readonly at: number;
  readonly total: number;
  readonly errors5xx: number;
  readonly secondsSum: number;
}

/** Traffic over a recent window: requests, the share answered 5xx, and their mean duration. */
export interface TrafficWindow {
  readonly requests: number;
  readonly errorRate: number;
  readonly meanSeconds: number;
  readonly windowMs: number;
}

/** How far back the traffic window reaches, at most (Elastic Beanstalk's enhanced health looks at the last 10 s … 1 min). */
export const TRAFFIC_WINDOW_MS = 60_000;
/** The shortest window worth a rate. */
export const MIN_TRAFFIC_WINDOW_MS = 5_000;

/**
 * Requests answered per target group, from the routers' running totals: two samples give a rate,
 * which divided by the healthy targets gives ALBRequestCountPerTarget for a period; and a window of
 * recent samples gives the error rate and latency environment health reads.
 */
export class RequestBoard {
  private readonly samples = new Map<string, TrafficSample[]>();

  /** Takes one router's totals by target group ARN, sampled at `at`. */
  record(totals: Readonly<Record<string, number | { requests: number; errors5xx?: number | undefined; secondsSum?: number | undefined }>>, at: number): void {
    for (const [arn, value] of Object.entries(totals)) {
      const sample = typeof value === 'number' ? { at, total: value, errors5xx: 0, secondsSum: 0 } : { at, total: value.requests, errors5xx: value.errors5xx ?? 0, secondsSum: value.secondsSum ?? 0 };
      const list = this.samples.get(arn) ?? [];
      if (list.length > 0 && at <= list[list.length - 1]!.at) continue;
      list.push(sample);
      while (list.length > 2 && list[1]!.at < at - TRAFFIC_WINDOW_MS) list.shift();
      this.samples.set(arn, list);
    }
  }

  /**
   * Requests per healthy target over `periodMs`: the rate from the newest sample back to the newest
   * one at least a period older (else the oldest kept), undefined without two samples. Not just the
   * last two: a router also reports on each health change, often a moment after its previous
   * report, and a handful of requests in that moment would read as a burst.
   */
  perTarget(targetGroupArn: string, healthyTargets: number, periodMs: number, now: number): number | undefined {
    const list = this.samples.get(targetGroupArn) ?? [];
    const last = list[list.length - 1];
    const previous = list.findLast((s) => s.at <= (last?.at ?? 0) - periodMs) ?? list[0];
    if (!last || !previous || now - last.at > TARGET_HEALTH_STALE_MS || last.at <= previous.at) return undefined;
    const perMs = Math.max(0, last.total - previous.total) / (last.at - previous.at);
    return (perMs * periodMs) / Math.max(1, healthyTargets);
  }

  /**
   * The traffic between the newest sample and the oldest one within TRAFFIC_WINDOW_MS of it;
   * undefined when the samples are stale or span less than MIN_TRAFFIC_WINDOW_MS.
   */
  traffic(targetGroupArn: string, now: number): TrafficWindow | undefined {
    const delta = this.delta(targetGroupArn, now);
    if (!delta) return undefined;
    const { requests, errors5xx, secondsSum, windowMs } = delta;
    return { requests, errorRate: requests > 0 ? errors5xx / requests : 0, meanSeconds: requests > 0 ? secondsSum / requests : 0, windowMs };
  }

  /** Takes one router's totals by target id (a service's task), sampled at `at`. */
  recordTargets(totals: Readonly<Record<string, { requests: number; errors5xx?: number | undefined; secondsSum?: number | undefined }>>, at: number): void {
    this.record(Object.fromEntries(Object.entries(totals).map(([id, t]) => [`${TARGET_KEY}${id}`, t])), at);
  }

  /**
   * What these targets answered together over the recent window (each target's newest sample back
   * to its oldest within TRAFFIC_WINDOW_MS); undefined when none of them has a fresh window.
   */
  targetsTraffic(targetIds: readonly string[], now: number): { requests: number; errors5xx: number; secondsSum: number } | undefined {
    const deltas = targetIds.map((id) => this.delta(`${TARGET_KEY}${id}`, now)).filter((d) => d !== undefined);
    if (deltas.length === 0) return undefined;
    return deltas.reduce((sum, d) => ({ requests: sum.requests + d.requests, errors5xx: sum.errors5xx + d.errors5xx, secondsSum: sum.secondsSum + d.secondsSum }), { requests: 0, errors5xx: 0, secondsSum: 0 });
  }

  private delta(key: string, now: number): { requests: number; errors5xx: number; secondsSum: number; windowMs: number } | undefined {
    const list = this.samples.get(key) ?? [];
    const last = list[list.length - 1];
    const first = list.find((s) => s.at >= (last?.at ?? 0) - TRAFFIC_WINDOW_MS);
    if (!last || !first || now - last.at > TARGET_HEALTH_STALE_MS || last.at - first.at < MIN_TRAFFIC_WINDOW_MS) return undefined;
    return { requests: Math.max(0, last.total - first.total), errors5xx: Math.max(0, last.errors5xx - first.errors5xx), secondsSum: Math.max(0, last.secondsSum - first.secondsSum), windowMs: last.at - first.at };
  }
}

/** Per-target samples share the board with the groups' under this prefix (no ARN starts so). */
const TARGET_KEY = 'target ';
