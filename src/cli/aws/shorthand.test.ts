// The AWS CLI's shorthand syntax: the cases its own parser documents, errors, and a round trip of
// arbitrary values written as shorthand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ShorthandValue } from './shorthand.js';
import { parseShorthand, ShorthandSyntaxError } from './shorthand.js';

test('key=value pairs, comma lists, and a later key= ends a list', () => {
  assert.deepEqual(parseShorthand('a=b'), { a: 'b' });
  assert.deepEqual(parseShorthand('a=b,c=d'), { a: 'b', c: 'd' });
  assert.deepEqual(parseShorthand('a=b,c'), { a: ['b', 'c'] });
  assert.deepEqual(parseShorthand('a=b,c,d=e,f'), { a: ['b', 'c'], d: ['e', 'f'] });
  assert.deepEqual(parseShorthand('maximumPercent=200,minimumHealthyPercent=100'), { maximumPercent: '200', minimumHealthyPercent: '100' });
  assert.deepEqual(parseShorthand('key=team,value=web'), { key: 'team', value: 'web' });
});

test('empty values, spaces around the signs, and the characters a bare value may hold', () => {
  assert.deepEqual(parseShorthand('a='), { a: '' });
  assert.deepEqual(parseShorthand('a=,b=c'), { a: '', b: 'c' });
  assert.deepEqual(parseShorthand('a = b , c = d'), { a: 'b', c: 'd' });
  assert.deepEqual(parseShorthand('a=b c'), { a: 'b c' }, 'a first value may hold spaces');
  assert.deepEqual(parseShorthand('a=x=y'), { a: 'x=y' }, 'and "="');
  assert.deepEqual(parseShorthand('Name=tag:Name,Values=a.b/c:d'), { Name: 'tag:Name', Values: 'a.b/c:d' });
  assert.deepEqual(parseShorthand('a.b-c_d#e/f:g=1'), { 'a.b-c_d#e/f:g': '1' }, 'keys take . - _ # / :');
});

test('explicit lists and nested structures', () => {
  assert.deepEqual(parseShorthand('a=[b,c]'), { a: ['b', 'c'] });
  assert.deepEqual(parseShorthand('a=[]'), { a: [] });
  assert.deepEqual(parseShorthand('a=[b]'), { a: ['b'] });
  assert.deepEqual(parseShorthand('a={b=1,c=[x,y]},d=2'), { a: { b: '1', c: ['x', 'y'] }, d: '2' });
  assert.deepEqual(parseShorthand('a=[{b=1},{b=2}]'), { a: [{ b: '1' }, { b: '2' }] });
  assert.deepEqual(parseShorthand('deploymentCircuitBreaker={enable=true,rollback=true},maximumPercent=200'), {
    deploymentCircuitBreaker: { enable: 'true', rollback: 'true' },
    maximumPercent: '200',
  });
  assert.deepEqual(parseShorthand('a=[ b , c ]'), { a: ['b', 'c'] });
});

test('quoting and escaping', () => {
  assert.deepEqual(parseShorthand("a='b,c'"), { a: 'b,c' });
  assert.deepEqual(parseShorthand('a="b,c"'), { a: 'b,c' });
  assert.deepEqual(parseShorthand("a='it\\'s'"), { a: "it's" });
  assert.deepEqual(parseShorthand('a="say \\"hi\\""'), { a: 'say "hi"' });
  assert.deepEqual(parseShorthand('a="back\\\\slash"'), { a: 'back\\slash' });
  assert.deepEqual(parseShorthand('a=b\\,c'), { a: 'b,c' }, 'an escaped comma stays in the value');
  assert.deepEqual(parseShorthand('a=x,"y,z"'), { a: ['x', 'y,z'] });
  assert.deepEqual(parseShorthand("a=['x,y',z]"), { a: ['x,y', 'z'] });
  assert.deepEqual(parseShorthand('a={b="1,2"}'), { a: { b: '1,2' } });
});

test('errors say what was expected and point at the place', () => {
  const fails = (input: string, pattern: RegExp) =>
    assert.throws(
      () => parseShorthand(input),
      (e: unknown) => e instanceof ShorthandSyntaxError && pattern.test(e.message),
      input,
    );
  fails('abc', /Expected: '=', received: 'EOF' for input:\nabc\n {3}\^/);
  fails('a=b,', /Expected: '<second>'/);
  fails('a=[b', /Expected: ',', received: 'EOF'/);
  fails('a={b=1', /Expected: ',', received: 'EOF'/);
  fails("a='b", /Expected: '<single quoted>'/);
  fails('a=b,a=c', /Second instance of key "a"/);
  fails('a=b]', /Expected: ',', received: ']'/);
});

/** fast-check's objects have no prototype; the parser's do. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Writes a value as shorthand, every string double-quoted (escaping `"` and `\`). */
function write(value: ShorthandValue): string {
  if (typeof value === 'string') return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${k}=${write(v)}`)
    .join(',')}}`;
}

const key = fc.stringMatching(/^[A-Za-z0-9_.#/:-]{1,8}$/);
const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '=', '[', ']', '{', '}', "'", 'é', '1', '\\', '"'), maxLength: 8 });
const { value } = fc.letrec<{ value: ShorthandValue }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 3 })),
}));

test('round trip: any value written as shorthand (strings quoted) parses back to itself', () => {
  fc.assert(
    fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), (object) => {
      const shorthand = Object.entries(object)
        .map(([k, v]) => `${k}=${write(v)}`)
        .join(',');
      assert.deepEqual(parseShorthand(shorthand), plain(object));
    }),
  );
});

test('round trip: bare values (no quotes) of plain text parse back, lists of two or more as comma lists', () => {
  const bare = fc.stringMatching(/^[A-Za-z0-9_.\-/:@+]{1,10}$/);
  fc.assert(
    fc.property(fc.dictionary(key, fc.oneof(bare, fc.array(bare, { minLength: 2, maxLength: 4 })), { minKeys: 1, maxKeys: 4 }), (object) => {
      const shorthand = Object.entries(object)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`)
        .join(',');
      assert.deepEqual(parseShorthand(shorthand), plain(object));
    }),
  );
});
