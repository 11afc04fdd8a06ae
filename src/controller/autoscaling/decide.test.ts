import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScalableTargetRecord, ScalingPolicyRecord } from '../../model/autoscaling.js';
import { decideScaling } from './decide.js';

const NOW = 1_700_000_000_000;
const target = (o: Partial<ScalableTargetRecord> = {}): ScalableTargetRecord => ({ resourceId: 'service/default/web', arn: 'arn', minCapacity: 1, maxCapacity: 10, suspended: { dynamicScalingIn: false, dynamicScalingOut: false }, lastScaleOutAt: null, lastScaleInAt: null, createdAt: NOW, ...o });
const policy = (o: Partial<ScalingPolicyRecord> = {}): ScalingPolicyRecord => ({ arn: 'p', name: 'cpu50', resourceId: 'service/default/web', metric: 'ECSServiceAverageCPUUtilization', resourceLabel: null, targetValue: 50, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300, disableScaleIn: false, createdAt: NOW, ...o });
const input = (value: number | undefined, o: Partial<Parameters<typeof decideScaling>[0]> = {}) => ({ target: target(), readings: [{ policy: policy(), value }], desiredCount: 2, runningCount: 2, deploymentInProgress: false, now: NOW, ...o });

test('scales out in proportion to the metric, up to max', () => {
  assert.deepEqual(decideScaling(input(100))?.desiredCount, 4);
  assert.equal(decideScaling(input(1000))?.desiredCount, 10, 'capped at max');
  assert.match(decideScaling(input(100))!.cause, /ECSServiceAverageCPUUtilization 100 above its target 50/);
});

test('scale-out cooldown', () => {
  assert.equal(decideScaling(input(100, { target: target({ lastScaleOutAt: NOW - 30_000 }) })), undefined);
  assert.equal(decideScaling(input(100, { target: target({ lastScaleOutAt: NOW - 61_000 }) }))?.desiredCount, 4);
});

test('scales in gradually, never below min, not during deployments, not within the cooldown', () => {
  assert.equal(decideScaling(input(5, { desiredCount: 8, runningCount: 8 }))?.desiredCount, 7, 'one step of 10% (at least 1)');
  assert.equal(decideScaling(input(0, { desiredCount: 1, runningCount: 1 })), undefined, 'already at min');
  assert.equal(decideScaling(input(5, { desiredCount: 8, runningCount: 8, deploymentInProgress: true })), undefined);
  assert.equal(decideScaling(input(5, { desiredCount: 8, runningCount: 8, target: target({ lastScaleOutAt: NOW - 100_000 }) })), undefined, 'within 300 s of the last scaling');
  assert.equal(decideScaling(input(5, { desiredCount: 8, runningCount: 8, readings: [{ policy: policy({ disableScaleIn: true }), value: 5 }] })), undefined);
});

test('with several policies: out if any wants out, in only if all want in', () => {
  const two = (a: number, b: number) => input(undefined, { desiredCount: 4, runningCount: 4, readings: [{ policy: policy(), value: a }, { policy: policy({ name: 'req', metric: 'ALBRequestCountPerTarget', targetValue: 100 }), value: b }] });
  assert.equal(decideScaling(two(100, 10))?.desiredCount, 8);
  assert.equal(decideScaling(two(10, 90)), undefined, 'one policy still wants 4');
  assert.equal(decideScaling(two(10, 10))?.desiredCount, 3);
});

test('a count outside min and max is brought inside first; no data, no action', () => {
  assert.equal(decideScaling(input(undefined, { desiredCount: 0, target: target({ minCapacity: 2 }) }))?.desiredCount, 2);
  assert.equal(decideScaling(input(undefined, { desiredCount: 12 }))?.desiredCount, 10);
  assert.equal(decideScaling(input(undefined)), undefined);
});
