import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WharfError } from './errors.js';
import { healthCheckSchema, matcherAccepts, parseMatcherCodes, ruleConflicts, routingTableSchema, targetGroupSchema } from './routing.js';
import { parseInput } from './validation.js';

const arn = (name: string) => `arn:wharf:elasticloadbalancing:local:000000000000:targetgroup/${name}/1`;

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof WharfError && error.code === 'WHARF_E_VALIDATION', String(error));
    return error.errors.map((e) => e.field);
  }
  assert.fail('expected a validation error');
}

test('a target group gets ELBv2 defaults', () => {
  const group = targetGroupSchema.parse({ name: 'web', arn: arn('web') });
  assert.deepEqual(group.healthCheck, { path: '/', intervalSeconds: 30, timeoutSeconds: 5, healthyThresholdCount: 5, unhealthyThresholdCount: 2, matcher: { httpCode: '200' } });
  assert.equal(group.deregistrationDelaySeconds, 300);
  assert.equal(group.protocol, 'HTTP');
  assert.deepEqual(group.targets, []);
});

test('health check settings out of ELBv2 range are refused, each by name', () => {
  const bad = { intervalSeconds: 4, timeoutSeconds: 1, healthyThresholdCount: 11, unhealthyThresholdCount: 1, matcher: { httpCode: '600' }, path: 'health' };
  const fields = fieldsOf(() => parseInput(healthCheckSchema, bad, 'health check'));
  assert.deepEqual(fields.sort(), ['healthyThresholdCount', 'intervalSeconds', 'matcher.httpCode', 'path', 'timeoutSeconds', 'unhealthyThresholdCount']);
  assert.deepEqual(fieldsOf(() => parseInput(targetGroupSchema, { name: 'x', arn: 'a', deregistrationDelaySeconds: 3601 }, 'target group')), ['deregistrationDelaySeconds']);
  assert.deepEqual(fieldsOf(() => parseInput(targetGroupSchema, { name: '-x', arn: 'a' }, 'target group')), ['name']);
});

test('the health check timeout must be below its interval', () => {
  assert.deepEqual(fieldsOf(() => parseInput(healthCheckSchema, { intervalSeconds: 10, timeoutSeconds: 10 }, 'health check')), ['timeoutSeconds']);
  assert.equal(healthCheckSchema.parse({ intervalSeconds: 10, timeoutSeconds: 9 }).timeoutSeconds, 9);
});

test('matcher codes: single, range, list', () => {
  assert.deepEqual(parseMatcherCodes('200'), [[200, 200]]);
  assert.deepEqual(parseMatcherCodes('200-299'), [[200, 299]]);
  assert.deepEqual(parseMatcherCodes('200,302'), [[200, 200], [302, 302]]);
  assert.equal(parseMatcherCodes('299-200'), undefined);
  assert.equal(parseMatcherCodes('199'), undefined);
  assert.equal(parseMatcherCodes('200,'), undefined);
  assert.ok(matcherAccepts('200-299', 204));
  assert.ok(!matcherAccepts('200,302', 301));
});

test('rules on one listener conflict by priority or by identical conditions', () => {
  const conflicts = ruleConflicts([
    { priority: 1, conditions: { hostHeader: ['a.test'] } },
    { priority: 1, conditions: { hostHeader: ['b.test'] } },
    { priority: 2, conditions: { hostHeader: ['A.TEST'] } },
    { priority: 3, conditions: { hostHeader: ['a.test'], pathPattern: ['/x'] } },
  ]);
  assert.deepEqual(
    conflicts.map((c) => [c.index, c.field]),
    [
      [1, 'priority'],
      [2, 'conditions'],
    ],
  );
});

test('a routing table is checked as a whole: conflicts, weights, references, duplicates', () => {
  const table = {
    version: 3,
    targetGroups: [
      { name: 'a', arn: arn('a'), targets: [{ id: 't1', host: '10.0.0.1', port: 8080 }, { id: 't1', host: '10.0.0.2', port: 8080 }] },
      { name: 'a', arn: arn('b') },
    ],
    listeners: [
      {
        port: 80,
        defaultAction: { type: 'forward', targetGroups: [{ targetGroupArn: arn('missing') }] },
        rules: [
          { priority: 5, conditions: { hostHeader: ['x.test'] }, action: { type: 'forward', targetGroups: [{ targetGroupArn: arn('a'), weight: 0 }, { targetGroupArn: arn('b'), weight: 0 }] } },
          { priority: 5, conditions: { pathPattern: ['/y'] }, action: { type: 'forward', targetGroups: [{ targetGroupArn: arn('a'), weight: 1000 }] } },
          { priority: 6, conditions: {}, action: { type: 'forward', targetGroups: [{ targetGroupArn: arn('a'), weight: -1 }] } },
        ],
      },
      { port: 80 },
    ],
  };
  const fields = fieldsOf(() => parseInput(routingTableSchema, table, 'routing table'));
  for (const expected of [
    'targetGroups.0.targets.1.id',
    'targetGroups.1.name',
    'listeners.0.rules.0.action.targetGroups',
    'listeners.0.rules.1.action.targetGroups.0.weight',
    'listeners.0.rules.2.conditions',
    'listeners.0.rules.2.action.targetGroups.0.weight',
    'listeners.1.port',
  ]) {
    assert.ok(fields.includes(expected), `${expected} in ${fields.join(', ')}`);
  }
});

test('a valid table parses, with defaults filled', () => {
  const table = routingTableSchema.parse({
    version: 1,
    targetGroups: [{ name: 'web', arn: arn('web'), healthCheck: { path: '/healthz', matcher: { httpCode: '200-399' } } }],
    listeners: [{ port: 80, rules: [{ priority: 1, conditions: { hostHeader: ['*.example.com'], pathPattern: ['/api/*'] }, action: { type: 'forward', targetGroups: [{ targetGroupArn: arn('web'), weight: 5 }] } }] }],
  });
  assert.equal(table.targetGroups[0]?.healthCheck.intervalSeconds, 30);
  assert.equal(table.listeners[0]?.protocol, 'HTTP');
});
