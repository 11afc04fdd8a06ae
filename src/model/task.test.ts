import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IllegalTransitionError, TASK_STATUSES, canTransition, taskHealth, transition } from './task.js';

test('tasks move forward only; any live state may stop; STOPPED is final', () => {
  assert.equal(transition('PROVISIONING', 'PENDING'), 'PENDING');
  assert.equal(transition('PENDING', 'RUNNING'), 'RUNNING', 'skipping ACTIVATING is a forward move');
  assert.equal(transition('PENDING', 'STOPPED'), 'STOPPED');
  assert.equal(transition('RUNNING', 'RUNNING'), 'RUNNING');
  assert.throws(() => transition('RUNNING', 'PENDING'), IllegalTransitionError);
  assert.throws(() => transition('STOPPING', 'RUNNING'), /cannot move from STOPPING to RUNNING/);
  for (const to of TASK_STATUSES) if (to !== 'STOPPED') assert.equal(canTransition('STOPPED', to), false, `STOPPED -> ${to}`);
});

test('task health follows essential containers with checks only', () => {
  const c = (essential: boolean, hasHealthCheck: boolean, health: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN') => ({ essential, hasHealthCheck, health });
  assert.equal(taskHealth([c(true, true, 'HEALTHY'), c(true, false, 'UNKNOWN')]), 'HEALTHY');
  assert.equal(taskHealth([c(true, true, 'HEALTHY'), c(true, true, 'UNHEALTHY')]), 'UNHEALTHY');
  assert.equal(taskHealth([c(true, true, 'HEALTHY'), c(true, true, 'UNKNOWN')]), 'UNKNOWN');
  assert.equal(taskHealth([c(false, true, 'UNHEALTHY'), c(true, false, 'UNKNOWN')]), 'UNKNOWN', 'non-essential containers never count');
  assert.equal(taskHealth([]), 'UNKNOWN');
});
