// Image tags for versions, and the log tail of failed builds.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../../test/support/temp.js';
import { imageTagFor } from './build.js';
import { logTail } from './run.js';

/** Docker's reference grammar: lower-case path components joined by separators, and a tag. */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REFERENCE = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*:[\\w][\\w.-]{0,127}$`);

test('imageTagFor makes a valid reference from any names', () => {
  const cases: [string, string][] = [
    ['my-app', 'v1'],
    ['My App', 'Release 2024/01 #3'],
    ['ÄÖÜ', '...'],
    ['app__x..y--z', '-v1-'],
    ['--', ''],
    ['a'.repeat(300), 'b'.repeat(300)],
  ];
  for (const [application, label] of cases) {
    const tag = imageTagFor(application, label);
    assert.match(tag, REFERENCE, `${application} / ${label}`);
    assert.ok(tag.startsWith('wharf-app/'), tag);
    assert.ok(tag.length <= 255, tag);
  }
  assert.match(imageTagFor('My App', 'v1.2'), /^wharf-app\/my-app:v1\.2-[0-9a-f]{10}$/);
  assert.match(imageTagFor('--', ''), /^wharf-app\/app:[0-9a-f]{10}$/);
});

test('imageTagFor is stable, and names that sanitise alike still differ', () => {
  assert.equal(imageTagFor('shop', 'v 1'), imageTagFor('shop', 'v 1'));
  assert.notEqual(imageTagFor('shop', 'v 1'), imageTagFor('shop', 'v/1'));
  assert.notEqual(imageTagFor('Shop', 'v1'), imageTagFor('shop', 'v1'));
});

test('logTail gives the last lines, whole, of a long log', async (t) => {
  const file = path.join(await tempDir(t), 'build.log');
  const lines = Array.from({ length: 20_000 }, (_, index) => `line ${index}`);
  await writeFile(file, `${lines.join('\n')}\n\n`);
  assert.equal(await logTail(file, 3), 'line 19997\nline 19998\nline 19999');
  await writeFile(file, 'only\n');
  assert.equal(await logTail(file), 'only');
  assert.match(await logTail(path.join(file, 'missing')), /could not be read/);
});
