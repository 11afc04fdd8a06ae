/**
 * Target tracking, as a pure function: from a scalable target, its policies' metric values, the
 * service's counts and `now`, the desired count to set (or none) and why. Application Auto
 * Scaling's rules: scale out in proportion as soon as any policy wants out; scale in only when
 * every policy wants in, gradually, never during a deployment; cooldowns per direction; never below
 * min nor above max (a count outside them is brought inside first).
 */
import type { ScalableTargetRecord, ScalingPolicyRecord } from '../../model/autoscaling.js';

export interface PolicyReading {
  readonly policy: ScalingPolicyRecord;
  /** The metric now (average CPU % across tasks, or requests per target in the period); undefined without data. */
  readonly value: number | undefined;
}

export interface ScalingInput {
  readonly target: ScalableTargetRecord;
  readonly readings: readonly PolicyReading[];
  readonly desiredCount: number;
  /** Tasks running now: target tracking computes from the running count, not the desired one. */
  readonly runningCount: number;
  readonly deploymentInProgress: boolean;
  readonly now: number;
}

export interface ScalingDecision {
  readonly desiredCount: number;
  readonly direction: 'out' | 'in';
  readonly cause: string;
}

/** The most one scale-in step removes: 10% of the count, at least one task. */
function scaleInStep(count: number): number {
  return Math.max(1, Math.floor(count * 0.1));
}

export function decideScaling(input: ScalingInput): ScalingDecision | undefined {
  const { target, desiredCount, now } = input;
  if (desiredCount < target.minCapacity) return { desiredCount: target.minCapacity, direction: 'out', cause: `the desired count ${desiredCount} is below the minimum capacity ${target.minCapacity}` };
  if (desiredCount > target.maxCapacity) return { desiredCount: target.maxCapacity, direction: 'in', cause: `the desired count ${desiredCount} is above the maximum capacity ${target.maxCapacity}` };

  const base = Math.max(input.runningCount, 1);
  const wants = input.readings
    .filter((r) => r.value !== undefined)
    .map((r) => ({ r, count: Math.ceil((base * (r.value as number)) / r.policy.targetValue) }));
  if (wants.length === 0) return undefined;

  const out = wants.filter((w) => w.count > desiredCount);
  if (out.length > 0 && !target.suspended.dynamicScalingOut) {
    const top = out.reduce((a, b) => (b.count > a.count ? b : a));
    const cooldown = top.r.policy.scaleOutCooldownSeconds * 1000;
    if (target.lastScaleOutAt !== null && now - target.lastScaleOutAt < cooldown) return undefined;
    const next = Math.min(target.maxCapacity, top.count);
    if (next <= desiredCount) return undefined;
    return { desiredCount: next, direction: 'out', cause: `policy ${top.r.policy.name}: ${top.r.policy.metric} ${round(top.r.value)} above its target ${top.r.policy.targetValue}` };
  }

  // Scale in only if every policy with data wants fewer, none has scale-in disabled, and no deployment runs.
  if (input.deploymentInProgress || target.suspended.dynamicScalingIn) return undefined;
  if (wants.length !== input.readings.length || wants.some((w) => w.count >= desiredCount || w.r.policy.disableScaleIn)) return undefined;
  const cooldown = Math.max(...wants.map((w) => w.r.policy.scaleInCooldownSeconds)) * 1000;
  const last = Math.max(target.lastScaleInAt ?? 0, target.lastScaleOutAt ?? 0);
  if (last > 0 && now - last < cooldown) return undefined;
  const wanted = Math.max(...wants.map((w) => w.count));
  const next = Math.max(target.minCapacity, wanted, desiredCount - scaleInStep(desiredCount));
  if (next >= desiredCount) return undefined;
  const lead = wants[0]!;
  return { desiredCount: next, direction: 'in', cause: `policy ${lead.r.policy.name}: ${lead.r.policy.metric} ${round(lead.r.value)} below its target ${lead.r.policy.targetValue}` };
}

function round(value: number | undefined): string {
  return value === undefined ? 'n/a' : String(Math.round(value * 10) / 10);
}
