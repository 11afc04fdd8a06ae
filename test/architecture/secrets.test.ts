// Secrets a caller presents (join tokens, agent credentials, bearer tokens) are compared only by
// src/secrets.ts, in constant time: no source file compares one with `===` or `!==`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/paths.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** `token`, `joinToken`, `credential`, `credentialHash`, `authorization`, `Bearer …` next to `===`/`!==` (a page's `nextToken` is no secret; `undefined` checks are fine). */
const SECRET_COMPARISON = /(?:\b(?:token|joinToken|credential|credentialHash|authorization|expected)\b|Bearer )[^;\n]{0,40}[!=]==(?!\s*(?:undefined|null)\b)|[!=]==\s*[^;\n]{0,20}\b(?:token|joinToken|credential|credentialHash|authorization)\b/i;

test('no secret is compared with === or !==; src/secrets.ts does it in constant time', () => {
  const offenders: string[] = [];
  for (const file of sources(path.join(REPO_ROOT, 'src'))) {
    if (path.basename(file) === 'secrets.ts') continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (/\bnextToken\b/.test(line)) return;
      if (SECRET_COMPARISON.test(line)) offenders.push(`${path.relative(REPO_ROOT, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, [], 'compare secrets with sameSecret/isBearer from src/secrets.ts');
});
