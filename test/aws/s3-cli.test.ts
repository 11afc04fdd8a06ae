// The AWS CLI v2 (Debian's awscli, /usr/bin/aws), unmodified, against Wharf's S3 API: `aws s3 mb`,
// `aws s3 cp` of a small file and of one above the CLI's 8 MiB multipart threshold (up and down),
// `aws s3 ls`, `aws s3api head-object`, then Elastic Beanstalk's flow: a bundle copied with
// `aws s3 cp` becomes an application version through its S3Bucket and S3Key. The EB call goes to
// the native route `POST /v1/elasticbeanstalk/CreateApplicationVersion` (signed), as the Query
// protocol that `aws elasticbeanstalk create-application-version` speaks is a separate slice.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { packFolder } from '../../src/bundle/pack.js';
import type { AwsCli } from '../support/aws.js';
import { awsCli } from '../support/aws.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { credentialsFor } from '../support/signing.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { writeNodeApp } from '../platform/support.js';

describe('the AWS CLI v2 against Wharf S3', () => {
  const scope = suiteScope();
  let api: TestController;
  let aws: AwsCli;
  let dir: string;

  before(async () => {
    api = await startTestController(scope);
    aws = await awsCli(scope, api.url, credentialsFor(api.url)!, { timeoutMs: 120_000 });
    dir = await tempDir(scope);
  });

  test('aws s3 mb, cp (small and multipart, up and down), ls, s3api head-object, rm, rb', async () => {
    assert.match(await aws.okText(['s3', 'mb', 's3://cli-bucket']), /make_bucket: cli-bucket/);
    const small = path.join(dir, 'small.txt');
    await writeFile(small, 'hello, s3\n');
    // Above the CLI's multipart_threshold (8 MiB): two parts of 8 MiB and 1 MiB.
    const big = path.join(dir, 'big.bin');
    const bigBytes = randomBytes(9 * 1024 * 1024);
    await writeFile(big, bigBytes);
    await aws.okText(['s3', 'cp', small, 's3://cli-bucket/docs/small.txt']);
    await aws.okText(['s3', 'cp', big, 's3://cli-bucket/big file.bin']);

    const top = await aws.okText(['s3', 'ls', 's3://cli-bucket/']);
    assert.match(top, /PRE docs\//, top);
    assert.match(top, new RegExp(`\\s${bigBytes.length} big file\\.bin`), top);
    assert.match(await aws.okText(['s3', 'ls', 's3://cli-bucket/docs/']), /\s10 small\.txt/);
    assert.match(await aws.okText(['s3', 'ls']), /cli-bucket/);

    const head = await aws.ok(['s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'big file.bin']);
    assert.equal(head.ContentLength, bigBytes.length);
    assert.match(head.ETag, /^"[0-9a-f]{32}-2"$/, 'a multipart ETag names its two parts');
    const smallHead = await aws.ok(['s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'docs/small.txt']);
    assert.equal(smallHead.ETag, `"${createHash('md5').update('hello, s3\n').digest('hex')}"`, 'a PutObject ETag is the MD5 of the content');

    const down = path.join(dir, 'down.bin');
    await aws.okText(['s3', 'cp', 's3://cli-bucket/big file.bin', down]);
    assert.ok((await readFile(down)).equals(bigBytes), 'the multipart object comes back byte for byte');
    await aws.okText(['s3', 'cp', 's3://cli-bucket/docs/small.txt', path.join(dir, 'small-down.txt')]);
    assert.equal(await readFile(path.join(dir, 'small-down.txt'), 'utf8'), 'hello, s3\n');

    await aws.fails(['s3', 'rb', 's3://cli-bucket'], 'BucketNotEmpty');
    await aws.okText(['s3', 'rm', 's3://cli-bucket/big file.bin']);
    await aws.okText(['s3', 'rm', 's3://cli-bucket/docs/small.txt']);
    await aws.okText(['s3', 'rb', 's3://cli-bucket']);
    assert.doesNotMatch(await aws.okText(['s3', 'ls']), /cli-bucket/);
  });

  test('bad input: no such bucket or key, a bad bucket name, a bucket made twice, a wrong secret', async () => {
    await aws.fails(['s3', 'ls', 's3://no-such-bucket'], 'NoSuchBucket');
    await aws.fails(['s3api', 'create-bucket', '--bucket', 'Bad_Name'], 'InvalidBucketName');
    await aws.ok(['s3api', 'create-bucket', '--bucket', 'twice']);
    await aws.fails(['s3api', 'create-bucket', '--bucket', 'twice'], 'BucketAlreadyOwnedByYou');
    const stderr = await aws.fails(['s3api', 'get-object', '--bucket', 'twice', '--key', 'missing', path.join(dir, 'nothing')], 'NoSuchKey');
    assert.match(stderr, /no object with the key missing/);
    await aws.fails(['s3', 'ls', 's3://twice'], 'SignatureDoesNotMatch', { env: { AWS_ACCESS_KEY_ID: credentialsFor(api.url)!.accessKeyId, AWS_SECRET_ACCESS_KEY: 'not-the-secret' } });
  });

  test("Elastic Beanstalk's flow: aws s3 cp a bundle, then CreateApplicationVersion names its S3Bucket and S3Key", async () => {
    const app = path.join(dir, 'app');
    await writeNodeApp(app, 'v1');
    const zip = path.join(dir, 'app.zip');
    await packFolder(app, zip);
    // CreateStorageLocation makes the account's bucket (and answers the same one again).
    const location = await api.call('POST', '/v1/elasticbeanstalk/CreateStorageLocation', {});
    assert.equal(location.status, 200, location.text);
    const bucket = location.json.S3Bucket as string;
    assert.match(bucket, /^elasticbeanstalk-[a-z0-9-]+-\d{12}$/);
    assert.equal((await api.call('POST', '/v1/elasticbeanstalk/CreateStorageLocation', {})).json.S3Bucket, bucket);
    await aws.okText(['s3', 'cp', zip, `s3://${bucket}/shop/app-v1.zip`]);

    const created = await api.call('POST', '/v1/elasticbeanstalk/CreateApplicationVersion', {
      ApplicationName: 'shop',
      VersionLabel: 'v1',
      AutoCreateApplication: true,
      SourceBundle: { S3Bucket: bucket, S3Key: 'shop/app-v1.zip' },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.json.ApplicationVersion.Status, 'Processed');
    assert.deepEqual(created.json.ApplicationVersion.SourceBundle, { S3Bucket: bucket, S3Key: 'shop/app-v1.zip' });
    assert.equal(created.json.ApplicationVersion.SourceBundleSize, (await readFile(zip)).length);

    // Deleting the object leaves the version whole (its content is shared, not owned), and the key now names nothing.
    await aws.okText(['s3', 'rm', `s3://${bucket}/shop/app-v1.zip`]);
    const described = await api.call('POST', '/v1/elasticbeanstalk/DescribeApplicationVersions', { ApplicationName: 'shop' });
    assert.equal(described.json.ApplicationVersions[0].Status, 'Processed');
    const missing = await api.call('POST', '/v1/elasticbeanstalk/CreateApplicationVersion', { ApplicationName: 'shop', VersionLabel: 'v2', SourceBundle: { S3Bucket: bucket, S3Key: 'shop/app-v1.zip' } });
    assert.equal(missing.status, 404, missing.text);
    assert.equal(missing.json.code, 'WHARF_E_SOURCE_BUNDLE_NOT_FOUND');
    assert.match(missing.json.detail, new RegExp(`S3Bucket ${bucket}, S3Key shop/app-v1\\.zip`));
  });
});
