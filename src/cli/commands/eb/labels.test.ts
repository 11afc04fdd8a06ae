// Version labels and descriptions as the EB CLI names them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelTimestamp, versionDescription, versionLabel } from './labels.js';

const at = new Date(Date.UTC(2026, 0, 5, 7, 8, 9));

test('a label is app-<git short id>-<yymmdd_HHMMSS> with a commit, app-<yymmdd_HHMMSS> without (UTC)', () => {
  assert.equal(labelTimestamp(at), '260105_070809');
  assert.equal(versionLabel(at, 'a1b2c3d'), 'app-a1b2c3d-260105_070809');
  assert.equal(versionLabel(at), 'app-260105_070809');
  assert.equal(versionLabel(at, '  '), 'app-260105_070809');
  assert.equal(versionLabel(at, 'ab/c\n'), 'app-abc-260105_070809', 'nothing a label cannot hold');
});

test('the description is the message, else the commit subject, cut to 200 characters', () => {
  assert.equal(versionDescription('fix the cart', 'subject'), 'fix the cart');
  assert.equal(versionDescription(undefined, 'Add checkout'), 'Add checkout');
  assert.equal(versionDescription(undefined, undefined), undefined);
  assert.equal(versionDescription('   ', undefined), undefined);
  const long = versionDescription('x'.repeat(300), undefined);
  assert.equal(long?.length, 200);
  assert.ok(long?.endsWith('...'));
});
