/**
 * S3's records over the artifact store: buckets, the (bucket, key) index of objects, and multipart
 * uploads in progress with their parts. The bytes stay in the artifact store, content-addressed:
 * an object or a part names its content by SHA-256, so two objects (or an object and an Elastic
 * Beanstalk version) with the same content share one file.
 */

/** A bucket. One account, so every bucket is the caller's own. */
export interface BucketRecord {
  readonly bucketName: string;
  /** The region it was created for (CreateBucketConfiguration's LocationConstraint, else the controller's). */
  readonly region: string;
  readonly createdAt: number;
}

/** User metadata (`x-amz-meta-<name>` headers), names in lower case. */
export type ObjectMetadata = Readonly<Record<string, string>>;

/** An object: a key of a bucket, naming content in the artifact store. */
export interface ObjectRecord {
  readonly bucketName: string;
  readonly key: string;
  readonly size: number;
  /** The ETag as S3 answers it, quoted: the MD5 of the content in hex, or for a multipart upload the MD5 of the parts' MD5s and `-<parts>`. */
  readonly etag: string;
  readonly contentType: string;
  readonly metadata: ObjectMetadata;
  readonly lastModified: number;
  /** The content's name in the artifact store. */
  readonly sha256: string;
}

/** A multipart upload in progress (CreateMultipartUpload until Complete or Abort). */
export interface MultipartUploadRecord {
  readonly uploadId: string;
  readonly bucketName: string;
  readonly key: string;
  readonly contentType: string;
  readonly metadata: ObjectMetadata;
  readonly initiatedAt: number;
}

/** One uploaded part of a multipart upload; uploading the same number again replaces it. */
export interface PartRecord {
  readonly uploadId: string;
  readonly partNumber: number;
  readonly size: number;
  /** The part's MD5 in hex, quoted. */
  readonly etag: string;
  readonly sha256: string;
  readonly lastModified: number;
}
