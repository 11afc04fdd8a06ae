import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { WharfError } from './errors.js';
import { boundedJson, DEFAULT_MAX_JSON_DEPTH, jsonBoundsProblem, parseInput } from './validation.js';

/** `levels` nested arrays around `inner`, parsed from text (no recursion on this side either). */
const nested = (levels: number, inner = '1'): unknown => JSON.parse('['.repeat(levels) + inner + ']'.repeat(levels));

test('jsonBoundsProblem: within the bounds nothing; deeper or larger says which bound', () => {
  for (const value of [null, true, 0, -1.5e3, 'text', [], {}, { a: [1, { b: 'é' }] }, nested(DEFAULT_MAX_JSON_DEPTH)]) {
    assert.equal(jsonBoundsProblem(value, DEFAULT_MAX_JSON_DEPTH, 1024), undefined, JSON.stringify(value));
  }
  assert.match(jsonBoundsProblem(nested(DEFAULT_MAX_JSON_DEPTH + 1), DEFAULT_MAX_JSON_DEPTH, 1024) ?? '', /deeper than 32 levels/);
  assert.match(jsonBoundsProblem(nested(100_000), 32, 1024) ?? '', /deeper than 32 levels/, 'a value far too deep is walked without recursion');
  // The byte count is that of the value's JSON.
  for (const value of [{ a: [1, null, true, 'x"y'], 'k\u00e9y': { b: [] } }, ['é', 12345, false], 'a string']) {
    const size = Buffer.byteLength(JSON.stringify(value));
    assert.equal(jsonBoundsProblem(value, 32, size), undefined, `${JSON.stringify(value)} fits in its own ${size} bytes`);
    assert.match(jsonBoundsProblem(value, 32, size - 1) ?? '', new RegExp(`Larger than ${size - 1} bytes`), JSON.stringify(value));
  }
});

test('boundedJson refuses with a field error at the offending path; undefined stays optional', () => {
  const schema = z.object({ volumes: z.array(boundedJson({ maxBytes: 64 })).optional(), extra: boundedJson().optional() }).strict();
  assert.deepEqual(parseInput(schema, { volumes: [{ name: 'a' }] }, 'test'), { volumes: [{ name: 'a' }] });
  assert.deepEqual(parseInput(schema, {}, 'test'), {});
  assert.throws(
    () => parseInput(schema, { volumes: [{ name: 'a' }, nested(5000)], extra: 'x'.repeat(20_000) }, 'test'),
    (error: unknown) => {
      assert.ok(error instanceof WharfError);
      assert.equal(error.code, 'WHARF_E_VALIDATION');
      assert.deepEqual(
        error.errors.map((e) => e.field),
        ['volumes.1', 'extra'],
      );
      assert.match(error.errors[0]?.message ?? '', /deeper than 32 levels/);
      assert.match(error.errors[1]?.message ?? '', /Larger than 16384 bytes/);
      return true;
    },
  );
});

test('a missing field is "Required"; a field of the wrong type says what was expected and what came', () => {
  const schema = z.object({ name: z.string(), items: z.array(z.string()) }).strict();
  assert.throws(
    () => parseInput(schema, { name: 5 }, 'test request'),
    (error: unknown) => {
      assert.deepEqual((error as WharfError).errors, [
        { field: 'name', message: 'Invalid input: expected string, received number' },
        { field: 'items', message: 'Required: give an array' },
      ]);
      return true;
    },
  );
});
