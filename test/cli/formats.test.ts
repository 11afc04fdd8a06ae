// `--output text` against the AWS CLI's own text formatter (awscli/text.py from Debian's awscli),
// on arbitrary answers: the same bytes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatText } from '../../src/cli/aws/formats.js';

const AWSCLI_PYTHON = '/usr/bin/python3';
const FORMAT_EACH = [
  'import sys, json',
  "sys.path.insert(0, '/usr/lib/python3/dist-packages')",
  'from awscli.text import format_text',
  'for case in json.load(sys.stdin):',
  '    format_text(case, sys.stdout)',
  "    sys.stdout.write('\\x00')",
].join('\n');

test('--output text prints what the AWS CLI prints for the same answer', () => {
  // As in real answers, a key holds one kind of value: these scalars, those lists and structures.
  const scalarKey = fc.constantFrom('a', 'b', 'Name', 'status');
  const nestedKey = fc.constantFrom('tags', 'x1', 'Items');
  const scalar = fc.oneof(fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '-', ':', '1'), maxLength: 6 }), fc.integer({ min: -5, max: 500 }), fc.boolean(), fc.constant(null));
  const { object } = fc.letrec<{ object: unknown; nested: unknown }>((tie) => ({
    // As in real answers, a list holds scalars only or structures only.
    object: fc.tuple(fc.dictionary(scalarKey, scalar, { maxKeys: 3 }), fc.dictionary(nestedKey, tie('nested'), { maxKeys: 2 })).map(([a, b]) => ({ ...a, ...b })),
    nested: fc.oneof({ depthSize: 'small' }, fc.array(scalar, { maxLength: 3 }), fc.array(tie('object'), { maxLength: 3 }), tie('object')),
  }));
  const cases = fc.sample(object, { numRuns: 300, seed: 13 }).map((c) => JSON.parse(JSON.stringify(c)) as unknown);
  const python = spawnSync(AWSCLI_PYTHON, ['-c', FORMAT_EACH], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.equal(python.status, 0, python.stderr);
  const expected = python.stdout.split('\0').slice(0, -1);
  assert.equal(expected.length, cases.length);
  cases.forEach((c, i) => assert.equal(formatText(c), expected[i], JSON.stringify(c)));
});
