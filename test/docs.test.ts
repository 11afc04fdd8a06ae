// The error catalogue and docs/errors.md agree: every code documented with its status and kind, no stale entries.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ERROR_CATALOGUE } from '../src/model/errors.js';
import { REPO_ROOT } from './support/paths.js';

test('docs/errors.md documents exactly the codes of the catalogue, with their status, kind and message', () => {
  const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
  const sections = new Map<string, string>();
  for (const part of doc.split(/^## /m).slice(1)) {
    const [heading = '', ...body] = part.split('\n');
    sections.set(heading.trim(), body.join('\n'));
  }
  assert.deepEqual([...sections.keys()].sort(), Object.keys(ERROR_CATALOGUE).sort(), 'the headings of docs/errors.md are the catalogue codes');
  for (const [code, spec] of Object.entries(ERROR_CATALOGUE)) {
    const body = sections.get(code) ?? '';
    assert.ok(body.includes(`HTTP ${spec.status} · ${spec.kind} error · ${spec.title}`), `${code}: status, kind and title line`);
    assert.ok(body.includes(`> ${spec.message}`), `${code}: message template`);
  }
});
