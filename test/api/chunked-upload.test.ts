// PUT /v1/elasticbeanstalk/bundles in aws-chunked framing, as S3 takes streamed uploads, against a
// real controller over HTTP: the request and every chunk signed by the AWS SDK's own signer
// (@smithy/signature-v4: `sign(HttpRequest)` for the seed, `sign({ message, priorSignature })` for
// each chunk), so Wharf is judged by AWS's code, not by its own.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { checksumBase64, STREAMING_SIGNED_PAYLOAD, STREAMING_UNSIGNED_PAYLOAD_TRAILER } from '../../src/model/sigv4-chunked.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { credentialsFor } from '../support/signing.js';
import { suiteScope, tempDir } from '../support/temp.js';

const BUNDLES = '/v1/elasticbeanstalk/bundles';
const CHUNK_BYTES = 64 * 1024;

/** A bundle-sized body that is not one byte repeated, so a chunk out of place changes it. */
function bundleBytes(size: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, index) => (index * 31 + seed) % 256));
}

function flipByte(bytes: Buffer, index: number): void {
  bytes.writeUInt8(bytes.readUInt8(index) ^ 1, index);
}

describe('bundle upload in aws-chunked framing (SigV4 streaming)', () => {
  const scope = suiteScope();
  let api: TestController;
  let dataDir: string;
  let signer: SignatureV4;
  before(async () => {
    dataDir = await tempDir(scope);
    api = await startTestController(scope, { dataDir });
    signer = new SignatureV4({ credentials: credentialsFor(api.url)!, region: 'us-east-1', service: 'elasticbeanstalk', sha256: Sha256 });
  });

  const artifacts = () => readdir(path.join(dataDir, 'artifacts')).catch(() => [] as string[]);
  const problem = async (res: Response) => (await res.json()) as { code: string; awsCode?: string; detail: string };

  /** The headers of a streamed upload of `decodedLength` bytes, signed (the seed) by the SDK at `when`. */
  async function seedHeaders(contentSha256: string, decodedLength: number, when: Date, extra: Record<string, string> = {}): Promise<Record<string, string>> {
    const url = new URL(api.url + BUNDLES);
    const request = new HttpRequest({
      method: 'PUT',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/zip',
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': contentSha256,
        'x-amz-decoded-content-length': String(decodedLength),
        ...extra,
      },
    });
    return (await signer.sign(request, { signingDate: when })).headers;
  }

  /** The body of `chunks` with the final chunk, each signed by the SDK in turn from the seed's signature. */
  async function signedChunks(chunks: readonly Buffer[], seed: string, when: Date): Promise<Buffer[]> {
    const framed: Buffer[] = [];
    let priorSignature = seed;
    for (const data of [...chunks, Buffer.alloc(0)]) {
      const { signature } = await signer.sign({ message: { headers: {}, body: data }, priorSignature }, { signingDate: when });
      framed.push(Buffer.concat([Buffer.from(`${data.length.toString(16)};chunk-signature=${signature}\r\n`), data, Buffer.from('\r\n')]));
      priorSignature = signature;
    }
    return framed;
  }

  /** A signed aws-chunked upload of `data` in 64 KiB chunks: its headers and framed chunks, to send or tamper with. */
  async function signedUpload(data: Buffer): Promise<{ headers: Record<string, string>; chunks: Buffer[] }> {
    const when = new Date();
    const headers = await seedHeaders(STREAMING_SIGNED_PAYLOAD, data.length, when);
    const seed = /Signature=([0-9a-f]{64})/.exec(headers['authorization'] ?? '')?.[1];
    assert.ok(seed, 'the SDK signed the request');
    const pieces: Buffer[] = [];
    for (let offset = 0; offset < data.length; offset += CHUNK_BYTES) pieces.push(data.subarray(offset, offset + CHUNK_BYTES));
    return { headers, chunks: await signedChunks(pieces, seed, when) };
  }

  function put(headers: Record<string, string>, body: Buffer | ReadableStream<Uint8Array>): Promise<Response> {
    return fetch(api.url + BUNDLES, { method: 'PUT', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  }

  /** Asserts the answer names the decoded bytes, and that they (and only they) are stored. */
  async function assertStored(res: Response, data: Buffer, what: string): Promise<void> {
    const text = await res.text();
    assert.equal(res.status, 200, `${what}: ${text}`);
    const answer = JSON.parse(text) as { SourceBundle: { S3Key: string }; Size: number };
    assert.equal(answer.SourceBundle.S3Key, createHash('sha256').update(data).digest('hex'), `${what}: the key is the SHA-256 of the decoded bytes`);
    assert.equal(answer.Size, data.length, `${what}: the size is x-amz-decoded-content-length`);
    assert.deepEqual(await readFile(path.join(dataDir, 'artifacts', answer.SourceBundle.S3Key)), data, `${what}: the artifact holds the decoded bytes, no framing`);
    assert.deepEqual((await artifacts()).filter((name) => name.startsWith('.tmp-')), [], `${what}: no temporary file is left`);
  }

  /** Asserts the upload was refused with `code` and left the artifact folder as it was. */
  async function assertRefused(res: Response, status: number, code: string, awsCode: string, storedBefore: readonly string[]): Promise<void> {
    const body = await problem(res);
    assert.equal(res.status, status, `${body.code}: ${body.detail}`);
    assert.equal(body.code, code, body.detail);
    assert.equal(body.awsCode, awsCode);
    assert.deepEqual(await artifacts(), storedBefore, 'nothing was stored, and no temporary file is left');
    assert.equal((await api.call('GET', '/healthz')).status, 200, 'the controller still answers');
  }

  test('an upload signed chunk by chunk by the AWS SDK is stored as its decoded bytes, with their SHA-256', async () => {
    const data = bundleBytes(3 * CHUNK_BYTES + 1000, 1);
    const { headers, chunks } = await signedUpload(data);
    assert.equal(chunks.length, 5, 'four data chunks and the final one');
    await assertStored(await put(headers, Buffer.concat(chunks)), data, 'sent whole');
  });

  test('the same framing streamed in odd network pieces (Transfer-Encoding: chunked) is stored the same', async () => {
    const data = bundleBytes(2 * CHUNK_BYTES + 7, 2);
    const { headers, chunks } = await signedUpload(data);
    const body = Buffer.concat(chunks);
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= body.length) return controller.close();
        const size = [1, 13, 4093, 70_000][offset % 4] ?? 1;
        controller.enqueue(body.subarray(offset, offset + size));
        offset += size;
      },
    });
    await assertStored(await put(headers, stream), data, 'streamed in pieces');
  });

  test('a tampered chunk is refused with SignatureDoesNotMatch and nothing is stored', async () => {
    const data = bundleBytes(3 * CHUNK_BYTES, 3);
    const { headers, chunks } = await signedUpload(data);
    const before = await artifacts();
    const tampered = chunks.map((chunk) => Buffer.from(chunk));
    flipByte(tampered[1]!, tampered[1]!.indexOf('\r\n') + 100); // a byte of chunk 2's data
    const res = await put(headers, Buffer.concat(tampered));
    await assertRefused(res, 403, 'WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH', 'SignatureDoesNotMatch', before);
  });

  test('a bad first chunk of a large upload is refused while the client is still sending, and nothing is stored', async () => {
    const data = bundleBytes(64 * CHUNK_BYTES, 4); // 4 MiB: far more than the server reads before it refuses
    const { headers, chunks } = await signedUpload(data);
    const before = await artifacts();
    flipByte(chunks[0]!, chunks[0]!.length - 3); // the last byte of chunk 1's data
    await assertRefused(await put(headers, Buffer.concat(chunks)), 403, 'WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH', 'SignatureDoesNotMatch', before);
  });

  test('a body without its final chunk, or with more bytes than declared, is refused and nothing is stored', async () => {
    const data = bundleBytes(CHUNK_BYTES + 10, 5);
    const { headers, chunks } = await signedUpload(data);
    const before = await artifacts();
    await assertRefused(await put(headers, Buffer.concat(chunks.slice(0, -1))), 400, 'WHARF_E_INCOMPLETE_BODY', 'IncompleteBody', before);
    const when = new Date();
    const short = await seedHeaders(STREAMING_SIGNED_PAYLOAD, data.length - 1, when);
    const seed = /Signature=([0-9a-f]{64})/.exec(short['authorization'] ?? '')?.[1] ?? '';
    const framed = await signedChunks([data.subarray(0, CHUNK_BYTES), data.subarray(CHUNK_BYTES)], seed, when);
    await assertRefused(await put(short, Buffer.concat(framed)), 400, 'WHARF_E_CHUNKED_BODY_MALFORMED', 'InvalidRequest', before);
  });

  test('STREAMING-UNSIGNED-PAYLOAD-TRAILER: stored when its checksum trailer holds, BadDigest and nothing stored when not', async () => {
    const data = bundleBytes(100_000, 6);
    const framedWith = (checksum: string) =>
      Buffer.concat([Buffer.from(`${(70_000).toString(16)}\r\n`), data.subarray(0, 70_000), Buffer.from(`\r\n${(30_000).toString(16)}\r\n`), data.subarray(70_000), Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`)]);
    const headers = () => seedHeaders(STREAMING_UNSIGNED_PAYLOAD_TRAILER, data.length, new Date(), { 'x-amz-trailer': 'x-amz-checksum-crc32' });
    await assertStored(await put(await headers(), framedWith(checksumBase64('crc32', data))), data, 'with the right CRC-32');
    const other = bundleBytes(100_000, 7);
    const before = await artifacts();
    await assertRefused(await put(await headers(), framedWith(checksumBase64('crc32', other))), 400, 'WHARF_E_CHECKSUM_MISMATCH', 'BadDigest', before);
  });

  test('a payload signing Wharf does not take is refused by name, signed or not, before anything is read', async () => {
    const before = await artifacts();
    const body = Buffer.from('5\r\nhello\r\n0\r\n\r\n');
    for (const [value, reason] of [
      ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', /signed chunks with a signed trailer are not taken/],
      ['not-a-hash', /'not-a-hash' is neither a SHA-256 in lower-case hex nor a payload signing Wharf knows/],
    ] as const) {
      const res = await put(await seedHeaders(value, 5, new Date()), body);
      assert.equal(res.status, 400, value);
      const answer = await problem(res);
      assert.equal(answer.code, 'WHARF_E_PAYLOAD_SIGNING_UNSUPPORTED');
      assert.equal(answer.awsCode, 'InvalidArgument');
      assert.match(answer.detail, reason);
    }
    const notChunked = await put(await seedHeaders(STREAMING_SIGNED_PAYLOAD, 5, new Date(), { 'content-encoding': 'identity' }), body);
    assert.equal(notChunked.status, 400);
    assert.match((await problem(notChunked)).detail, /needs Content-Encoding: aws-chunked, but the request's Content-Encoding is 'identity'/);
    assert.deepEqual(await artifacts(), before, 'nothing was stored');
  });
});
