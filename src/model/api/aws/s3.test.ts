import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { ERROR_CATALOGUE } from '../../errors.js';
import type { ErrorCode } from '../../errors.js';
import {
  bucketNameProblem,
  decodeListCursor,
  encodeListCursor,
  errorXml,
  listObjectsV2Xml,
  ListingPage,
  multipartEtag,
  normaliseEtag,
  parseRange,
  parseS3Path,
  recogniseS3Request,
  urlEncodeKey,
  xmlEscape,
} from './s3.js';
import { S3_ERROR_STATUS, s3ErrorOf } from './s3-errors.js';
import { parseCompleteMultipartUpload, parseCreateBucketConfiguration } from './s3-xml.js';

const none = () => undefined;
const operation = (method: string, url: string, header: (name: string) => string | undefined = none) => recogniseS3Request(method, url, header)?.operation;

test('S3 requests are every path but the native API, /healthz, /metrics and POST /', () => {
  for (const [method, url] of [['GET', '/v1/clusters'], ['POST', '/v1/x'], ['GET', '/healthz'], ['GET', '/metrics'], ['POST', '/'], ['POST', '/?Action=X']]) {
    assert.equal(recogniseS3Request(method as string, url as string, none), undefined, `${method} ${url}`);
  }
  assert.equal(operation('GET', '/'), 'ListBuckets');
  assert.equal(operation('GET', '/v1bucket'), 'ListObjects', 'only /v1 itself and below are the native API');
});

test('the operation comes from the method, the path and the subresources in the query', () => {
  assert.equal(operation('PUT', '/b'), 'CreateBucket');
  assert.equal(operation('HEAD', '/b'), 'HeadBucket');
  assert.equal(operation('DELETE', '/b/'), 'DeleteBucket');
  assert.equal(operation('GET', '/b?list-type=2&prefix=a'), 'ListObjectsV2');
  assert.equal(operation('GET', '/b?location'), 'GetBucketLocation');
  assert.equal(operation('PUT', '/b/k?x-id=PutObject'), 'PutObject', "the SDK's x-id is no subresource");
  assert.equal(operation('POST', '/b/k?uploads'), 'CreateMultipartUpload');
  assert.equal(operation('PUT', '/b/k?partNumber=1&uploadId=u'), 'UploadPart');
  assert.equal(operation('POST', '/b/k?uploadId=u'), 'CompleteMultipartUpload');
  assert.equal(operation('DELETE', '/b/k?uploadId=u'), 'AbortMultipartUpload');
  assert.equal(operation('GET', '/b/k?uploadId=u'), 'ListParts');
  assert.equal(operation('HEAD', '/b/k'), 'HeadObject');
  // Never taken for the plain operation: a subresource or a copy Wharf does not serve.
  const acl = recogniseS3Request('PUT', '/b/k?acl', none);
  assert.deepEqual([acl?.operation, acl?.unsupported], [undefined, 'PUT /b/<key>?acl']);
  assert.equal(operation('GET', '/b?versions'), undefined);
  assert.equal(operation('PUT', '/b/k', (name) => (name === 'x-amz-copy-source' ? '/a/b' : undefined)), undefined);
  assert.equal(recogniseS3Request('PUT', '/b/k', (name) => (name === 'x-amz-copy-source' ? '/a/b' : undefined))?.unsupported, 'CopyObject');
});

test('paths decode once, keep every slash of a key, and a bad escape is no operation', () => {
  assert.deepEqual(parseS3Path('/b/a%20b/%2F/./../c+d'), { bucket: 'b', key: 'a b///./../c+d' });
  assert.deepEqual(parseS3Path('/b/'), { bucket: 'b' });
  assert.deepEqual(parseS3Path('/'), {});
  assert.equal(parseS3Path('/b/%E0%A4%A'), undefined);
  assert.equal(operation('GET', '/b/%ZZ'), undefined);
  assert.equal(recogniseS3Request('GET', '/b?prefix=a%2Bb+c', none)?.query['prefix'], 'a+b+c', 'a + in a query is a plus');
});

test("bucket names follow S3's rules", () => {
  for (const good of ['abc', 'my.bucket-1', 'elasticbeanstalk-local-000000000000', 'a'.repeat(63)]) assert.equal(bucketNameProblem(good), undefined, good);
  for (const [bad, why] of [['ab', /3 to 63/], ['a'.repeat(64), /3 to 63/], ['Bad_Name', /character "B"/], ['-abc', /start and end/], ['abc.', /start and end/], ['a..b', /two dots/], ['192.168.1.1', /IP address/], ['xn--abc', /reserves/], ['abc-s3alias', /reserves/], ['../etc', /character "\/"|start/]] as const) {
    assert.match(bucketNameProblem(bad) ?? '', why, bad);
  }
});

test('ranges: first-last (clipped at the end), first-, -suffix; ignored when not one bytes range; unsatisfiable past the end', () => {
  assert.deepEqual(parseRange('bytes=0-4', 10), { start: 0, end: 4 });
  assert.deepEqual(parseRange('bytes=5-100', 10), { start: 5, end: 9 });
  assert.deepEqual(parseRange('bytes=7-', 10), { start: 7, end: 9 });
  assert.deepEqual(parseRange('bytes=-3', 10), { start: 7, end: 9 });
  assert.deepEqual(parseRange('bytes=-30', 10), { start: 0, end: 9 });
  assert.equal(parseRange(undefined, 10), undefined);
  assert.equal(parseRange('bytes=0-1,3-4', 10), undefined);
  assert.equal(parseRange('items=0-1', 10), undefined);
  assert.equal(parseRange('bytes=5-2', 10), undefined);
  assert.ok(parseRange('bytes=10-', 10) && 'unsatisfiable' in parseRange('bytes=10-', 10)!);
  assert.ok('unsatisfiable' in (parseRange('bytes=-0', 10) ?? {}));
});

test('a listing page rolls keys up at the delimiter, counts prefixes and objects towards max-keys, and resumes past a common prefix', () => {
  const keys = ['a/1', 'a/2', 'b', 'c/d/e', 'c/x', 'd'];
  const page = (maxKeys: number, cursor?: { after: string; skipPrefix?: string }) => {
    const p = new ListingPage<string>('', '/', maxKeys, cursor?.skipPrefix);
    for (const key of keys.filter((k) => k > (cursor?.after ?? ''))) if (!p.add(key, key)) break;
    return p;
  };
  const first = page(2);
  assert.deepEqual([first.commonPrefixes, first.contents, first.truncated], [['a/'], ['b'], true]);
  const second = page(2, first.next);
  assert.deepEqual([second.commonPrefixes, second.contents, second.truncated], [['c/'], ['d'], false]);
  const ended = page(3, { after: 'a/', skipPrefix: 'a/' });
  assert.deepEqual([ended.commonPrefixes, ended.contents], [['c/'], ['b', 'd']]);
  const prefixed = new ListingPage<string>('c/', '/', 10);
  for (const key of keys) prefixed.add(key, key);
  assert.deepEqual([prefixed.commonPrefixes, prefixed.contents], [['c/d/'], ['c/x']]);
  assert.deepEqual(decodeListCursor(encodeListCursor({ after: 'é/', skipPrefix: 'é/' })), { after: 'é/', skipPrefix: 'é/' });
  assert.equal(decodeListCursor('not a token'), undefined);
});

test('XML: text is escaped, keys URL-encoded when asked, errors in S3 shape', () => {
  assert.equal(xmlEscape(`<a href="x">&'\r\u0001`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#xd;&#x1;');
  assert.equal(urlEncodeKey("a b/c+d(é)*"), 'a%20b/c%2Bd%28%C3%A9%29%2A');
  const listing = listObjectsV2Xml({ bucket: 'b', prefix: '', delimiter: '/', maxKeys: 1000, encodingType: 'url', contents: [{ key: 'a b&c', lastModified: 0, etag: '"e"', size: 1 }], commonPrefixes: ['p q/'], truncated: false });
  assert.match(listing, /<Key>a%20b%26c<\/Key>/);
  assert.match(listing, /<Prefix>p%20q\/<\/Prefix>/);
  assert.match(listing, /<ETag>&quot;e&quot;<\/ETag>/);
  assert.match(listing, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
  assert.equal(
    errorXml({ code: 'NoSuchKey', message: 'No <key>', resource: '/b/k', requestId: 'r1', extra: { Key: 'k' } }),
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>No &lt;key&gt;</Message><Key>k</Key><Resource>/b/k</Resource><RequestId>r1</RequestId></Error>',
  );
});

test("the multipart ETag is the MD5 of the parts' MD5s and their count; ETags compare quoted and in lower case", () => {
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const expected = createHash('md5').update(Buffer.concat([Buffer.from(md5('a'), 'hex'), Buffer.from(md5('b'), 'hex')])).digest('hex');
  assert.equal(multipartEtag([`"${md5('a')}"`, `"${md5('b')}"`]), `"${expected}-2"`);
  assert.equal(normaliseEtag('ABC'), '"abc"');
  assert.equal(normaliseEtag(' "abc" '), '"abc"');
});

test('XML bodies: CompleteMultipartUpload parts in order, CreateBucketConfiguration; anything else is MalformedXML', () => {
  const body = `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>"e1"</ETag><PartNumber>1</PartNumber></Part><Part><PartNumber>2</PartNumber><ETag>&quot;e2&quot;</ETag><ChecksumCRC32>x</ChecksumCRC32></Part></CompleteMultipartUpload>`;
  assert.deepEqual(parseCompleteMultipartUpload(body).parts, [{ partNumber: 1, etag: '"e1"' }, { partNumber: 2, etag: '"e2"' }]);
  assert.deepEqual(parseCompleteMultipartUpload('<CompleteMultipartUpload><Part><PartNumber>3</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>').parts, [{ partNumber: 3, etag: 'e' }]);
  assert.deepEqual(parseCreateBucketConfiguration('<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>'), { locationConstraint: 'eu-west-1' });
  assert.deepEqual(parseCreateBucketConfiguration(''), {});
  const refused = (run: () => unknown, reason: RegExp) =>
    assert.throws(run, (error: any) => {
      assert.equal(error.code, 'WHARF_E_MALFORMED_XML');
      assert.match(error.message, reason);
      return true;
    });
  refused(() => parseCompleteMultipartUpload('<CompleteMultipartUpload><Part>'), /line|closed|Unclosed|not/i);
  refused(() => parseCompleteMultipartUpload('<Other/>'), /root element is <Other>/);
  refused(() => parseCompleteMultipartUpload('<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>'), /PartNumber from 1/);
  refused(() => parseCompleteMultipartUpload('<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>'), /no ETag/);
  refused(() => parseCompleteMultipartUpload('<!DOCTYPE x [<!ENTITY a "aaaa">]><CompleteMultipartUpload/>'), /document type/);
  refused(() => parseCreateBucketConfiguration('<CreateBucketConfiguration><LocationConstraint>../x</LocationConstraint></CreateBucketConfiguration>'), /not a region name/);
});

test("every catalogue code has S3's code and status; Wharf's own failures stay 5xx", () => {
  for (const code of Object.keys(ERROR_CATALOGUE) as ErrorCode[]) {
    const { code: name, status } = s3ErrorOf(code);
    assert.ok(Object.hasOwn(S3_ERROR_STATUS, name), `${code} → ${name}`);
    if (ERROR_CATALOGUE[code].status >= 500) assert.ok(status >= 500, `${code} is Wharf's failure: ${name} ${status}`);
  }
  assert.deepEqual(s3ErrorOf('WHARF_E_NO_SUCH_BUCKET'), { code: 'NoSuchBucket', status: 404 });
  assert.deepEqual(s3ErrorOf('WHARF_E_BUCKET_EXISTS'), { code: 'BucketAlreadyOwnedByYou', status: 409 });
  assert.deepEqual(s3ErrorOf('WHARF_E_SIGNATURE_DOES_NOT_MATCH'), { code: 'SignatureDoesNotMatch', status: 403 });
  assert.deepEqual(s3ErrorOf('WHARF_E_INTERNAL'), { code: 'InternalError', status: 500 });
});
