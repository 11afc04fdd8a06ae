import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QUESTION, STAR, arnMatch, arnPatternOf, patternOf, wildcardMatch, wildcardMatcher } from './wildcard.js';

const like = (pattern: string, text: string) => wildcardMatch(patternOf(pattern), text);
const arn = (pattern: string, text: string) => arnMatch(arnPatternOf(patternOf(pattern)), text);

test('* matches any run of characters, ? exactly one, everything else itself', () => {
  for (const [pattern, text] of [
    ['*', ''],
    ['*', 'anything: at/all'],
    ['a*', 'a'],
    ['a*c', 'abbbc'],
    ['a?c', 'abc'],
    ['*a*a*b', 'xaxaxab'],
    ['??', 'ab'],
    ['a**b', 'ab'],
  ]) {
    assert.ok(like(pattern as string, text as string), `${pattern} ~ ${text}`);
  }
  for (const [pattern, text] of [
    ['a?c', 'ac'],
    ['a*c', 'abcd'],
    ['abc', 'ABC'],
    ['?', ''],
    ['*a*a*b', 'xaxaxa'],
  ]) {
    assert.ok(!like(pattern as string, text as string), `${pattern} !~ ${text}`);
  }
});

test('wildcardMatcher agrees with wildcardMatch on every shape it makes cheap', () => {
  const texts = ['', 'ecs:RunTask', 'ecs:Run', 'ecs:', 'iam:GetUser', 'iam:SetUsers', 'a*b', 'ecs:RunTaskX'];
  for (const pattern of ['ecs:RunTask', 'ecs:*', 'ecs:Run*', 'iam:?etUser', '*Task', 'ecs:*Task', '*', '']) {
    const matches = wildcardMatcher(patternOf(pattern));
    for (const text of texts) assert.equal(matches(text), wildcardMatch(patternOf(pattern), text), `${pattern} ~ ${text}`);
  }
  assert.ok(wildcardMatcher(patternOf('a*b', false))('a*b') && !wildcardMatcher(patternOf('a*b', false))('axb'));
});

test('literal wildcards stay literal', () => {
  const literal = patternOf('a*b', false);
  assert.deepEqual(patternOf('a*?'), [0x61, STAR, QUESTION]);
  assert.ok(wildcardMatch(literal, 'a*b'));
  assert.ok(!wildcardMatch(literal, 'axb'));
});

test('a hostile pattern costs at most pattern length times text length', () => {
  const pattern = patternOf(`${'*a'.repeat(200)}*b`);
  const text = 'a'.repeat(5000);
  const started = performance.now();
  assert.equal(wildcardMatch(pattern, text), false);
  assert.ok(performance.now() - started < 1000, 'no exponential backtracking');
});

test('ARN patterns match segment by segment; a trailing * runs across colons', () => {
  const cluster = 'arn:wharf:ecs:local:000000000000:cluster/prod';
  const revision = 'arn:wharf:ecs:local:000000000000:task-definition/web:3';
  assert.ok(arn('arn:wharf:ecs:local:000000000000:cluster/*', cluster));
  assert.ok(arn('arn:wharf:ecs:*:*:cluster/pro?', cluster));
  assert.ok(arn('arn:wharf:ecs:*', cluster), 'a trailing * at the end of a segment spans the rest');
  assert.ok(arn('arn:wharf:ecs:*:cluster/prod', cluster), 'a trailing * may span several segments');
  assert.ok(arn('arn:wharf:ecs:local:000000000000:task-definition/web:*', revision), 'the resource segment keeps its colons');
  assert.ok(arn('arn:wharf:ecs:local:000000000000:*', revision));
  assert.ok(arn('*', cluster) && arn('*', '*'));
  assert.ok(arn('arn:wharf:iam::*:user/*', 'arn:wharf:iam::000000000000:user/alice'), 'empty region');
  assert.ok(!arn('arn:wharf:ecs:lo*l:000000000000:cluster/prod', 'arn:wharf:ecs:lo:x:l:000000000000:cluster/prod'), 'a * inside a segment stays inside it');
  assert.ok(!arn('arn:wharf:ecs:local:000000000000:cluster/*', revision));
  assert.ok(!arn('arn:wharf:ecs:local:000000000000:cluster/prod', `${cluster}-2`));
  assert.ok(!arn('arn:wharf:ecs:local', cluster), 'a short pattern without a trailing * does not cover the rest');
  assert.ok(!arn('arn:wharf:ecs:local:000000000000:cluster/Prod', cluster), 'case-sensitive');
  assert.ok(!arn('arn:*', '*') && arn('?', '*') && !arn('arn:wharf:ecs:*:*:*', '*'), 'the resource * is matched as the text "*"');
});
