import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerInstanceTransition } from './container-instance.js';

test('a container instance drains and comes back; once INACTIVE it stays so', () => {
  assert.equal(containerInstanceTransition('ACTIVE', 'DRAINING'), 'DRAINING');
  assert.equal(containerInstanceTransition('DRAINING', 'ACTIVE'), 'ACTIVE');
  assert.equal(containerInstanceTransition('DRAINING', 'INACTIVE'), 'INACTIVE');
  assert.equal(containerInstanceTransition('ACTIVE', 'ACTIVE'), 'ACTIVE');
  assert.throws(() => containerInstanceTransition('INACTIVE', 'ACTIVE'), /cannot move from INACTIVE to ACTIVE/);
  assert.throws(() => containerInstanceTransition('INACTIVE', 'DRAINING'), /cannot move from INACTIVE to DRAINING/);
});
