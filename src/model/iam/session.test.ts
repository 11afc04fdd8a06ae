import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assumedRoleArn, assumedRoleId, isSessionKey, parseRoleSession, ROLE_SESSION_NAME } from './session.js';
import type { RoleSession } from './session.js';

/** A complete valid session to tweak. */
function session(overrides: Partial<Record<keyof RoleSession, unknown>> = {}): Record<string, unknown> {
  return {
    accessKeyId: 'ASIAABCDEFGHIJKLMNOP',
    secretAccessKey: 'x'.repeat(40),
    roleArn: 'arn:wharf:iam::000000000000:role/app',
    roleId: 'AROAABCDEFGHIJKLMNOPQ',
    roleName: 'app',
    sessionName: 'build-1',
    issuedAt: 1_000,
    expiresAt: 3_601_000,
    ...overrides,
  };
}

test("a session's token text is read back only when every field is there and of its kind", () => {
  assert.deepEqual(parseRoleSession(JSON.stringify(session())), session());
  assert.equal(parseRoleSession('not json'), undefined);
  assert.equal(parseRoleSession(JSON.stringify(session({ accessKeyId: 'AKIAABCDEFGHIJKLMNOP' }))), undefined, 'a long-term key id');
  assert.equal(parseRoleSession(JSON.stringify(session({ sessionName: 'a' }))), undefined, 'a session name too short');
  assert.equal(parseRoleSession(JSON.stringify(session({ expiresAt: '3601000' }))), undefined, 'a time as text');
  assert.equal(parseRoleSession(JSON.stringify({ ...session(), extra: 1 })), undefined, 'an unknown field');
  const { roleId: _roleId, ...withoutRoleId } = session();
  assert.equal(parseRoleSession(JSON.stringify(withoutRoleId)), undefined, 'no role id');
});

test("a session's names: ASIA keys, the assumed-role ARN and id, STS's session name rule", () => {
  assert.equal(isSessionKey('ASIAABCDEFGHIJKLMNOP'), true);
  assert.equal(isSessionKey('AKIAABCDEFGHIJKLMNOP'), false);
  assert.equal(assumedRoleArn('000000000000', 'app', 'build-1'), 'arn:wharf:sts::000000000000:assumed-role/app/build-1');
  assert.equal(assumedRoleId('AROAX', 'build-1'), 'AROAX:build-1');
  for (const ok of ['ab', 'a+=,.@_-b', 'x'.repeat(64)]) assert.match(ok, ROLE_SESSION_NAME);
  for (const bad of ['a', 'x'.repeat(65), 'with space', 'slash/no']) assert.doesNotMatch(bad, ROLE_SESSION_NAME);
});
