/**
 * Streamed uploads signed chunk by chunk (`Content-Encoding: aws-chunked`), as S3 takes them: the
 * request's own signature (the seed) signs the headers, with x-amz-content-sha256 set to
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD; then each chunk of the body carries a signature over its
 * data chained to the one before, so the server checks every chunk as it arrives instead of
 * hashing the whole body first. STREAMING-UNSIGNED-PAYLOAD-TRAILER sends the same framing
 * without signatures, and a checksum of the whole body in a trailer after the last chunk.
 *
 * ```
 * signed:   <hex size>;chunk-signature=<sig>\r\n<data>\r\n … 0;chunk-signature=<sig>\r\n\r\n
 * trailer:  <hex size>\r\n<data>\r\n … 0\r\nx-amz-checksum-crc32:<base64>\r\n\r\n
 *
 * chunk signature = HMAC(signing key, "AWS4-HMAC-SHA256-PAYLOAD\n" + X-Amz-Date + "\n" + scope
 *                        + "\n" + previous signature (the seed's for chunk 1) + "\n" + SHA-256("")
 *                        + "\n" + SHA-256(chunk data))
 * ```
 *
 * `payloadSigningOf` reads how an upload's body is signed from its headers; `decodedBody` turns
 * the body received into the bytes it stands for, failing the stream (with a catalogue error)
 * on a bad signature, bad framing, a truncated body or a length other than the one declared.
 * The parser (`AwsChunkedParser`) is synchronous and pure: bytes in, verified bytes out.
 * See https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { finished, Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { wharfError } from './errors.js';
import { claimSigningKey, UNSIGNED_PAYLOAD } from './sigv4.js';
import type { IncomingHeaders, SignedClaim } from './sigv4.js';

/** x-amz-content-sha256 of a body sent in aws-chunked framing, each chunk signed. */
export const STREAMING_SIGNED_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
/** x-amz-content-sha256 of a body sent in aws-chunked framing, unsigned, with a checksum trailer. */
export const STREAMING_UNSIGNED_PAYLOAD_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
/** The longest line of the framing (a chunk's size line, a trailer line), CRLF included. */
export const MAX_CHUNK_LINE_BYTES = 256;
/** The most data one chunk may hold: a signed chunk is held in memory until its signature is checked. */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** The least data a signed chunk holds, but for the last data chunk (S3's rule): one HMAC per 8 KiB at most. */
export const MIN_SIGNED_CHUNK_BYTES = 8 * 1024;
/** Trailer lines one body may carry (Wharf reads one, the checksum). */
const MAX_TRAILER_LINES = 4;

/** The first line of a chunk's string to sign. */
const CHUNK_ALGORITHM = 'AWS4-HMAC-SHA256-PAYLOAD';
/** SHA-256 of nothing: a chunk has no headers of its own. */
const EMPTY_SHA256 = createHash('sha256').digest('hex');
/** Streaming variants S3 has and Wharf does not take, with the reason it gives. */
const REFUSED_STREAMING: Readonly<Record<string, string>> = {
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': 'signed chunks with a signed trailer are not taken; send the checksum-less STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD': 'Signature Version 4A (ECDSA) is not taken; sign with AWS4-HMAC-SHA256',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER': 'Signature Version 4A (ECDSA) is not taken; sign with AWS4-HMAC-SHA256',
};
const PAYLOAD_HASH = /^[0-9a-f]{64}$/;
const DECODED_LENGTH = /^\d{1,15}$/;
const SIGNED_SIZE_LINE = /^([0-9a-fA-F]{1,16});chunk-signature=([0-9a-f]{64})$/;
const UNSIGNED_SIZE_LINE = /^([0-9a-fA-F]{1,16})$/;
const CR = 0x0d;
const LF = 0x0a;

/** What chains the chunk signatures of one upload: the request's signing key, time, scope and seed signature. */
export interface ChunkChain {
  readonly signingKey: Uint8Array;
  /** X-Amz-Date of the request, `yyyymmddThhmmssZ`. */
  readonly amzDate: string;
  /** `yyyymmdd/region/service/aws4_request`. */
  readonly scope: string;
  /** The request's own signature, which chunk 1 is chained to. */
  readonly seedSignature: string;
}

/** The checksums a STREAMING-UNSIGNED-PAYLOAD-TRAILER body may end with (`x-amz-checksum-<name>`). */
export type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'sha1' | 'sha256';
const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['crc32', 'crc32c', 'sha1', 'sha256'];

/** How an aws-chunked body is framed and checked. */
export type ChunkedFraming =
  | { readonly kind: 'signed'; readonly decodedLength: number; readonly chain: ChunkChain }
  | { readonly kind: 'unsigned-trailer'; readonly decodedLength: number; readonly checksum: ChecksumAlgorithm };

/**
 * How an upload's body is signed: its SHA-256 (checked when it is stored), not at all
 * (UNSIGNED-PAYLOAD), or chunk by chunk in aws-chunked framing.
 */
export type PayloadSigning =
  | { readonly kind: 'sha256'; readonly sha256: string }
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'chunked'; readonly framing: ChunkedFraming };

/** The signature of one chunk, given the one before it (the seed signature for chunk 1) and the SHA-256 of its data in hex. */
export function chunkSignature(chain: ChunkChain, previousSignature: string, dataSha256: string): string {
  const toSign = [CHUNK_ALGORITHM, chain.amzDate, chain.scope, previousSignature, EMPTY_SHA256, dataSha256].join('\n');
  return createHmac('sha256', chain.signingKey).update(toSign, 'utf8').digest('hex');
}

function header(headers: IncomingHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

function unsupported(reason: string): Error {
  return wharfError('WHARF_E_PAYLOAD_SIGNING_UNSUPPORTED', { reason });
}

/** The aws-chunked headers every streamed upload has: the encoding, and the decoded length. */
function decodedLengthOf(headers: IncomingHeaders, declared: string): number {
  const encodings = (header(headers, 'content-encoding') ?? '').split(',').map((coding) => coding.trim().toLowerCase());
  if (!encodings.includes('aws-chunked')) throw unsupported(`x-amz-content-sha256 ${declared} needs Content-Encoding: aws-chunked, but the request's Content-Encoding is '${(header(headers, 'content-encoding') ?? '').slice(0, 60)}'`);
  const length = header(headers, 'x-amz-decoded-content-length');
  if (length === undefined) throw unsupported(`x-amz-content-sha256 ${declared} needs x-amz-decoded-content-length, the size of the body once decoded, and the request has none (or more than one)`);
  if (!DECODED_LENGTH.test(length)) throw unsupported(`x-amz-decoded-content-length must be a whole number of bytes, not '${length.slice(0, 40)}'`);
  return Number(length);
}

function checksumOf(headers: IncomingHeaders): ChecksumAlgorithm {
  const trailer = (header(headers, 'x-amz-trailer') ?? '').trim().toLowerCase();
  const algorithm = CHECKSUM_ALGORITHMS.find((name) => trailer === `x-amz-checksum-${name}`);
  if (algorithm === undefined) {
    const names = CHECKSUM_ALGORITHMS.map((name) => `x-amz-checksum-${name}`).join(', ');
    throw unsupported(`x-amz-content-sha256 ${STREAMING_UNSIGNED_PAYLOAD_TRAILER} needs x-amz-trailer to name one checksum trailer, one of ${names}, not '${trailer.slice(0, 60)}'`);
  }
  return algorithm;
}

/**
 * How an upload's body is signed, from its x-amz-content-sha256 (absent: UNSIGNED-PAYLOAD),
 * for a request whose seed signature `claim` has been verified with `secretAccessKey`. Throws
 * WHARF_E_PAYLOAD_SIGNING_UNSUPPORTED for a value Wharf does not take or a streamed upload
 * without its headers (Content-Encoding: aws-chunked, x-amz-decoded-content-length, and
 * x-amz-trailer for the trailer variant).
 */
export function payloadSigningOf(headers: IncomingHeaders, claim: SignedClaim, secretAccessKey: string): PayloadSigning {
  const declared = headers['x-amz-content-sha256'];
  if (declared === undefined || declared === UNSIGNED_PAYLOAD) return { kind: 'unsigned' };
  if (typeof declared !== 'string') throw unsupported('the request has x-amz-content-sha256 more than once');
  if (PAYLOAD_HASH.test(declared)) return { kind: 'sha256', sha256: declared };
  if (declared === STREAMING_SIGNED_PAYLOAD || declared === STREAMING_UNSIGNED_PAYLOAD_TRAILER) {
    if (claim.presigned) throw unsupported(`a presigned URL cannot carry a streamed upload (${declared}); sign it in the Authorization header`);
    const decodedLength = decodedLengthOf(headers, declared);
    if (declared === STREAMING_UNSIGNED_PAYLOAD_TRAILER) return { kind: 'chunked', framing: { kind: 'unsigned-trailer', decodedLength, checksum: checksumOf(headers) } };
    const { signingKey, scope } = claimSigningKey(claim, secretAccessKey);
    return { kind: 'chunked', framing: { kind: 'signed', decodedLength, chain: { signingKey, amzDate: claim.amzDate, scope, seedSignature: claim.signature } } };
  }
  const refused = REFUSED_STREAMING[declared];
  if (refused !== undefined) throw unsupported(`x-amz-content-sha256 ${declared}: ${refused}`);
  throw unsupported(`x-amz-content-sha256 '${declared.slice(0, 70)}' is neither a SHA-256 in lower-case hex nor a payload signing Wharf knows`);
}

// ── Checksums of the trailer ─────────────────────────────────────────────────────────────────

/** A running checksum: update with the bytes, digest once. */
interface Checksum {
  update(bytes: Uint8Array): void;
  digest(): Buffer;
}

function crcTable(reflectedPolynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ reflectedPolynomial : crc >>> 1;
    table[byte] = crc >>> 0;
  }
  return table;
}

const CRC_TABLES = { crc32: crcTable(0xedb88320), crc32c: crcTable(0x82f63b78) } as const;

/** CRC-32 (IEEE) or CRC-32C (Castagnoli), as S3's checksums give them: four bytes, big-endian. */
function crc(table: Uint32Array): Checksum {
  let crc = 0xffffffff;
  return {
    update(bytes) {
      for (let index = 0; index < bytes.length; index++) crc = (table[(crc ^ (bytes[index] as number)) & 0xff] as number) ^ (crc >>> 8);
    },
    digest() {
      const out = Buffer.alloc(4);
      out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
      return out;
    },
  };
}

function hashChecksum(hash: Hash): Checksum {
  return { update: (bytes) => void hash.update(bytes), digest: () => hash.digest() };
}

/** A running checksum of `algorithm`; `checksumBase64` of bytes is its digest in base64. */
function newChecksum(algorithm: ChecksumAlgorithm): Checksum {
  return algorithm === 'crc32' || algorithm === 'crc32c' ? crc(CRC_TABLES[algorithm]) : hashChecksum(createHash(algorithm));
}

/** The base64 checksum S3 would give `bytes` (the value of an `x-amz-checksum-<algorithm>` header or trailer). */
export function checksumBase64(algorithm: ChecksumAlgorithm, bytes: Uint8Array): string {
  const checksum = newChecksum(algorithm);
  checksum.update(bytes);
  return checksum.digest().toString('base64');
}

// ── The parser ───────────────────────────────────────────────────────────────────────────────

/** What the parser reads next: a line of the framing (which one), or a chunk's data. */
type Expecting = 'size-line' | 'data' | 'data-end' | 'final-end' | 'trailer-line' | 'done';

function malformed(reason: string): Error {
  return wharfError('WHARF_E_CHUNKED_BODY_MALFORMED', { reason });
}

function printable(line: Buffer): string {
  return JSON.stringify(line.subarray(0, 60).toString('latin1'));
}

/**
 * The aws-chunked framing of one body, decoded as it arrives: `write` takes the bytes as they
 * came off the network (split anywhere) and returns the decoded bytes they complete (a signed
 * chunk's data only once its signature holds); `end` says the body is over. Either throws a
 * catalogue error (WHARF_E_CHUNKED_BODY_MALFORMED, WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH,
 * WHARF_E_INCOMPLETE_BODY, WHARF_E_CHECKSUM_MISMATCH), after which the parser takes nothing more.
 * Use `decodedBody` for a stream; the parser is for tests and other framings of the same bytes.
 */
export class AwsChunkedParser {
  private expecting: Expecting = 'size-line';
  /** The bytes of the line being read (a line can arrive in pieces). */
  private line: Buffer[] = [];
  private lineBytes = 0;
  /** The chunk being read: its number (from 1), data still to come, declared signature, data so far. */
  private chunk = 0;
  private remaining = 0;
  private claimedSignature = '';
  private chunkData: Buffer[] = [];
  private chunkHash: Hash | undefined;
  private previousSignature: string;
  private readonly checksum: Checksum | undefined;
  private trailers = new Map<string, string>();
  private failed: Error | undefined;
  /** Decoded bytes handed out (or, signed, verified) so far. */
  decodedBytes = 0;

  constructor(private readonly framing: ChunkedFraming) {
    this.previousSignature = framing.kind === 'signed' ? framing.chain.seedSignature : '';
    this.checksum = framing.kind === 'unsigned-trailer' ? newChecksum(framing.checksum) : undefined;
  }

  /** Feeds the next bytes of the body; returns the decoded bytes they complete, in order. */
  write(bytes: Uint8Array): Buffer[] {
    if (this.failed) throw this.failed;
    try {
      return this.consume(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (error) {
      this.failed = error as Error;
      throw error;
    }
  }

  /** The body is over: throws WHARF_E_INCOMPLETE_BODY unless it ended right after its framing did. */
  end(): void {
    if (this.failed) throw this.failed;
    if (this.expecting === 'done') return;
    const { decodedLength } = this.framing;
    this.failed = wharfError('WHARF_E_INCOMPLETE_BODY', {
      reason: `the body ended ${this.expecting === 'data' ? `inside chunk ${this.chunk}, ` : ''}after ${this.decodedBytes} of the ${decodedLength} bytes x-amz-decoded-content-length declares, before the end of its final chunk of size 0`,
    });
    throw this.failed;
  }

  private consume(bytes: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      if (this.expecting === 'done') throw malformed(`${bytes.length - offset} bytes follow the final chunk`);
      if (this.expecting === 'data') {
        const taken = bytes.subarray(offset, offset + Math.min(this.remaining, bytes.length - offset));
        offset += taken.length;
        this.remaining -= taken.length;
        out.push(...this.takeData(taken));
        if (this.remaining === 0) out.push(...this.endData());
        continue;
      }
      const newline = bytes.indexOf(LF, offset);
      const end = newline === -1 ? bytes.length : newline + 1;
      this.lineBytes += end - offset;
      if (this.lineBytes > MAX_CHUNK_LINE_BYTES) throw malformed(`a line of the framing after chunk ${this.chunk} is longer than ${MAX_CHUNK_LINE_BYTES} bytes`);
      this.line.push(bytes.subarray(offset, end));
      offset = end;
      if (newline === -1) continue;
      const line = Buffer.concat(this.line);
      this.line = [];
      this.lineBytes = 0;
      if (line.length < 2 || line[line.length - 2] !== CR) throw malformed(`a line after chunk ${this.chunk} ends with LF alone; lines end with CRLF`);
      this.readLine(line.subarray(0, line.length - 2));
    }
    return out;
  }

  private readLine(line: Buffer): void {
    switch (this.expecting) {
      case 'size-line':
        return this.readSizeLine(line);
      case 'data-end':
        if (line.length !== 0) throw malformed(`chunk ${this.chunk} has more data than its size line declares (or its data is not followed by CRLF)`);
        this.expecting = 'size-line';
        return;
      case 'final-end':
        if (line.length !== 0) throw malformed(`the final chunk is followed by ${printable(line)} instead of an empty line`);
        this.expecting = 'done';
        return;
      case 'trailer-line':
        return this.readTrailerLine(line);
      default:
        throw malformed(`unexpected line ${printable(line)}`);
    }
  }

  private readSizeLine(line: Buffer): void {
    const text = line.toString('latin1');
    const signed = this.framing.kind === 'signed';
    const match = (signed ? SIGNED_SIZE_LINE : UNSIGNED_SIZE_LINE).exec(text);
    this.chunk += 1;
    if (match === null) {
      const shape = signed ? '<hex size>;chunk-signature=<64 hex digits>' : '<hex size>';
      throw malformed(`chunk ${this.chunk} begins with ${printable(line)}, not ${shape}`);
    }
    const size = parseInt(match[1] as string, 16);
    const { decodedLength } = this.framing;
    if (size > MAX_CHUNK_BYTES) throw malformed(`chunk ${this.chunk} declares ${size} bytes; a chunk holds at most ${MAX_CHUNK_BYTES}`);
    if (this.decodedBytes + size > decodedLength) {
      throw malformed(`chunk ${this.chunk} declares ${size} bytes, which would take the body past the ${decodedLength} bytes x-amz-decoded-content-length declares (${this.decodedBytes} so far)`);
    }
    if (signed && size > 0 && size < MIN_SIGNED_CHUNK_BYTES && this.decodedBytes + size !== decodedLength) {
      throw malformed(`chunk ${this.chunk} holds ${size} bytes; every signed chunk but the last holds at least ${MIN_SIGNED_CHUNK_BYTES}`);
    }
    this.claimedSignature = match[2] ?? '';
    this.remaining = size;
    this.chunkHash = signed ? createHash('sha256') : undefined;
    if (size > 0) {
      this.expecting = 'data';
      return;
    }
    if (this.decodedBytes !== decodedLength) {
      throw wharfError('WHARF_E_INCOMPLETE_BODY', { reason: `the final chunk (size 0, chunk ${this.chunk}) came after ${this.decodedBytes} of the ${decodedLength} bytes x-amz-decoded-content-length declares` });
    }
    this.verifyChunk();
    this.expecting = signed ? 'final-end' : 'trailer-line';
  }

  /** A piece of a chunk's data: kept until the chunk is verified (signed), handed on at once (unsigned). */
  private takeData(data: Buffer): Buffer[] {
    if (this.framing.kind === 'signed') {
      this.chunkHash?.update(data);
      this.chunkData.push(data);
      return [];
    }
    this.checksum?.update(data);
    this.decodedBytes += data.length;
    return [data];
  }

  /** The chunk's data is all there: check its signature and hand it on (signed), then expect its CRLF. */
  private endData(): Buffer[] {
    this.expecting = 'data-end';
    if (this.framing.kind !== 'signed') return [];
    this.verifyChunk();
    const data = this.chunkData;
    this.chunkData = [];
    for (const piece of data) this.decodedBytes += piece.length;
    return data;
  }

  private verifyChunk(): void {
    if (this.framing.kind !== 'signed') return;
    const expected = chunkSignature(this.framing.chain, this.previousSignature, (this.chunkHash ?? createHash('sha256')).digest('hex'));
    if (!timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(this.claimedSignature, 'latin1'))) {
      throw wharfError('WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH', { chunk: this.chunk });
    }
    this.previousSignature = expected;
  }

  private readTrailerLine(line: Buffer): void {
    if (this.framing.kind !== 'unsigned-trailer') throw malformed(`unexpected trailer ${printable(line)}`);
    const name = `x-amz-checksum-${this.framing.checksum}`;
    if (line.length > 0) {
      const text = line.toString('latin1');
      const colon = text.indexOf(':');
      const trailer = colon === -1 ? '' : text.slice(0, colon).trim().toLowerCase();
      if (trailer !== name) throw malformed(`the trailer line ${printable(line)} is not the ${name} trailer x-amz-trailer declares`);
      if (this.trailers.has(trailer)) throw malformed(`the trailer ${name} is sent twice`);
      if (this.trailers.size >= MAX_TRAILER_LINES) throw malformed(`more than ${MAX_TRAILER_LINES} trailer lines`);
      this.trailers.set(trailer, text.slice(colon + 1).trim());
      return;
    }
    const declared = this.trailers.get(name);
    if (declared === undefined) throw malformed(`the body ends without the ${name} trailer x-amz-trailer declares`);
    const received = (this.checksum ?? newChecksum(this.framing.checksum)).digest().toString('base64');
    if (declared !== received) throw wharfError('WHARF_E_CHECKSUM_MISMATCH', { header: name, declared: declared.slice(0, 100), received });
    this.expecting = 'done';
  }
}

/** A stream of the decoded bytes of an aws-chunked body written to it; fails with the parser's error. */
export function chunkedDecoder(framing: ChunkedFraming): Transform {
  const parser = new AwsChunkedParser(framing);
  return new Transform({
    transform(piece: Buffer, _encoding, callback) {
      try {
        for (const decoded of parser.write(piece)) this.push(decoded);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        parser.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/**
 * The bytes an upload's body stands for: the body itself, unless it is aws-chunked, then its
 * decoded bytes, each signed chunk's only once its signature holds. The decoded stream fails on
 * any fault of the framing, and on an error or early close of the body. The body itself is not
 * destroyed when the decoded stream fails or is destroyed: the rest of it is read and dropped, so
 * the server can still answer (a body left paused would stall its keep-alive connection).
 */
export function decodedBody(body: Readable, signing: PayloadSigning): Readable {
  if (signing.kind !== 'chunked') return body;
  const decoder = chunkedDecoder(signing.framing);
  body.pipe(decoder);
  finished(body, { writable: false }, (error) => {
    if (error) decoder.destroy(error);
  });
  decoder.once('close', () => {
    if (body.readableEnded || body.destroyed) return;
    body.unpipe(decoder);
    body.resume();
  });
  return decoder;
}
