/**
 * How an S3 call meets the rest of the API: it is recognised from its method, path and query
 * (`recogniseS3Call`, first thing on every request: anything that is not `/v1/…`, `/healthz`,
 * `/metrics` or `POST /`), the authentication hooks get its IAM action and resource ARNs
 * (`s3SignedCall`: the one table of S3 operations to actions is `S3_ACTIONS`), and its errors are
 * answered as S3's XML (`sendS3Error`). The routes are `s3.ts`; see README.md, "S3".
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { S3Operation, S3Request } from '../../../model/api/aws/s3.js';
import { errorXml, recogniseS3Request, S3_SIGNING_NAME, s3Arn } from '../../../model/api/aws/s3.js';
import { s3ErrorOf } from '../../../model/api/aws/s3-errors.js';
import type { WharfError } from '../../../model/errors.js';
import { wharfError } from '../../../model/errors.js';
import type { CallContext, RouteAction, RouteInput } from '../actions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on S3 calls: errors are then answered as S3's XML. */
    s3?: S3Request;
  }
}

/** Each S3 operation's IAM action, as AWS authorises it (UploadPart and CompleteMultipartUpload are s3:PutObject; HeadObject s3:GetObject; HeadBucket s3:ListBucket). */
export const S3_ACTIONS: { readonly [O in S3Operation]: string } = {
  ListBuckets: 's3:ListAllMyBuckets',
  CreateBucket: 's3:CreateBucket',
  HeadBucket: 's3:ListBucket',
  DeleteBucket: 's3:DeleteBucket',
  GetBucketLocation: 's3:GetBucketLocation',
  ListObjectsV2: 's3:ListBucket',
  ListObjects: 's3:ListBucket',
  PutObject: 's3:PutObject',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  DeleteObject: 's3:DeleteObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListParts: 's3:ListMultipartUploadParts',
};

/** Marks an S3 call. Reads the method, URL and headers only. */
export function recogniseS3Call(request: FastifyRequest): void {
  if (request.aws) return;
  const found = recogniseS3Request(request.method, request.url, (name) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  });
  if (found) request.s3 = found;
}

/** What the authentication hooks need of an S3 call (the shape `awsSignedCall` gives for the JSON protocol). */
export interface S3SignedCall {
  readonly key: string;
  readonly entry: RouteAction;
  readonly service: string;
  readonly input: (request: FastifyRequest) => RouteInput;
  /** An S3 request Wharf does not serve: refused once the signature is checked. */
  readonly unknown?: WharfError;
  /** Every S3 call's body is read by its route, checked against the x-amz-content-sha256 signed (or decoded chunk by chunk). */
  readonly unsignedPayload: true;
}

/** The bucket's ARN, the object's, or `*` for ListBuckets. */
function resourcesOf(call: S3Request): readonly string[] {
  if (call.bucket === undefined) return ['*'];
  const onObject = call.key !== undefined && call.operation !== undefined && !['CreateBucket', 'HeadBucket', 'DeleteBucket', 'GetBucketLocation', 'ListObjectsV2', 'ListObjects'].includes(call.operation);
  return [onObject ? s3Arn(call.bucket, call.key) : s3Arn(call.bucket)];
}

/** s3:prefix, s3:delimiter and s3:max-keys of a listing, as S3 sets them. */
function contextOf(call: S3Request): CallContext {
  const context: Record<string, string> = {};
  for (const name of ['prefix', 'delimiter', 'max-keys']) {
    const value = call.query[name];
    if (value !== undefined) context[`s3:${name}`] = value;
  }
  return context;
}

/** The signed-call view of an S3 call: its action and resources; an unserved request is refused after its signature is checked. */
export function s3SignedCall(call: S3Request): S3SignedCall {
  const action = call.operation ? S3_ACTIONS[call.operation] : 's3:Unsupported';
  const resources = resourcesOf(call);
  const entry: RouteAction = { action, resources: () => resources, context: () => contextOf(call) };
  const input = (): RouteInput => ({ params: {}, query: call.query, body: {} });
  const unknown = call.operation ? undefined : wharfError('WHARF_E_S3_NOT_IMPLEMENTED', { what: call.unsupported ?? 'this request' });
  return { key: `S3 ${call.operation ?? 'Unsupported'}`, entry, service: S3_SIGNING_NAME, input, ...(unknown ? { unknown } : {}), unsignedPayload: true };
}

/** The message an S3 client prints: the catalogue's, with each offending field named. */
function messageOf(error: WharfError): string {
  if (error.errors.length === 0) return error.message;
  return `${error.message.replace(/ Fix the fields listed in `errors` and/, ' Fix them and')} Fields: ${error.errors.map((e) => `${e.field || 'body'}: ${e.message}`).join('; ')}.`;
}

/** Answers an error of an S3 call as S3 does: `<Error>` XML with S3's code and status (no body for HEAD). */
export function sendS3Error(reply: FastifyReply, request: FastifyRequest, error: WharfError, requestId: string): FastifyReply {
  const { code, status } = s3ErrorOf(error.code);
  const call = request.s3;
  const extra: Record<string, string> = {};
  if (call?.bucket !== undefined && (code === 'NoSuchBucket' || code === 'BucketNotEmpty' || code === 'BucketAlreadyOwnedByYou')) extra['BucketName'] = call.bucket;
  if (call?.key !== undefined && code === 'NoSuchKey') extra['Key'] = call.key;
  if (call?.query['uploadId'] !== undefined && code === 'NoSuchUpload') extra['UploadId'] = call.query['uploadId'];
  void reply.status(status).header('x-amz-request-id', requestId);
  if (code === 'InvalidRange' && typeof error.context['size'] === 'number') void reply.header('content-range', `bytes */${error.context['size']}`);
  if (request.method === 'HEAD') return reply.removeHeader('content-type').send();
  const resource = (request.url.split('?')[0] ?? '/').slice(0, 2048);
  return reply.type('application/xml').send(errorXml({ code, message: messageOf(error), resource, requestId, extra }));
}
