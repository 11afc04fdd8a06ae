import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Decision, PolicySource, RequestContext } from './evaluate.js';
import { evaluate, evaluateAll, PolicySet } from './evaluate.js';
import { MAX_MANAGED_POLICY_CHARS, parsePolicyDocument } from './policy.js';

const ACCOUNT = '000000000000';
const CLUSTER = (name: string) => `arn:wharf:ecs:local:${ACCOUNT}:cluster/${name}`;
const USER = (name: string) => `arn:wharf:iam::${ACCOUNT}:user/${name}`;

/** A policy of these statements (Version 2012-10-17 unless given; null: no Version), parsed as PutUserPolicy would. */
function policy(id: string, statements: Record<string, unknown>[], version: string | null = '2012-10-17'): PolicySource {
  const text = JSON.stringify(version === null ? { Statement: statements } : { Version: version, Statement: statements });
  return { id, document: parsePolicyDocument(text, `policy ${id}`, 100_000) };
}

/** One Allow (or Deny) statement of `action` on `resource`, with extra fields. */
function allow(action: string | string[], resource: string | string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Effect: 'Allow', Action: action, Resource: resource, ...extra };
}
function deny(action: string | string[], resource: string | string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Effect: 'Deny', Action: action, Resource: resource, ...extra };
}

/** The effect of one request. */
function effect(policies: readonly PolicySource[], action: string, resource: string, context: RequestContext = {}): Decision['effect'] {
  return evaluate(policies, { action, resource, context }).effect;
}

/** Whether a statement with only this condition allows ecs:RunTask on a cluster, for `context`. */
function conditionAllows(condition: Record<string, unknown>, context: RequestContext): boolean {
  return effect([policy('p', [allow('ecs:RunTask', '*', { Condition: condition })])], 'ecs:RunTask', CLUSTER('prod'), context) === 'Allow';
}

test('no policies, or none that applies, is an implicit deny', () => {
  assert.deepEqual(evaluate([], { action: 'ecs:RunTask', resource: CLUSTER('prod'), context: {} }), { effect: 'ImplicitDeny' });
  assert.equal(effect([policy('p', [allow('ecs:ListClusters', '*')])], 'ecs:RunTask', CLUSTER('prod')), 'ImplicitDeny');
});

test('an Allow names its policy, statement index and Sid', () => {
  const policies = [policy('arn:wharf:iam::000000000000:policy/Ops', [allow('iam:*', '*'), allow('ecs:*', '*', { Sid: 'Compute' })])];
  assert.deepEqual(evaluate(policies, { action: 'ecs:RunTask', resource: CLUSTER('prod'), context: {} }), {
    effect: 'Allow',
    statement: { policy: 'arn:wharf:iam::000000000000:policy/Ops', index: 1, sid: 'Compute' },
  });
});

test('an explicit Deny wins over an Allow, across policies and in either order', () => {
  const allows = policy('user/alice/inline/Admin', [allow('*', '*')]);
  const denies = policy('group/ops/inline/NoDeletes', [allow('ecs:ListClusters', '*'), deny('ecs:Delete*', CLUSTER('prod'), { Sid: 'KeepProd' })]);
  for (const order of [
    [allows, denies],
    [denies, allows],
  ]) {
    assert.deepEqual(evaluate(order, { action: 'ecs:DeleteCluster', resource: CLUSTER('prod'), context: {} }), {
      effect: 'ExplicitDeny',
      statement: { policy: 'group/ops/inline/NoDeletes', index: 1, sid: 'KeepProd' },
    });
    assert.equal(effect(order, 'ecs:DeleteCluster', CLUSTER('dev')), 'Allow', 'the Deny covers its resource only');
  }
  // A Deny alone does not allow anything else.
  assert.equal(effect([denies], 'ecs:RunTask', CLUSTER('dev')), 'ImplicitDeny');
});

test('actions: case-insensitive, with * and ? wildcards', () => {
  const policies = [policy('p', [allow(['ecs:Describe*', 'iam:?etUser', 'elasticbeanstalk:UpdateEnvironment'], '*')])];
  for (const action of ['ecs:DescribeClusters', 'ECS:describetasks', 'iam:GetUser', 'iam:SetUser', 'ElasticBeanstalk:updateenvironment']) {
    assert.equal(effect(policies, action, '*'), 'Allow', action);
  }
  for (const action of ['ecs:ListClusters', 'iam:GetUsers', 'iam:etUser', 'elasticbeanstalk:UpdateEnvironments', 'ec2:DescribeInstances']) {
    assert.equal(effect(policies, action, '*'), 'ImplicitDeny', action);
  }
  assert.equal(effect([policy('p', [allow('*', '*')])], 'anything:AtAll', '*'), 'Allow');
});

test('NotAction: the statement applies to every action not listed', () => {
  const policies = [policy('p', [{ Effect: 'Allow', NotAction: ['iam:*', 'ecs:Delete*'], Resource: '*' }])];
  assert.equal(effect(policies, 'ecs:RunTask', CLUSTER('prod')), 'Allow');
  assert.equal(effect(policies, 'elasticbeanstalk:CreateEnvironment', '*'), 'Allow');
  assert.equal(effect(policies, 'iam:CreateUser', '*'), 'ImplicitDeny');
  assert.equal(effect(policies, 'ECS:DeleteService', '*'), 'ImplicitDeny', 'case-insensitive too');
  const guard = [policy('p', [allow('*', '*'), { Effect: 'Deny', NotAction: 'ecs:Describe*', Resource: CLUSTER('prod') }])];
  assert.equal(effect(guard, 'ecs:DescribeClusters', CLUSTER('prod')), 'Allow');
  assert.equal(effect(guard, 'ecs:UpdateCluster', CLUSTER('prod')), 'ExplicitDeny');
});

test('resources: case-sensitive ARNs with * and ? wildcards', () => {
  const policies = [policy('p', [allow('ecs:*', [CLUSTER('prod-?'), `arn:wharf:ecs:*:${ACCOUNT}:task-definition/web:*`, 'arn:wharf:elasticbeanstalk:*'])])];
  for (const resource of [CLUSTER('prod-1'), `arn:wharf:ecs:local:${ACCOUNT}:task-definition/web:12`, `arn:wharf:elasticbeanstalk:local:${ACCOUNT}:environment/app/env`]) {
    assert.equal(effect(policies, 'ecs:RunTask', resource), 'Allow', resource);
  }
  for (const resource of [CLUSTER('prod-10'), CLUSTER('prod-'), CLUSTER('Prod-1'), `arn:wharf:ecs:local:${ACCOUNT}:task-definition/api:1`, `arn:wharf:ecs:local:111111111111:task-definition/web:1`]) {
    assert.equal(effect(policies, 'ecs:RunTask', resource), 'ImplicitDeny', resource);
  }
});

test('NotResource: the statement applies to every resource not listed', () => {
  const policies = [policy('p', [allow('ecs:*', '*'), { Effect: 'Deny', Action: 'ecs:*', NotResource: [CLUSTER('dev'), CLUSTER('test-*')] }])];
  assert.equal(effect(policies, 'ecs:RunTask', CLUSTER('dev')), 'Allow');
  assert.equal(effect(policies, 'ecs:RunTask', CLUSTER('test-7')), 'Allow');
  assert.equal(effect(policies, 'ecs:RunTask', CLUSTER('prod')), 'ExplicitDeny');
  assert.equal(effect(policies, 'ecs:ListClusters', '*'), 'ExplicitDeny', '"*" is not listed either');
});

test('a request on resource "*" is matched by Resource "*" only, not by ARN patterns', () => {
  // A pattern matching the text "*" would too, but IAM takes only ARNs and "*" as resources.
  assert.equal(effect([policy('p', [allow('ecs:ListClusters', '*')])], 'ecs:ListClusters', '*'), 'Allow');
  for (const resource of ['arn:*:ecs:*:*:*', 'arn:wharf:ecs:*', `arn:wharf:ecs:local:${ACCOUNT}:*`]) {
    assert.equal(effect([policy('p', [allow('ecs:ListClusters', resource)])], 'ecs:ListClusters', '*'), 'ImplicitDeny', resource);
  }
});

test('conditions: operators AND, keys AND, a key\'s values OR; key names case-insensitive, values case-sensitive', () => {
  const condition = { StringEquals: { 'aws:username': ['alice', 'bob'], 'ecs:cluster': 'prod' }, Bool: { 'aws:SecureTransport': 'true' } };
  const context = { 'aws:username': 'bob', 'ecs:cluster': 'prod', 'aws:SecureTransport': true };
  assert.ok(conditionAllows(condition, context));
  assert.ok(!conditionAllows(condition, { ...context, 'aws:username': 'carol' }), 'no value matches');
  assert.ok(!conditionAllows(condition, { ...context, 'ecs:cluster': 'dev' }), 'one key fails');
  assert.ok(!conditionAllows(condition, { ...context, 'aws:SecureTransport': false }), 'one operator fails');
  assert.ok(conditionAllows(condition, { 'AWS:UserName': 'alice', 'ECS:Cluster': 'prod', 'aws:securetransport': true }), 'key names in any case');
  assert.ok(conditionAllows({ StringEquals: { 'AWS:USERNAME': 'alice' } }, { 'aws:username': 'alice' }), 'key names in the policy in any case');
  assert.ok(!conditionAllows(condition, { ...context, 'aws:username': 'Bob' }), 'values are case-sensitive');
});

test('string operators', () => {
  const who = (name: string) => ({ 'aws:username': name });
  assert.ok(conditionAllows({ StringEquals: { 'aws:username': 'alice' } }, who('alice')));
  assert.ok(!conditionAllows({ StringEquals: { 'aws:username': 'alice' } }, who('Alice')));
  assert.ok(!conditionAllows({ StringEquals: { 'aws:username': 'al*' } }, who('alice')), 'no wildcards in StringEquals');
  assert.ok(conditionAllows({ StringNotEquals: { 'aws:username': ['alice', 'bob'] } }, who('carol')));
  assert.ok(!conditionAllows({ StringNotEquals: { 'aws:username': ['alice', 'bob'] } }, who('bob')), 'NOR over the values');
  assert.ok(conditionAllows({ StringEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, who('alice')));
  assert.ok(!conditionAllows({ StringEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, who('alicia')));
  assert.ok(conditionAllows({ StringNotEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, who('bob')));
  assert.ok(!conditionAllows({ StringNotEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, who('Alice')));
  assert.ok(conditionAllows({ StringLike: { 'aws:username': ['adm-*', 'ops-?'] } }, who('ops-1')));
  assert.ok(!conditionAllows({ StringLike: { 'aws:username': ['adm-*', 'ops-?'] } }, who('ops-12')));
  assert.ok(conditionAllows({ StringNotLike: { 'aws:username': 'adm-*' } }, who('alice')));
  assert.ok(!conditionAllows({ StringNotLike: { 'aws:username': 'adm-*' } }, who('adm-root')));
});

test('ARN operators compare segment by segment, with wildcards in both Equals and Like', () => {
  const principal = (arn: string) => ({ 'aws:PrincipalArn': arn });
  assert.ok(conditionAllows({ ArnEquals: { 'aws:PrincipalArn': USER('alice') } }, principal(USER('alice'))));
  assert.ok(!conditionAllows({ ArnEquals: { 'aws:PrincipalArn': USER('alice') } }, principal(USER('alice2'))));
  assert.ok(conditionAllows({ ArnLike: { 'aws:PrincipalArn': `arn:wharf:iam::${ACCOUNT}:user/ops/*` } }, principal(USER('ops/alice'))));
  assert.ok(!conditionAllows({ ArnLike: { 'aws:PrincipalArn': `arn:wharf:iam::${ACCOUNT}:user/ops/*` } }, principal(USER('dev/alice'))));
  assert.ok(!conditionAllows({ ArnLike: { 'aws:PrincipalArn': `arn:wharf:iam::${ACCOUNT}:user/*` } }, principal('not-an-arn')));
  assert.ok(conditionAllows({ ArnNotEquals: { 'aws:PrincipalArn': USER('root') } }, principal(USER('alice'))));
  assert.ok(!conditionAllows({ ArnNotEquals: { 'aws:PrincipalArn': USER('root') } }, principal(USER('root'))));
  assert.ok(conditionAllows({ ArnNotLike: { 'aws:PrincipalArn': `arn:wharf:iam::*:user/adm-*` } }, principal(USER('alice'))));
  assert.ok(!conditionAllows({ ArnNotLike: { 'aws:PrincipalArn': `arn:wharf:iam::*:user/adm-*` } }, principal(USER('adm-1'))));
});

test('IP operators: IPv4 and IPv6 blocks, a bare address is one host, an IPv4-mapped source matches IPv4 blocks', () => {
  const from = (ip: string) => ({ 'aws:SourceIp': ip });
  const office = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7'] } };
  for (const ip of ['203.0.113.200', '2001:db8:1::5', '198.51.100.7', '::ffff:203.0.113.9']) assert.ok(conditionAllows(office, from(ip)), ip);
  for (const ip of ['203.0.114.1', '2001:db9::1', '198.51.100.8', '::ffff:10.0.0.1', 'not an address', '']) assert.ok(!conditionAllows(office, from(ip)), ip);
  assert.ok(conditionAllows({ IpAddress: { 'aws:SourceIp': '::1' } }, from('::1')));
  assert.ok(!conditionAllows({ IpAddress: { 'aws:SourceIp': '::1' } }, from('::2')), '/128');
  assert.ok(conditionAllows({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, from('192.0.2.1')));
  assert.ok(!conditionAllows({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, from('::ffff:10.1.1.1')));
});

test('Bool and Null', () => {
  assert.ok(conditionAllows({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': true }));
  assert.ok(conditionAllows({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'TRUE' }));
  assert.ok(!conditionAllows({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': false }));
  assert.ok(conditionAllows({ Bool: { 'aws:SecureTransport': false } }, { 'aws:SecureTransport': false }));
  assert.ok(!conditionAllows({ Bool: { 'aws:SecureTransport': 'true' } }, {}), 'a missing key fails Bool');
  assert.ok(conditionAllows({ Null: { 'aws:RequestTag/env': 'true' } }, {}), 'true: the key is absent');
  assert.ok(conditionAllows({ Null: { 'aws:RequestTag/env': 'true' } }, { 'aws:RequestTag/env': [] }), 'an empty set counts as absent');
  assert.ok(!conditionAllows({ Null: { 'aws:RequestTag/env': 'true' } }, { 'aws:RequestTag/env': 'prod' }));
  assert.ok(conditionAllows({ Null: { 'aws:RequestTag/env': false } }, { 'aws:requesttag/env': '' }), 'false: present, even empty');
  assert.ok(!conditionAllows({ Null: { 'aws:RequestTag/env': 'false' } }, { 'aws:RequestTag/env': undefined }));
});

test('numeric operators', () => {
  const count = (n: string) => ({ 'ecs:count': n });
  const cases: [string, string, string[], string[]][] = [
    ['NumericEquals', '5', ['5', '5.0', '+5'], ['6', 'five', '']],
    ['NumericNotEquals', '5', ['6', '4.5'], ['5', '5.00']],
    ['NumericLessThan', '5', ['4', '-1', '4.99'], ['5', '6']],
    ['NumericLessThanEquals', '5', ['5', '4'], ['5.01']],
    ['NumericGreaterThan', '5', ['6', '5.5'], ['5', '-6']],
    ['NumericGreaterThanEquals', '5', ['5', '100'], ['4.9']],
  ];
  for (const [operator, limit, yes, no] of cases) {
    for (const n of yes) assert.ok(conditionAllows({ [operator]: { 'ecs:count': limit } }, count(n)), `${operator} ${limit}: ${n}`);
    for (const n of no) assert.ok(!conditionAllows({ [operator]: { 'ecs:count': limit } }, count(n)), `${operator} ${limit}: not ${n}`);
  }
  assert.ok(conditionAllows({ NumericLessThanEquals: { 'ecs:count': 10 } }, count('10')), 'a JSON number in the policy');
});

test('date operators: ISO 8601 or epoch seconds', () => {
  const at = (time: string) => ({ 'aws:CurrentTime': time });
  const start = '2026-04-01T00:00:00Z';
  assert.ok(conditionAllows({ DateEquals: { 'aws:CurrentTime': start } }, at('2026-04-01T02:00:00+02:00')));
  assert.ok(conditionAllows({ DateEquals: { 'aws:CurrentTime': start } }, at(String(Date.parse(start) / 1000))), 'epoch seconds');
  assert.ok(conditionAllows({ DateNotEquals: { 'aws:CurrentTime': start } }, at('2026-04-02')));
  assert.ok(conditionAllows({ DateLessThan: { 'aws:CurrentTime': start } }, at('2026-03-31T23:59:59Z')));
  assert.ok(!conditionAllows({ DateLessThan: { 'aws:CurrentTime': start } }, at(start)));
  assert.ok(conditionAllows({ DateLessThanEquals: { 'aws:CurrentTime': start } }, at(start)));
  assert.ok(conditionAllows({ DateGreaterThan: { 'aws:CurrentTime': '2026-04-01' } }, at('2026-04-01T00:00:01Z')));
  assert.ok(!conditionAllows({ DateGreaterThan: { 'aws:CurrentTime': '2026-04-01' } }, at('2026-04-01')));
  assert.ok(conditionAllows({ DateGreaterThanEquals: { 'aws:CurrentTime': '2026-04-01' } }, at('2026-04-01T00:00:00.000Z')));
  assert.ok(!conditionAllows({ DateGreaterThanEquals: { 'aws:CurrentTime': '2026-04-01' } }, at('yesterday')));
});

test('BinaryEquals compares the base64 text', () => {
  assert.ok(conditionAllows({ BinaryEquals: { 'some:blob': 'QmluYXJ5' } }, { 'some:blob': 'QmluYXJ5' }));
  assert.ok(!conditionAllows({ BinaryEquals: { 'some:blob': 'QmluYXJ5' } }, { 'some:blob': 'QmluYXJ6' }));
});

test('a missing key fails a condition, except a negated operator, ...IfExists and Null', () => {
  const none = {};
  assert.ok(!conditionAllows({ StringEquals: { 'ecs:cluster': 'prod' } }, none));
  assert.ok(!conditionAllows({ StringLike: { 'ecs:cluster': '*' } }, none), 'even * needs a value');
  assert.ok(!conditionAllows({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, none));
  assert.ok(!conditionAllows({ NumericLessThan: { 'ecs:count': '5' } }, none));
  for (const operator of ['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike', 'NotIpAddress', 'NumericNotEquals', 'DateNotEquals']) {
    const value = operator.includes('Ip') ? '10.0.0.0/8' : operator.startsWith('Numeric') ? '1' : operator.startsWith('Date') ? '2026-01-01' : 'x';
    assert.ok(conditionAllows({ [operator]: { 'some:key': value } }, none), `${operator} on a missing key`);
  }
  assert.ok(conditionAllows({ Null: { 'some:key': 'true' } }, none));
});

test('...IfExists: a missing key matches; a present one is compared as usual', () => {
  const condition = { StringEqualsIfExists: { 'ecs:cluster': 'prod' }, IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } };
  assert.ok(conditionAllows(condition, {}));
  assert.ok(conditionAllows(condition, { 'ecs:cluster': 'prod', 'aws:SourceIp': '10.0.0.1' }));
  assert.ok(!conditionAllows(condition, { 'ecs:cluster': 'dev' }));
  assert.ok(!conditionAllows(condition, { 'aws:SourceIp': '192.0.2.1' }));
  assert.ok(conditionAllows({ StringNotEqualsIfExists: { 'ecs:cluster': 'prod' } }, {}));
  assert.ok(!conditionAllows({ StringNotEqualsIfExists: { 'ecs:cluster': 'prod' } }, { 'ecs:cluster': 'prod' }));
  assert.ok(conditionAllows({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'env' } }, {}), 'IfExists over a qualifier');
});

test('ForAnyValue and ForAllValues over multivalued keys', () => {
  const tags = (...keys: string[]) => ({ 'aws:TagKeys': keys });
  const anyOf = { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env', 'team'] } };
  const allOf = { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } };
  assert.ok(conditionAllows(anyOf, tags('owner', 'env')));
  assert.ok(!conditionAllows(anyOf, tags('owner', 'cost')));
  assert.ok(!conditionAllows(anyOf, {}), 'ForAnyValue: a missing key fails');
  assert.ok(!conditionAllows(anyOf, tags()), 'ForAnyValue: an empty set fails');
  assert.ok(conditionAllows(allOf, tags('env', 'team')));
  assert.ok(conditionAllows(allOf, tags('env')));
  assert.ok(!conditionAllows(allOf, tags('env', 'owner')));
  assert.ok(conditionAllows(allOf, {}), 'ForAllValues: a missing key holds (use Null to refuse it)');
  assert.ok(conditionAllows(allOf, tags()), 'ForAllValues: an empty set holds');
  assert.ok(conditionAllows({ 'ForAllValues:StringLike': { 'aws:TagKeys': 'wharf-*' } }, tags('wharf-a', 'wharf-b')));
  // Negated operators test each request value against none of the policy's.
  assert.ok(conditionAllows({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'env' } }, tags('env', 'owner')));
  assert.ok(!conditionAllows({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'env' } }, tags('env')));
  assert.ok(conditionAllows({ 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'aws:*' } }, tags('env', 'owner')));
  assert.ok(!conditionAllows({ 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'aws:*' } }, tags('env', 'aws:secret')));
  // Without a qualifier: a positive operator wants some value, a negated one none.
  assert.ok(conditionAllows({ StringEquals: { 'aws:TagKeys': 'env' } }, tags('owner', 'env')));
  assert.ok(!conditionAllows({ StringNotEquals: { 'aws:TagKeys': 'env' } }, tags('owner', 'env')));
});

test('policy variables in Resource and in condition values (Version 2012-10-17)', () => {
  const own = policy('p', [allow('iam:*AccessKey*', USER('${aws:username}')), allow('ecs:*', '*', { Condition: { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } } })]);
  assert.equal(effect([own], 'iam:CreateAccessKey', USER('alice'), { 'aws:username': 'alice' }), 'Allow');
  assert.equal(effect([own], 'iam:CreateAccessKey', USER('bob'), { 'aws:username': 'alice' }), 'ImplicitDeny');
  assert.equal(effect([own], 'iam:CreateAccessKey', USER('alice'), {}), 'ImplicitDeny', 'an unresolved variable matches nothing');
  assert.equal(effect([own], 'ecs:TagResource', CLUSTER('x'), { 'aws:username': 'alice', 'aws:ResourceTag/owner': 'alice' }), 'Allow');
  assert.equal(effect([own], 'ecs:TagResource', CLUSTER('x'), { 'aws:username': 'alice', 'aws:ResourceTag/owner': 'bob' }), 'ImplicitDeny');
  assert.equal(effect([own], 'ecs:TagResource', CLUSTER('x'), { 'aws:ResourceTag/owner': '${aws:username}' }), 'ImplicitDeny', 'the variable is not its own text');
  // Any condition key can be a variable, names in any case; values are literal, not wildcards.
  const byCluster = policy('p', [allow('ecs:*', 'arn:wharf:ecs:local:000000000000:cluster/${ECS:Cluster}')]);
  assert.equal(effect([byCluster], 'ecs:RunTask', CLUSTER('prod'), { 'ecs:cluster': 'prod' }), 'Allow');
  assert.equal(effect([byCluster], 'ecs:RunTask', CLUSTER('prod'), { 'ecs:cluster': 'p*' }), 'ImplicitDeny', 'a * in a value is literal');
  assert.equal(effect([byCluster], 'ecs:RunTask', CLUSTER('prod'), { 'ecs:cluster': ['prod', 'dev'] }), 'ImplicitDeny', 'a multivalued key is not substituted');
  const long = 'x'.repeat(300_000);
  assert.equal(effect([byCluster], 'ecs:RunTask', CLUSTER(long), { 'ecs:cluster': long }), 'Allow', 'a long value is substituted without a stack overflow');
  // A default value, and the escapes.
  const shared = policy('p', [allow('ecs:*', "arn:wharf:ecs:local:000000000000:cluster/${aws:PrincipalTag/team, 'shared'}-*")]);
  assert.equal(effect([shared], 'ecs:RunTask', CLUSTER('shared-1'), {}), 'Allow');
  assert.equal(effect([shared], 'ecs:RunTask', CLUSTER('web-1'), { 'aws:PrincipalTag/team': 'web' }), 'Allow');
  assert.equal(effect([shared], 'ecs:RunTask', CLUSTER('shared-1'), { 'aws:PrincipalTag/team': 'web' }), 'ImplicitDeny');
  const escapes = policy('p', [allow('ecs:*', 'arn:wharf:ecs:local:000000000000:cluster/a${*}b${?}${$}')]);
  assert.equal(effect([escapes], 'ecs:RunTask', CLUSTER('a*b?$'), {}), 'Allow');
  assert.equal(effect([escapes], 'ecs:RunTask', CLUSTER('axxbx$'), {}), 'ImplicitDeny', '${*} is a literal *');
});

test('Version 2008-10-17 (or none) has no policy variables: ${…} is plain text', () => {
  for (const version of ['2008-10-17', null]) {
    const old = policy('p', [allow('iam:*', USER('${aws:username}'))], version);
    assert.equal(effect([old], 'iam:GetUser', USER('alice'), { 'aws:username': 'alice' }), 'ImplicitDeny', String(version));
    assert.equal(effect([old], 'iam:GetUser', USER('${aws:username}'), { 'aws:username': 'alice' }), 'Allow', String(version));
  }
});

test('an unresolved variable never helps a statement apply', () => {
  // NotResource holding one: the statement does not apply (the Deny below does not fire, nor would an Allow).
  const fence = policy('p', [allow('*', '*'), { Effect: 'Deny', Action: 'iam:*', NotResource: USER('${aws:username}') }]);
  assert.equal(effect([fence], 'iam:DeleteUser', USER('bob'), { 'aws:username': 'alice' }), 'ExplicitDeny');
  assert.equal(effect([fence], 'iam:DeleteUser', USER('alice'), { 'aws:username': 'alice' }), 'Allow');
  assert.equal(effect([policy('p', [{ Effect: 'Allow', Action: 'iam:*', NotResource: USER('${aws:username}') }])], 'iam:DeleteUser', USER('bob'), {}), 'ImplicitDeny');
  // A negated condition holding one fails rather than holds.
  const notOwner = { StringNotEquals: { 'aws:ResourceTag/owner': '${aws:username}' } };
  assert.ok(conditionAllows(notOwner, { 'aws:ResourceTag/owner': 'bob', 'aws:username': 'alice' }));
  assert.ok(!conditionAllows(notOwner, { 'aws:ResourceTag/owner': 'bob' }));
});

test('evaluateAll: allowed only when every resource is; else the first refused and why', () => {
  const policies = [policy('p', [allow('ecs:RunTask', [CLUSTER('*'), `arn:wharf:ecs:local:${ACCOUNT}:task-definition/*`]), deny('ecs:RunTask', CLUSTER('prod'))])];
  const taskDefinition = `arn:wharf:ecs:local:${ACCOUNT}:task-definition/web:1`;
  const ok = evaluateAll(policies, 'ecs:RunTask', [CLUSTER('dev'), taskDefinition], {});
  assert.equal(ok.allowed, true);
  assert.equal(ok.allowed && ok.decisions.length, 2);
  assert.deepEqual(evaluateAll(policies, 'ecs:RunTask', [taskDefinition, CLUSTER('prod')], {}), {
    allowed: false,
    resource: CLUSTER('prod'),
    decision: { effect: 'ExplicitDeny', statement: { policy: 'p', index: 1 } },
  });
  const first = evaluateAll(policies, 'ecs:RunTask', [`arn:wharf:ecs:local:${ACCOUNT}:service/x/y`, CLUSTER('prod')], {});
  assert.deepEqual(first, { allowed: false, resource: `arn:wharf:ecs:local:${ACCOUNT}:service/x/y`, decision: { effect: 'ImplicitDeny' } });
  assert.deepEqual(evaluateAll(policies, 'ecs:RunTask', [], {}), { allowed: false, resource: '*', decision: { effect: 'ImplicitDeny' } }, 'no resources: decided as "*"');
});

// ─── Properties ──────────────────────────────────────────────────────────────────────────────

const actionArb = fc.oneof(
  fc.constantFrom('*', 'ecs:*', 'ecs:RunTask', 'ecs:Describe*', 'iam:?etUser', 'elasticbeanstalk:*'),
  fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[A-Za-z*?]{1,8}$/)).map(([service, name]) => `${service}:${name}`),
);
const resourceArb = fc.oneof(
  fc.constantFrom('*', 'arn:wharf:ecs:*', CLUSTER('*'), CLUSTER('prod'), USER('${aws:username}'), `arn:wharf:ecs:local:${ACCOUNT}:task-definition/web:?`),
  fc.stringMatching(/^[a-z0-9/*?-]{1,12}$/).map((name) => CLUSTER(name)),
);
const conditionArb = fc.option(
  fc.constantFrom<Record<string, unknown>>(
    { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    { StringEquals: { 'ecs:cluster': 'prod' } },
    { StringNotLike: { 'aws:username': 'adm-*' } },
    { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } },
    { Null: { 'aws:username': 'false' } },
  ),
  { nil: undefined },
);
const allowStatementArb = fc
  .record({ actions: fc.array(actionArb, { minLength: 1, maxLength: 3 }), resources: fc.array(resourceArb, { minLength: 1, maxLength: 3 }), not: fc.boolean(), condition: conditionArb })
  .map(({ actions, resources, not, condition }) => ({
    Effect: 'Allow',
    [not ? 'NotAction' : 'Action']: actions,
    Resource: resources,
    ...(condition === undefined ? {} : { Condition: condition }),
  }));
const requestArb = fc.record({
  action: fc.oneof(fc.constantFrom('ecs:RunTask', 'ecs:DescribeClusters', 'iam:GetUser', 'elasticbeanstalk:CreateEnvironment'), fc.stringMatching(/^[a-z]{1,6}:[A-Za-z]{1,10}$/)),
  resource: fc.oneof(fc.constant('*'), resourceArb.map((r) => r.replace(/[*?]|\$\{aws:username\}/g, 'x'))),
  context: fc.record(
    { 'aws:SourceIp': fc.constantFrom('10.1.2.3', '192.0.2.1', '::ffff:10.0.0.1', '2001:db8::1'), 'aws:username': fc.constantFrom('alice', 'adm-root'), 'ecs:cluster': fc.constantFrom('prod', 'dev'), 'aws:TagKeys': fc.array(fc.constantFrom('env', 'team'), { maxLength: 2 }) },
    { requiredKeys: [] },
  ),
});

test('property: random Allow statements plus one Deny of * on * always deny explicitly', () => {
  fc.assert(
    fc.property(fc.array(allowStatementArb, { minLength: 1, maxLength: 12 }), fc.nat(), fc.boolean(), requestArb, (allows, at, ownPolicy, request) => {
      const denyAll = deny('*', '*', { Sid: 'DenyAll' });
      const policies = ownPolicy
        ? [policy('mixed', [...allows.slice(0, at % (allows.length + 1)), denyAll, ...allows.slice(at % (allows.length + 1))])]
        : [policy('allows', allows), policy('deny', [denyAll])].sort(() => (at % 2 === 0 ? 1 : -1));
      const decision = evaluate(policies, request);
      assert.equal(decision.effect, 'ExplicitDeny');
      assert.equal(decision.effect === 'ExplicitDeny' && decision.statement.sid, 'DenyAll');
    }),
    { numRuns: 300 },
  );
});

test('property: no policies always deny implicitly; Allow statements alone never deny explicitly', () => {
  fc.assert(
    fc.property(requestArb, fc.array(allowStatementArb, { minLength: 1, maxLength: 8 }), (request, allows) => {
      assert.deepEqual(evaluate([], request), { effect: 'ImplicitDeny' });
      assert.notEqual(evaluate([policy('allows', allows)], request).effect, 'ExplicitDeny');
    }),
    { numRuns: 300 },
  );
});

test('property: the decision does not depend on the order of the policies', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.oneof(allowStatementArb, allowStatementArb.map((s) => ({ ...s, Effect: 'Deny' }))), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), requestArb, (documents, request) => {
      const policies = documents.map((statements, i) => policy(`p${i}`, statements));
      const forward = evaluate(policies, request).effect;
      assert.equal(evaluate([...policies].reverse(), request).effect, forward);
    }),
    { numRuns: 200 },
  );
});

test('a PolicySet decides as evaluateAll, however often asked and whatever else the context holds', () => {
  const ownPrefix = policy('own', [allow('iam:*', USER('${aws:username}')), allow('ecs:RunTask', CLUSTER('*'), { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })]);
  const set = new PolicySet([ownPrefix]);
  for (let round = 0; round < 2; round++) {
    assert.equal(set.evaluateAll('iam:GetUser', [USER('alice')], { 'aws:username': 'alice' }).allowed, true);
    assert.equal(set.evaluateAll('iam:GetUser', [USER('alice')], { 'aws:username': 'bob' }).allowed, false, 'a policy variable is part of what is kept');
    assert.equal(set.evaluateAll('iam:GetUser', [USER('alice')], { 'AWS:UserName': 'alice' }).allowed, true, 'names case-insensitive');
    assert.equal(set.evaluateAll('ecs:RunTask', [CLUSTER('a')], { 'aws:SourceIp': '10.1.1.1', 'aws:CurrentTime': `t${round}` }).allowed, true);
    assert.equal(set.evaluateAll('ecs:RunTask', [CLUSTER('a')], { 'aws:SourceIp': '192.0.2.1' }).allowed, false, 'a condition key is part of what is kept');
    assert.equal(set.evaluateAll('ecs:RunTask', [CLUSTER('a'), '*'], { 'aws:SourceIp': '10.1.1.1' }).allowed, false, 'every resource is part of what is kept');
  }
  // A policy that reads the clock is decided afresh every time.
  const office = new PolicySet([policy('hours', [allow('ecs:*', '*', { Condition: { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } } })])]);
  assert.equal(office.evaluateAll('ecs:RunTask', ['*'], { 'aws:CurrentTime': '2025-12-31T23:59:59Z' }).allowed, true);
  assert.equal(office.evaluateAll('ecs:RunTask', ['*'], { 'aws:CurrentTime': '2026-01-01T00:00:01Z' }).allowed, false);
});

test('property: a PolicySet gives what evaluateAll gives, for any sequence of requests', () => {
  const statementArb = fc.oneof(allowStatementArb, allowStatementArb.map((s) => ({ ...s, Effect: 'Deny' })));
  fc.assert(
    fc.property(fc.array(fc.array(statementArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }), fc.array(requestArb, { minLength: 1, maxLength: 30 }), (documents, requests) => {
      const policies = documents.map((statements, i) => policy(`p${i}`, statements));
      const set = new PolicySet(policies);
      for (const request of [...requests, ...requests]) {
        assert.deepEqual(set.evaluateAll(request.action, [request.resource], request.context), evaluateAll(policies, request.action, [request.resource], request.context));
      }
    }),
    { numRuns: 300 },
  );
});

test('a document over the managed limit is still evaluated when it was parsed (the limit is the parser\'s)', () => {
  // The evaluator takes any parsed document; the size limit belongs to where documents come in.
  const many = Array.from({ length: 200 }, (_, i) => allow(`ecs:Action${i}`, CLUSTER(`c${i}`)));
  assert.ok(JSON.stringify(many).length > MAX_MANAGED_POLICY_CHARS);
  assert.equal(effect([policy('big', many)], 'ecs:Action199', CLUSTER('c199')), 'Allow');
});
