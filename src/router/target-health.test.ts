import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TargetEvent, TargetHealth } from './target-health.js';
import { INITIAL_TARGET_HEALTH, RESTORED_HEALTHY, isLegalMove, nextTargetHealth } from './target-health.js';

const thresholds = { healthyThresholdCount: 3, unhealthyThresholdCount: 2 };
const pass: TargetEvent = { type: 'check-passed' };
const fail: TargetEvent = { type: 'check-failed', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]' };

function run(start: TargetHealth, events: TargetEvent[]): TargetHealth[] {
  const states: TargetHealth[] = [];
  let health = start;
  for (const event of events) states.push((health = nextTargetHealth(health, event, thresholds)));
  return states;
}

test('an initial target becomes healthy after healthyThresholdCount passes in a row', () => {
  const states = run(INITIAL_TARGET_HEALTH, [pass, pass, fail, pass, pass, pass]);
  assert.deepEqual(states.map((s) => s.state), ['initial', 'initial', 'initial', 'initial', 'initial', 'healthy']);
  assert.equal(states[5]?.reason, undefined);
});

test('an initial target that fails unhealthyThresholdCount checks is unhealthy, and needs the full threshold back', () => {
  const states = run(INITIAL_TARGET_HEALTH, [fail, fail, pass, pass, pass]);
  assert.deepEqual(states.map((s) => s.state), ['initial', 'unhealthy', 'unhealthy', 'unhealthy', 'healthy']);
  assert.equal(states[1]?.reason, 'Target.ResponseCodeMismatch');
});

test('a healthy target goes unhealthy after unhealthyThresholdCount failures in a row only', () => {
  const states = run(RESTORED_HEALTHY, [fail, pass, fail, fail]);
  assert.deepEqual(states.map((s) => s.state), ['healthy', 'healthy', 'healthy', 'unhealthy']);
});

test('a failed connection takes a healthy target out at once; one passing check brings it back', () => {
  const [out, back] = run(RESTORED_HEALTHY, [{ type: 'connection-failed', description: 'ECONNREFUSED' }, pass]);
  assert.equal(out?.state, 'unhealthy');
  assert.equal(out?.reason, 'Target.ConnectionFailed');
  assert.equal(out?.passive, true);
  assert.equal(back?.state, 'healthy');
  // A failed check after it makes it an ordinary unhealthy target.
  const states = run(RESTORED_HEALTHY, [{ type: 'connection-failed', description: 'x' }, fail, pass, pass, pass]);
  assert.deepEqual(states.map((s) => s.state), ['unhealthy', 'unhealthy', 'unhealthy', 'unhealthy', 'healthy']);
  // A failed connection to a target that takes no traffic changes nothing.
  assert.equal(nextTargetHealth(INITIAL_TARGET_HEALTH, { type: 'connection-failed', description: 'x' }, thresholds), INITIAL_TARGET_HEALTH);
});

test('deregistration drains from any state; checks change nothing while draining; registering again starts over', () => {
  const draining = nextTargetHealth(RESTORED_HEALTHY, { type: 'deregistered', drainDeadline: 1_000 }, thresholds);
  assert.equal(draining.state, 'draining');
  assert.equal(draining.drainDeadline, 1_000);
  assert.equal(nextTargetHealth(draining, pass, thresholds), draining);
  assert.equal(nextTargetHealth(draining, fail, thresholds), draining);
  assert.equal(nextTargetHealth(draining, { type: 'deregistered', drainDeadline: 5_000 }, thresholds), draining, 'a second deregistration keeps the first deadline');
  assert.equal(nextTargetHealth(draining, { type: 'registered-again' }, thresholds).state, 'initial');
});

test('the legal moves', () => {
  assert.ok(isLegalMove('initial', 'healthy'));
  assert.ok(isLegalMove('unhealthy', 'healthy'));
  assert.ok(!isLegalMove('healthy', 'initial'));
  assert.ok(!isLegalMove('draining', 'healthy'));
});
