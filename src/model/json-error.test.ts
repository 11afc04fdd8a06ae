import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locateJsonError } from './json-error.js';

test('valid JSON has no error location', () => {
  for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]} ', '"s"', '0']) {
    assert.equal(locateJsonError(text), undefined, text);
    JSON.parse(text); // the scanner agrees with JSON.parse
  }
});

test('the location of the first error, as line and column', () => {
  const cases: [string, number, number, RegExp][] = [
    ['{"a":}', 1, 6, /expected a value/],
    ['{"a": 1', 1, 8, /',' or '}'.*end of input/],
    ['{\n  "a": 1,\n  "b": x\n}', 3, 8, /found 'x'/],
    ['[1,2,]', 1, 6, /expected a value/],
    ["{'a': 1}", 1, 2, /property name in double quotes/],
    ['{"a": "\\q"}', 1, 9, /valid escape/],
    ['{"a": 1} extra', 1, 10, /end of input after the JSON value/],
    ['', 1, 1, /expected a value.*end of input/],
    ['{"a": tru}', 1, 10, /'true'/],
  ];
  for (const [text, line, column, reason] of cases) {
    const at = locateJsonError(text);
    assert.ok(at, `an error in ${JSON.stringify(text)}`);
    assert.deepEqual([at.line, at.column], [line, column], JSON.stringify(text));
    assert.match(at.reason, reason, JSON.stringify(text));
    assert.throws(() => JSON.parse(text));
  }
});

test('nesting as deep as a body can hold is walked without recursion', () => {
  const depth = 100_000;
  const opened = '['.repeat(depth);
  const at = locateJsonError(opened);
  assert.ok(at, 'an error in 100,000 [');
  assert.deepEqual([at.line, at.column], [1, depth + 1]);
  assert.match(at.reason, /expected a value.*end of input/);

  assert.equal(locateJsonError(opened + ']'.repeat(depth)), undefined, '100,000 nested arrays closed are valid');
  const objects = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  assert.equal(locateJsonError(objects), undefined, '100,000 nested objects closed are valid');
  const unclosed = locateJsonError('{"a":'.repeat(depth) + '1' + '}'.repeat(depth - 1));
  assert.ok(unclosed);
  assert.match(unclosed.reason, /',' or '}' after a property value.*end of input/);
  const mixed = locateJsonError('[{"a": [1, {"b": [true]}]}, {"c": 2 3}]');
  assert.ok(mixed);
  assert.deepEqual([mixed.column, mixed.reason], [37, "expected ',' or '}' after a property value but found '3'"]);
});
