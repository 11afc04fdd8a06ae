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
    for (const d of descriptions) this.byTarget.set(`${d.targetGroupArn} ${d.targetId}`, { state: d.state, reason: d.reason, description: d.description, at: now });
  }

  /** The last fresh report about a target, if any. */
  get(targetGroupArn: string, targetId: string, now = Date.now()): KnownHealth | undefined {
    const known = this.byTarget.get(`${targetGroupArn} ${targetId}`);
    return known && now - known.at <= TARGET_HEALTH_STALE_MS ? known : undefined;
  }
}
