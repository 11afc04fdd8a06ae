/**
 * S3's REST-XML API, path-style, on the API port: buckets and objects over the artifact store
 * (`platform/buckets.ts`). One catch-all route in a scope of its own takes every S3 call
 * (`request.s3`, recognised by `s3-endpoint.ts`) and hands it to its operation's handler here;
 * anything else that reaches it (`/v1/<no such route>`) is the native 404.
 *
 * Bodies are never parsed by fastify: the scope's one content-type parser hands over the raw
 * stream, uploads go to the artifact store as they arrive (decoded from aws-chunked, each chunk
 * checked), and the small XML bodies are read here, checked against the hash they were signed with.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { S3Operation, S3Request } from '../../../model/api/aws/s3.js';
import {
  completeMultipartUploadXml,
  decodeListCursor,
  encodeListCursor,
  initiateMultipartUploadXml,
  listBucketsXml,
  listObjectsV2Xml,
  listObjectsXml,
  listPartsXml,
  locationXml,
  MAX_LIST_KEYS,
  MAX_PART_NUMBER,
  parseRange,
  urlEncodeKey,
} from '../../../model/api/aws/s3.js';
import type { S3Owner } from '../../../model/api/aws/s3.js';
import { parseCompleteMultipartUpload, parseCreateBucketConfiguration } from '../../../model/api/aws/s3-xml.js';
import { wharfError } from '../../../model/errors.js';
import type { ObjectMetadata, ObjectRecord } from '../../../model/s3.js';
import { sha256Hex } from '../../../model/sigv4.js';
import { decodedBody } from '../../../model/sigv4-chunked.js';
import type { PayloadSigning } from '../../../model/sigv4-chunked.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  contentMd5Hex,
  createBucket,
  createMultipartUpload,
  deleteBucket,
  deleteObject,
  getObject,
  listBuckets,
  listObjects,
  listParts,
  putObject,
  requireBucket,
  uploadPart,
} from '../../platform/buckets.js';
import type { UploadBody } from '../../platform/buckets.js';
import type { PlatformContext } from '../../platform/context.js';

/** Largest XML body taken (CompleteMultipartUpload of 10,000 parts is about 1 MiB). */
export const MAX_XML_BODY_BYTES = 2 * 1024 * 1024;
/** User metadata (`x-amz-meta-*` names and values) at most, in bytes: S3's limit. */
export const MAX_METADATA_BYTES = 2 * 1024;
/** The content type S3 gives an object uploaded without one. */
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

type Handler = (ctx: PlatformContext, call: S3Request & { bucket: string }, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const meta = (request: FastifyRequest) => ({ requestId: request.id, now: Date.now() });

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** How the body is signed (read by authentication once the request's signature held; unsigned only with authentication off, in the benchmark). */
function payloadOf(request: FastifyRequest): PayloadSigning {
  const payload: PayloadSigning | undefined = request.call ? request.call.payload : { kind: 'unsigned' };
  if (!payload) throw new Error('an S3 call ran without its payload signing: the authentication hooks must read it first');
  return payload;
}

/** The request's body, decoded: the raw stream (the request itself when no parser ran), aws-chunked undone. */
function bodyOf(request: FastifyRequest): Readable {
  const raw = request.body instanceof Readable ? request.body : request.raw;
  return decodedBody(raw, payloadOf(request));
}

/** A small body (XML) whole, checked against its signed hash; over MAX_XML_BODY_BYTES refused. */
async function smallBody(request: FastifyRequest): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  const body = bodyOf(request);
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_XML_BODY_BYTES) {
      body.destroy();
      throw wharfError('WHARF_E_BODY_TOO_LARGE', { limit: MAX_XML_BODY_BYTES });
    }
    parts.push(chunk);
  }
  const bytes = Buffer.concat(parts);
  const payload = payloadOf(request);
  if (payload.kind === 'sha256' && sha256Hex(bytes) !== payload.sha256) throw wharfError('WHARF_E_PAYLOAD_HASH_MISMATCH', { declared: payload.sha256, received: sha256Hex(bytes) });
  return bytes;
}

/** What an upload sends: its decoded bytes, Content-MD5 and signed hash. */
function uploadOf(request: FastifyRequest): UploadBody {
  const md5 = header(request, 'content-md5');
  const checkedMd5 = md5 === undefined ? undefined : contentMd5Hex(md5);
  const payload = payloadOf(request);
  return { body: bodyOf(request), ...(checkedMd5 === undefined ? {} : { md5: checkedMd5 }), ...(payload.kind === 'sha256' ? { expectedSha256: payload.sha256 } : {}) };
}

/** The `x-amz-meta-*` headers, names in lower case; over MAX_METADATA_BYTES refused. */
function metadataOf(request: FastifyRequest): ObjectMetadata {
  const metadata: Record<string, string> = {};
  let size = 0;
  for (const [name, value] of Object.entries(request.headers)) {
    if (!name.startsWith('x-amz-meta-') || typeof value !== 'string') continue;
    const key = name.slice('x-amz-meta-'.length);
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
    metadata[key] = value;
  }
  if (size > MAX_METADATA_BYTES) {
    throw wharfError('WHARF_E_VALIDATION', { summary: `The user metadata (x-amz-meta-* headers) takes ${size} bytes, more than S3's ${MAX_METADATA_BYTES}` }, { errors: [{ field: 'x-amz-meta-*', message: `At most ${MAX_METADATA_BYTES} bytes of names and values` }] });
  }
  return metadata;
}

/** A whole-number query parameter from `min` to `max` (`fallback` when absent), else WHARF_E_VALIDATION naming it. */
function integerParameter(call: S3Request, name: string, min: number, max: number, fallback: number): number {
  const text = call.query[name];
  if (text === undefined) return fallback;
  const value = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    const message = `A whole number from ${min} to ${max}`;
    throw wharfError('WHARF_E_VALIDATION', { summary: `The query parameter ${name} is ${JSON.stringify(text.slice(0, 40))}: it must be ${message.toLowerCase()}` }, { errors: [{ field: name, message }] });
  }
  return value;
}

function requiredParameter(call: S3Request, name: string): string {
  const value = call.query[name];
  if (value === undefined || value === '') throw wharfError('WHARF_E_VALIDATION', { summary: `The query parameter ${name} is missing` }, { errors: [{ field: name, message: 'Required' }] });
  return value;
}

function encodingTypeOf(call: S3Request): 'url' | undefined {
  const value = call.query['encoding-type'];
  if (value === undefined) return undefined;
  if (value.toLowerCase() === 'url') return 'url';
  throw wharfError('WHARF_E_VALIDATION', { summary: `The encoding-type ${JSON.stringify(value.slice(0, 40))} is not one S3 has` }, { errors: [{ field: 'encoding-type', message: "The one encoding type is 'url'" }] });
}

function ownerOf(ctx: PlatformContext): S3Owner {
  return { id: ctx.arnScope.accountId, displayName: 'wharf' };
}

/** The headers GetObject and HeadObject answer with. */
function objectHeaders(reply: FastifyReply, object: ObjectRecord, call: S3Request): void {
  void reply
    .header('etag', object.etag)
    .header('last-modified', new Date(object.lastModified).toUTCString())
    .header('accept-ranges', 'bytes')
    .header('content-type', call.query['response-content-type'] ?? object.contentType);
  for (const name of ['content-disposition', 'content-encoding', 'content-language', 'cache-control', 'expires']) {
    const override = call.query[`response-${name}`];
    if (override !== undefined) void reply.header(name, override);
  }
  for (const [name, value] of Object.entries(object.metadata)) void reply.header(`x-amz-meta-${name}`, value);
}

/** GetObject and HeadObject: the object, whole or the one range asked for. */
async function serveObject(ctx: PlatformContext, call: S3Request & { bucket: string }, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const key = call.key ?? '';
  const { object, file } = await getObject(ctx, call.bucket, key);
  const rangeHeader = header(request, 'range');
  const range = parseRange(rangeHeader, object.size);
  if (range !== undefined && 'unsatisfiable' in range) throw wharfError('WHARF_E_INVALID_RANGE', { range: JSON.stringify((rangeHeader ?? '').slice(0, 80)), key, size: object.size, reason: range.unsatisfiable });
  objectHeaders(reply, object, call);
  const length = range ? range.end - range.start + 1 : object.size;
  void reply.header('content-length', String(length));
  if (range) void reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${object.size}`);
  if (request.method === 'HEAD' || length === 0) return reply.send();
  return reply.send(createReadStream(file, range ? { start: range.start, end: range.end } : {}));
}

/** A listing's prefix, delimiter and page size. */
function listingQuery(call: S3Request) {
  return { prefix: call.query['prefix'] ?? '', delimiter: call.query['delimiter'] ?? '', maxKeys: Math.min(integerParameter(call, 'max-keys', 0, 2_147_483_647, MAX_LIST_KEYS), MAX_LIST_KEYS) };
}

const xml = (reply: FastifyReply, body: string) => reply.type('application/xml').send(body);

const HANDLERS: { readonly [O in Exclude<S3Operation, 'ListBuckets'>]: Handler } = {
  async CreateBucket(ctx, call, request, reply) {
    const body = await smallBody(request);
    const { locationConstraint } = parseCreateBucketConfiguration(body.toString('utf8'));
    await createBucket(ctx, call.bucket, locationConstraint, meta(request));
    return reply.header('location', `/${call.bucket}`).send();
  },
  async HeadBucket(ctx, call, _request, reply) {
    const bucket = await requireBucket(ctx, call.bucket);
    return reply.header('x-amz-bucket-region', bucket.region).send();
  },
  async DeleteBucket(ctx, call, _request, reply) {
    await deleteBucket(ctx, call.bucket);
    return reply.status(204).send();
  },
  async GetBucketLocation(ctx, call, _request, reply) {
    return xml(reply, locationXml((await requireBucket(ctx, call.bucket)).region));
  },
  async ListObjectsV2(ctx, call, _request, reply) {
    const { prefix, delimiter, maxKeys } = listingQuery(call);
    const encodingType = encodingTypeOf(call);
    const token = call.query['continuation-token'];
    const cursor = token === undefined ? undefined : decodeListCursor(token);
    if (token !== undefined && !cursor) throw wharfError('WHARF_E_VALIDATION', { summary: 'The continuation token is not one this bucket listing gave' }, { errors: [{ field: 'continuation-token', message: 'Pass the NextContinuationToken of the page before, as it came' }] });
    const startAfter = call.query['start-after'];
    const page = await listObjects(ctx, { bucket: call.bucket, prefix, delimiter, maxKeys, after: cursor?.after ?? startAfter ?? '', ...(cursor?.skipPrefix === undefined ? {} : { skipPrefix: cursor.skipPrefix }) });
    const next = page.next;
    return xml(
      reply,
      listObjectsV2Xml({
        bucket: call.bucket,
        prefix,
        delimiter,
        maxKeys,
        ...(encodingType ? { encodingType } : {}),
        contents: page.contents,
        commonPrefixes: page.commonPrefixes,
        truncated: page.truncated,
        ...(call.query['fetch-owner'] === 'true' ? { owner: ownerOf(ctx) } : {}),
        ...(token === undefined ? {} : { continuationToken: token }),
        ...(next ? { nextContinuationToken: encodeListCursor(next) } : {}),
        ...(startAfter === undefined ? {} : { startAfter }),
      }),
    );
  },
  async ListObjects(ctx, call, _request, reply) {
    const { prefix, delimiter, maxKeys } = listingQuery(call);
    const encodingType = encodingTypeOf(call);
    const marker = call.query['marker'] ?? '';
    // A marker that is a common prefix (the NextMarker of a page that ended on one) skips the keys it rolled up.
    const skipPrefix = delimiter !== '' && marker.startsWith(prefix) && marker.endsWith(delimiter) ? marker : undefined;
    const page = await listObjects(ctx, { bucket: call.bucket, prefix, delimiter, maxKeys, after: marker, ...(skipPrefix ? { skipPrefix } : {}) });
    const next = page.next;
    return xml(
      reply,
      listObjectsXml({
        bucket: call.bucket,
        prefix,
        delimiter,
        maxKeys,
        ...(encodingType ? { encodingType } : {}),
        contents: page.contents,
        commonPrefixes: page.commonPrefixes,
        truncated: page.truncated,
        owner: ownerOf(ctx),
        marker,
        ...(next ? { nextMarker: next.after } : {}),
      }),
    );
  },
  async PutObject(ctx, call, request, reply) {
    const object = await putObject(ctx, { bucket: call.bucket, key: call.key ?? '', contentType: header(request, 'content-type') ?? DEFAULT_CONTENT_TYPE, metadata: metadataOf(request), ...uploadOf(request) }, meta(request));
    return reply.header('etag', object.etag).send();
  },
  GetObject: serveObject,
  HeadObject: serveObject,
  async DeleteObject(ctx, call, _request, reply) {
    await deleteObject(ctx, call.bucket, call.key ?? '');
    return reply.status(204).send();
  },
  async CreateMultipartUpload(ctx, call, request, reply) {
    const upload = await createMultipartUpload(ctx, { bucket: call.bucket, key: call.key ?? '', contentType: header(request, 'content-type') ?? DEFAULT_CONTENT_TYPE, metadata: metadataOf(request) }, meta(request));
    return xml(reply, initiateMultipartUploadXml(call.bucket, upload.key, upload.uploadId));
  },
  async UploadPart(ctx, call, request, reply) {
    const partNumber = integerParameter(call, 'partNumber', 1, MAX_PART_NUMBER, 0);
    const part = await uploadPart(ctx, { bucket: call.bucket, key: call.key ?? '', uploadId: requiredParameter(call, 'uploadId'), partNumber, ...uploadOf(request) }, meta(request));
    return reply.header('etag', part.etag).send();
  },
  async CompleteMultipartUpload(ctx, call, request, reply) {
    const uploadId = requiredParameter(call, 'uploadId');
    const { parts } = parseCompleteMultipartUpload((await smallBody(request)).toString('utf8'));
    const object = await completeMultipartUpload(ctx, { bucket: call.bucket, key: call.key ?? '', uploadId, parts }, meta(request));
    const location = `${request.protocol}://${header(request, 'host') ?? 'localhost'}/${call.bucket}/${urlEncodeKey(object.key)}`;
    return xml(reply, completeMultipartUploadXml(location, call.bucket, object.key, object.etag));
  },
  async AbortMultipartUpload(ctx, call, _request, reply) {
    await abortMultipartUpload(ctx, { bucket: call.bucket, key: call.key ?? '', uploadId: requiredParameter(call, 'uploadId') });
    return reply.status(204).send();
  },
  async ListParts(ctx, call, _request, reply) {
    const uploadId = requiredParameter(call, 'uploadId');
    const maxParts = Math.min(integerParameter(call, 'max-parts', 0, 2_147_483_647, 1000), 1000);
    const marker = integerParameter(call, 'part-number-marker', 0, MAX_PART_NUMBER, 0);
    const { parts } = await listParts(ctx, { bucket: call.bucket, key: call.key ?? '', uploadId });
    const after = parts.filter((p) => p.partNumber > marker);
    return xml(reply, listPartsXml({ bucket: call.bucket, key: call.key ?? '', uploadId, owner: ownerOf(ctx), maxParts, marker, parts: after.slice(0, maxParts), truncated: after.length > maxParts }));
  },
};

/** Serves S3 on the API port (path-style): every S3 call, in a scope of its own that never parses a body. */
export function registerS3Routes(app: FastifyInstance, ctx: PlatformContext): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const call = request.s3;
      if (!call) throw wharfError('WHARF_E_ROUTE_NOT_FOUND', { method: request.method, url: request.url.split('?')[0] ?? request.url });
      if (!call.operation) throw wharfError('WHARF_E_S3_NOT_IMPLEMENTED', { what: call.unsupported ?? 'this request' });
      void reply.header('x-amz-request-id', request.id);
      if (call.operation === 'ListBuckets') {
        const buckets = await listBuckets(ctx);
        return xml(reply, listBucketsXml(ownerOf(ctx), buckets.map((b) => ({ name: b.bucketName, createdAt: b.createdAt, region: b.region }))));
      }
      if (call.bucket === undefined) throw wharfError('WHARF_E_S3_NOT_IMPLEMENTED', { what: call.operation });
      return HANDLERS[call.operation](ctx, { ...call, bucket: call.bucket }, request, reply);
    };
    // A body is streamed to the artifact store, which enforces its own limits. `POST /` is the
    // JSON and Query protocols' endpoint, never S3's.
    const options = { bodyLimit: Number.MAX_SAFE_INTEGER, exposeHeadRoute: false, handler };
    scope.route({ method: ['GET', 'HEAD', 'PUT', 'DELETE'], url: '/', ...options });
    scope.route({ method: ['GET', 'HEAD', 'PUT', 'DELETE', 'POST'], url: '/*', ...options });
  });
}
