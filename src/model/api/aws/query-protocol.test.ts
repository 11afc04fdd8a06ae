import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { notYetField } from '../../validation.js';
import { AWS_QUERY_SERVICES, decodeQuery, parseQueryForm, queryErrorXml, queryResponseXml, xmlText } from './query-protocol.js';

const schema = z
  .object({
    Name: z.string(),
    Port: z.number().int().optional(),
    Enabled: z.boolean().optional(),
    Tags: z.array(z.object({ Key: z.string(), Value: z.string().default('') }).strict()).optional(),
    Names: z.array(z.string()).optional(),
    Matcher: z.object({ HttpCode: z.string() }).strict().optional(),
    Attributes: z.record(z.string(), z.string()).optional(),
    Value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    Redirect: notYetField('no redirects'),
  })
  .strict();

const decode = (form: string, ignored: readonly string[] = []) => decodeQuery(parseQueryForm(form).params, schema, ignored);

test('a form becomes the JSON its schema takes: lists, structures, maps, numbers and booleans', () => {
  const form =
    'Action=CreateTargetGroup&Version=2015-12-01&Name=web&Port=8080&Enabled=true' +
    '&Tags.member.1.Key=team&Tags.member.1.Value=web&Tags.member.2.Key=env&Tags.member.2.Value=a+b%26c' +
    '&Names.member.1=x&Names.member.2=y&Matcher.HttpCode=200-299&Attributes.entry.1.key=k&Attributes.entry.1.value=v&Value=42';
  const { input, errors } = decode(form);
  assert.deepEqual(errors, []);
  assert.deepEqual(input, {
    Name: 'web',
    Port: 8080,
    Enabled: true,
    Tags: [{ Key: 'team', Value: 'web' }, { Key: 'env', Value: 'a b&c' }],
    Names: ['x', 'y'],
    Matcher: { HttpCode: '200-299' },
    Attributes: { k: 'v' },
    Value: '42',
  });
  assert.ok(schema.safeParse(input).success);
});

test('an empty list is the bare name; text where a number or boolean belongs is left for the schema to refuse by name', () => {
  assert.deepEqual(decode('Name=a&Names=').input, { Name: 'a', Names: [] });
  const { input } = decode('Name=a&Port=eighty&Enabled=yes');
  assert.deepEqual(input, { Name: 'a', Port: 'eighty', Enabled: 'yes' });
  const parsed = schema.safeParse(input);
  assert.ok(!parsed.success);
  assert.deepEqual(parsed.error.issues.map((i) => i.path.join('.')).sort(), ['Enabled', 'Port']);
});

test('parameters that fit nowhere are named: unknown names, a gap in a list, a member of a structure it does not have', () => {
  const { input, errors } = decode('Name=a&Colour=red&Names.member.1=x&Names.member.3=z&Matcher.GrpcCode=12');
  assert.deepEqual(input, { Name: 'a', Names: ['x'], Matcher: {} });
  assert.deepEqual(
    errors.map((e) => e.field),
    ['Colour', 'Names.member.3', 'Matcher.GrpcCode'],
  );
  assert.match(errors[1]?.message ?? '', /numbered 1, 2, 3/);
  assert.deepEqual(decode('Name=a&Colour=red', ['Colour']).errors, [], 'a field not acted on is dropped without an error');
});

test('a field taken as it is keeps its structure, so the schema refuses it by name', () => {
  const { input, errors } = decode('Name=a&Redirect.Host=example.com&Redirect.Paths.member.1=/a');
  assert.deepEqual(errors, []);
  assert.deepEqual(input, { Name: 'a', Redirect: { Host: 'example.com', Paths: ['/a'] } });
  const parsed = schema.safeParse(input);
  assert.ok(!parsed.success);
  assert.equal(parsed.error.issues[0]?.path.join('.'), 'Redirect');
  assert.match(parsed.error.issues[0]?.message ?? '', /Not supported by Wharf yet: no redirects/);
});

test('a name given twice, too long or too deep is refused, not read', () => {
  const form = parseQueryForm(`Name=a&Name=b&${'x'.repeat(600)}=1&${Array.from({ length: 40 }, () => 'a').join('.')}=1`);
  assert.equal(form.params.get('Name'), 'a');
  assert.deepEqual(
    form.refused.map((e) => e.message.split(':')[0]),
    ['Given more than once', 'Not read', 'Not read'],
  );
});

test('any list of tags round-trips through the form', () => {
  const tag = fc.record({ Key: fc.string({ minLength: 1, maxLength: 20 }), Value: fc.string({ maxLength: 20 }) });
  fc.assert(
    fc.property(fc.array(tag, { maxLength: 12 }), (tags) => {
      const form = new URLSearchParams({ Name: 'n' });
      tags.forEach((t, i) => {
        form.append(`Tags.member.${i + 1}.Key`, t.Key);
        form.append(`Tags.member.${i + 1}.Value`, t.Value);
      });
      const { input, errors } = decode(form.toString());
      assert.deepEqual(errors, []);
      assert.deepEqual(input, tags.length === 0 ? { Name: 'n' } : { Name: 'n', Tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })) });
    }),
  );
});

test('answers and errors as XML: lists as member items, text escaped, null left out, the request id', () => {
  const xml = queryResponseXml(AWS_QUERY_SERVICES.elasticloadbalancing, 'DescribeTargetGroups', { TargetGroups: [{ TargetGroupName: 'a<b', Port: 80, HealthCheckEnabled: true, VpcId: null, LoadBalancerArns: [] }] }, 'req-1');
  assert.equal(
    xml,
    '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeTargetGroupsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetGroupsResult>' +
      '<TargetGroups><member><TargetGroupName>a&lt;b</TargetGroupName><Port>80</Port><HealthCheckEnabled>true</HealthCheckEnabled><LoadBalancerArns></LoadBalancerArns></member></TargetGroups>' +
      '</DescribeTargetGroupsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeTargetGroupsResponse>',
  );
  assert.match(queryResponseXml(AWS_QUERY_SERVICES.elasticloadbalancing, 'DeleteTargetGroup', {}, 'r'), /<DeleteTargetGroupResult><\/DeleteTargetGroupResult>/);
  assert.equal(
    queryErrorXml(AWS_QUERY_SERVICES.iam, 'Sender', 'NoSuchEntity', 'The user "a&b" does not exist.', 'r2'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user &quot;a&amp;b&quot; does not exist.</Message></Error><RequestId>r2</RequestId></ErrorResponse>',
  );
  assert.equal(xmlText('a\u0000b\u001Fc'), 'abc', 'characters XML cannot hold are dropped');
});
