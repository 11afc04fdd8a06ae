import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { WharfError } from './errors.js';
import type { ErrorCode } from './errors.js';
import { parseSignedRequest, sha256Hex, verifySignature } from './sigv4.js';
import type { SignedClaim } from './sigv4.js';
import {
  AwsChunkedParser,
  checksumBase64,
  chunkSignature,
  decodedBody,
  MAX_CHUNK_BYTES,
  MAX_CHUNK_LINE_BYTES,
  MIN_SIGNED_CHUNK_BYTES,
  payloadSigningOf,
  STREAMING_SIGNED_PAYLOAD,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
} from './sigv4-chunked.js';
import type { ChecksumAlgorithm, ChunkChain, ChunkedFraming } from './sigv4-chunked.js';

// ── AWS's published example ("Example: PUT Object", S3 API reference, sigv4-streaming) ───────

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const AWS_TIME = Date.UTC(2013, 4, 24, 0, 0, 0);
const AWS_SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
/** 64 KiB of 'a', 1 KiB of 'a', the final chunk: their signatures as AWS publishes them. */
const AWS_CHUNKS = [
  { size: 65536, signature: 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648' },
  { size: 1024, signature: '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497' },
  { size: 0, signature: 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9' },
] as const;
const AWS_HEADERS = {
  host: 's3.amazonaws.com',
  'x-amz-date': '20130524T000000Z',
  'x-amz-storage-class': 'REDUCED_REDUNDANCY',
  authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${AWS_SEED}`,
  'x-amz-content-sha256': STREAMING_SIGNED_PAYLOAD,
  'content-encoding': 'aws-chunked',
  'x-amz-decoded-content-length': '66560',
  'content-length': '66824',
};

/** The example's body on the wire, byte for byte. */
function awsBody(): Buffer {
  return Buffer.concat(AWS_CHUNKS.map(({ size, signature }) => Buffer.concat([Buffer.from(`${size.toString(16)};chunk-signature=${signature}\r\n`), Buffer.alloc(size, 'a'), Buffer.from('\r\n')])));
}

function awsClaim(): SignedClaim {
  const parsed = parseSignedRequest('PUT', '/examplebucket/chunkObject.txt', AWS_HEADERS);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.claim;
}

/** The example's framing, as the server reads it from the request's headers and verified seed. */
function awsFraming(): ChunkedFraming {
  const signing = payloadSigningOf(AWS_HEADERS, awsClaim(), AWS_SECRET);
  assert.equal(signing.kind, 'chunked');
  return signing.framing;
}

function chainOf(framing: ChunkedFraming): ChunkChain {
  assert.equal(framing.kind, 'signed');
  return framing.chain;
}

test("AWS's example: the seed signature verifies, and each chunk's signature is AWS's figure", () => {
  const claim = awsClaim();
  const verified = verifySignature(claim, { method: 'PUT', rawUrl: '/examplebucket/chunkObject.txt', headers: AWS_HEADERS, payloadHash: STREAMING_SIGNED_PAYLOAD }, AWS_SECRET, 's3', AWS_TIME);
  assert.deepEqual(verified, { ok: true });
  const chain = chainOf(awsFraming());
  assert.equal(chain.seedSignature, AWS_SEED);
  assert.equal(chain.scope, '20130524/us-east-1/s3/aws4_request');
  let previous = AWS_SEED;
  for (const { size, signature } of AWS_CHUNKS) {
    assert.equal(chunkSignature(chain, previous, sha256Hex(Buffer.alloc(size, 'a'))), signature, `the signature of the ${size}-byte chunk`);
    previous = signature;
  }
});

test("AWS's example: the AWS SDK's own signer (SignatureV4.sign of a message) gives the same chunk signatures", async () => {
  const signer = new SignatureV4({ credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: AWS_SECRET }, region: 'us-east-1', service: 's3', sha256: Sha256 });
  let priorSignature = AWS_SEED;
  for (const { size, signature } of AWS_CHUNKS) {
    const signed = await signer.sign({ message: { headers: {}, body: Buffer.alloc(size, 'a') }, priorSignature }, { signingDate: new Date(AWS_TIME) });
    assert.equal(signed.signature, signature, `the SDK's signature of the ${size}-byte chunk`);
    priorSignature = signed.signature;
  }
});

test("AWS's example: the body (66,824 bytes) decodes to the 66,560 bytes of 'a', whole or a byte at a time", () => {
  const body = awsBody();
  assert.equal(body.length, 66824, 'the Content-Length the example gives');
  const whole = decodeAll(awsFraming(), [body]);
  assert.deepEqual(whole, Buffer.alloc(66560, 'a'));
  const parser = new AwsChunkedParser(awsFraming());
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset++) pieces.push(...parser.write(body.subarray(offset, offset + 1)));
  parser.end();
  assert.deepEqual(Buffer.concat(pieces), whole);
});

// ── Helpers: framing bodies by the published algorithm ───────────────────────────────────────

/** Decodes `pieces` (as received) in one parser, ending the body. */
function decodeAll(framing: ChunkedFraming, pieces: readonly Uint8Array[]): Buffer {
  const parser = new AwsChunkedParser(framing);
  const out: Buffer[] = [];
  for (const piece of pieces) out.push(...parser.write(piece));
  parser.end();
  return Buffer.concat(out);
}

/** A signed aws-chunked body of `chunks` (the final chunk of size 0 added), chained from the chain's seed. */
function signedBody(chain: ChunkChain, chunks: readonly Uint8Array[]): Buffer {
  let previous = chain.seedSignature;
  const parts: Buffer[] = [];
  for (const data of [...chunks, new Uint8Array(0)]) {
    previous = chunkSignature(chain, previous, sha256Hex(data));
    parts.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${previous}\r\n`), Buffer.from(data), Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** An unsigned aws-chunked body of `chunks` with its checksum trailer (`value` to send another). */
function trailerBody(algorithm: ChecksumAlgorithm, chunks: readonly Uint8Array[], value = checksumBase64(algorithm, Buffer.concat(chunks))): Buffer {
  const parts = chunks.flatMap((data) => [Buffer.from(`${data.length.toString(16)}\r\n`), Buffer.from(data), Buffer.from('\r\n')]);
  return Buffer.concat([...parts, Buffer.from(`0\r\nx-amz-checksum-${algorithm}:${value}\r\n\r\n`)]);
}

/** A signed framing under AWS's example key for `decodedLength` bytes. */
function signedFraming(decodedLength: number): ChunkedFraming & { kind: 'signed' } {
  return { kind: 'signed', decodedLength, chain: chainOf(awsFraming()) };
}

/** `data` cut into chunks of the sizes given, cycling; the rest in a last chunk. */
function chunksOf(data: Buffer, sizes: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0, index = 0; offset < data.length; index++) {
    const size = Math.max(1, sizes[index % sizes.length] ?? data.length);
    chunks.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/** `body` cut at the (sorted, distinct) offsets given. */
function splitAt(body: Buffer, cuts: readonly number[]): Buffer[] {
  const offsets = [...new Set(cuts.map((cut) => cut % (body.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const offset of [...offsets, body.length]) {
    pieces.push(body.subarray(start, offset));
    start = offset;
  }
  return pieces;
}

/** The catalogue code `run` throws. */
function codeOf(run: () => unknown): ErrorCode {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof WharfError, `a catalogue error, not ${String(error)}`);
    return error.code;
  }
  assert.fail('expected a catalogue error');
}

// ── Properties ───────────────────────────────────────────────────────────────────────────────

test('any split of a signed body into network pieces decodes to the same bytes', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 0, maxLength: 3 * MIN_SIGNED_CHUNK_BYTES }),
      fc.array(fc.integer({ min: MIN_SIGNED_CHUNK_BYTES, max: 2 * MIN_SIGNED_CHUNK_BYTES }), { minLength: 1, maxLength: 3 }),
      fc.array(fc.nat(), { maxLength: 40 }),
      (bytes, sizes, cuts) => {
        const data = Buffer.from(bytes);
        const framing = signedFraming(data.length);
        const body = signedBody(framing.chain, chunksOf(data, sizes));
        assert.deepEqual(decodeAll(framing, splitAt(body, cuts)), data);
      },
    ),
    { numRuns: 150 },
  );
});

test('any split of an unsigned body with a checksum trailer, in chunks of any size, decodes to the same bytes', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 0, maxLength: 2000 }),
      fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.nat(), { maxLength: 40 }),
      fc.constantFrom<ChecksumAlgorithm>('crc32', 'crc32c', 'sha1', 'sha256'),
      (bytes, sizes, cuts, algorithm) => {
        const data = Buffer.from(bytes);
        const body = trailerBody(algorithm, chunksOf(data, sizes));
        assert.deepEqual(decodeAll({ kind: 'unsigned-trailer', decodedLength: data.length, checksum: algorithm }, splitAt(body, cuts)), data);
      },
    ),
    { numRuns: 200 },
  );
});

test('a body cut short anywhere is incomplete, never decoded whole', () => {
  const data = Buffer.alloc(2 * MIN_SIGNED_CHUNK_BYTES + 100, 'x');
  const framing = signedFraming(data.length);
  const body = signedBody(framing.chain, chunksOf(data, [MIN_SIGNED_CHUNK_BYTES]));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: body.length - 1 }), (length) => {
      assert.equal(codeOf(() => decodeAll(framing, [body.subarray(0, length)])), 'WHARF_E_INCOMPLETE_BODY');
    }),
    { numRuns: 200 },
  );
});

test('any changed byte of a signed body refuses it, and no data of that chunk or after is handed on', () => {
  const data = Buffer.from(Array.from({ length: 2 * MIN_SIGNED_CHUNK_BYTES + 50 }, (_, index) => index % 251));
  const framing = signedFraming(data.length);
  const body = signedBody(framing.chain, chunksOf(data, [MIN_SIGNED_CHUNK_BYTES]));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: body.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, flip) => {
      const changed = Buffer.from(body);
      changed[index] = (changed[index] as number) ^ flip;
      const parser = new AwsChunkedParser(framing);
      const out: Buffer[] = [];
      assert.throws(() => {
        for (const piece of splitAt(changed, [index])) out.push(...parser.write(piece));
        parser.end();
      }, WharfError);
      const handedOn = Buffer.concat(out);
      assert.deepEqual(handedOn, data.subarray(0, handedOn.length), 'only bytes of chunks verified before the change');
      // Only a change after the last data chunk's data (its CRLF, the final chunk) comes once all the data is handed on.
      if (index < body.length - 88) assert.ok(handedOn.length < data.length, 'not the whole body');
    }),
    { numRuns: 300 },
  );
});

// ── Failure cases ────────────────────────────────────────────────────────────────────────────

test("a tampered chunk of AWS's example is refused by number, before its data is handed on", () => {
  const body = awsBody();
  const tampered = Buffer.from(body);
  tampered[body.indexOf('\r\n') + 2 + 65536 + 2 + 100 + 86] = 'b'.charCodeAt(0); // inside chunk 2's data
  const parser = new AwsChunkedParser(awsFraming());
  const first = parser.write(tampered.subarray(0, 65626));
  assert.equal(Buffer.concat(first).length, 65536, 'chunk 1 is verified and handed on');
  assert.throws(() => parser.write(tampered.subarray(65626)), (error: WharfError) => {
    assert.equal(error.code, 'WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH');
    assert.equal(error.context['chunk'], 2);
    assert.match(error.message, /chunk 2 of the aws-chunked upload/);
    return true;
  });
  assert.throws(() => parser.write(Buffer.from('more')), WharfError, 'a failed parser takes nothing more');
  assert.throws(() => parser.end(), WharfError);
});

test('chunks in another order, or signed with another secret, are refused', () => {
  const data = Buffer.alloc(2 * MIN_SIGNED_CHUNK_BYTES, 'q');
  data.fill('r', MIN_SIGNED_CHUNK_BYTES);
  const framing = signedFraming(data.length);
  const [one = Buffer.alloc(0), two = Buffer.alloc(0)] = chunksOf(data, [MIN_SIGNED_CHUNK_BYTES]);
  const body = signedBody(framing.chain, [one, two]);
  const framed = `2000;chunk-signature=${'0'.repeat(64)}\r\n`.length + MIN_SIGNED_CHUNK_BYTES + 2;
  const swapped = Buffer.concat([body.subarray(framed, 2 * framed), body.subarray(0, framed), body.subarray(2 * framed)]);
  assert.equal(codeOf(() => decodeAll(framing, [swapped])), 'WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH');
  const otherKey = { ...framing.chain, signingKey: Buffer.alloc(32, 1) };
  assert.equal(codeOf(() => decodeAll(framing, [signedBody(otherKey, [one, two])])), 'WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH');
  const otherSeed = { ...framing.chain, seedSignature: 'f'.repeat(64) };
  assert.equal(codeOf(() => decodeAll(framing, [signedBody(otherSeed, [one, two])])), 'WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH');
});

test('the final chunk is signed too: a forged or missing one is refused', () => {
  const data = Buffer.alloc(100, 'z');
  const framing = signedFraming(data.length);
  const body = signedBody(framing.chain, [data]);
  const forged = Buffer.from(body.toString('latin1').replace(/0;chunk-signature=[0-9a-f]{64}\r\n\r\n$/, `0;chunk-signature=${'0'.repeat(64)}\r\n\r\n`), 'latin1');
  assert.equal(codeOf(() => decodeAll(framing, [forged])), 'WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH');
  const withoutFinal = body.subarray(0, body.lastIndexOf('0;chunk-signature='));
  assert.equal(codeOf(() => decodeAll(framing, [withoutFinal])), 'WHARF_E_INCOMPLETE_BODY');
});

test('the decoded length must be the declared one: fewer bytes are incomplete, more are malformed', () => {
  const data = Buffer.alloc(2 * MIN_SIGNED_CHUNK_BYTES, 'm');
  const chain = signedFraming(0).chain;
  const body = signedBody(chain, chunksOf(data, [MIN_SIGNED_CHUNK_BYTES]));
  assert.equal(codeOf(() => decodeAll({ kind: 'signed', decodedLength: data.length + 1, chain }, [body])), 'WHARF_E_INCOMPLETE_BODY');
  assert.equal(codeOf(() => decodeAll({ kind: 'signed', decodedLength: data.length - 1, chain }, [body])), 'WHARF_E_CHUNKED_BODY_MALFORMED');
  const unsigned = trailerBody('crc32', [data]);
  assert.equal(codeOf(() => decodeAll({ kind: 'unsigned-trailer', decodedLength: data.length + 5, checksum: 'crc32' }, [unsigned])), 'WHARF_E_INCOMPLETE_BODY');
  assert.equal(codeOf(() => decodeAll({ kind: 'unsigned-trailer', decodedLength: 3, checksum: 'crc32' }, [unsigned])), 'WHARF_E_CHUNKED_BODY_MALFORMED');
});

test('malformed framing is refused with the reason: long or bad size lines, bare LF, oversized or small chunks, extra data, bytes after the end', () => {
  const framing = signedFraming(3 * MIN_SIGNED_CHUNK_BYTES);
  const signature = 'a'.repeat(64);
  const cases: [what: string, body: string | Buffer, reason: RegExp][] = [
    ['a size line without end', `1000;chunk-signature=${'a'.repeat(MAX_CHUNK_LINE_BYTES)}`, /longer than 256 bytes/],
    ['a size line that is no number', `zz;chunk-signature=${signature}\r\n`, /chunk 1 begins with "zz;chunk-signature=/],
    ['a size line without a signature', '2000\r\n', /not <hex size>;chunk-signature=<64 hex digits>/],
    ['a signature in upper case', `2000;chunk-signature=${signature.toUpperCase()}\r\n`, /chunk 1 begins with/],
    ['a line ending with LF alone', `2000;chunk-signature=${signature}\n`, /ends with LF alone/],
    ['a chunk over the bound', `${(MAX_CHUNK_BYTES + 1).toString(16)};chunk-signature=${signature}\r\n`, /at most 16777216/],
    ['a small chunk that is not the last', `100;chunk-signature=${signature}\r\n`, /chunk 1 holds 256 bytes; every signed chunk but the last holds at least 8192/],
  ];
  for (const [what, body, reason] of cases) {
    assert.throws(() => new AwsChunkedParser(framing).write(Buffer.from(body)), (error: WharfError) => error.code === 'WHARF_E_CHUNKED_BODY_MALFORMED' && reason.test(error.message), what);
  }
  // A chunk with more data than its size line says: its CRLF is not where it should be.
  const chain = framing.chain;
  const data = Buffer.alloc(10, 'd');
  const valid = signedBody(chain, [data]);
  const longer = Buffer.from(valid.toString('latin1').replace('dddddddddd\r\n', 'dddddddddddd\r\n'), 'latin1');
  assert.equal(codeOf(() => decodeAll({ kind: 'signed', decodedLength: 10, chain }, [longer])), 'WHARF_E_CHUNKED_BODY_MALFORMED');
  // Anything after the final chunk's empty line.
  assert.equal(codeOf(() => decodeAll({ kind: 'signed', decodedLength: 10, chain }, [valid, Buffer.from('x')])), 'WHARF_E_CHUNKED_BODY_MALFORMED');
  const notEmpty = Buffer.concat([valid.subarray(0, valid.length - 2), Buffer.from('junk\r\n')]);
  assert.equal(codeOf(() => decodeAll({ kind: 'signed', decodedLength: 10, chain }, [notEmpty])), 'WHARF_E_CHUNKED_BODY_MALFORMED');
});

test('the checksum trailer: a wrong value is BadDigest; a missing, unknown or repeated trailer is malformed', () => {
  const data = Buffer.from('a source bundle, unsigned but checked');
  const framing: ChunkedFraming = { kind: 'unsigned-trailer', decodedLength: data.length, checksum: 'crc32c' };
  assert.throws(() => decodeAll(framing, [trailerBody('crc32c', [data], 'AAAAAA==')]), (error: WharfError) => {
    assert.equal(error.code, 'WHARF_E_CHECKSUM_MISMATCH');
    assert.match(error.message, /The x-amz-checksum-crc32c trailer says AAAAAA==, but the body received has /);
    return true;
  });
  const chunk = `${data.length.toString(16)}\r\n${data.toString('latin1')}\r\n0\r\n`;
  const good = `x-amz-checksum-crc32c:${checksumBase64('crc32c', data)}\r\n`;
  assert.equal(codeOf(() => decodeAll(framing, [Buffer.from(`${chunk}\r\n`)])), 'WHARF_E_CHUNKED_BODY_MALFORMED');
  assert.equal(codeOf(() => decodeAll(framing, [Buffer.from(`${chunk}x-amz-checksum-crc32:AAAAAA==\r\n\r\n`)])), 'WHARF_E_CHUNKED_BODY_MALFORMED');
  assert.equal(codeOf(() => decodeAll(framing, [Buffer.from(`${chunk}${good}${good}\r\n`)])), 'WHARF_E_CHUNKED_BODY_MALFORMED');
  assert.equal(codeOf(() => decodeAll(framing, [Buffer.from(`${chunk}${good}`)])), 'WHARF_E_INCOMPLETE_BODY', 'no empty line after the trailer');
  assert.deepEqual(decodeAll(framing, [Buffer.from(`${chunk}${good}\r\n`)]), data);
  assert.equal(codeOf(() => decodeAll(framing, [Buffer.from(`${data.length.toString(16)};chunk-signature=${'a'.repeat(64)}\r\n`)])), 'WHARF_E_CHUNKED_BODY_MALFORMED', 'an unsigned body has no signatures');
});

test('checksums are the ones S3 gives: the check values of CRC-32 and CRC-32C, and the CRC-32C of AWS\'s trailer example', () => {
  const check = Buffer.from('123456789');
  assert.equal(checksumBase64('crc32', check), Buffer.from('cbf43926', 'hex').toString('base64'));
  assert.equal(checksumBase64('crc32c', check), Buffer.from('e3069283', 'hex').toString('base64'));
  assert.equal(checksumBase64('crc32c', Buffer.alloc(66560, 'a')), 'sOO8/Q==');
  assert.equal(checksumBase64('sha256', Buffer.alloc(0)), Buffer.from(sha256Hex(''), 'hex').toString('base64'));
});

// ── How the payload is signed, from the headers ─────────────────────────────────────────────

test('payloadSigningOf: a hash, UNSIGNED-PAYLOAD or nothing, the two streaming kinds Wharf takes, and a clear refusal of the rest', () => {
  const claim = awsClaim();
  const hash = sha256Hex('bundle');
  assert.deepEqual(payloadSigningOf({ 'x-amz-content-sha256': hash }, claim, AWS_SECRET), { kind: 'sha256', sha256: hash });
  assert.deepEqual(payloadSigningOf({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, claim, AWS_SECRET), { kind: 'unsigned' });
  assert.deepEqual(payloadSigningOf({}, claim, AWS_SECRET), { kind: 'unsigned' });
  const trailer = { 'x-amz-content-sha256': STREAMING_UNSIGNED_PAYLOAD_TRAILER, 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '12', 'x-amz-trailer': 'x-amz-checksum-crc32' };
  assert.deepEqual(payloadSigningOf(trailer, claim, AWS_SECRET), { kind: 'chunked', framing: { kind: 'unsigned-trailer', decodedLength: 12, checksum: 'crc32' } });

  const refusals: [headers: Record<string, string | string[]>, reason: RegExp][] = [
    [{ 'x-amz-content-sha256': hash.toUpperCase() }, /is neither a SHA-256 in lower-case hex nor a payload signing Wharf knows/],
    [{ 'x-amz-content-sha256': 'not-a-hash' }, /'not-a-hash' is neither/],
    [{ 'x-amz-content-sha256': [hash, hash] }, /more than once/],
    [{ ...AWS_HEADERS, 'content-encoding': 'gzip' }, /needs Content-Encoding: aws-chunked/],
    [{ ...AWS_HEADERS, 'x-amz-decoded-content-length': undefined as unknown as string }, /needs x-amz-decoded-content-length/],
    [{ ...AWS_HEADERS, 'x-amz-decoded-content-length': '-1' }, /must be a whole number of bytes, not '-1'/],
    [{ ...AWS_HEADERS, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' }, /signed chunks with a signed trailer are not taken/],
    [{ ...AWS_HEADERS, 'x-amz-content-sha256': 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD' }, /Signature Version 4A \(ECDSA\) is not taken/],
    [{ ...trailer, 'x-amz-trailer': 'x-amz-checksum-crc64nvme' }, /x-amz-trailer to name one checksum trailer, one of x-amz-checksum-crc32, x-amz-checksum-crc32c, x-amz-checksum-sha1, x-amz-checksum-sha256, not 'x-amz-checksum-crc64nvme'/],
    [{ ...trailer, 'x-amz-trailer': undefined as unknown as string }, /x-amz-trailer to name one checksum trailer/],
  ];
  for (const [headers, reason] of refusals) {
    assert.throws(() => payloadSigningOf(headers, claim, AWS_SECRET), (error: WharfError) => error.code === 'WHARF_E_PAYLOAD_SIGNING_UNSUPPORTED' && reason.test(error.message), String(reason));
  }
  assert.throws(() => payloadSigningOf(AWS_HEADERS, { ...claim, presigned: true }, AWS_SECRET), /a presigned URL cannot carry a streamed upload/);
  const mixedCase = payloadSigningOf({ ...AWS_HEADERS, 'content-encoding': 'AWS-Chunked, gzip' }, claim, AWS_SECRET);
  assert.equal(mixedCase.kind, 'chunked', 'aws-chunked is found among the codings, in any case');
});

// ── The stream ───────────────────────────────────────────────────────────────────────────────

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

test("decodedBody streams AWS's example decoded; a plain body is passed as it is", async () => {
  const body = awsBody();
  const signing = payloadSigningOf(AWS_HEADERS, awsClaim(), AWS_SECRET);
  const source = Readable.from(splitAt(body, [1, 500, 65600, 66000]), { objectMode: false });
  assert.deepEqual(await collect(decodedBody(source, signing)), Buffer.alloc(66560, 'a'));
  const plain = Readable.from([Buffer.from('as is')]);
  assert.equal(decodedBody(plain, { kind: 'unsigned' }), plain);
});

test('decodedBody fails on a bad chunk and leaves the body itself open; an error of the body fails it too', async () => {
  const body = Buffer.from(awsBody());
  body[70] = 'b'.charCodeAt(0); // inside chunk 1's data
  const signing = payloadSigningOf(AWS_HEADERS, awsClaim(), AWS_SECRET);
  const source = new Readable({ read() {} });
  source.push(body);
  const decoded = decodedBody(source, signing);
  await assert.rejects(collect(decoded), (error: WharfError) => error.code === 'WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH');
  assert.equal(source.destroyed, false, 'the request is left for the server to answer');

  const broken = new Readable({ read() {} });
  const decodedBroken = decodedBody(broken, signing);
  broken.destroy(new Error('client went away'));
  await assert.rejects(collect(decodedBroken), /client went away/);

  const cut = new Readable({ read() {} });
  cut.push(awsBody().subarray(0, 1000));
  cut.push(null);
  await assert.rejects(collect(decodedBody(cut, signing)), (error: WharfError) => error.code === 'WHARF_E_INCOMPLETE_BODY');
});
