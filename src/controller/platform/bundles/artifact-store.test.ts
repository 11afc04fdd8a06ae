// ArtifactStore: content stored once under its SHA-256, atomically; over the limit nothing is kept.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { WharfError } from '../../../model/errors.js';
import { ArtifactStore } from './artifact-store.js';
import type { ArtifactLimits } from './artifact-store.js';

async function store(t: TestContext, limits: ArtifactLimits = {}): Promise<{ work: string; artifacts: ArtifactStore }> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'wharf-artifacts-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  return { work, artifacts: new ArtifactStore(path.join(work, 'artifacts'), limits) };
}

const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/** A stream of `count` chunks of `chunk`. */
function chunks(chunk: string, count: number): Readable {
  return Readable.from(Array.from({ length: count }, () => Buffer.from(chunk)));
}

test('put stores a stream under its SHA-256 and reports its size', async (t) => {
  const { artifacts } = await store(t);
  const stored = await artifacts.put(chunks('abcdefgh', 1000));
  const expected = 'abcdefgh'.repeat(1000);
  assert.deepEqual(stored, { sha256: sha256(expected), size: 8000 });
  assert.equal(await readFile(artifacts.path(stored.sha256), 'utf8'), expected);
  assert.equal(await artifacts.has(stored.sha256), true);
  assert.deepEqual((await artifacts.list()).map(({ sha256, size }) => ({ sha256, size })), [stored]);
  assert.deepEqual(await readdir(artifacts.root), [stored.sha256], 'no temporary file is left');
});

test('put of the same content twice stores it once', async (t) => {
  const { artifacts } = await store(t);
  const first = await artifacts.put(Readable.from([Buffer.from('same bundle')]));
  const second = await artifacts.put(Readable.from([Buffer.from('same '), Buffer.from('bundle')]));
  assert.deepEqual(second, first);
  assert.deepEqual(await readdir(artifacts.root), [first.sha256]);
});

test('put takes only a stream: a path, a parsed JSON value or nothing is refused and nothing is kept', async (t) => {
  const { work, artifacts } = await store(t);
  const secret = path.join(work, 'join-token');
  await writeFile(secret, 'secret-token\n', { mode: 0o600 });
  for (const notAStream of [secret, {}, 123, [1, 2], null, true, undefined]) {
    await assert.rejects(artifacts.put(notAStream as unknown as Readable), TypeError, JSON.stringify(notAStream));
  }
  assert.deepEqual(await readdir(work), ['join-token'], 'no artifacts folder, no temporary file');
});

test('a source that fails before put reads it keeps nothing and fails the put, not the process', async (t) => {
  const { artifacts } = await store(t);
  const failing = new Readable({ read() {} });
  const put = artifacts.put(failing);
  failing.destroy(new Error('client went away'));
  await assert.rejects(put, /client went away/);
  assert.deepEqual(await readdir(artifacts.root).catch(() => []), []);
});

test('put over maxBytes throws WHARF_E_BUNDLE_TOO_LARGE and keeps nothing', async (t) => {
  const { artifacts } = await store(t);
  await assert.rejects(artifacts.put(chunks('x'.repeat(100), 20), { maxBytes: 1000 }), (error: unknown) => {
    assert.ok(error instanceof WharfError);
    assert.equal(error.code, 'WHARF_E_BUNDLE_TOO_LARGE');
    assert.equal(error.status, 413);
    assert.match(error.message, /larger than the limit of 1000 bytes/);
    return true;
  });
  assert.deepEqual(await readdir(artifacts.root), []);
  // Exactly at the limit is fine.
  const stored = await artifacts.put(chunks('x'.repeat(100), 10), { maxBytes: 1000 });
  assert.equal(stored.size, 1000);
});

test('a failing source keeps nothing', async (t) => {
  const { artifacts } = await store(t);
  const failing = new Readable({
    read() {
      this.push(Buffer.from('partial'));
      this.destroy(new Error('connection reset'));
    },
  });
  await assert.rejects(artifacts.put(failing), /connection reset/);
  assert.deepEqual(await readdir(artifacts.root), []);
  assert.deepEqual(await artifacts.list(), []);
});

test('path accepts only a SHA-256', async (t) => {
  const { artifacts } = await store(t);
  const good = sha256('x');
  assert.equal(artifacts.path(good), path.join(artifacts.root, good));
  for (const bad of ['abc', '../etc/passwd', good.toUpperCase(), `${good}/x`, `../${good.slice(3)}`, '']) {
    assert.throws(
      () => artifacts.path(bad),
      (error: unknown) => error instanceof WharfError && error.code === 'WHARF_E_VALIDATION' && error.errors[0]?.field === 'sha256',
      bad,
    );
  }
  await assert.rejects(artifacts.has('../x'), WharfError);
  await assert.rejects(artifacts.remove('../x'), WharfError);
});

test('remove deletes an artifact once; list is sorted and skips other files', async (t) => {
  const { artifacts } = await store(t);
  assert.deepEqual(await artifacts.list(), [], 'an unused store lists nothing');
  const a = await artifacts.put(Readable.from([Buffer.from('a')]));
  const b = await artifacts.put(Readable.from([Buffer.from('b')]));
  await writeFile(path.join(artifacts.root, '.tmp-leftover'), 'half');
  assert.deepEqual(
    (await artifacts.list()).map((artifact) => artifact.sha256),
    [a.sha256, b.sha256].sort(),
  );
  assert.equal(await artifacts.remove(a.sha256), true);
  assert.equal(await artifacts.remove(a.sha256), false);
  assert.equal(await artifacts.has(a.sha256), false);
  assert.deepEqual((await artifacts.list()).map(({ sha256, size }) => ({ sha256, size })), [b]);
});

test('the store is its owner\'s only: folder 0700, bundles 0600, whatever the umask', async (t) => {
  const { artifacts } = await store(t);
  const stored = await artifacts.put(Readable.from([Buffer.from('a private bundle')]));
  assert.equal((await stat(artifacts.root)).mode & 0o777, 0o700);
  assert.equal((await stat(artifacts.path(stored.sha256))).mode & 0o777, 0o600);
});

test('the quota bounds all artifacts together: an upload that would go over it is refused and kept nowhere; the same content again costs nothing', async (t) => {
  const { artifacts } = await store(t, { quotaBytes: 1000 });
  const first = await artifacts.put(chunks('x'.repeat(100), 6));
  await assert.rejects(artifacts.put(chunks('y'.repeat(100), 5)), (error: unknown) => {
    assert.equal((error as WharfError).code, 'WHARF_E_ARTIFACT_QUOTA_EXCEEDED');
    assert.match((error as WharfError).message, /600 bytes of the 1000-byte quota/);
    return true;
  });
  assert.deepEqual((await artifacts.list()).map((a) => a.sha256), [first.sha256], 'nothing of the refused upload is kept');
  assert.equal((await artifacts.put(chunks('z'.repeat(100), 4))).size, 400, 'up to the quota is accepted');
});

test('removeUnused removes artifacts no version names once they are older than the grace time, and keeps the rest', async (t) => {
  const { artifacts } = await store(t);
  const named = await artifacts.put(Readable.from([Buffer.from('named')]));
  const unnamed = await artifacts.put(Readable.from([Buffer.from('unnamed')]));
  assert.deepEqual(await artifacts.removeUnused(new Set([named.sha256]), Date.now() - 60_000), [], 'a fresh upload gets its grace time');
  const removed = await artifacts.removeUnused(new Set([named.sha256]), Date.now() + 1000);
  assert.deepEqual(removed.map((a) => a.sha256), [unnamed.sha256]);
  assert.deepEqual((await artifacts.list()).map((a) => a.sha256), [named.sha256]);
});
