import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deploymentTransition, serviceTransition, taskSetTransition } from './service.js';

test('a task set moves PRIMARY ⇄ ACTIVE and on to INACTIVE, never back from INACTIVE', () => {
  assert.equal(taskSetTransition('PRIMARY', 'ACTIVE'), 'ACTIVE');
  assert.equal(taskSetTransition('ACTIVE', 'PRIMARY'), 'PRIMARY');
  assert.equal(taskSetTransition('PRIMARY', 'INACTIVE'), 'INACTIVE');
  assert.equal(taskSetTransition('ACTIVE', 'INACTIVE'), 'INACTIVE');
  assert.equal(taskSetTransition('INACTIVE', 'INACTIVE'), 'INACTIVE');
  assert.throws(() => taskSetTransition('INACTIVE', 'PRIMARY'), /cannot move from INACTIVE to PRIMARY/);
  assert.throws(() => taskSetTransition('INACTIVE', 'ACTIVE'), /cannot move from INACTIVE to ACTIVE/);
});

test('a deployment ends once: COMPLETED, SUPERSEDED and ROLLED_BACK are final; FAILED may still be rolled back', () => {
  assert.equal(deploymentTransition('IN_PROGRESS', 'SUPERSEDED'), 'SUPERSEDED');
  assert.equal(deploymentTransition('FAILED', 'ROLLED_BACK'), 'ROLLED_BACK');
  assert.throws(() => deploymentTransition('COMPLETED', 'FAILED'), /cannot move from COMPLETED to FAILED/);
  assert.throws(() => deploymentTransition('SUPERSEDED', 'IN_PROGRESS'), /cannot move from SUPERSEDED to IN_PROGRESS/);
});

test('a service moves ACTIVE → DRAINING → INACTIVE, and never back', () => {
  assert.equal(serviceTransition('ACTIVE', 'DRAINING'), 'DRAINING');
  assert.equal(serviceTransition('DRAINING', 'INACTIVE'), 'INACTIVE');
  assert.equal(serviceTransition('DRAINING', 'DRAINING'), 'DRAINING');
  assert.throws(() => serviceTransition('ACTIVE', 'INACTIVE'), /cannot move from ACTIVE to INACTIVE/);
  assert.throws(() => serviceTransition('DRAINING', 'ACTIVE'), /cannot move from DRAINING to ACTIVE/);
  assert.throws(() => serviceTransition('INACTIVE', 'ACTIVE'), /cannot move from INACTIVE to ACTIVE/);
});
