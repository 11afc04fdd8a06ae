/**
 * S3's buckets and objects over the artifact store (the S3 API's controller functions; the routes
 * are `api/aws/s3.ts`). An object is a row of the store's (bucket, key) index naming content in the
 * artifact store by SHA-256: the bytes are written there first (hashed, size-limited, counted
 * against the quota), then the row in one transaction, so a failed upload leaves no object.
 *
 * Content is shared: two objects, or an object and an application version, with the same bytes
 * name one artifact. Deleting an object or completing a multipart upload only drops rows; content
 * that nothing names any more (no object, no part of an upload in progress, no version) is removed
 * by the leader's sweep a day after it was last written (`removeUnusedBundles` in controller.ts),
 * so deleting an object never breaks a version built from the same bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import type { BucketRecord, MultipartUploadRecord, ObjectMetadata, ObjectRecord, PartRecord } from '../../model/s3.js';
import { bucketNameProblem, ListingPage, MAX_KEY_BYTES, MIN_PART_BYTES, multipartEtag, normaliseEtag } from '../../model/api/aws/s3.js';
import { wharfError } from '../../model/errors.js';
import type { Store } from '../../store/store.js';
import type { RequestMeta } from '../request.js';
import type { PlatformContext } from './context.js';

/** What the bucket functions use of the platform's context. */
export type BucketContext = Pick<PlatformContext, 'store' | 'artifacts' | 'arnScope'>;

/** Most buckets one account may have (S3's default quota is far higher; buckets here are rows, but not without bound). */
export const MAX_BUCKETS = 1000;
/** Objects read from the store at a time while a listing is built. */
const LIST_BATCH = 1000;

/** The bucket, or WHARF_E_NO_SUCH_BUCKET. */
export async function requireBucket(ctx: Pick<BucketContext, 'store'>, bucketName: string): Promise<BucketRecord> {
  const found = await ctx.store.s3.getBucket(bucketName);
  if (!found) throw wharfError('WHARF_E_NO_SUCH_BUCKET', { bucket: bucketName });
  return found;
}

/** CreateBucket: a valid name, not taken, within the bucket quota. */
export async function createBucket(ctx: BucketContext, bucketName: string, region: string | undefined, meta: RequestMeta): Promise<BucketRecord> {
  const problem = bucketNameProblem(bucketName);
  if (problem !== undefined) throw wharfError('WHARF_E_INVALID_BUCKET_NAME', { bucket: JSON.stringify(bucketName.slice(0, 80)), reason: problem });
  const record: BucketRecord = { bucketName, region: region ?? ctx.arnScope.region, createdAt: meta.now };
  await ctx.store.transaction(async (tx) => {
    const count = await tx.s3.countBuckets();
    if (count >= MAX_BUCKETS && !(await tx.s3.getBucket(bucketName))) throw wharfError('WHARF_E_TOO_MANY_BUCKETS', { count });
    if (!(await tx.s3.insertBucket(record))) throw wharfError('WHARF_E_BUCKET_EXISTS', { bucket: bucketName });
  });
  return record;
}

/** The bucket, created first when it does not exist (Elastic Beanstalk's CreateStorageLocation). */
export async function ensureBucket(ctx: BucketContext, bucketName: string, meta: RequestMeta): Promise<BucketRecord> {
  const found = await ctx.store.s3.getBucket(bucketName);
  if (found) return found;
  try {
    return await createBucket(ctx, bucketName, undefined, meta);
  } catch (error) {
    // Another call made it in between: it is there now.
    const made = await ctx.store.s3.getBucket(bucketName);
    if (made) return made;
    throw error;
  }
}

/** ListBuckets: every bucket, by name. */
export function listBuckets(ctx: Pick<BucketContext, 'store'>): Promise<BucketRecord[]> {
  return ctx.store.s3.listBuckets();
}

/** DeleteBucket: only an empty one; its multipart uploads in progress go with it. */
export async function deleteBucket(ctx: Pick<BucketContext, 'store'>, bucketName: string): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.s3.getBucket(bucketName))) throw wharfError('WHARF_E_NO_SUCH_BUCKET', { bucket: bucketName });
    if (await tx.s3.hasObjects(bucketName)) throw wharfError('WHARF_E_BUCKET_NOT_EMPTY', { bucket: bucketName });
    await tx.s3.deleteBucket(bucketName);
  });
}

/** A key S3 would take: at most MAX_KEY_BYTES of UTF-8. */
function checkKey(key: string): void {
  const length = Buffer.byteLength(key, 'utf8');
  if (length > MAX_KEY_BYTES) throw wharfError('WHARF_E_KEY_TOO_LONG', { length, limit: MAX_KEY_BYTES });
}

/** Content-MD5 as sent (base64 of 16 bytes) in hex; WHARF_E_INVALID_DIGEST when it is not one. */
export function contentMd5Hex(header: string): string {
  const bytes = /^[A-Za-z0-9+/]{22}==$/.test(header.trim()) ? Buffer.from(header.trim(), 'base64') : Buffer.alloc(0);
  if (bytes.length !== 16) throw wharfError('WHARF_E_INVALID_DIGEST', { declared: JSON.stringify(header.slice(0, 60)) });
  return bytes.toString('hex');
}

/** What an upload (PutObject, UploadPart) sends. */
export interface UploadBody {
  /** The decoded bytes (aws-chunked already undone). */
  readonly body: Readable;
  /** Content-MD5 in hex, when sent (checked against the bytes). */
  readonly md5?: string;
  /** The x-amz-content-sha256 signed, when it is a hash (checked against the bytes). */
  readonly expectedSha256?: string;
}

/** Stores the bytes in the artifact store, their MD5 computed on the way; the Content-MD5 sent must match. */
async function storeContent(ctx: BucketContext, upload: UploadBody): Promise<{ sha256: string; size: number; md5: string }> {
  const md5 = createHash('md5');
  const through = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      md5.update(chunk);
      callback(null, chunk);
    },
  });
  upload.body.on('error', (error) => through.destroy(error));
  upload.body.pipe(through);
  const stored = await ctx.artifacts.put(through, upload.expectedSha256 === undefined ? {} : { expectedSha256: upload.expectedSha256 });
  const received = md5.digest('hex');
  // The artifact stays unnamed and goes with the sweep: no object names it.
  if (upload.md5 !== undefined && upload.md5 !== received) throw wharfError('WHARF_E_BAD_DIGEST', { declared: Buffer.from(upload.md5, 'hex').toString('base64'), received: Buffer.from(received, 'hex').toString('base64') });
  return { ...stored, md5: received };
}

/** PutObject: the bytes into the artifact store, then the object's row (replacing the key's object). */
export async function putObject(
  ctx: BucketContext,
  input: UploadBody & { readonly bucket: string; readonly key: string; readonly contentType: string; readonly metadata: ObjectMetadata },
  meta: RequestMeta,
): Promise<ObjectRecord> {
  checkKey(input.key);
  await requireBucket(ctx, input.bucket);
  const stored = await storeContent(ctx, input);
  const record: ObjectRecord = {
    bucketName: input.bucket,
    key: input.key,
    size: stored.size,
    etag: `"${stored.md5}"`,
    contentType: input.contentType,
    metadata: input.metadata,
    lastModified: meta.now,
    sha256: stored.sha256,
  };
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.s3.getBucket(input.bucket))) throw wharfError('WHARF_E_NO_SUCH_BUCKET', { bucket: input.bucket });
    await tx.s3.putObject(record);
  });
  return record;
}

/** The object, or WHARF_E_NO_SUCH_BUCKET / WHARF_E_NO_SUCH_KEY. */
export async function requireObject(ctx: Pick<BucketContext, 'store'>, bucket: string, key: string): Promise<ObjectRecord> {
  const found = await ctx.store.s3.getObject(bucket, key);
  if (found) return found;
  await requireBucket(ctx, bucket);
  throw wharfError('WHARF_E_NO_SUCH_KEY', { bucket, key });
}

/** GetObject, HeadObject: the object and its content's file. */
export async function getObject(ctx: BucketContext, bucket: string, key: string): Promise<{ object: ObjectRecord; file: string }> {
  const object = await requireObject(ctx, bucket, key);
  return { object, file: ctx.artifacts.path(object.sha256) };
}

/** DeleteObject: the key's row goes (none there is no error, as S3's); the content stays while anything else names it. */
export async function deleteObject(ctx: Pick<BucketContext, 'store'>, bucket: string, key: string): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.s3.getBucket(bucket))) throw wharfError('WHARF_E_NO_SUCH_BUCKET', { bucket });
    await tx.s3.deleteObject(bucket, key);
  });
}

/** One page of a bucket's listing (ListObjects, ListObjectsV2): keys under `prefix` after `after`, rolled up at `delimiter`. */
export async function listObjects(
  ctx: Pick<BucketContext, 'store'>,
  query: { readonly bucket: string; readonly prefix: string; readonly delimiter: string; readonly maxKeys: number; readonly after: string; readonly skipPrefix?: string },
): Promise<ListingPage<ObjectRecord>> {
  await requireBucket(ctx, query.bucket);
  const page = new ListingPage<ObjectRecord>(query.prefix, query.delimiter, query.maxKeys, query.skipPrefix);
  if (query.maxKeys === 0) return page;
  let after = query.after;
  for (;;) {
    const rows = await ctx.store.s3.listObjects({ bucketName: query.bucket, prefix: query.prefix, after, limit: LIST_BATCH });
    for (const row of rows) if (!page.add(row.key, row)) return page;
    const last = rows.at(-1);
    if (rows.length < LIST_BATCH || last === undefined) return page;
    after = last.key;
  }
}

// ── Multipart uploads ─────────────────────────────────────────────────────────────────────────

/** CreateMultipartUpload: a new upload id for the key. */
export async function createMultipartUpload(
  ctx: BucketContext,
  input: { readonly bucket: string; readonly key: string; readonly contentType: string; readonly metadata: ObjectMetadata },
  meta: RequestMeta,
): Promise<MultipartUploadRecord> {
  checkKey(input.key);
  const record: MultipartUploadRecord = { uploadId: randomBytes(24).toString('base64url'), bucketName: input.bucket, key: input.key, contentType: input.contentType, metadata: input.metadata, initiatedAt: meta.now };
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.s3.getBucket(input.bucket))) throw wharfError('WHARF_E_NO_SUCH_BUCKET', { bucket: input.bucket });
    await tx.s3.insertUpload(record);
  });
  return record;
}

/** The upload of this bucket and key, or WHARF_E_NO_SUCH_BUCKET / WHARF_E_NO_SUCH_UPLOAD. */
async function requireUpload(store: Pick<Store, 's3'>, bucket: string, key: string, uploadId: string): Promise<MultipartUploadRecord> {
  const found = await store.s3.getUpload(uploadId);
  if (found && found.bucketName === bucket && found.key === key) return found;
  if (!(await store.s3.getBucket(bucket))) throw wharfError('WHARF_E_NO_SUCH_BUCKET', { bucket });
  throw wharfError('WHARF_E_NO_SUCH_UPLOAD', { uploadId: uploadId.slice(0, 80), bucket, key });
}

/** UploadPart: the part's bytes into the artifact store, then its row (replacing a part of the same number). */
export async function uploadPart(
  ctx: BucketContext,
  input: UploadBody & { readonly bucket: string; readonly key: string; readonly uploadId: string; readonly partNumber: number },
  meta: RequestMeta,
): Promise<PartRecord> {
  await requireUpload(ctx.store, input.bucket, input.key, input.uploadId);
  const stored = await storeContent(ctx, input);
  const part: PartRecord = { uploadId: input.uploadId, partNumber: input.partNumber, size: stored.size, etag: `"${stored.md5}"`, sha256: stored.sha256, lastModified: meta.now };
  await ctx.store.transaction(async (tx) => {
    await requireUpload(tx, input.bucket, input.key, input.uploadId);
    await tx.s3.putPart(part);
  });
  return part;
}

/** The parts CompleteMultipartUpload names, as sent. */
export interface CompletedPart {
  readonly partNumber: number;
  readonly etag: string;
}

/** Checks the parts named against those uploaded; the uploaded records in the order named. Nothing is changed. */
export function chooseParts(uploadId: string, named: readonly CompletedPart[], uploaded: readonly PartRecord[]): PartRecord[] {
  if (named.length === 0) throw wharfError('WHARF_E_MALFORMED_XML', { operation: 'CompleteMultipartUpload', reason: 'it names no Part' });
  const byNumber = new Map(uploaded.map((p) => [p.partNumber, p]));
  const chosen: PartRecord[] = [];
  named.forEach((part, index) => {
    const before = named[index - 1];
    if (before !== undefined && before.partNumber >= part.partNumber) throw wharfError('WHARF_E_INVALID_PART_ORDER', { reason: `part ${part.partNumber} comes after part ${before.partNumber}` });
    const found = byNumber.get(part.partNumber);
    if (!found) throw wharfError('WHARF_E_INVALID_PART', { part: part.partNumber, uploadId: uploadId.slice(0, 80), reason: 'was never uploaded' });
    if (normaliseEtag(part.etag) !== found.etag) throw wharfError('WHARF_E_INVALID_PART', { part: part.partNumber, uploadId: uploadId.slice(0, 80), reason: `has the ETag ${found.etag}, not ${JSON.stringify(part.etag.slice(0, 80))}` });
    chosen.push(found);
  });
  chosen.slice(0, -1).forEach((part) => {
    if (part.size < MIN_PART_BYTES) throw wharfError('WHARF_E_ENTITY_TOO_SMALL', { part: part.partNumber, size: part.size, min: MIN_PART_BYTES });
  });
  return chosen;
}

/** The parts' content in order, one file after another. */
function concatenated(files: readonly string[]): Readable {
  return Readable.from(
    (async function* () {
      for (const file of files) yield* createReadStream(file);
    })(),
  );
}

/**
 * CompleteMultipartUpload: the parts named (in ascending order, ETags as uploaded, each but the
 * last at least 5 MiB) joined into one artifact, then the object's row, the upload and its parts'
 * rows gone, in one transaction. The parts' own content goes with the sweep.
 */
export async function completeMultipartUpload(
  ctx: BucketContext,
  input: { readonly bucket: string; readonly key: string; readonly uploadId: string; readonly parts: readonly CompletedPart[] },
  meta: RequestMeta,
): Promise<ObjectRecord> {
  const upload = await requireUpload(ctx.store, input.bucket, input.key, input.uploadId);
  const chosen = chooseParts(input.uploadId, input.parts, await ctx.store.s3.listParts(input.uploadId));
  const stored = await ctx.artifacts.put(concatenated(chosen.map((part) => ctx.artifacts.path(part.sha256))));
  const record: ObjectRecord = {
    bucketName: input.bucket,
    key: input.key,
    size: stored.size,
    etag: multipartEtag(chosen.map((part) => part.etag)),
    contentType: upload.contentType,
    metadata: upload.metadata,
    lastModified: meta.now,
    sha256: stored.sha256,
  };
  await ctx.store.transaction(async (tx) => {
    await requireUpload(tx, input.bucket, input.key, input.uploadId);
    await tx.s3.putObject(record);
    await tx.s3.deleteUpload(input.uploadId);
  });
  return record;
}

/** AbortMultipartUpload: the upload and its parts' rows go; their content goes with the sweep. */
export async function abortMultipartUpload(ctx: Pick<BucketContext, 'store'>, input: { readonly bucket: string; readonly key: string; readonly uploadId: string }): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    await requireUpload(tx, input.bucket, input.key, input.uploadId);
    await tx.s3.deleteUpload(input.uploadId);
  });
}

/** ListParts: the upload and its parts, by number. */
export async function listParts(ctx: Pick<BucketContext, 'store'>, input: { readonly bucket: string; readonly key: string; readonly uploadId: string }): Promise<{ upload: MultipartUploadRecord; parts: PartRecord[] }> {
  const upload = await requireUpload(ctx.store, input.bucket, input.key, input.uploadId);
  return { upload, parts: await ctx.store.s3.listParts(input.uploadId) };
}

/** Every artifact S3 names (objects, and parts of uploads in progress): the sweep keeps them. */
export async function contentInUse(store: Pick<Store, 's3'>): Promise<string[]> {
  return store.s3.referencedContent();
}
