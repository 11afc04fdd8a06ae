import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WharfError, isUserError, wharfError } from './errors.js';

test('wharfError fills the template and keeps the parameters as context', () => {
  const error = wharfError('WHARF_E_CLUSTER_NOT_FOUND', { cluster: 'prod' });
  assert.ok(error instanceof WharfError);
  assert.equal(error.status, 404);
  assert.match(error.message, /^Cluster "prod" does not exist/);
  assert.match(error.message, /wharf ecs create-cluster --cluster-name prod/);
  assert.deepEqual(error.context, { cluster: 'prod' });
  assert.ok(isUserError(error));
});

test('system errors are not user errors and keep their cause', () => {
  const cause = new Error('disk on fire');
  const error = wharfError('WHARF_E_INTERNAL', { requestId: 'r1' }, { cause });
  assert.equal(isUserError(error), false);
  assert.equal(error.cause, cause);
  assert.equal(isUserError(new Error('plain')), false);
});
