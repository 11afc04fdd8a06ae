/**
 * S3's REST-XML protocol, path-style, as far as Wharf serves it: which operation a request is
 * (method, `/bucket/key`, subresources in the query, a few headers), bucket names as S3 checks
 * them, Range headers, the listing of a bucket (prefix, delimiter, pages), and the XML of the
 * answers. Pure: no I/O. The routes are `controller/api/aws/s3.ts`; see its README.
 *
 * ```
 *  GET /                       ListBuckets          PUT /bucket/key              PutObject
 *  PUT /bucket                 CreateBucket         PUT /bucket/key?partNumber&uploadId  UploadPart
 *  HEAD /bucket                HeadBucket           GET /bucket/key              GetObject (Range)
 *  GET /bucket?list-type=2     ListObjectsV2        HEAD /bucket/key             HeadObject
 *  GET /bucket                 ListObjects          DELETE /bucket/key           DeleteObject
 *  GET /bucket?location        GetBucketLocation    POST /bucket/key?uploads     CreateMultipartUpload
 *  DELETE /bucket              DeleteBucket         POST /bucket/key?uploadId    CompleteMultipartUpload
 *                                                   DELETE /bucket/key?uploadId  AbortMultipartUpload
 *                                                   GET /bucket/key?uploadId     ListParts
 * ```
 */

import { createHash } from 'node:crypto';

/** The SigV4 signing name of S3 calls. */
export const S3_SIGNING_NAME = 's3';
/** The namespace of S3's XML answers. */
export const S3_XML_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** Longest key S3 takes, in bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;
/** Most keys one list answers with (S3's max-keys cap). */
export const MAX_LIST_KEYS = 1000;
/** Smallest part but the last of a multipart upload (S3's 5 MiB). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** Part numbers run from 1 to this. */
export const MAX_PART_NUMBER = 10_000;

/** The S3 operations Wharf serves. */
export const S3_OPERATIONS = [
  'ListBuckets',
  'CreateBucket',
  'HeadBucket',
  'DeleteBucket',
  'GetBucketLocation',
  'ListObjectsV2',
  'ListObjects',
  'PutObject',
  'GetObject',
  'HeadObject',
  'DeleteObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
] as const;

export type S3Operation = (typeof S3_OPERATIONS)[number];

/** A request as S3 reads it: the operation (or what Wharf does not serve), bucket, key and query. */
export interface S3Request {
  /** Undefined for an S3 request Wharf does not serve; `unsupported` then names it. */
  readonly operation: S3Operation | undefined;
  /** What an unserved request is (`PUT ?acl`, `CopyObject`), for the error. */
  readonly unsupported?: string;
  readonly bucket?: string;
  readonly key?: string;
  /** The query's parameters, decoded (a name without `=` has the value ''). */
  readonly query: Readonly<Record<string, string>>;
}

/**
 * Subresources S3 has and Wharf does not serve: a request naming one is refused with
 * NotImplemented rather than taken for the plain operation on the bucket or object.
 */
const UNSERVED_SUBRESOURCES = [
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold',
  'lifecycle', 'logging', 'metadataConfiguration', 'metrics', 'notification', 'object-lock', 'ownershipControls', 'policy',
  'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention', 'select', 'session', 'tagging',
  'torrent', 'uploads', 'versionId', 'versioning', 'versions', 'website', 'renameObject',
];

/** Decodes one percent-encoded part of a URL; undefined when it is not valid UTF-8 percent-encoding. */
function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** The query's parameters, each decoded; undefined when one cannot be decoded. `+` is a plus, as S3's signers encode a space as %20. */
export function parseS3Query(rawQuery: string): Record<string, string> | undefined {
  const query: Record<string, string> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decode(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : decode(pair.slice(equals + 1));
    if (name === undefined || value === undefined) return undefined;
    if (!Object.hasOwn(query, name)) query[name] = value;
  }
  return query;
}

/** `/bucket/key…` taken apart; undefined when the path cannot be decoded. The key keeps its slashes, empty segments included. */
export function parseS3Path(rawPath: string): { bucket?: string; key?: string } | undefined {
  const rest = rawPath.replace(/^\//, '');
  if (rest === '') return {};
  const slash = rest.indexOf('/');
  const bucket = decode(slash === -1 ? rest : rest.slice(0, slash));
  if (bucket === undefined) return undefined;
  if (slash === -1 || slash === rest.length - 1) return { bucket };
  const key = decode(rest.slice(slash + 1));
  return key === undefined ? undefined : { bucket, key };
}

/**
 * Whether a request is for S3, path-style: everything but the native API (`/v1/…`), `/healthz`,
 * `/metrics` and `POST /` (the JSON and Query protocols' endpoint).
 */
export function isS3Path(method: string, rawPath: string): boolean {
  if (rawPath === '/v1' || rawPath.startsWith('/v1/') || rawPath === '/healthz' || rawPath === '/metrics') return false;
  return !(method === 'POST' && rawPath === '/');
}

/**
 * The S3 operation a request is, from its method, path, query and headers; undefined when it is
 * no S3 request (`isS3Path`). A request whose path or query cannot be decoded is an S3 request of
 * no operation.
 */
export function recogniseS3Request(method: string, rawUrl: string, header: (name: string) => string | undefined): S3Request | undefined {
  const question = rawUrl.indexOf('?');
  const rawPath = question === -1 ? rawUrl : rawUrl.slice(0, question);
  if (!isS3Path(method, rawPath)) return undefined;
  const query = parseS3Query(question === -1 ? '' : rawUrl.slice(question + 1));
  const path = parseS3Path(rawPath);
  if (!query || !path) return { operation: undefined, unsupported: 'a request whose path or query is not valid percent-encoded UTF-8', query: query ?? {} };
  const { bucket, key } = path;
  const has = (name: string) => Object.hasOwn(query, name);
  const of = (operation: S3Operation | undefined, unsupported?: string): S3Request => ({ operation, ...(operation ? {} : { unsupported }), bucket, key, query });
  if (bucket === undefined) return of(method === 'GET' ? 'ListBuckets' : undefined, `${method} /`);
  if (key === undefined) {
    if (method === 'GET' && has('location')) return of('GetBucketLocation');
    const subresource = UNSERVED_SUBRESOURCES.find(has);
    if (subresource !== undefined) return of(undefined, `${method} /${bucket}?${subresource}`);
    switch (method) {
      case 'PUT':
        return of('CreateBucket');
      case 'HEAD':
        return of('HeadBucket');
      case 'DELETE':
        return of('DeleteBucket');
      case 'GET':
        return of(query['list-type'] === '2' ? 'ListObjectsV2' : 'ListObjects');
      default:
        return of(undefined, `${method} /${bucket}`);
    }
  }
  const upload = has('uploadId');
  if (method === 'POST' && has('uploads')) return of('CreateMultipartUpload');
  const subresource = UNSERVED_SUBRESOURCES.find(has) ?? (has('partNumber') && !(method === 'PUT' && upload) ? 'partNumber' : undefined);
  if (subresource !== undefined) return of(undefined, `${method} /${bucket}/<key>?${subresource}`);
  const copy = header('x-amz-copy-source') !== undefined;
  switch (method) {
    case 'PUT':
      if (copy) return of(undefined, upload ? 'UploadPartCopy' : 'CopyObject');
      return of(upload ? 'UploadPart' : 'PutObject');
    case 'GET':
      return of(upload ? 'ListParts' : 'GetObject');
    case 'HEAD':
      return of(upload ? undefined : 'HeadObject', `HEAD /${bucket}/<key>?uploadId`);
    case 'DELETE':
      return of(upload ? 'AbortMultipartUpload' : 'DeleteObject');
    case 'POST':
      return of(upload ? 'CompleteMultipartUpload' : undefined, `POST /${bucket}/<key>`);
    default:
      return of(undefined, `${method} /${bucket}/<key>`);
  }
}

// ── Names ───────────────────────────────────────────────────────────────────────────────────

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Why `name` is not a bucket name S3 would take (general purpose buckets' rules), or undefined when it is one. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `it has ${name.length} characters, and a bucket name has 3 to 63`;
  const bad = /[^a-z0-9.-]/.exec(name);
  if (bad) return `it has the character ${JSON.stringify(bad[0])}, and a bucket name has only lowercase letters, digits, dots and hyphens`;
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'it must start and end with a letter or a digit';
  if (name.includes('..')) return 'it has two dots in a row';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'it is formatted as an IP address';
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix !== undefined) return `it starts with ${prefix}, which S3 reserves`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix !== undefined) return `it ends with ${suffix}, which S3 reserves`;
  return undefined;
}

/** `arn:wharf:s3:::bucket` or `arn:wharf:s3:::bucket/key`: S3 ARNs name no region or account. */
export function s3Arn(bucket: string, key?: string): string {
  return key === undefined ? `arn:wharf:s3:::${bucket}` : `arn:wharf:s3:::${bucket}/${key}`;
}

/** The Elastic Beanstalk storage location of an account in a region (CreateStorageLocation's answer). */
export function storageLocationBucket(region: string, accountId: string): string {
  return `elasticbeanstalk-${region}-${accountId}`;
}

// ── Ranges ──────────────────────────────────────────────────────────────────────────────────

/** A Range header's one range resolved against a size: bytes `start` to `end`, both included. */
export type ByteRange = { readonly start: number; readonly end: number };

/**
 * The one byte range a Range header asks of `size` bytes: `bytes=a-b` (b past the end is the end),
 * `bytes=a-`, `bytes=-n` (the last n). Undefined for no header or one S3 ignores (not `bytes=`, more
 * than one range: the whole object is answered); `{ unsatisfiable }` when no byte of it exists.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | { readonly unsatisfiable: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return { unsatisfiable: 'a suffix range of 0 bytes asks for nothing' };
    return size === 0 ? { unsatisfiable: 'the object is empty' } : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return { unsatisfiable: `it starts at byte ${start}, past the last byte` };
  return { start, end };
}

// ── Listing ─────────────────────────────────────────────────────────────────────────────────

/** Where a listing resumes: after a key or common prefix, skipping the keys under the common prefix it ended on. */
export interface ListCursor {
  readonly after: string;
  readonly skipPrefix?: string;
}

/** The continuation token of a cursor (opaque to clients). */
export function encodeListCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** The cursor of a continuation token; undefined when it is not one Wharf made. */
export function decodeListCursor(token: string): ListCursor | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (value === null || typeof value !== 'object') return undefined;
    const { after, skipPrefix } = value as Record<string, unknown>;
    if (typeof after !== 'string' || (skipPrefix !== undefined && typeof skipPrefix !== 'string')) return undefined;
    return skipPrefix === undefined ? { after } : { after, skipPrefix };
  } catch {
    return undefined;
  }
}

/**
 * One page of a bucket's listing, built from its keys in order: keys under `prefix` are objects,
 * or (with a delimiter) rolled up into the common prefix up to the delimiter's first occurrence
 * after the prefix. Objects and common prefixes together count towards `maxKeys`. Feed it keys
 * with `add` until it answers false (the page is full and more follows) or the keys run out.
 */
export class ListingPage<T> {
  readonly contents: T[] = [];
  readonly commonPrefixes: string[] = [];
  /** Whether more follows this page. */
  truncated = false;
  private cursor: ListCursor | undefined;
  private lastPrefix: string | undefined;

  constructor(
    private readonly prefix: string,
    private readonly delimiter: string,
    private readonly maxKeys: number,
    private readonly skipPrefix?: string,
  ) {}

  /** Takes the next key (in key order) and its entry; false once the page is full (that key is not taken). */
  add(key: string, entry: T): boolean {
    if (this.truncated) return false;
    if (!key.startsWith(this.prefix)) return true;
    if (this.skipPrefix !== undefined && key.startsWith(this.skipPrefix)) return true;
    const at = this.delimiter === '' ? -1 : key.indexOf(this.delimiter, this.prefix.length);
    if (at !== -1) {
      const common = key.slice(0, at + this.delimiter.length);
      if (common === this.lastPrefix) return true;
      if (this.count >= this.maxKeys) return this.full();
      this.commonPrefixes.push(common);
      this.lastPrefix = common;
      this.cursor = { after: common, skipPrefix: common };
      return true;
    }
    if (this.count >= this.maxKeys) return this.full();
    this.contents.push(entry);
    this.cursor = { after: key };
    return true;
  }

  /** Objects and common prefixes on the page. */
  get count(): number {
    return this.contents.length + this.commonPrefixes.length;
  }

  /** Where the next page starts, when this one is truncated. */
  get next(): ListCursor | undefined {
    return this.truncated ? this.cursor : undefined;
  }

  private full(): false {
    this.truncated = true;
    return false;
  }
}

// ── XML ─────────────────────────────────────────────────────────────────────────────────────

/** Text for XML content: the five special characters as entities, carriage returns and other control characters as character references (a parser would drop or refuse them raw). */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"'\r]|[^\t\n\x20-\uffff]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        return `&#x${c.charCodeAt(0).toString(16)};`;
    }
  });
}

/** An XML element: text content (escaped), nested elements, or a list of both. */
export type XmlContent = string | number | boolean | XmlNode | readonly XmlContent[] | undefined;
export interface XmlNode {
  readonly name: string;
  readonly content: XmlContent;
}

/** An element; undefined content makes nothing (an optional element left out). */
export const el = (name: string, content: XmlContent): XmlNode => ({ name, content });

function render(content: XmlContent): string {
  if (content === undefined) return '';
  if (Array.isArray(content)) return (content as readonly XmlContent[]).map(render).join('');
  if (typeof content === 'object') {
    const node = content as XmlNode;
    return node.content === undefined ? '' : `<${node.name}>${render(node.content)}</${node.name}>`;
  }
  return xmlEscape(String(content));
}

/** A whole XML document: the declaration and the root element in S3's namespace. */
export function xmlDocument(root: string, content: XmlContent, namespace = true): string {
  const attribute = namespace ? ` xmlns="${S3_XML_NAMESPACE}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${attribute}>${render(content)}</${root}>`;
}

/** S3's time format in XML: ISO 8601 with milliseconds. */
export const xmlTime = (ms: number): string => new Date(ms).toISOString();

/** S3's error document. */
export function errorXml(error: { code: string; message: string; resource: string; requestId: string; extra?: Readonly<Record<string, string>> }): string {
  const extra = Object.entries(error.extra ?? {}).map(([name, value]) => el(name, value));
  return xmlDocument('Error', [el('Code', error.code), el('Message', error.message), ...extra, el('Resource', error.resource), el('RequestId', error.requestId)], false);
}

/** The owner every listing names: the account (one owner here). */
export interface S3Owner {
  readonly id: string;
  readonly displayName: string;
}

const ownerXml = (owner: S3Owner) => [el('ID', owner.id), el('DisplayName', owner.displayName)];

/** ListBuckets' answer. */
export function listBucketsXml(owner: S3Owner, buckets: readonly { name: string; createdAt: number; region: string }[]): string {
  return xmlDocument('ListAllMyBucketsResult', [
    el('Owner', ownerXml(owner)),
    el('Buckets', buckets.map((b) => el('Bucket', [el('Name', b.name), el('CreationDate', xmlTime(b.createdAt)), el('BucketRegion', b.region)]))),
  ]);
}

/** One object as a listing shows it. */
export interface ListedObject {
  readonly key: string;
  readonly lastModified: number;
  readonly etag: string;
  readonly size: number;
}

/** What both ListObjects versions answer. */
export interface ListingXmlInput {
  readonly bucket: string;
  readonly prefix: string;
  readonly delimiter: string;
  readonly maxKeys: number;
  /** `url`: keys, prefixes and the delimiter URL-encoded, as the client asked. */
  readonly encodingType?: 'url';
  readonly contents: readonly ListedObject[];
  readonly commonPrefixes: readonly string[];
  readonly truncated: boolean;
  readonly owner?: S3Owner;
}

/** S3's `encoding-type=url`: each character but unreserved ones and `/` percent-encoded (botocore decodes with unquote). */
export function urlEncodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function listingParts(input: ListingXmlInput): { contents: XmlNode[]; prefixes: XmlNode[]; encode: (s: string) => string } {
  const encode = input.encodingType === 'url' ? urlEncodeKey : (s: string) => s;
  const contents = input.contents.map((o) =>
    el('Contents', [el('Key', encode(o.key)), el('LastModified', xmlTime(o.lastModified)), el('ETag', o.etag), el('Size', o.size), el('StorageClass', 'STANDARD'), input.owner ? el('Owner', ownerXml(input.owner)) : undefined]),
  );
  const prefixes = input.commonPrefixes.map((p) => el('CommonPrefixes', el('Prefix', encode(p))));
  return { contents, prefixes, encode };
}

/** ListObjectsV2's answer. */
export function listObjectsV2Xml(input: ListingXmlInput & { continuationToken?: string; nextContinuationToken?: string; startAfter?: string }): string {
  const { contents, prefixes, encode } = listingParts(input);
  return xmlDocument('ListBucketResult', [
    el('Name', input.bucket),
    el('Prefix', encode(input.prefix)),
    input.delimiter === '' ? undefined : el('Delimiter', encode(input.delimiter)),
    el('MaxKeys', input.maxKeys),
    el('KeyCount', input.contents.length + input.commonPrefixes.length),
    el('IsTruncated', input.truncated),
    input.encodingType ? el('EncodingType', input.encodingType) : undefined,
    input.continuationToken === undefined ? undefined : el('ContinuationToken', input.continuationToken),
    input.nextContinuationToken === undefined ? undefined : el('NextContinuationToken', input.nextContinuationToken),
    input.startAfter === undefined ? undefined : el('StartAfter', encode(input.startAfter)),
    contents,
    prefixes,
  ]);
}

/** ListObjects' (version 1) answer. */
export function listObjectsXml(input: ListingXmlInput & { marker: string; nextMarker?: string }): string {
  const { contents, prefixes, encode } = listingParts(input);
  return xmlDocument('ListBucketResult', [
    el('Name', input.bucket),
    el('Prefix', encode(input.prefix)),
    el('Marker', encode(input.marker)),
    input.nextMarker === undefined ? undefined : el('NextMarker', encode(input.nextMarker)),
    el('MaxKeys', input.maxKeys),
    input.delimiter === '' ? undefined : el('Delimiter', encode(input.delimiter)),
    el('IsTruncated', input.truncated),
    input.encodingType ? el('EncodingType', input.encodingType) : undefined,
    contents,
    prefixes,
  ]);
}

/** GetBucketLocation's answer: empty for us-east-1, as S3 answers. */
export function locationXml(region: string): string {
  return xmlDocument('LocationConstraint', region === 'us-east-1' ? [] : region);
}

/** CreateMultipartUpload's answer. */
export function initiateMultipartUploadXml(bucket: string, key: string, uploadId: string): string {
  return xmlDocument('InitiateMultipartUploadResult', [el('Bucket', bucket), el('Key', key), el('UploadId', uploadId)]);
}

/** CompleteMultipartUpload's answer. */
export function completeMultipartUploadXml(location: string, bucket: string, key: string, etag: string): string {
  return xmlDocument('CompleteMultipartUploadResult', [el('Location', location), el('Bucket', bucket), el('Key', key), el('ETag', etag)]);
}

/** ListParts' answer (one page: every part). */
export function listPartsXml(input: {
  bucket: string;
  key: string;
  uploadId: string;
  owner: S3Owner;
  maxParts: number;
  marker: number;
  parts: readonly { partNumber: number; lastModified: number; etag: string; size: number }[];
  truncated: boolean;
}): string {
  const last = input.parts.at(-1);
  return xmlDocument('ListPartsResult', [
    el('Bucket', input.bucket),
    el('Key', input.key),
    el('UploadId', input.uploadId),
    el('Initiator', ownerXml(input.owner)),
    el('Owner', ownerXml(input.owner)),
    el('StorageClass', 'STANDARD'),
    el('PartNumberMarker', input.marker),
    el('NextPartNumberMarker', last?.partNumber ?? input.marker),
    el('MaxParts', input.maxParts),
    el('IsTruncated', input.truncated),
    input.parts.map((p) => el('Part', [el('PartNumber', p.partNumber), el('LastModified', xmlTime(p.lastModified)), el('ETag', p.etag), el('Size', p.size)])),
  ]);
}

/** The multipart ETag of parts with these ETags (quoted MD5 hex): the MD5 of the parts' binary MD5s, then `-<number of parts>`, quoted. */
export function multipartEtag(partEtags: readonly string[]): string {
  const digests = partEtags.map((etag) => Buffer.from(etag.replace(/"/g, ''), 'hex'));
  return `"${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${partEtags.length}"`;
}

/** An ETag as clients send it back (quoted or not, any case) in its stored form (quoted, lower case). */
export function normaliseEtag(etag: string): string {
  return `"${etag.trim().replace(/^"|"$/g, '').toLowerCase()}"`;
}
