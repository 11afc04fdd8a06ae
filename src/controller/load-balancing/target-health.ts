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

/**
 * Requests answered per target group, from the routers' running totals: two samples give a rate,
 * which divided by the healthy targets gives ALBRequestCountPerTarget for a period.
 */
export class RequestBoard {
  private readonly samples = new Map<string, { previous?: { total: number; at: number }; last: { total: number; at: number } }>();

  /** Takes one router's totals by target group ARN, sampled at `at`. */
  record(totals: Readonly<Record<string, number>>, at: number): void {
    for (const [arn, total] of Object.entries(totals)) {
      const known = this.samples.get(arn);
      if (known && at <= known.last.at) continue;
      this.samples.set(arn, { previous: known?.last, last: { total, at } });
    }
  }

  /** Requests per healthy target over `periodMs`, from the last two samples; undefined without them. */
  perTarget(targetGroupArn: string, healthyTargets: number, periodMs: number, now: number): number | undefined {
    const s = this.samples.get(targetGroupArn);
    if (!s?.previous || now - s.last.at > TARGET_HEALTH_STALE_MS || s.last.at <= s.previous.at) return undefined;
    const perMs = Math.max(0, s.last.total - s.previous.total) / (s.last.at - s.previous.at);
    return (perMs * periodMs) / Math.max(1, healthyTargets);
  }
}
