import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WharfError } from '../errors.js';
import {
  MAX_GROUP_INLINE_POLICY_CHARS,
  MAX_MANAGED_POLICY_CHARS,
  MAX_USER_INLINE_POLICY_CHARS,
  parsePolicyDocument,
  policyDocumentSize,
} from './policy.js';

/** A complete valid statement to tweak. */
function statement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { Sid: 'RunTasks', Effect: 'Allow', Action: 'ecs:RunTask', Resource: 'arn:wharf:ecs:local:000000000000:cluster/*', ...overrides };
}

/** A document of Version 2012-10-17 with these statements, as text. */
function doc(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const parse = (text: string) => parsePolicyDocument(text, 'PolicyDocument of PutUserPolicy', MAX_MANAGED_POLICY_CHARS);

/** The error a refused document raises. */
function refusal(text: string, maxChars = MAX_MANAGED_POLICY_CHARS): WharfError {
  try {
    parsePolicyDocument(text, 'PolicyDocument of PutUserPolicy', maxChars);
  } catch (error) {
    assert.ok(error instanceof WharfError, String(error));
    return error;
  }
  assert.fail('expected the document to be refused');
}

/** The field errors of a refused document, by field. */
function fieldErrors(text: string): Record<string, string> {
  const error = refusal(text);
  assert.equal(error.code, 'WHARF_E_MALFORMED_POLICY_DOCUMENT');
  assert.equal(error.status, 400);
  return Object.fromEntries(error.errors.map((e) => [e.field, e.message]));
}

test('the limits are AWS IAM quotas', () => {
  assert.equal(MAX_MANAGED_POLICY_CHARS, 6144);
  assert.equal(MAX_USER_INLINE_POLICY_CHARS, 2048);
  assert.equal(MAX_GROUP_INLINE_POLICY_CHARS, 5120);
});

test('a document is normalised: arrays everywhere, Version filled in, frozen', () => {
  const parsed = parse(JSON.stringify({ Statement: statement({ Condition: { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 'ecs:count': [5, '10'] } } }) }));
  assert.deepEqual(parsed, {
    Version: '2008-10-17',
    Statement: [
      {
        Sid: 'RunTasks',
        Effect: 'Allow',
        Action: ['ecs:RunTask'],
        Resource: ['arn:wharf:ecs:local:000000000000:cluster/*'],
        Condition: { Bool: { 'aws:SecureTransport': ['true'] }, NumericLessThan: { 'ecs:count': ['5', '10'] } },
      },
    ],
  });
  assert.ok(Object.isFrozen(parsed) && Object.isFrozen(parsed.Statement[0]) && Object.isFrozen(parsed.Statement[0]?.Action));
  const full = parse(JSON.stringify({ Version: '2012-10-17', Id: 'deploy', Statement: [statement({ Sid: 'A' }), statement({ Sid: 'B', Effect: 'Deny', NotAction: ['ecs:Describe*', 'ecs:List*'], Action: undefined, NotResource: '*', Resource: undefined })] }));
  assert.equal(full.Id, 'deploy');
  assert.deepEqual(full.Statement[1], { Sid: 'B', Effect: 'Deny', NotAction: ['ecs:Describe*', 'ecs:List*'], NotResource: ['*'] });
});

test('actions: service:Action with wildcards, or * alone; no wildcard in the service prefix', () => {
  for (const action of ['*', 'ecs:*', 'ecs:Describe*', 'ecs:Run?ask', 'elasticbeanstalk:UpdateEnvironment', 'ECS:runtask']) {
    assert.deepEqual(parse(doc(statement({ Action: action }))).Statement[0]?.Action, [action], action);
  }
  assert.match(fieldErrors(doc(statement({ Action: 'RunTask' })))['Statement.0.Action'] ?? '', /is not an action: write service:Action/);
  assert.match(fieldErrors(doc(statement({ Action: ['ecs:RunTask', 'ec*:Describe*'] })))['Statement.0.Action.1'] ?? '', /wildcard may not stand in the service prefix/);
  assert.match(fieldErrors(doc(statement({ Action: [] })))['Statement.0.Action'] ?? '', /at least one action/);
  assert.match(fieldErrors(doc(statement({ Action: 42 })))['Statement.0.Action'] ?? '', /An action is a string/);
});

test('resources: an ARN or *, with a named service', () => {
  for (const resource of ['*', 'arn:wharf:ecs:*', 'arn:wharf:iam::000000000000:user/alice', 'arn:*:ecs:*:*:cluster/prod-?']) {
    assert.deepEqual(parse(doc(statement({ Resource: resource }))).Statement[0]?.Resource, [resource], resource);
  }
  assert.match(fieldErrors(doc(statement({ Resource: 'cluster/prod' })))['Statement.0.Resource'] ?? '', /is not a resource: write an ARN/);
  assert.match(fieldErrors(doc(statement({ Resource: ['*', 'arn:wharf:*:local:0:x'] })))['Statement.0.Resource.1'] ?? '', /service segment/);
});

test('Effect is Allow or Deny, capitalised so: lower-case "allow" is refused', () => {
  assert.match(fieldErrors(doc(statement({ Effect: 'allow' })))['Statement.0.Effect'] ?? '', /"Allow" or "Deny", capitalised so/);
  assert.ok('Statement.0.Effect' in fieldErrors(doc(statement({ Effect: undefined }))));
});

test('Principal and NotPrincipal are refused in an identity-based policy, saying why', () => {
  const errors = fieldErrors(doc(statement({ Principal: { AWS: '*' } }), statement({ Sid: 'Two', NotPrincipal: '*' })));
  assert.match(errors['Statement.0.Principal'] ?? '', /identity-based policy has no Principal.*Remove the field/);
  assert.match(errors['Statement.1.NotPrincipal'] ?? '', /identity-based policy has no Principal/);
});

test('exactly one of Action and NotAction, and of Resource and NotResource', () => {
  assert.match(fieldErrors(doc(statement({ NotAction: 'ecs:DeleteCluster' })))['Statement.0.NotAction'] ?? '', /Action or NotAction, not both/);
  assert.match(fieldErrors(doc(statement({ NotResource: '*' })))['Statement.0.NotResource'] ?? '', /Resource or NotResource, not both/);
  assert.match(fieldErrors(doc(statement({ Action: undefined })))['Statement.0.Action'] ?? '', /Required: a statement needs Action \(or NotAction\)/);
  assert.match(fieldErrors(doc(statement({ Resource: undefined })))['Statement.0.Resource'] ?? '', /needs Resource \(or NotResource\)/);
});

test('unknown fields are refused by name, at the top and in statements', () => {
  const errors = fieldErrors(JSON.stringify({ Version: '2012-10-17', Statements: [], Statement: statement({ Actions: 'ecs:*' }) }));
  assert.match(errors['Statements'] ?? '', /Unknown field/);
  assert.match(errors['Statement.Actions'] ?? '', /Unknown field/);
});

test('Version, Id, Sid and Statement are checked', () => {
  assert.match(fieldErrors(JSON.stringify({ Version: '2012-10-18', Statement: statement() }))['Version'] ?? '', /"2012-10-17".*or "2008-10-17"/);
  assert.match(fieldErrors(JSON.stringify({ Id: 7, Statement: statement() }))['Id'] ?? '', /Id is a string/);
  assert.match(fieldErrors(doc(statement({ Sid: 'run-tasks' })))['Statement.0.Sid'] ?? '', /only letters .* and digits/);
  assert.match(fieldErrors(doc(statement({ Sid: 'Same' }), statement({ Sid: 'Same' })))['Statement.1.Sid'] ?? '', /used by an earlier statement/);
  assert.match(fieldErrors(JSON.stringify({ Version: '2012-10-17', Statement: [] }))['Statement'] ?? '', /at least one statement/);
  assert.match(fieldErrors(JSON.stringify({ Version: '2012-10-17' }))['Statement'] ?? '', /Required/);
  assert.match(fieldErrors(JSON.stringify({ Version: '2012-10-17', Statement: ['x'] }))['Statement.0'] ?? '', /A statement is an object/);
  assert.match(fieldErrors('[1]')[''] ?? '', /A policy document is a JSON object/);
});

test('an unknown condition operator is refused at parse time; a wrong case is pointed at its spelling', () => {
  const errors = fieldErrors(doc(statement({ Condition: { StringEqual: { 'aws:username': 'alice' }, stringequals: { 'aws:username': 'alice' } } })));
  assert.match(errors['Statement.0.Condition.StringEqual'] ?? '', /is not a condition operator/);
  assert.match(errors['Statement.0.Condition.stringequals'] ?? '', /did you mean StringEquals\? Operator names are case-sensitive/);
  for (const name of ['ForAnyValue:StringLikeIfExists', 'ForAllValues:StringEquals', 'NotIpAddressIfExists', 'ArnNotLike', 'DateGreaterThan', 'BinaryEquals']) {
    const value = name.startsWith('Date') ? '2026-01-01T00:00:00Z' : name.includes('Ip') ? '10.0.0.0/8' : name === 'BinaryEquals' ? 'QmluYXJ5' : 'x';
    assert.doesNotThrow(() => parse(doc(statement({ Condition: { [name]: { 'some:key': value } } }))), name);
  }
  for (const name of ['NullIfExists', 'ForAnyValue:Null', 'ForAllValues:ForAnyValue:StringEquals', 'IfExists', 'StringEqualsIfExistsIfExists']) {
    assert.ok(`Statement.0.Condition.${name}` in fieldErrors(doc(statement({ Condition: { [name]: { 'some:key': 'true' } } }))), name);
  }
});

test('condition values must suit their operator, each named by its path', () => {
  const errors = fieldErrors(
    doc(
      statement({
        Condition: {
          NumericLessThan: { 'ecs:count': ['5', 'five'] },
          DateLessThan: { 'aws:CurrentTime': 'next tuesday' },
          Bool: { 'aws:SecureTransport': 'yes' },
          Null: { 'aws:username': 'maybe' },
          IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '10.0.0.0/33', '2001:db8::/129', 'fe80::1%eth0'] },
          BinaryEquals: { 'some:key': 'not base64!' },
          StringEquals: { 'aws:username': [], 'aws:userid': { nested: 1 }, 'ecs:cluster': [null] },
        },
      }),
    ),
  );
  assert.match(errors['Statement.0.Condition.NumericLessThan.ecs:count.1'] ?? '', /compares numbers, and "five" is not one/);
  assert.match(errors['Statement.0.Condition.DateLessThan.aws:CurrentTime'] ?? '', /ISO 8601/);
  assert.match(errors['Statement.0.Condition.Bool.aws:SecureTransport'] ?? '', /"true" or "false"/);
  assert.match(errors['Statement.0.Condition.Null.aws:username'] ?? '', /Null takes "true"/);
  for (const i of [1, 2, 3]) assert.match(errors[`Statement.0.Condition.IpAddress.aws:SourceIp.${i}`] ?? '', /CIDR block/, String(i));
  assert.equal(errors['Statement.0.Condition.IpAddress.aws:SourceIp.0'], undefined);
  assert.match(errors['Statement.0.Condition.BinaryEquals.some:key'] ?? '', /base64/);
  assert.match(errors['Statement.0.Condition.StringEquals.aws:username'] ?? '', /at least one value/);
  assert.match(errors['Statement.0.Condition.StringEquals.aws:userid'] ?? '', /string, a number or a boolean/);
  assert.match(errors['Statement.0.Condition.StringEquals.ecs:cluster.0'] ?? '', /string, a number or a boolean/);
  assert.match(fieldErrors(doc(statement({ Condition: { StringEquals: 'alice' } })))['Statement.0.Condition.StringEquals'] ?? '', /maps condition keys to values/);
  assert.match(fieldErrors(doc(statement({ Condition: ['x'] })))['Statement.0.Condition'] ?? '', /maps condition operators/);
});

test('a condition key named __proto__ stays an ordinary key', () => {
  const parsed = parse('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"__proto__":"x"}}}}');
  const keys = parsed.Statement[0]?.Condition?.StringEquals ?? {};
  assert.deepEqual(Object.keys(keys), ['__proto__']);
  assert.equal(Object.getPrototypeOf(keys), Object.prototype);
});

test('policy variables are checked in Version 2012-10-17 only, and only where IAM reads them', () => {
  const good = doc(statement({ Resource: 'arn:wharf:iam::000000000000:user/${aws:username}', Condition: { StringLike: { 'ecs:cluster': ["${aws:PrincipalTag/team, 'shared'}-*", '${*}${?}${$}'] } } }));
  assert.doesNotThrow(() => parse(good));
  const errors = fieldErrors(doc(statement({ Resource: 'arn:wharf:iam::0:user/${aws:username', Condition: { StringEquals: { 'aws:username': '${not a key}' } } })));
  assert.match(errors['Statement.0.Resource'] ?? '', /no closing "}"/);
  assert.match(errors['Statement.0.Condition.StringEquals.aws:username'] ?? '', /is not a policy variable/);
  // Numeric, date and IP operators read no variables: the value must be one of theirs.
  assert.match(fieldErrors(doc(statement({ Condition: { NumericEquals: { 'ecs:count': '${ecs:max}' } } })))['Statement.0.Condition.NumericEquals.ecs:count'] ?? '', /policy variables are not read here/);
  // Bool reads them.
  assert.doesNotThrow(() => parse(doc(statement({ Condition: { Bool: { 'aws:SecureTransport': '${wharf:secure}' } } }))));
  // In Version 2008-10-17, ${ is plain text: nothing to check.
  assert.doesNotThrow(() => parse(JSON.stringify({ Version: '2008-10-17', Statement: statement({ Resource: 'arn:wharf:iam::0:user/${aws:username' }) })));
});

test('malformed JSON is refused with where it breaks', () => {
  const error = refusal('{\n  "Version": "2012-10-17",\n  "Statement": {"Effect": "Allow",}\n}');
  assert.equal(error.code, 'WHARF_E_MALFORMED_POLICY_DOCUMENT');
  assert.match(error.message, /^The PolicyDocument of PutUserPolicy is not a valid IAM policy document: it is not valid JSON: .* \(line 3, column 35\)/);
  assert.deepEqual(error.errors, []);
  assert.match(refusal('').message, /not valid JSON/);
});

test('the size is counted as IAM counts it: characters other than whitespace', () => {
  assert.equal(policyDocumentSize('{ "a" :\n\t"b c" }'), 10);
  assert.equal(policyDocumentSize('"é😀"'), 4, 'code points, not UTF-16 units');
  assert.equal(policyDocumentSize('x'.repeat(10_000), 100), 101, 'stops counting past the limit');
});

test('a document over the limit is refused before it is parsed, whitespace not counted', () => {
  const padded = (size: number) => {
    const base = doc(statement({ Sid: '' }));
    return base.replace('"Sid":""', `"Sid":"${'A'.repeat(size - policyDocumentSize(base))}"`);
  };
  const atLimit = padded(MAX_USER_INLINE_POLICY_CHARS);
  assert.equal(policyDocumentSize(atLimit), MAX_USER_INLINE_POLICY_CHARS);
  assert.doesNotThrow(() => parsePolicyDocument(atLimit, 'inline policy', MAX_USER_INLINE_POLICY_CHARS));
  assert.doesNotThrow(() => parsePolicyDocument(atLimit.replace(/,/g, ',\n        '), 'inline policy', MAX_USER_INLINE_POLICY_CHARS), 'whitespace is free');
  const error = refusal(padded(MAX_USER_INLINE_POLICY_CHARS + 1), MAX_USER_INLINE_POLICY_CHARS);
  assert.equal(error.code, 'WHARF_E_POLICY_TOO_LARGE');
  assert.match(error.message, /has 2049 characters \(whitespace not counted\); the limit is 2048/);
  assert.equal(refusal(`{${'x'.repeat(200_000)}`, 100).code, 'WHARF_E_POLICY_TOO_LARGE', 'even when it is not JSON');
});

test('a document nested deeper than the schema allows is refused without trouble', () => {
  const deep = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":${'['.repeat(2000)}${']'.repeat(2000)}}}}}`;
  assert.match(fieldErrors(deep)['Statement.Condition.StringEquals.k.0'] ?? '', /string, a number or a boolean/);
});
