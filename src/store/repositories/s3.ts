/**
 * S3's buckets, object index, multipart uploads and parts: JSON documents with the columns the
 * lists, the uniqueness rules and the artifact store's reference count need beside them.
 */
import type { BucketRecord, MultipartUploadRecord, ObjectRecord, PartRecord } from '../../model/s3.js';
import type { SqlExecutor } from '../sql.js';
import type { S3Repository } from '../store.js';

type Doc = { document: string };
const parse = <T>(rows: readonly Doc[]): T[] => rows.map((r) => JSON.parse(r.document) as T);

export function s3Repository(exec: SqlExecutor): S3Repository {
  return {
    async insertBucket(bucket) {
      const result = await exec.run('INSERT INTO s3_buckets (bucket_name, document) VALUES (?, ?) ON CONFLICT (bucket_name) DO NOTHING', [bucket.bucketName, JSON.stringify(bucket)]);
      return result.changes === 1;
    },
    async getBucket(name) {
      return parse<BucketRecord>(await exec.query<Doc>('SELECT document FROM s3_buckets WHERE bucket_name = ?', [name]))[0];
    },
    async listBuckets() {
      return parse<BucketRecord>(await exec.query<Doc>('SELECT document FROM s3_buckets ORDER BY bucket_name'));
    },
    async countBuckets() {
      const [row] = await exec.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM s3_buckets');
      return Number(row?.n ?? 0);
    },
    async deleteBucket(name) {
      await exec.run('DELETE FROM s3_parts WHERE upload_id IN (SELECT upload_id FROM s3_uploads WHERE bucket_name = ?)', [name]);
      await exec.run('DELETE FROM s3_uploads WHERE bucket_name = ?', [name]);
      await exec.run('DELETE FROM s3_buckets WHERE bucket_name = ?', [name]);
    },

    async putObject(object) {
      await exec.run(
        'INSERT INTO s3_objects (bucket_name, object_key, sha256, document) VALUES (?, ?, ?, ?) ON CONFLICT (bucket_name, object_key) DO UPDATE SET sha256 = excluded.sha256, document = excluded.document',
        [object.bucketName, object.key, object.sha256, JSON.stringify(object)],
      );
    },
    async getObject(bucket, key) {
      return parse<ObjectRecord>(await exec.query<Doc>('SELECT document FROM s3_objects WHERE bucket_name = ? AND object_key = ?', [bucket, key]))[0];
    },
    async deleteObject(bucket, key) {
      return (await exec.run('DELETE FROM s3_objects WHERE bucket_name = ? AND object_key = ?', [bucket, key])).changes > 0;
    },
    async listObjects({ bucketName, prefix, after, limit }) {
      // substr and length count characters (code points) in both databases.
      return parse<ObjectRecord>(
        await exec.query<Doc>('SELECT document FROM s3_objects WHERE bucket_name = ? AND object_key > ? AND substr(object_key, 1, ?) = ? ORDER BY object_key LIMIT ?', [
          bucketName,
          after,
          [...prefix].length,
          prefix,
          limit,
        ]),
      );
    },
    async hasObjects(bucket) {
      return (await exec.query('SELECT 1 AS present FROM s3_objects WHERE bucket_name = ? LIMIT 1', [bucket])).length > 0;
    },

    async insertUpload(upload) {
      await exec.run('INSERT INTO s3_uploads (upload_id, bucket_name, document) VALUES (?, ?, ?)', [upload.uploadId, upload.bucketName, JSON.stringify(upload)]);
    },
    async getUpload(id) {
      return parse<MultipartUploadRecord>(await exec.query<Doc>('SELECT document FROM s3_uploads WHERE upload_id = ?', [id]))[0];
    },
    async deleteUpload(id) {
      await exec.run('DELETE FROM s3_parts WHERE upload_id = ?', [id]);
      await exec.run('DELETE FROM s3_uploads WHERE upload_id = ?', [id]);
    },
    async putPart(part) {
      await exec.run(
        'INSERT INTO s3_parts (upload_id, part_number, sha256, document) VALUES (?, ?, ?, ?) ON CONFLICT (upload_id, part_number) DO UPDATE SET sha256 = excluded.sha256, document = excluded.document',
        [part.uploadId, part.partNumber, part.sha256, JSON.stringify(part)],
      );
    },
    async listParts(id) {
      return parse<PartRecord>(await exec.query<Doc>('SELECT document FROM s3_parts WHERE upload_id = ? ORDER BY part_number', [id]));
    },
    async referencedContent() {
      const rows = await exec.query<{ sha256: string }>('SELECT sha256 FROM s3_objects UNION SELECT sha256 FROM s3_parts');
      return rows.map((r) => r.sha256);
    },
  };
}
