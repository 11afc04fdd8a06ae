import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBearer, sameSecret } from './secrets.js';

test('sameSecret: equal secrets match; different ones, of any length, do not', () => {
  assert.equal(sameSecret('s3cret-join-token', 's3cret-join-token'), true);
  assert.equal(sameSecret('s3cret-join-token', 's3cret-join-tokeN'), false, 'same length, last character differs');
  assert.equal(sameSecret('s3cret', 's3cret-join-token'), false, 'a prefix is not the secret');
  assert.equal(sameSecret('s3cret-join-token-and-more', 's3cret-join-token'), false, 'longer is not the secret');
  assert.equal(sameSecret('é', 'e'), false);
});

test('sameSecret: an empty secret matches nothing, not even an empty one', () => {
  assert.equal(sameSecret('', ''), false);
  assert.equal(sameSecret('x', ''), false);
  assert.equal(sameSecret('', 'x'), false);
});

test('isBearer: only "Bearer <token>" matches', () => {
  assert.equal(isBearer('Bearer tok-123', 'tok-123'), true);
  assert.equal(isBearer('Bearer tok-124', 'tok-123'), false);
  assert.equal(isBearer('Basic tok-123', 'tok-123'), false);
  assert.equal(isBearer('tok-123', 'tok-123'), false);
  assert.equal(isBearer(undefined, 'tok-123'), false);
  assert.equal(isBearer('Bearer ', ''), false, 'no token configured: nothing matches');
});
