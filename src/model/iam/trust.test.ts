import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WharfError } from '../errors.js';
import { MAX_TRUST_POLICY_CHARS, parseTrustPolicy, trustDecision } from './trust.js';
import type { TrustCaller } from './trust.js';

/** A complete valid trust statement to tweak. */
function statement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole', ...overrides };
}

function doc(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const parse = (text: string) => parseTrustPolicy(text, 'AssumeRolePolicyDocument of role r');

/** The field errors of a refused trust policy, by field. */
function fieldErrors(text: string): Record<string, string> {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof WharfError, String(error));
    assert.equal(error.code, 'WHARF_E_MALFORMED_POLICY_DOCUMENT');
    assert.match(error.message, /AssumeRolePolicyDocument of role r/);
    return Object.fromEntries(error.errors.map((e) => [e.field, e.message]));
  }
  assert.fail('expected the trust policy to be refused');
}

test("a task role's trust policy is read, arrays everywhere, frozen", () => {
  const parsed = parse(doc(statement()));
  assert.deepEqual(parsed, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['ecs-tasks.amazonaws.com'] }, Action: ['sts:AssumeRole'] }] });
  assert.ok(Object.isFrozen(parsed) && Object.isFrozen(parsed.Statement[0]));
});

test('principals: "*", services, account ids and IAM and STS ARNs; actions: the sts ones, with wildcards; conditions as in any policy', () => {
  const parsed = parse(
    doc(
      statement({ Principal: '*', Action: 'sts:*' }),
      statement({
        Sid: 'People',
        Principal: { AWS: ['000000000000', 'arn:wharf:iam::000000000000:root', 'arn:wharf:iam::000000000000:user/team/alice', 'arn:aws:iam::123456789012:role/r', 'arn:aws:sts::123456789012:assumed-role/r/s'], Service: ['ecs.amazonaws.com', 'ec2.amazonaws.com'] },
        Action: ['sts:AssumeRole', 'sts:TagSession', 'STS:setsourceidentity'],
        Condition: { StringEquals: { 'sts:ExternalId': 'x' }, Bool: { 'aws:SecureTransport': true } },
      }),
    ),
  );
  assert.equal(parsed.Statement[0]?.Principal, '*');
  assert.deepEqual(parsed.Statement[1]?.Condition, { StringEquals: { 'sts:ExternalId': ['x'] }, Bool: { 'aws:SecureTransport': ['true'] } });
});

test('what a trust policy may not hold is refused, each problem at its path', () => {
  const errors = fieldErrors(
    doc(
      statement({ Resource: '*' }),
      statement({ Action: ['sts:AssumeRole', 'iam:PassRole'] }),
      statement({ Principal: { AWS: 'alice' } }),
      statement({ Principal: { Service: 'Not A Host' } }),
      statement({ Principal: { Federated: 'cognito-identity.amazonaws.com' } }),
      statement({ Principal: {} }),
      statement({ Principal: undefined }),
      statement({ NotPrincipal: { AWS: '*' } }),
      statement({ Principal: { Group: 'x' } }),
      statement({ Action: undefined, NotAction: 'sts:AssumeRole' }),
    ),
  );
  assert.match(errors['Statement.0.Resource'] ?? '', /no Resource/);
  assert.match(errors['Statement.1.Action.1'] ?? '', /"iam:PassRole" is not an action a trust policy allows/);
  assert.match(errors['Statement.2.Principal.AWS'] ?? '', /"alice" is not an AWS principal/);
  assert.match(errors['Statement.3.Principal.Service'] ?? '', /not a service principal/);
  assert.match(errors['Statement.4.Principal.Federated'] ?? '', /Federated principals/);
  assert.match(errors['Statement.5.Principal'] ?? '', /at least one Service or AWS/);
  assert.match(errors['Statement.6.Principal'] ?? '', /Principal is "\*" or an object/);
  assert.match(errors['Statement.7.NotPrincipal'] ?? '', /NotPrincipal is not supported/);
  assert.match(errors['Statement.8.Principal.Group'] ?? '', /Unknown field/);
  assert.match(errors['Statement.9.NotAction'] ?? '', /NotAction is not supported/);
  assert.ok(errors['Statement.9.Action'], 'Action is required');
});

test('an identity-based policy is not a trust policy; a duplicate Sid and a bad Effect are refused', () => {
  const errors = fieldErrors(doc({ Effect: 'allow', Action: 'ecs:RunTask', Resource: '*' }));
  assert.match(errors['Statement.0.Effect'] ?? '', /"Allow" or "Deny"/);
  assert.match(errors['Statement.0.Principal'] ?? '', /Principal is/);
  assert.match(errors['Statement.0.Action'] ?? '', /not an action a trust policy allows/);
  assert.match(errors['Statement.0.Resource'] ?? '', /no Resource/);
  assert.match(fieldErrors(doc(statement({ Sid: 'A' }), statement({ Sid: 'A' })))['Statement.1.Sid'] ?? '', /used by an earlier statement/);
});

test('a trust policy is at most 2048 characters (whitespace not counted), and must be JSON', () => {
  const big = doc(statement({ Principal: { AWS: Array.from({ length: 60 }, (_, i) => `arn:wharf:iam::000000000000:user/user-number-${i}`) } }));
  assert.throws(() => parse(big), (error: unknown) => error instanceof WharfError && error.code === 'WHARF_E_POLICY_TOO_LARGE' && error.message.includes(String(MAX_TRUST_POLICY_CHARS)));
  assert.throws(() => parse('{"Statement": ['), (error: unknown) => error instanceof WharfError && /line 1, column/.test(error.message));
});

const ACCOUNT = '111122223333';
const ALICE: TrustCaller = { arn: `arn:wharf:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT };
const BOB: TrustCaller = { arn: `arn:wharf:iam::${ACCOUNT}:user/bob`, accountId: ACCOUNT };
const SESSION: TrustCaller = { arn: `arn:wharf:sts::${ACCOUNT}:assumed-role/ci/run-1`, accountId: ACCOUNT, roleArn: `arn:wharf:iam::${ACCOUNT}:role/ci` };
const ROOT: TrustCaller = { arn: `arn:wharf:iam::${ACCOUNT}:root`, accountId: ACCOUNT };

/** The effect of a trust policy for a caller assuming the role. */
const effect = (text: string, caller: TrustCaller, context: Record<string, string | boolean> = {}) => trustDecision(parse(text), caller, 'sts:AssumeRole', context).effect;

test('a trust statement names the caller by *, its account (id or root ARN), its ARN, or a session by its role', () => {
  const aws = (AWS: unknown) => doc(statement({ Principal: { AWS } }));
  for (const caller of [ALICE, BOB, SESSION, ROOT]) {
    assert.equal(effect(aws(ACCOUNT), caller), 'Allow', `${caller.arn}: the account id`);
    assert.equal(effect(aws(`arn:wharf:iam::${ACCOUNT}:root`), caller), 'Allow', `${caller.arn}: the root ARN`);
    assert.equal(effect(doc(statement({ Principal: '*' })), caller), 'Allow', `${caller.arn}: *`);
    assert.equal(effect(aws('999988887777'), caller), 'ImplicitDeny', `${caller.arn}: another account`);
  }
  assert.equal(effect(aws(ALICE.arn), ALICE), 'Allow');
  assert.equal(effect(aws(ALICE.arn), BOB), 'ImplicitDeny');
  assert.equal(effect(aws(ALICE.arn), ROOT), 'ImplicitDeny', 'naming a user trusts that user, not the account');
  assert.equal(effect(aws(SESSION.roleArn), SESSION), 'Allow', "a role's sessions, by the role's ARN");
  assert.equal(effect(aws(SESSION.arn), SESSION), 'Allow', 'a session by its own ARN');
  assert.equal(effect(doc(statement()), ALICE), 'ImplicitDeny', 'a service principal names no signed caller');
});

test('an explicit Deny naming the caller wins; actions and conditions decide as in an identity policy', () => {
  const allowAccount = statement({ Principal: { AWS: ACCOUNT } });
  const denyBob = statement({ Effect: 'Deny', Principal: { AWS: BOB.arn } });
  assert.equal(effect(doc(allowAccount, denyBob), BOB), 'ExplicitDeny');
  assert.equal(effect(doc(allowAccount, denyBob), ALICE), 'Allow');
  assert.equal(effect(doc(statement({ Principal: { AWS: ACCOUNT }, Action: 'sts:TagSession' })), ALICE), 'ImplicitDeny', 'only sts:TagSession allowed');
  assert.equal(effect(doc(statement({ Principal: { AWS: ACCOUNT }, Action: 'sts:*' })), ALICE), 'Allow');
  const tls = doc(statement({ Principal: { AWS: ACCOUNT }, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }));
  assert.equal(effect(tls, ALICE, { 'aws:SecureTransport': true }), 'Allow');
  assert.equal(effect(tls, ALICE, { 'aws:SecureTransport': false }), 'ImplicitDeny');
  assert.equal(effect(tls, ALICE), 'ImplicitDeny', 'a condition on a key the call does not have');
});
