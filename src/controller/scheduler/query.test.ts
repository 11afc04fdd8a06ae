import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QueryTarget } from './query.js';
import { ClusterQueryError, checkClusterQuery, compareValues, evaluateClusterQuery, parseClusterQuery } from './query.js';

/** A host for queries: m5.large in zone-a, agent 1.14.2, registered 2018-06-18, running two `service:web` tasks. */
function target(overrides: Partial<Omit<QueryTarget, 'attribute'>> & { attributes?: Record<string, string>; groups?: Record<string, number> } = {}): QueryTarget {
  const attributes = overrides.attributes ?? { 'ecs.instance-type': 'm5.large', 'ecs.availability-zone': 'zone-a', 'ecs.os-type': 'linux', stack: 'prod' };
  const groups = overrides.groups ?? { 'service:web': 2 };
  return {
    attribute: (name) => attributes[name],
    agentConnected: overrides.agentConnected ?? true,
    agentVersion: 'agentVersion' in overrides ? overrides.agentVersion : '1.14.2',
    ec2InstanceId: overrides.ec2InstanceId ?? 'i-abcd1234',
    registeredAt: overrides.registeredAt ?? Date.parse('2018-06-18T12:00:00Z'),
    runningTasksCount: overrides.runningTasksCount ?? Object.values(groups).reduce((a, b) => a + b, 0),
    taskGroupCount: (g) => groups[g] ?? 0,
    taskGroups: () => Object.keys(groups),
  };
}

function matches(expression: string, t: QueryTarget = target()): boolean {
  return evaluateClusterQuery(parseClusterQuery(expression), t);
}

describe('cluster query language: operators on attributes', () => {
  it('== and equals, != and not_equals', () => {
    assert.equal(matches('attribute:ecs.instance-type == m5.large'), true);
    assert.equal(matches('attribute:ecs.instance-type equals m5.large'), true);
    assert.equal(matches('attribute:ecs.instance-type == t2.micro'), false);
    assert.equal(matches('attribute:ecs.instance-type != t2.micro'), true);
    assert.equal(matches('attribute:ecs.instance-type not_equals m5.large'), false);
    assert.equal(matches('attribute:ecs.instance-type==m5.large'), true, 'no spaces needed around symbols');
  });

  it('orderings compare numbers as numbers and versions part by part', () => {
    const t = target({ attributes: { cores: '16', kernel: '5.10.2' } });
    assert.equal(matches('attribute:cores > 8', t), true, '16 > 8 numerically, though "16" < "8" as text');
    assert.equal(matches('attribute:cores greater_than 16', t), false);
    assert.equal(matches('attribute:cores >= 16', t), true);
    assert.equal(matches('attribute:cores greater_than_equal 17', t), false);
    assert.equal(matches('attribute:cores < 100', t), true);
    assert.equal(matches('attribute:cores less_than 16', t), false);
    assert.equal(matches('attribute:cores <= 16', t), true);
    assert.equal(matches('attribute:cores less_than_equal 15', t), false);
    assert.equal(matches('attribute:kernel < 5.9.0', t), false, '5.10.2 is after 5.9.0');
    assert.equal(matches('attribute:kernel > 5.9', t), true);
  });

  it('=~ and matches are full matches; !~ and not_matches negate', () => {
    assert.equal(matches('attribute:ecs.instance-type =~ m5.*'), true);
    assert.equal(matches('attribute:ecs.instance-type matches m5'), false, 'a full match, not a search');
    assert.equal(matches('attribute:ecs.instance-type =~ "(m5|c5)\\.large"'), true, 'quoted patterns may hold parentheses');
    assert.equal(matches('attribute:ecs.instance-type !~ t2.*'), true);
    assert.equal(matches('attribute:ecs.instance-type not_matches m5.*'), false);
  });

  it('in, not in, !in and not_in take lists, quoted or bare', () => {
    assert.equal(matches('attribute:ecs.availability-zone in [zone-a, zone-b]'), true);
    assert.equal(matches("attribute:ecs.availability-zone in ['zone-b', \"zone-c\"]"), false);
    assert.equal(matches('attribute:ecs.availability-zone not in [zone-b]'), true);
    assert.equal(matches('attribute:ecs.availability-zone !in [zone-a]'), false);
    assert.equal(matches('attribute:ecs.availability-zone not_in [zone-c]'), true);
  });

  it('exists, !exists and not_exists', () => {
    assert.equal(matches('attribute:stack exists'), true);
    assert.equal(matches('attribute:gpu exists'), false);
    assert.equal(matches('attribute:gpu !exists'), true);
    assert.equal(matches('attribute:stack not_exists'), false);
  });

  it('a missing attribute fails ==, in, =~ and orderings, and satisfies their negations', () => {
    assert.equal(matches('attribute:gpu == a100'), false);
    assert.equal(matches('attribute:gpu != a100'), true);
    assert.equal(matches('attribute:gpu in [a100]'), false);
    assert.equal(matches('attribute:gpu not_in [a100]'), true);
    assert.equal(matches('attribute:gpu =~ .*'), false);
    assert.equal(matches('attribute:gpu !~ .*'), true);
    assert.equal(matches('attribute:gpu > 0'), false);
    assert.equal(matches('attribute:gpu <= 0'), false);
  });
});

describe('cluster query language: other subjects', () => {
  it('ec2InstanceId with a quoted list, agentConnected, agentVersion', () => {
    assert.equal(matches("ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']"), true);
    assert.equal(matches('agentConnected == true'), true);
    assert.equal(matches('agentConnected == false', target({ agentConnected: true })), false);
    assert.equal(matches('agentVersion < 1.14.5'), true);
    assert.equal(matches('agentVersion >= 1.14.10'), false, '1.14.2 is before 1.14.10');
    assert.equal(matches('agentVersion exists', target({ agentVersion: undefined })), false);
  });

  it('registeredAt takes the documented date formats', () => {
    assert.equal(matches('registeredAt > 2018-06-18'), true);
    assert.equal(matches('registeredAt < 2018-06-18T22:28:28+00:00'), true);
    assert.equal(matches('registeredAt < 2018-06-18T11:00:00Z'), false);
    assert.equal(matches('registeredAt >= 2018-06-18T12:00:00'), true, 'a time without a zone is UTC');
  });

  it('runningTasksCount compares numbers', () => {
    assert.equal(matches('runningTasksCount == 2'), true);
    assert.equal(matches('runningTasksCount < 2'), false);
    assert.equal(matches('runningTasksCount in [0, 1]'), false);
  });

  it('task:group: == means the host runs a task of the group', () => {
    assert.equal(matches('task:group == service:web'), true);
    assert.equal(matches('task:group == service:db'), false);
    assert.equal(matches('task:group != service:db'), true);
    assert.equal(matches('task:group in [service:db, service:web]'), true);
    assert.equal(matches('task:group not_in [service:web]'), false);
    assert.equal(matches('task:group =~ service:.*'), true);
    assert.equal(matches('task:group !~ family:.*'), true);
    assert.equal(matches('task:group exists'), true);
    assert.equal(matches('task:group exists', target({ groups: {} })), false);
    assert.equal(matches('not(task:group == database)'), true);
  });

  it('reports which expressions read state that placement changes', () => {
    assert.equal(parseClusterQuery('attribute:a == b').dynamic, false);
    assert.equal(parseClusterQuery('attribute:a == b or task:group == x').dynamic, true);
    assert.equal(parseClusterQuery('runningTasksCount < 3').dynamic, true);
    assert.deepEqual(parseClusterQuery('attribute:a == b and attribute:c exists').attributes, ['a', 'c']);
  });
});

describe('cluster query language: combinations', () => {
  it('and binds tighter than or; parentheses override', () => {
    // false and false or true == (false and false) or true
    assert.equal(matches('attribute:stack == dev and attribute:ecs.os-type == windows or attribute:ecs.os-type == linux'), true);
    assert.equal(matches('attribute:stack == dev and (attribute:ecs.os-type == windows or attribute:ecs.os-type == linux)'), false);
  });

  it('&&, ||, ! and the word forms in any case', () => {
    assert.equal(matches('attribute:stack == prod && attribute:ecs.os-type == linux'), true);
    assert.equal(matches('attribute:stack == dev || attribute:ecs.os-type == linux'), true);
    assert.equal(matches('!(attribute:stack == prod)'), false);
    assert.equal(matches('!attribute:stack == dev'), true);
    assert.equal(matches('NOT attribute:stack == dev AND attribute:stack exists'), true);
    assert.equal(matches('not not attribute:stack == prod'), true);
  });

  it('the example from the ECS guide: AZ list and an instance-type pattern', () => {
    const expression = 'attribute:ecs.availability-zone in [zone-a, zone-b] and attribute:ecs.instance-type =~ m5.*';
    assert.equal(matches(expression), true);
    assert.equal(matches(expression, target({ attributes: { 'ecs.availability-zone': 'zone-a', 'ecs.instance-type': 't2.micro' } })), false);
  });

  it('parses each expression once', () => {
    assert.equal(parseClusterQuery('attribute:stack == prod'), parseClusterQuery('attribute:stack == prod'));
  });
});

describe('cluster query language: bad expressions', () => {
  const cases: [string, number, string][] = [
    ['', 1, 'expected an expression, found the end of the expression'],
    ['foo == bar', 1, 'expected a subject (attribute:<name>, agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount or task:group), found "foo"'],
    ['attribute:ecs.instance-type ==', 31, 'expected a value after "==", found the end of the expression'],
    ['attribute:x === y', 15, 'expected a value after "==", found "="'],
    ['(attribute:x == y', 18, 'expected ")" to close the "(" before it, found the end of the expression'],
    ['attribute:x == y and', 21, 'expected a subject (attribute:<name>, agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount or task:group), found the end of the expression'],
    ['attribute:x == y z', 18, 'expected "and", "or", ")" or the end of the expression, found "z"'],
    ['attribute:x ~= y', 13, 'expected an operator (==, !=, >, >=, <, <=, =~, !~, in, not_in, exists, !exists or their word forms), found "~="'],
    ['attribute: == y', 11, 'expected an attribute name (1-128 of A-Z a-z 0-9 - _ / .), found a space'],
    ['attribute:x in a', 16, 'expected a list like [a, b], found "a"'],
    ['attribute:x in [a, b', 21, 'expected "," or "]" in the list, found the end of the expression'],
    ["attribute:x == 'abc", 16, "expected a closing ' for the quoted value, found \"'abc\""],
    ['runningTasksCount > many', 21, 'expected a whole number for runningTasksCount, found "many"'],
    ['registeredAt < yesterday', 16, 'expected a date like 2018-06-18 or 2018-06-18T22:28:28Z, found "yesterday"'],
    ['agentConnected == yes', 19, 'expected true or false for agentConnected, found "yes"'],
    ['task:group > a', 12, 'expected one of ==, !=, in, not_in, =~, !~, exists, not_exists after task:group, found ">"'],
  ];
  for (const [expression, column, message] of cases) {
    it(`rejects ${JSON.stringify(expression)} at column ${column}`, () => {
      assert.throws(
        () => parseClusterQuery(expression),
        (error: unknown) => {
          assert.ok(error instanceof ClusterQueryError);
          assert.equal(error.position, column - 1);
          assert.equal(error.message, `Invalid cluster query "${expression}" at column ${column}: ${message}`);
          return true;
        },
      );
    });
  }

  it('rejects a bad regular expression, naming it', () => {
    const error = checkClusterQuery('attribute:x =~ "[a-"');
    assert.ok(error);
    assert.equal(error.position, 15);
    assert.match(error.message, /at column 16: expected a valid regular expression, found "\[a-" \(Invalid regular expression/);
  });

  it('checkClusterQuery returns null for a good expression', () => {
    assert.equal(checkClusterQuery('attribute:x exists'), null);
  });
});

describe('compareValues', () => {
  it('orders numbers, versions and text', () => {
    assert.ok(compareValues('9', '10') < 0);
    assert.ok(compareValues('1.9.0', '1.10.0') < 0);
    assert.ok(compareValues('v2.0', '1.9') > 0);
    assert.equal(compareValues('1.2', '1.2.0'), 0);
    assert.ok(compareValues('abc', 'abd') < 0);
  });
});
