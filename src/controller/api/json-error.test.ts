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
