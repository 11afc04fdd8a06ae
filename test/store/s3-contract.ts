/** Contract cases for the S3 repository (buckets, the object index, multipart uploads), run on every store. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ObjectRecord, PartRecord } from '../../src/model/s3.js';
import type { StoreLocationFactory } from './contract.js';

/** A complete object record to tweak. */
function objectFixture(key: string, overrides: Partial<ObjectRecord> = {}): ObjectRecord {
  return { bucketName: 'shop', key, size: 3, etag: '"900150983cd24fb0d6963f7d28e17f72"', contentType: 'text/plain', metadata: {}, lastModified: 1, sha256: 'a'.repeat(64), ...overrides };
}

function partFixture(partNumber: number, overrides: Partial<PartRecord> = {}): PartRecord {
  return { uploadId: 'u1', partNumber, size: 5, etag: '"e"', sha256: String(partNumber).repeat(64).slice(0, 64), lastModified: 1, ...overrides };
}

export function s3Cases(fresh: StoreLocationFactory): void {
  describe('S3: buckets, objects, multipart uploads', () => {
    test('buckets: insert once (false the second time, nothing changed), get, list by name, count, delete', async (t) => {
      const store = await (await fresh(t)).open();
      assert.equal(await store.s3.insertBucket({ bucketName: 'shop', region: 'local', createdAt: 1 }), true);
      assert.equal(await store.s3.insertBucket({ bucketName: 'shop', region: 'eu-west-1', createdAt: 2 }), false);
      assert.equal((await store.s3.getBucket('shop'))?.region, 'local', 'the first one stays');
      await store.s3.insertBucket({ bucketName: 'blog', region: 'local', createdAt: 3 });
      assert.deepEqual((await store.s3.listBuckets()).map((b) => b.bucketName), ['blog', 'shop']);
      assert.equal(await store.s3.countBuckets(), 2);
      await store.s3.deleteBucket('blog');
      assert.equal(await store.s3.getBucket('blog'), undefined);
      assert.equal(await store.s3.countBuckets(), 1);
    });

    test('objects: put replaces at the key, get, delete says whether it was there, hasObjects', async (t) => {
      const store = await (await fresh(t)).open();
      await store.s3.insertBucket({ bucketName: 'shop', region: 'local', createdAt: 1 });
      assert.equal(await store.s3.hasObjects('shop'), false);
      await store.s3.putObject(objectFixture('a.txt'));
      await store.s3.putObject(objectFixture('a.txt', { size: 9, sha256: 'b'.repeat(64) }));
      assert.deepEqual(await store.s3.getObject('shop', 'a.txt'), objectFixture('a.txt', { size: 9, sha256: 'b'.repeat(64) }));
      assert.equal(await store.s3.getObject('other', 'a.txt'), undefined);
      assert.equal(await store.s3.hasObjects('shop'), true);
      assert.equal(await store.s3.deleteObject('shop', 'a.txt'), true);
      assert.equal(await store.s3.deleteObject('shop', 'a.txt'), false);
      assert.equal(await store.s3.hasObjects('shop'), false);
    });

    test('objects list in byte order of their UTF-8, by prefix, after a key, at most limit', async (t) => {
      const store = await (await fresh(t)).open();
      // Byte order: 'B' < 'a' < 'a/' … < 'é' (0xC3) < '😀' (0xF0), whatever the database's locale.
      const keys = ['a/2', 'a/1', 'B', 'é', '😀', 'a', 'a/b/c', 'ab', 'a%'];
      for (const key of keys) await store.s3.putObject(objectFixture(key));
      await store.s3.putObject(objectFixture('a/1', { bucketName: 'other' }));
      const list = async (prefix: string, after: string, limit = 100) => (await store.s3.listObjects({ bucketName: 'shop', prefix, after, limit })).map((o) => o.key);
      assert.deepEqual(await list('', ''), ['B', 'a', 'a%', 'a/1', 'a/2', 'a/b/c', 'ab', 'é', '😀']);
      assert.deepEqual(await list('a/', ''), ['a/1', 'a/2', 'a/b/c']);
      assert.deepEqual(await list('a', 'a/1', 2), ['a/2', 'a/b/c']);
      assert.deepEqual(await list('é', ''), ['é']);
      assert.deepEqual(await list('a%', ''), ['a%'], 'a prefix is matched as text, never as a pattern');
    });

    test('multipart uploads: parts replace by number, list by number; deleting the upload or the bucket drops the parts; referenced content is objects and parts', async (t) => {
      const store = await (await fresh(t)).open();
      await store.s3.insertBucket({ bucketName: 'shop', region: 'local', createdAt: 1 });
      await store.s3.insertUpload({ uploadId: 'u1', bucketName: 'shop', key: 'big.zip', contentType: 'application/zip', metadata: {}, initiatedAt: 1 });
      await store.s3.putPart(partFixture(2));
      await store.s3.putPart(partFixture(1));
      await store.s3.putPart(partFixture(1, { size: 7 }));
      assert.deepEqual((await store.s3.listParts('u1')).map((p) => [p.partNumber, p.size]), [[1, 7], [2, 5]]);
      assert.equal((await store.s3.getUpload('u1'))?.key, 'big.zip');
      await store.s3.putObject(objectFixture('small.txt', { sha256: 'c'.repeat(64) }));
      assert.deepEqual((await store.s3.referencedContent()).sort(), ['1'.repeat(64), '2'.repeat(64), 'c'.repeat(64)]);
      await store.s3.deleteUpload('u1');
      assert.equal(await store.s3.getUpload('u1'), undefined);
      assert.deepEqual(await store.s3.listParts('u1'), []);
      await store.s3.insertUpload({ uploadId: 'u2', bucketName: 'shop', key: 'k', contentType: '', metadata: {}, initiatedAt: 1 });
      await store.s3.putPart(partFixture(1, { uploadId: 'u2' }));
      await store.s3.deleteBucket('shop');
      assert.equal(await store.s3.getUpload('u2'), undefined);
      assert.deepEqual(await store.s3.listParts('u2'), []);
    });
  });
}
