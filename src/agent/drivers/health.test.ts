import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEALTH_CHECK_DEFAULTS } from '../../model/task-definition.js';
import { INITIAL_HEALTH, nextHealth } from './health.js';

const spec = { ...HEALTH_CHECK_DEFAULTS, command: ['CMD', 'true'], retries: 3, startPeriod: 10 };

test('a success marks HEALTHY at once, also during the start period', () => {
  const state = nextHealth(spec, INITIAL_HEALTH, true, 1_000);
  assert.deepEqual(state, { status: 'HEALTHY', failures: 0, graceOver: true });
});

test('failures during the start period do not count; after it, retries failures in a row mark UNHEALTHY', () => {
  let state = INITIAL_HEALTH;
  for (let i = 0; i < 5; i++) state = nextHealth(spec, state, false, 2_000 * i);
  assert.deepEqual(state, INITIAL_HEALTH, 'all within the 10 s start period');
  state = nextHealth(spec, state, false, 11_000);
  state = nextHealth(spec, state, false, 12_000);
  assert.equal(state.status, 'UNKNOWN');
  state = nextHealth(spec, state, false, 13_000);
  assert.equal(state.status, 'UNHEALTHY');
  state = nextHealth(spec, state, true, 14_000);
  assert.equal(state.status, 'HEALTHY');
});

test('a success ends the grace: later failures count even inside the start period', () => {
  let state = nextHealth(spec, INITIAL_HEALTH, true, 1_000);
  for (let i = 0; i < 2; i++) state = nextHealth(spec, state, false, 2_000 + i);
  assert.equal(state.status, 'HEALTHY');
  state = nextHealth(spec, state, false, 3_000);
  assert.equal(state.status, 'UNHEALTHY');
});
