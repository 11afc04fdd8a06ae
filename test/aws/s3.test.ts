// The AWS SDK v3 S3 client (@aws-sdk/client-s3, forcePathStyle, endpoint = the controller) and its
// presigner, unmodified, against Wharf's S3 API: every operation Wharf serves, multipart uploads,
// streamed (aws-chunked) uploads with the SDK's CRC32 trailer, presigned GET and PUT, and bad
// input answered with the S3 error the client turns into its exception classes.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { before, describe, test } from 'node:test';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  NoSuchBucket,
  NoSuchKey,
  NoSuchUpload,
  NotFound,
  PutObjectAclCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import path from 'node:path';
import { removeUnusedBundles } from '../../src/controller/controller.js';
import { ArtifactStore } from '../../src/controller/platform/bundles/artifact-store.js';
import type { Credentials } from '../../src/model/sigv4.js';
import { sha256Hex, signRequest } from '../../src/model/sigv4.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { failure, sdkConfig } from '../support/sdk.js';
import { credentialsFor } from '../support/signing.js';
import { suiteScope, tempDir } from '../support/temp.js';

/** The call fails with S3's `code` (the SDK's exception name) and `status`. */
async function failsWith(call: Promise<unknown>, code: string, status: number): Promise<any> {
  const error = await failure(call);
  assert.ok(error instanceof S3ServiceException, `an S3 exception, not ${String(error)}`);
  assert.equal(error.name, code, error.message);
  assert.equal(error.$metadata.httpStatusCode, status);
  return error;
}

const md5Hex = (bytes: Buffer | string) => createHash('md5').update(bytes).digest('hex');
const MiB = 1024 * 1024;

describe('the AWS SDK v3 S3 client against Wharf', () => {
  const scope = suiteScope();
  let api: TestController;
  let root: Credentials;
  let s3: S3Client;
  let dataDir: string;
  const clientFor = (credentials: Credentials) => new S3Client({ ...sdkConfig(api.url, credentials), forcePathStyle: true });

  before(async () => {
    dataDir = await tempDir(scope);
    api = await startTestController(scope, { dataDir });
    root = credentialsFor(api.url)!;
    s3 = clientFor(root);
    scope.after(() => s3.destroy());
  });

  test('buckets: create (with a LocationConstraint), head, location, list; twice is BucketAlreadyOwnedByYou; a bad name InvalidBucketName', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-bucket' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'sdk-eu' }));
    assert.equal(head.BucketRegion, 'eu-west-1');
    assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: 'sdk-eu' }))).LocationConstraint, 'eu-west-1');
    const listed = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(listed.Buckets?.map((b) => b.Name).filter((n) => n?.startsWith('sdk-')), ['sdk-bucket', 'sdk-eu']);
    assert.ok(listed.Buckets?.every((b) => b.CreationDate instanceof Date && Math.abs(b.CreationDate.getTime() - Date.now()) < 60_000));
    assert.ok(listed.Owner?.ID);
    const twice = await failsWith(s3.send(new CreateBucketCommand({ Bucket: 'sdk-bucket' })), 'BucketAlreadyOwnedByYou', 409);
    assert.match(twice.message, /already exists, and it is yours/);
    assert.ok(twice.$metadata.requestId, 'the request id comes back');
    const bad = await failsWith(s3.send(new CreateBucketCommand({ Bucket: 'Not_Valid' })), 'InvalidBucketName', 400);
    assert.match(bad.message, /lowercase letters/);
    assert.ok((await failure(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })))) instanceof NotFound, 'HeadBucket of a missing bucket is a 404 with no body');
  });

  test('objects: put (bytes, a stream sent aws-chunked with its CRC32 trailer, Content-MD5), get (whole and a Range), head, delete', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-objects' }));
    const put = await s3.send(new PutObjectCommand({ Bucket: 'sdk-objects', Key: 'docs/hello.txt', Body: 'hello, world', ContentType: 'text/plain', Metadata: { team: 'web' } }));
    assert.equal(put.ETag, `"${md5Hex('hello, world')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'sdk-objects', Key: 'docs/hello.txt' }));
    assert.equal(await got.Body?.transformToString(), 'hello, world');
    assert.equal(got.ContentType, 'text/plain');
    assert.equal(got.ContentLength, 12);
    assert.deepEqual(got.Metadata, { team: 'web' });
    assert.ok(got.LastModified instanceof Date);
    const range = await s3.send(new GetObjectCommand({ Bucket: 'sdk-objects', Key: 'docs/hello.txt', Range: 'bytes=7-' }));
    assert.equal(await range.Body?.transformToString(), 'world');
    assert.equal(range.ContentRange, 'bytes 7-11/12');
    assert.equal(range.$metadata.httpStatusCode, 206);
    await failsWith(s3.send(new GetObjectCommand({ Bucket: 'sdk-objects', Key: 'docs/hello.txt', Range: 'bytes=12-' })), 'InvalidRange', 416);

    // A stream of unknown length is sent aws-chunked (STREAMING-UNSIGNED-PAYLOAD-TRAILER) with a CRC32 trailer.
    const streamed = randomBytes(300 * 1024);
    const streaming = clientFor(root);
    scope.after(() => streaming.destroy());
    const sent: Record<string, string>[] = [];
    streaming.middlewareStack.add(
      (next) => async (args) => {
        sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    const fromStream = await streaming.send(new PutObjectCommand({ Bucket: 'sdk-objects', Key: 'streamed.bin', Body: Readable.from([streamed.subarray(0, 100_000), streamed.subarray(100_000)]), ContentLength: streamed.length }));
    assert.equal(fromStream.ETag, `"${md5Hex(streamed)}"`);
    assert.equal(sent[0]?.['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', JSON.stringify(sent[0]));
    assert.match(sent[0]?.['x-amz-trailer'] ?? '', /x-amz-checksum-crc32/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'sdk-objects', Key: 'streamed.bin' }));
    assert.equal(head.ContentLength, streamed.length);
    assert.ok(Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'sdk-objects', Key: 'streamed.bin' }))).Body!.transformToByteArray()).equals(streamed));

    const md5 = createHash('md5').update('checked').digest('base64');
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-objects', Key: 'md5.txt', Body: 'checked', ContentMD5: md5 }));
    await failsWith(s3.send(new PutObjectCommand({ Bucket: 'sdk-objects', Key: 'md5.txt', Body: 'not what was hashed', ContentMD5: md5 })), 'BadDigest', 400);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'sdk-objects', Key: 'md5.txt' }))).Body?.transformToString(), 'checked', 'a refused upload leaves the object as it was');

    await s3.send(new DeleteObjectCommand({ Bucket: 'sdk-objects', Key: 'md5.txt' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'sdk-objects', Key: 'md5.txt' }));
    const gone = await failure(s3.send(new GetObjectCommand({ Bucket: 'sdk-objects', Key: 'md5.txt' })));
    assert.ok(gone instanceof NoSuchKey, String(gone));
    assert.ok((await failure(s3.send(new HeadObjectCommand({ Bucket: 'sdk-objects', Key: 'md5.txt' })))) instanceof NotFound);
    assert.ok((await failure(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })))) instanceof NoSuchBucket);
  });

  test('ListObjectsV2: prefix, delimiter and CommonPrefixes, MaxKeys pages with continuation tokens, StartAfter; ListObjects (v1) with markers', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-list' }));
    const keys = ['a/1.txt', 'a/2.txt', 'a/b/3.txt', 'b.txt', 'c/4.txt', 'd.txt', 'é.txt'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'sdk-list', Key, Body: Key }));
    const all = await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-list' }));
    assert.deepEqual(all.Contents?.map((o) => o.Key), keys);
    assert.equal(all.KeyCount, keys.length);
    assert.equal(all.Contents?.[0]?.Size, 'a/1.txt'.length);
    assert.equal(all.Contents?.[0]?.ETag, `"${md5Hex('a/1.txt')}"`);
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-list', Delimiter: '/' }));
    assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['a/', 'c/']);
    assert.deepEqual(top.Contents?.map((o) => o.Key), ['b.txt', 'd.txt', 'é.txt']);
    const underA = await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-list', Prefix: 'a/', Delimiter: '/' }));
    assert.deepEqual([underA.Contents?.map((o) => o.Key), underA.CommonPrefixes?.map((p) => p.Prefix)], [['a/1.txt', 'a/2.txt'], ['a/b/']]);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-list', Delimiter: '/', MaxKeys: 2, ContinuationToken: token }));
      seen.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!), ...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
      assert.equal(page.IsTruncated, token !== undefined);
      pages += 1;
    } while (token !== undefined && pages < 10);
    assert.deepEqual(seen.sort(), ['a/', 'b.txt', 'c/', 'd.txt', 'é.txt'].sort(), 'every key or common prefix once over the pages');
    assert.equal(pages, 3);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-list', StartAfter: 'b.txt' }));
    assert.deepEqual(after.Contents?.map((o) => o.Key), ['c/4.txt', 'd.txt', 'é.txt']);
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'sdk-list', Delimiter: '/', MaxKeys: 1 }));
    assert.deepEqual([v1.CommonPrefixes?.map((p) => p.Prefix), v1.IsTruncated, v1.NextMarker], [['a/'], true, 'a/']);
    const v1Next = await s3.send(new ListObjectsCommand({ Bucket: 'sdk-list', Delimiter: '/', MaxKeys: 1, Marker: v1.NextMarker }));
    assert.deepEqual(v1Next.Contents?.map((o) => o.Key), ['b.txt'], 'the keys under a/ are not rolled up again');
    await failsWith(s3.send(new ListObjectsV2Command({ Bucket: 'sdk-list', ContinuationToken: 'made-up' })), 'InvalidArgument', 400);
  });

  test('multipart: create, upload parts, list parts, complete (the multipart ETag), abort; wrong parts are InvalidPart, EntityTooSmall, NoSuchUpload', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-multipart' }));
    const Bucket = 'sdk-multipart';
    const Key = 'bundles/big.zip';
    const first = randomBytes(5 * MiB);
    const second = randomBytes(123_456);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: 'application/zip' }));
    assert.ok(UploadId);
    const one = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: first }));
    const two = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: second }));
    assert.equal(one.ETag, `"${md5Hex(first)}"`);
    const parts = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag]), [[1, first.length, one.ETag], [2, second.length, two.ETag]]);

    await failsWith(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: one.ETag }, { PartNumber: 2, ETag: '"0123"' }] } })), 'InvalidPart', 400);
    await failsWith(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: two.ETag }, { PartNumber: 1, ETag: one.ETag }] } })), 'InvalidPartOrder', 400);
    await failsWith(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: two.ETag }, { PartNumber: 3, ETag: two.ETag }] } })), 'InvalidPart', 400);

    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: one.ETag }, { PartNumber: 2, ETag: two.ETag }] } }));
    const expectedEtag = `"${createHash('md5').update(Buffer.concat([Buffer.from(md5Hex(first), 'hex'), Buffer.from(md5Hex(second), 'hex')])).digest('hex')}-2"`;
    assert.equal(done.ETag, expectedEtag);
    assert.equal(done.Key, Key);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    assert.equal(got.ContentType, 'application/zip');
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([first, second])), 'the parts joined in order');
    assert.ok((await failure(s3.send(new ListPartsCommand({ Bucket, Key, UploadId })))) instanceof NoSuchUpload, 'a completed upload is gone');

    // A part but the last under 5 MiB is too small.
    const small = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'small' }));
    const a = await s3.send(new UploadPartCommand({ Bucket, Key: 'small', UploadId: small.UploadId, PartNumber: 1, Body: 'tiny' }));
    const b = await s3.send(new UploadPartCommand({ Bucket, Key: 'small', UploadId: small.UploadId, PartNumber: 2, Body: 'tiny too' }));
    await failsWith(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'small', UploadId: small.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: a.ETag }, { PartNumber: 2, ETag: b.ETag }] } })), 'EntityTooSmall', 400);
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'small', UploadId: small.UploadId }));
    assert.ok((await failure(s3.send(new UploadPartCommand({ Bucket, Key: 'small', UploadId: small.UploadId, PartNumber: 3, Body: 'x' })))) instanceof NoSuchUpload);
    assert.ok((await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'small' })))) instanceof NotFound, 'an aborted upload made no object');
  });

  test('presigned GET and PUT URLs work without credentials, and an altered one is refused', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-presigned' }));
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'sdk-presigned', Key: 'shared file.txt' }), { expiresIn: 300 });
    assert.match(putUrl, /X-Amz-Signature=/);
    const put = await fetch(putUrl, { method: 'PUT', body: 'uploaded through a link' });
    assert.equal(put.status, 200, await put.text());
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'sdk-presigned', Key: 'shared file.txt' }), { expiresIn: 300 });
    const got = await fetch(getUrl);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'uploaded through a link');
    const altered = await fetch(getUrl.replace('shared%20file.txt', 'other.txt'));
    assert.equal(altered.status, 403);
    assert.match(await altered.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  test('unsigned, unknown key, wrong secret, a denied user: S3 errors, refused before anything changes, and audited', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-guarded' }));
    const unsigned = await fetch(`${api.url}/sdk-guarded/x`, { method: 'PUT', body: 'x' });
    assert.equal(unsigned.status, 403);
    const text = await unsigned.text();
    assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>The request carries no AWS Signature Version 4/);
    assert.match(text, /<Resource>\/sdk-guarded\/x<\/Resource><RequestId>[^<]+<\/RequestId><\/Error>$/);
    await failsWith(clientFor({ accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' }).send(new ListBucketsCommand({})), 'InvalidAccessKeyId', 403);
    await failsWith(clientFor({ accessKeyId: root.accessKeyId, secretAccessKey: 'wrong' }).send(new ListBucketsCommand({})), 'SignatureDoesNotMatch', 403);

    // A user who may read one bucket and nothing else.
    const iam = async (operation: string, body: unknown) => {
      const res = await api.call('POST', `/v1/iam/${operation}`, body);
      assert.equal(res.status, 200, `${operation}: ${res.text}`);
      return res.json;
    };
    await iam('CreateUser', { UserName: 'reader' });
    const { AccessKey } = await iam('CreateAccessKey', { UserName: 'reader' });
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:wharf:s3:::sdk-guarded', 'arn:wharf:s3:::sdk-guarded/*'] }] };
    await iam('PutUserPolicy', { UserName: 'reader', PolicyName: 'read-one-bucket', PolicyDocument: JSON.stringify(policy) });
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-guarded', Key: 'readable.txt', Body: 'yes' }));
    const reader = clientFor({ accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey });
    scope.after(() => reader.destroy());
    assert.equal(await (await reader.send(new GetObjectCommand({ Bucket: 'sdk-guarded', Key: 'readable.txt' }))).Body?.transformToString(), 'yes');
    assert.equal((await reader.send(new ListObjectsV2Command({ Bucket: 'sdk-guarded' }))).KeyCount, 1);
    const denied = await failsWith(reader.send(new PutObjectCommand({ Bucket: 'sdk-guarded', Key: 'written.txt', Body: 'no' })), 'AccessDenied', 403);
    assert.match(denied.message, /s3:PutObject on resource: arn:wharf:s3:::sdk-guarded\/written\.txt/);
    await failsWith(reader.send(new ListBucketsCommand({})), 'AccessDenied', 403);
    await failsWith(reader.send(new GetObjectCommand({ Bucket: 'sdk-objects', Key: 'docs/hello.txt' })), 'AccessDenied', 403);
    assert.ok((await failure(s3.send(new HeadObjectCommand({ Bucket: 'sdk-guarded', Key: 'written.txt' })))) instanceof NotFound, 'the denied upload stored nothing');

    const audit = await api.call('GET', '/v1/audit?maxRecords=100');
    const records = audit.json.records as { action: string; outcome: string; resources: string[]; principalArn: string }[];
    assert.ok(records.some((r) => r.action === 's3:PutObject' && r.outcome === 'Denied' && r.resources.includes('arn:wharf:s3:::sdk-guarded/written.txt') && r.principalArn.endsWith(':user/reader')), JSON.stringify(records.slice(0, 5)));
    assert.ok(records.some((r) => r.action === 's3:PutObject' && r.outcome === 'Success' && r.resources.includes('arn:wharf:s3:::sdk-guarded/readable.txt')), 'a mutation is audited');
    assert.ok(!records.some((r) => r.action === 's3:GetObject' && r.outcome === 'Success'), 'reads are not');
  });

  test('a subresource Wharf does not serve is NotImplemented; DeleteBucket takes only an empty bucket', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-delete' }));
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-delete', Key: 'k', Body: 'v' }));
    await failsWith(s3.send(new PutObjectAclCommand({ Bucket: 'sdk-delete', Key: 'k', ACL: 'public-read' })), 'NotImplemented', 501);
    await failsWith(s3.send(new DeleteBucketCommand({ Bucket: 'sdk-delete' })), 'BucketNotEmpty', 409);
    await s3.send(new DeleteObjectCommand({ Bucket: 'sdk-delete', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'sdk-delete' }));
    assert.ok((await failure(s3.send(new DeleteBucketCommand({ Bucket: 'sdk-delete' })))) instanceof NoSuchBucket);
  });

  test('raw signed requests: keys with spaces, pluses and double slashes sign and store as sent (S3 canonical URI)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-raw' }));
    const key = 'a b+c//x/é(1)';
    const url = new URL(`${api.url}/sdk-raw/${key.split('/').map((segment) => encodeURIComponent(segment)).join('/')}`);
    assert.ok(url.pathname.includes('//'), `the path is sent as it is: ${url.pathname}`);
    const body = 'raw';
    const headers = signRequest({ method: 'PUT', url, headers: {}, payloadHash: sha256Hex(body) }, root, { region: 'us-east-1', service: 's3' }, new Date());
    // Bytes, not a string: fetch would add a Content-Type of its own.
    const put = await fetch(url, { method: 'PUT', headers, body: Buffer.from(body) });
    assert.equal(put.status, 200, await put.text());
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-raw' }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), [key]);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'sdk-raw', Key: key }))).ContentType, 'binary/octet-stream', "sent with no Content-Type: S3's default");
    const wrongHash = signRequest({ method: 'PUT', url, headers: {}, payloadHash: sha256Hex('other') }, root, { region: 'us-east-1', service: 's3' }, new Date());
    const mismatch = await fetch(url, { method: 'PUT', headers: wrongHash, body: Buffer.from(body) });
    assert.equal(mismatch.status, 400);
    assert.match(await mismatch.text(), /<Code>XAmzContentSHA256Mismatch<\/Code>/);
  });

  test("the artifact sweep keeps content an object or an upload's part names, and removes it once nothing does", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-sweep' }));
    const [kept, part, dropped] = ['kept by an object', 'kept by a part in progress', 'named by nothing once deleted'];
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-sweep', Key: 'kept', Body: kept }));
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-sweep', Key: 'copy', Body: kept }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-sweep', Key: 'big' }));
    await s3.send(new UploadPartCommand({ Bucket: 'sdk-sweep', Key: 'big', UploadId, PartNumber: 1, Body: part }));
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-sweep', Key: 'dropped', Body: dropped }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'sdk-sweep', Key: 'dropped' }));
    // One of two objects with the same content goes: the content stays for the other.
    await s3.send(new DeleteObjectCommand({ Bucket: 'sdk-sweep', Key: 'copy' }));
    const artifacts = new ArtifactStore(path.join(dataDir, 'artifacts'));
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    assert.ok(await artifacts.has(sha(dropped)), 'a deleted object leaves its content until the sweep');
    // As if a day had passed: everything stored so far is old enough to go, if nothing names it.
    await removeUnusedBundles(api.store, artifacts, Date.now() + 1000);
    assert.deepEqual(await Promise.all([kept, part, dropped].map((text) => artifacts.has(sha(text)))), [true, true, false]);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'sdk-sweep', Key: 'kept' }))).Body?.transformToString(), kept);
  });
});
