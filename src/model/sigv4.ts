/**
 * AWS Signature Version 4: signing a request (the CLI's side) and checking a signed one (the API's
 * side), canonicalised byte for byte as the AWS SDK v3 (`@smithy/signature-v4`) and the AWS CLI do
 * for services other than S3, so that any AWS client can call Wharf with its own signer.
 *
 * Pure: the clock is a parameter and nothing here does I/O. The one state kept is a cache of
 * derived signing keys (a key serves a day), so that a verification computes one HMAC, not five.
 *
 * The server's side runs on every API call, so it reads Node's headers in place (no copy), parses
 * times with arithmetic instead of Date strings, and builds error messages only on failure.
 *
 * ```
 * client: signRequest / presignUrl ──▶ request ──▶ server: parseSignedRequest ─▶ claim
 *                                                          verifySignature(claim, request, secret)
 * ```
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';

/** The one signing algorithm Wharf accepts: the first word of the Authorization header. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** The payload hash of a request whose body is not signed (presigned URLs, streamed uploads). */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** How far a request's X-Amz-Date may be from the server's clock, either way, as in AWS. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;
/** The longest a presigned URL may be valid: one week, AWS's limit for X-Amz-Expires. */
export const MAX_PRESIGN_EXPIRES_SECONDS = 7 * 24 * 60 * 60;

/** The last part of every credential scope. */
const SCOPE_TERMINATOR = 'aws4_request';
/** A payload hash as the signer writes it: SHA-256 in lower-case hex. */
const PAYLOAD_HASH = /^[0-9a-f]{64}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
const AMZ_DATE = /^\d{8}T\d{6}Z$/;
/** A header name as RFC 9110 allows it (a token), in lower case as SignedHeaders lists it. */
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
/** What the debug copy of a canonical request shows instead of a session token. */
const REDACTED = 'REDACTED';

/** The query parameters of a presigned URL. */
const QUERY_AUTH = {
  algorithm: 'X-Amz-Algorithm',
  credential: 'X-Amz-Credential',
  date: 'X-Amz-Date',
  expires: 'X-Amz-Expires',
  signedHeaders: 'X-Amz-SignedHeaders',
  signature: 'X-Amz-Signature',
  securityToken: 'X-Amz-Security-Token',
} as const;
const QUERY_AUTH_NAMES: ReadonlySet<string> = new Set(Object.values(QUERY_AUTH));
/** The query parameters whose presence makes a request presigned. */
const QUERY_AUTH_MARKERS = [QUERY_AUTH.algorithm, QUERY_AUTH.credential, QUERY_AUTH.signature];
/** The session token's header, as Node names it. */
const SECURITY_TOKEN_HEADER = QUERY_AUTH.securityToken.toLowerCase();

/** An access key, as the client signs with it. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** A temporary session's token, sent as X-Amz-Security-Token. */
  readonly sessionToken?: string;
}

/** Where a signature is valid: the region and the service (the signing name, e.g. `ecs`). */
export interface SigningScope {
  readonly region: string;
  readonly service: string;
}

/**
 * What the client signs: the method as it will be sent (upper case), the full URL (path and
 * query), headers in any case, and the payload's SHA-256 in hex (`sha256Hex(body)`) or
 * UNSIGNED_PAYLOAD.
 */
export interface RequestToSign {
  readonly method: string;
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly payloadHash: string;
}

/** Headers as Node's `IncomingMessage.headers` gives them: lower-case names, repeated ones as arrays. */
export type IncomingHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** What a request claims, parsed from the Authorization header or the X-Amz-* query parameters. */
export interface SignedClaim {
  readonly accessKeyId: string;
  /** The credential scope's date, `yyyymmdd`. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  /** The credential scope's last part, which must be `aws4_request`. */
  readonly terminator: string;
  /** The X-Amz-Date header or query parameter, `yyyymmddThhmmssZ`. */
  readonly amzDate: string;
  /** Lower-case header names, in the order the client listed them. */
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** Whether the claim came from the query string (a presigned URL) rather than the Authorization header. */
  readonly presigned: boolean;
  /** X-Amz-Expires of a presigned URL. */
  readonly expiresSeconds?: number;
  readonly sessionToken?: string;
}

/** A parsed claim; or `missing` (no signature of either kind) or `malformed` (one that cannot be read). */
export type ParseResult = { ok: true; claim: SignedClaim } | { ok: false; reason: 'missing' | 'malformed'; message: string };

/** The request as the server received it, to check a claim against. */
export interface ReceivedRequest {
  readonly method: string;
  /** The request target as received: path, then `?` and the query, still percent-encoded. */
  readonly rawUrl: string;
  readonly headers: IncomingHeaders;
  /** SHA-256 hex of the body the server received, or UNSIGNED_PAYLOAD where the route allows it. */
  readonly payloadHash: string;
}

/** AWS's names for why a signed request was refused. */
export type VerifyFailureCode = 'SignatureDoesNotMatch' | 'RequestExpired' | 'IncompleteSignature';

/**
 * Whether the signature holds. A failure's `message` is for the caller; `canonicalRequest` and
 * `stringToSign` (only when the signature itself differs) are what the server signed, for a debug
 * log and for the client to compare with its own: never a secret or the signature, and a session
 * token shows as REDACTED.
 */
export type VerifyResult =
  | { ok: true }
  | { ok: false; code: VerifyFailureCode; message: string; canonicalRequest?: string; stringToSign?: string };

/** SHA-256 of `data` (a string as UTF-8) in lower-case hex: the payload hash of a body. */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

function hmac(key: Uint8Array | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** SHA-256's block size in bytes, to which HMAC pads its key, and its digest size. */
const SHA256_BLOCK_BYTES = 64;
const SHA256_BYTES = 32;

/** An HMAC-SHA256 key made ready (RFC 2104): the key padded to a block, XOR ipad (0x36) and XOR opad (0x5c). */
interface PaddedKey {
  /** The key itself (for signers that take a key, as the chunks of a streamed upload). */
  readonly key: Buffer;
  readonly inner: Buffer;
  readonly outer: Buffer;
}

function paddedKey(key: Buffer): PaddedKey {
  const block = Buffer.alloc(SHA256_BLOCK_BYTES);
  (key.length > SHA256_BLOCK_BYTES ? hash('sha256', key, 'buffer') : key).copy(block);
  const inner = Buffer.alloc(SHA256_BLOCK_BYTES);
  const outer = Buffer.alloc(SHA256_BLOCK_BYTES);
  for (let i = 0; i < SHA256_BLOCK_BYTES; i++) {
    inner[i] = (block[i] as number) ^ 0x36;
    outer[i] = (block[i] as number) ^ 0x5c;
  }
  return { key, inner, outer };
}

/**
 * HMAC-SHA256 of `data` (UTF-8) with a padded key: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ data)), as two
 * one-shot hashes. The same bytes as `createHmac`, which on the API's path measured about 20 times
 * the cost (a native HMAC object and its OpenSSL context made for each call).
 */
function paddedHmac(key: PaddedKey, data: string): Buffer {
  const inner = Buffer.allocUnsafe(SHA256_BLOCK_BYTES + Buffer.byteLength(data, 'utf8'));
  key.inner.copy(inner, 0);
  inner.write(data, SHA256_BLOCK_BYTES, 'utf8');
  const outer = Buffer.allocUnsafe(SHA256_BLOCK_BYTES + SHA256_BYTES);
  key.outer.copy(outer, 0);
  hash('sha256', inner, 'buffer').copy(outer, SHA256_BLOCK_BYTES);
  return hash('sha256', outer, 'buffer');
}

// ── Dates ────────────────────────────────────────────────────────────────────────────────────

/** `2015-08-30T12:36:00.000Z` → `20150830T123600Z`. */
function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** The number written by the decimal digits `text[from..to)`. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + text.charCodeAt(i) - 0x30;
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The time of an X-Amz-Date in ms, or undefined when it is not one (or not a real date). */
function parseAmzDate(amzDate: string): number | undefined {
  if (!AMZ_DATE.test(amzDate)) return undefined;
  const year = digitsAt(amzDate, 0, 4);
  const month = digitsAt(amzDate, 4, 6);
  const day = digitsAt(amzDate, 6, 8);
  const hours = digitsAt(amzDate, 9, 11);
  const minutes = digitsAt(amzDate, 11, 13);
  const seconds = digitsAt(amzDate, 13, 15);
  // Date.UTC would roll 20150231 over and read years 0-99 as 1900-1999: refuse what is not a real time.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  return Date.UTC(year, month - 1, day, hours, minutes, seconds);
}

// ── Canonical request ────────────────────────────────────────────────────────────────────────

function isUnreserved(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e;
}

/** Text of unreserved characters only: its RFC 3986 encoding is itself. */
const UNRESERVED_TEXT = /^[A-Za-z0-9._~-]*$/;

/** RFC 3986 encoding of bytes: A-Z a-z 0-9 - . _ ~ kept, every other byte `%XX` in upper case. */
function uriEncode(bytes: Uint8Array): string {
  let encoded = '';
  for (const byte of bytes) encoded += isUnreserved(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return encoded;
}

/**
 * The bytes `text` stands for: each `%XX` one byte, everything else its UTF-8. A `%` without two
 * hex digits after it stands for itself, so no query can fail to decode.
 */
function percentDecode(text: string): Buffer {
  const parts: Buffer[] = [];
  let done = 0;
  for (const escape of text.matchAll(/%[0-9A-Fa-f]{2}/g)) {
    parts.push(Buffer.from(text.slice(done, escape.index), 'utf8'), Buffer.from([parseInt(escape[0].slice(1), 16)]));
    done = escape.index + escape[0].length;
  }
  parts.push(Buffer.from(text.slice(done), 'utf8'));
  return Buffer.concat(parts);
}

/** A path that is its own canonical URI: segments of unreserved characters, none empty, none `.` or `..`, no trailing `/`. */
const CANONICAL_PATH = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/;

/**
 * The canonical URI of a path as sent (percent-encoded): dot segments resolved, empty segments
 * dropped, then every segment encoded again. The second encoding is what the SDK does for every
 * service but S3 (`uriEscapePath`): `/a%20b` is signed as `/a%2520b`.
 */
function canonicalUri(rawPath: string): string {
  if (CANONICAL_PATH.test(rawPath)) return rawPath;
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const leading = rawPath.startsWith('/') ? '/' : '';
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return leading + segments.map((segment) => (UNRESERVED_TEXT.test(segment) ? segment : uriEncode(Buffer.from(segment, 'utf8')))).join('/') + trailing;
}

/**
 * S3's canonical URI: the path as sent, each segment decoded and encoded once (RFC 3986), with no
 * segment dropped or resolved: an S3 key may hold `//`, `.` and `..` (the SDK's `uriEscapePath` off).
 */
function s3CanonicalUri(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => (UNRESERVED_TEXT.test(segment) ? segment : uriEncode(percentDecode(segment))))
    .join('/');
}

/** The query's `name=value` pairs as sent, in order; `name` alone is `name=`. */
function rawQueryPairs(rawQuery: string): [name: string, value: string][] {
  return rawQuery
    .split('&')
    .filter((piece) => piece !== '')
    .map((piece) => {
      const equals = piece.indexOf('=');
      return equals === -1 ? [piece, ''] : [piece.slice(0, equals), piece.slice(equals + 1)];
    });
}

function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The canonical query: each name and value decoded and encoded again (RFC 3986), sorted by name
 * then value, X-Amz-Signature left out. A `+` is a plus, not a space: AWS clients send a space as
 * `%20` and a plus as `%2B`.
 */
function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  return rawQueryPairs(rawQuery)
    .map(([name, value]) => [uriEncode(percentDecode(name)), uriEncode(percentDecode(value))] as const)
    .filter(([name]) => name.toLowerCase() !== QUERY_AUTH.signature.toLowerCase()) // as the SDK does, in any case and for header auth too
    .sort(([nameA, valueA], [nameB, valueB]) => compareAscii(nameA, nameB) || compareAscii(valueA, valueB))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** Headers by lower-case name, every value of a repeated one kept in order. */
interface HeaderReader {
  get(name: string): readonly string[] | undefined;
  has(name: string): boolean;
}

/** Headers by lower-case name, every value kept (Node gives repeated headers as arrays). */
function headerValues(headers: Readonly<Record<string, string | readonly string[] | undefined>>): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    values.set(key, [...(values.get(key) ?? []), ...(typeof value === 'string' ? [value] : value)]);
  }
  return values;
}

/**
 * A request's headers to read by lower-case name: in place when every name is already lower case
 * (Node's `IncomingMessage.headers`), else copied into a Map once (headerValues).
 */
function readHeaders(headers: IncomingHeaders): HeaderReader {
  for (const name of Object.keys(headers)) if (name !== name.toLowerCase()) return headerValues(headers);
  return {
    get: (name) => {
      const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
      return typeof value === 'string' ? [value] : value;
    },
    has: (name) => Object.hasOwn(headers, name) && headers[name] !== undefined,
  };
}

/** A value that canonicalHeaderValue leaves as it is: no line break or tab, no run of spaces, none at either end. */
const CANONICAL_HEADER_VALUE = /^(?:[^ \t\r\n](?:[^\t\r\n]*[^ \t\r\n])?)?$/;

/** A header's canonical value: line breaks made spaces, runs of blanks one space, trimmed; values joined by `,`. */
function canonicalHeaderValue(values: readonly string[]): string {
  if (values.length === 1 && CANONICAL_HEADER_VALUE.test(values[0] as string) && !(values[0] as string).includes('  ')) return values[0] as string;
  return values.map((value) => value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '')).join(',');
}

interface CanonicalInput {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly headers: HeaderReader;
  readonly signedHeaders: readonly string[];
  readonly payloadHash: string;
  /** Signed for S3, whose canonical URI is the path encoded once, as it is. */
  readonly s3?: boolean;
}

/** The canonical request, as signed: its lines (canonicalRequestLines) joined by `\n`, built as one string. */
function canonicalRequest(input: CanonicalInput): string {
  let text = `${input.method}\n${input.s3 ? s3CanonicalUri(input.rawPath) : canonicalUri(input.rawPath)}\n${canonicalQuery(input.rawQuery)}\n`;
  let names = '';
  for (let i = 0; i < input.signedHeaders.length; i++) {
    const name = input.signedHeaders[i] as string;
    text += `${name}:${canonicalHeaderValue(input.headers.get(name) ?? NO_VALUES)}\n`;
    names += i === 0 ? name : `;${name}`;
  }
  return `${text}\n${names}\n${input.payloadHash}`;
}

const NO_VALUES: readonly string[] = [];

/** The canonical request's lines (the blank one after the headers included), for a debug log. */
function canonicalRequestLines(input: CanonicalInput): string[] {
  return [
    input.method,
    input.s3 ? s3CanonicalUri(input.rawPath) : canonicalUri(input.rawPath),
    canonicalQuery(input.rawQuery),
    ...input.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(input.headers.get(name) ?? [])}`),
    '',
    input.signedHeaders.join(';'),
    input.payloadHash,
  ];
}

/** The canonical request for a log: the session token, a credential, replaced by REDACTED. */
function redactedCanonicalRequest(lines: readonly string[]): string {
  const tokenHeader = `${QUERY_AUTH.securityToken.toLowerCase()}:`;
  const tokenParameter = `${QUERY_AUTH.securityToken}=`;
  return lines
    .map((line, index) => {
      if (index === 2) return line.split('&').map((pair) => (pair.startsWith(tokenParameter) ? tokenParameter + REDACTED : pair)).join('&');
      return index > 2 && line.startsWith(tokenHeader) ? tokenHeader + REDACTED : line;
    })
    .join('\n');
}

// ── Signature ────────────────────────────────────────────────────────────────────────────────

function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/${SCOPE_TERMINATOR}`;
}

function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

/** Derived signing keys by secret and scope: a key serves one day, so deriving it (four HMACs) once a day per scope is enough. */
const signingKeys = new Map<string, PaddedKey>();
const SIGNING_KEYS_KEPT = 1000;

/** The HMAC chain from `AWS4` + secret through the scope's date, region, service and terminator, ready to sign with. */
function signingKey(secretAccessKey: string, date: string, region: string, service: string): PaddedKey {
  const id = `${secretAccessKey}\n${date}\n${region}\n${service}`;
  const kept = signingKeys.get(id);
  if (kept) return kept;
  const key = paddedKey([date, region, service, SCOPE_TERMINATOR].reduce<Buffer>((derived, part) => hmac(derived, part), Buffer.from(`AWS4${secretAccessKey}`, 'utf8')));
  if (signingKeys.size >= SIGNING_KEYS_KEPT) signingKeys.delete(signingKeys.keys().next().value as string);
  signingKeys.set(id, key);
  return key;
}

/**
 * The key a claim's signatures are made with, and its credential scope text: what the chunks of a
 * streamed upload (`sigv4-chunked.ts`) are signed with after the request's own (seed) signature.
 * Call it only once the claim's seed signature has been verified with the same secret.
 */
export function claimSigningKey(claim: Pick<SignedClaim, 'date' | 'region' | 'service'>, secretAccessKey: string): { signingKey: Buffer; scope: string } {
  return { signingKey: signingKey(secretAccessKey, claim.date, claim.region, claim.service).key, scope: credentialScope(claim.date, claim.region, claim.service) };
}

function signatureOf(secretAccessKey: string, date: string, region: string, service: string, toSign: string): string {
  return paddedHmac(signingKey(secretAccessKey, date, region, service), toSign).toString('hex');
}

// ── Signing (client) ─────────────────────────────────────────────────────────────────────────

/** The headers Wharf's signer signs, besides host and content-type: every x-amz-* one. */
function signedByWharf(name: string): boolean {
  return name === 'host' || name === 'content-type' || name.startsWith('x-amz-');
}

/**
 * Signs a request in the Authorization header, as the CLI does before every API call. Returns the
 * headers to add (lower-case names; they replace any given of the same name): host (when not
 * given; the URL's host and port), x-amz-date, x-amz-content-sha256, x-amz-security-token (with a
 * session token) and authorization. It signs host, content-type (when given) and every x-amz-*
 * header. Send the path and query exactly as `new URL(url)` serialises them (`pathname + search`),
 * since those are the bytes signed.
 */
export function signRequest(request: RequestToSign, credentials: Credentials, scope: SigningScope, now: Date): Record<string, string> {
  if (request.payloadHash !== UNSIGNED_PAYLOAD && !PAYLOAD_HASH.test(request.payloadHash)) {
    throw new RangeError(`payloadHash must be the body's SHA-256 in lower-case hex (sha256Hex(body)) or ${UNSIGNED_PAYLOAD}, not '${request.payloadHash}'`);
  }
  const url = new URL(request.url);
  const amzDate = formatAmzDate(now);
  const date = amzDate.slice(0, 8);
  const headers = headerValues(request.headers ?? {});
  const added: Record<string, string> = {};
  if (!headers.has('host')) added['host'] = url.host;
  added['x-amz-date'] = amzDate;
  added['x-amz-content-sha256'] = request.payloadHash;
  if (credentials.sessionToken) added['x-amz-security-token'] = credentials.sessionToken;
  for (const [name, value] of Object.entries(added)) headers.set(name, [value]);

  const signedHeaders = [...headers.keys()].filter(signedByWharf).sort();
  const canonical = canonicalRequest({ method: request.method, rawPath: url.pathname, rawQuery: url.search.slice(1), headers, signedHeaders, payloadHash: request.payloadHash, s3: scope.service === 's3' });
  const scopeText = credentialScope(date, scope.region, scope.service);
  const signature = signatureOf(credentials.secretAccessKey, date, scope.region, scope.service, stringToSign(amzDate, scopeText, canonical));
  added['authorization'] = `${SIGV4_ALGORITHM} Credential=${credentials.accessKeyId}/${scopeText}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return added;
}

/**
 * A presigned URL for `request`: the signature in the query string, valid from `now` for
 * `expiresSeconds` (1 to MAX_PRESIGN_EXPIRES_SECONDS), signing only the host header and the
 * payload as UNSIGNED_PAYLOAD (so the server must verify it with UNSIGNED_PAYLOAD). Use it to hand
 * out a link that works without credentials, e.g. to download a bundle. The URL's own query is
 * kept and signed; X-Amz-* signing parameters already in it are replaced.
 */
export function presignUrl(request: { readonly method: string; readonly url: string | URL }, credentials: Credentials, scope: SigningScope, now: Date, expiresSeconds: number): string {
  if (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > MAX_PRESIGN_EXPIRES_SECONDS) {
    throw new RangeError(`expiresSeconds must be a whole number of seconds from 1 to ${MAX_PRESIGN_EXPIRES_SECONDS} (one week), not ${expiresSeconds}`);
  }
  const url = new URL(request.url);
  const amzDate = formatAmzDate(now);
  const date = amzDate.slice(0, 8);
  const scopeText = credentialScope(date, scope.region, scope.service);
  const parameters: [string, string][] = [
    [QUERY_AUTH.algorithm, SIGV4_ALGORITHM],
    [QUERY_AUTH.credential, `${credentials.accessKeyId}/${scopeText}`],
    [QUERY_AUTH.date, amzDate],
    [QUERY_AUTH.expires, String(expiresSeconds)],
    [QUERY_AUTH.signedHeaders, 'host'],
  ];
  if (credentials.sessionToken) parameters.push([QUERY_AUTH.securityToken, credentials.sessionToken]);
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((piece) => piece !== '' && !QUERY_AUTH_NAMES.has(percentDecode(piece.split('=')[0] ?? '').toString('utf8')));
  const rawQuery = [...kept, ...parameters.map(([name, value]) => `${name}=${uriEncode(Buffer.from(value, 'utf8'))}`)].join('&');

  const headers = new Map([['host', [url.host]]]);
  const canonical = canonicalRequest({ method: request.method, rawPath: url.pathname, rawQuery, headers, signedHeaders: ['host'], payloadHash: UNSIGNED_PAYLOAD, s3: scope.service === 's3' });
  const signature = signatureOf(credentials.secretAccessKey, date, scope.region, scope.service, stringToSign(amzDate, scopeText, canonical));
  return `${url.protocol}//${url.host}${url.pathname}?${rawQuery}&${QUERY_AUTH.signature}=${signature}`;
}

// ── Parsing (server) ─────────────────────────────────────────────────────────────────────────

function malformed(message: string): ParseResult {
  return { ok: false, reason: 'malformed', message };
}

/** The path and the query of a request target; an absolute-form target (from a proxy) loses its origin. */
function splitTarget(rawUrl: string): { rawPath: string; rawQuery: string } {
  const fragment = rawUrl.indexOf('#');
  const origin = rawUrl.startsWith('/') ? rawUrl : rawUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const target = fragment === -1 ? origin : origin.replace(/#.*$/s, '');
  const question = target.indexOf('?');
  const rawPath = question === -1 ? target : target.slice(0, question);
  return { rawPath: rawPath === '' ? '/' : rawPath, rawQuery: question === -1 ? '' : target.slice(question + 1) };
}

/** A header's one value; undefined when absent or sent more than once (as Node gives it, an array). */
function singleHeader(headers: HeaderReader, name: string): string | undefined {
  const values = headers.get(name);
  return values?.length === 1 ? values[0] : undefined;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const CREDENTIAL_PARTS = ['access key id', 'date', 'region', 'service', 'terminator'];
const CREDENTIAL_DATE = /^\d{8}$/;

/** `AKID/yyyymmdd/region/service/aws4_request`, named `where` in messages. */
function parseCredential(credential: string, where: string): Parsed<Pick<SignedClaim, 'accessKeyId' | 'date' | 'region' | 'service' | 'terminator'>> {
  const shape = `<access key id>/<yyyymmdd>/<region>/<service>/${SCOPE_TERMINATOR}`;
  const parts = credential.split('/');
  if (parts.length !== 5) {
    return { ok: false, message: `${where} must be ${shape}, five parts separated by '/', but it has ${parts.length}: sign the request with a Signature Version 4 signer` };
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  const empty = parts.indexOf('');
  if (empty !== -1) return { ok: false, message: `${where} has an empty ${CREDENTIAL_PARTS[empty]}: it must be ${shape}` };
  if (!CREDENTIAL_DATE.test(date)) return { ok: false, message: `${where} has the date '${date}' where ${shape} needs yyyymmdd, e.g. 20260115` };
  return { ok: true, value: { accessKeyId, date, region, service, terminator } };
}

function parseSignedHeaders(list: string, where: string): Parsed<string[]> {
  const names = list.split(';');
  const bad = names.find((name) => !HEADER_NAME.test(name));
  if (bad !== undefined) return { ok: false, message: `${where} must be lower-case header names separated by ';' (e.g. host;x-amz-date), but it has '${bad}'` };
  if (new Set(names).size !== names.length) return { ok: false, message: `${where} lists a header twice: list each signed header once` };
  return { ok: true, value: names };
}

function parseSignatureHex(signature: string, where: string): Parsed<string> {
  return SIGNATURE.test(signature) ? { ok: true, value: signature } : { ok: false, message: `${where} must be 64 lower-case hexadecimal characters (an HMAC-SHA256)` };
}

function parseClaimDate(amzDate: string | undefined, where: string): Parsed<string> {
  if (amzDate === undefined) return { ok: false, message: `The request has no ${where}: sign it with the time of signing as ${where}, yyyymmddThhmmssZ in UTC (the Date header is not accepted)` };
  if (parseAmzDate(amzDate) === undefined) return { ok: false, message: `${where} '${amzDate.slice(0, 40)}' is not a time of the form yyyymmddThhmmssZ in UTC, e.g. 20260115T120000Z` };
  return { ok: true, value: amzDate };
}

/** The parts an Authorization header has after its algorithm, in the order a signer writes them. */
const AUTHORIZATION_PARTS = ['Credential', 'SignedHeaders', 'Signature'] as const;
type AuthorizationPart = (typeof AUTHORIZATION_PARTS)[number];
type AuthorizationParts = Partial<Record<AuthorizationPart, string>>;
const AUTHORIZATION_PART_NAMES: ReadonlySet<string> = new Set(AUTHORIZATION_PARTS);

function isAuthorizationPart(name: string): name is AuthorizationPart {
  return AUTHORIZATION_PART_NAMES.has(name);
}
const WHITESPACE = /\s/;

/** The `Name=value` parts of an Authorization header after its algorithm, by name. */
function authorizationParts(rest: string): Parsed<AuthorizationParts> {
  const parts: AuthorizationParts = {};
  for (const part of rest.split(',')) {
    const piece = part.trim();
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const name = equals === -1 ? piece : piece.slice(0, equals);
    if (equals === -1) return { ok: false, message: `The Authorization header's '${name.slice(0, 40)}' is not a Name=value pair: it must be ${SIGV4_ALGORITHM} Credential=…, SignedHeaders=…, Signature=…` };
    if (!isAuthorizationPart(name)) return { ok: false, message: `The Authorization header has an unknown part '${name.slice(0, 40)}': only Credential, SignedHeaders and Signature may follow ${SIGV4_ALGORITHM}` };
    if (parts[name] !== undefined) return { ok: false, message: `The Authorization header has ${name} twice: give it once` };
    parts[name] = piece.slice(equals + 1);
  }
  return { ok: true, value: parts };
}

/**
 * An Authorization header exactly as the AWS SDKs, the AWS CLI and Wharf write it (scope ending in
 * aws4_request, lower-case header names, a hex signature): read with one match. Anything else is
 * read part by part, with a message for what is wrong.
 */
const SDK_AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^\s/,=]+)\/(\d{8})\/([^\s/,=]+)\/([^\s/,=]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** What an Authorization header itself says: the claim but for X-Amz-Date and the session token (headers of their own). */
type AuthorizationClaim = Pick<SignedClaim, 'accessKeyId' | 'date' | 'region' | 'service' | 'terminator' | 'signedHeaders' | 'signature'>;

/** The parts of an Authorization header as the SDKs write it, or undefined to read it part by part. */
function sdkAuthorization(authorization: string): AuthorizationClaim | undefined {
  const match = SDK_AUTHORIZATION.exec(authorization);
  if (match === null) return undefined;
  const signedHeaders = parseSignedHeaders(match[5] as string, "The Authorization header's SignedHeaders");
  if (!signedHeaders.ok) return undefined;
  return { accessKeyId: match[1] as string, date: match[2] as string, region: match[3] as string, service: match[4] as string, terminator: SCOPE_TERMINATOR, signedHeaders: signedHeaders.value, signature: match[6] as string };
}

function parseAuthorizationHeader(authorization: string, headers: HeaderReader): ParseResult {
  const parsed = sdkAuthorization(authorization) ?? readAuthorization(authorization);
  if (!('accessKeyId' in parsed)) return malformed(parsed.message);
  const amzDate = parseClaimDate(singleHeader(headers, 'x-amz-date'), 'X-Amz-Date header');
  if (!amzDate.ok) return malformed(amzDate.message);
  const sessionToken = singleHeader(headers, SECURITY_TOKEN_HEADER);
  const { accessKeyId, date, region, service, terminator, signedHeaders, signature } = parsed;
  const claim: SignedClaim =
    sessionToken === undefined
      ? { accessKeyId, date, region, service, terminator, amzDate: amzDate.value, signedHeaders, signature, presigned: false }
      : { accessKeyId, date, region, service, terminator, amzDate: amzDate.value, signedHeaders, signature, presigned: false, sessionToken };
  return { ok: true, claim };
}

/** An Authorization header read part by part, or what is wrong with it. */
function readAuthorization(authorization: string): AuthorizationClaim | { readonly message: string } {
  // The scheme is the first word; what follows the blanks after it is the rest.
  const trimmed = authorization.trim();
  const blank = trimmed.search(WHITESPACE);
  const algorithm = blank === -1 ? trimmed : trimmed.slice(0, blank);
  if (algorithm !== SIGV4_ALGORITHM) {
    return { message: `The Authorization header's scheme '${algorithm.slice(0, 40)}' is not supported: sign requests with AWS Signature Version 4 (${SIGV4_ALGORITHM})` };
  }
  const parts = authorizationParts(blank === -1 ? '' : trimmed.slice(blank));
  if (!parts.ok) return parts;
  for (const name of AUTHORIZATION_PARTS) {
    if (parts.value[name] === undefined) return { message: `The Authorization header has no ${name}=…: it must be ${SIGV4_ALGORITHM} Credential=…, SignedHeaders=…, Signature=…` };
  }
  const credential = parseCredential(parts.value.Credential ?? '', "The Authorization header's Credential");
  if (!credential.ok) return credential;
  const signedHeaders = parseSignedHeaders(parts.value.SignedHeaders ?? '', "The Authorization header's SignedHeaders");
  if (!signedHeaders.ok) return signedHeaders;
  const signature = parseSignatureHex(parts.value.Signature ?? '', "The Authorization header's Signature");
  if (!signature.ok) return signature;
  return { ...credential.value, signedHeaders: signedHeaders.value, signature: signature.value };
}

function parseExpires(expires: string): Parsed<number> {
  const seconds = /^\d{1,7}$/.test(expires) ? Number(expires) : NaN;
  if (seconds >= 1 && seconds <= MAX_PRESIGN_EXPIRES_SECONDS) return { ok: true, value: seconds };
  return { ok: false, message: `${QUERY_AUTH.expires} must be a whole number of seconds from 1 to ${MAX_PRESIGN_EXPIRES_SECONDS} (one week), not '${expires.slice(0, 40)}'` };
}

function parsePresignedQuery(parameters: ReadonlyMap<string, readonly string[]>): ParseResult {
  for (const name of QUERY_AUTH_NAMES) {
    if ((parameters.get(name)?.length ?? 0) > 1) return malformed(`The query has ${name} more than once: a presigned URL has each X-Amz-* parameter once`);
  }
  const value = (name: string): string | undefined => parameters.get(name)?.[0];
  const required = [QUERY_AUTH.algorithm, QUERY_AUTH.credential, QUERY_AUTH.date, QUERY_AUTH.expires, QUERY_AUTH.signedHeaders, QUERY_AUTH.signature];
  const absent = required.filter((name) => value(name) === undefined);
  if (absent.length > 0) return malformed(`The presigned URL has no ${absent.join(', ')}: a presigned URL needs all of ${required.join(', ')}; presign it again`);
  const algorithm = value(QUERY_AUTH.algorithm) ?? '';
  if (algorithm !== SIGV4_ALGORITHM) return malformed(`${QUERY_AUTH.algorithm} '${algorithm.slice(0, 40)}' is not supported: presign with AWS Signature Version 4 (${SIGV4_ALGORITHM})`);
  const credential = parseCredential(value(QUERY_AUTH.credential) ?? '', QUERY_AUTH.credential);
  if (!credential.ok) return malformed(credential.message);
  const signedHeaders = parseSignedHeaders(value(QUERY_AUTH.signedHeaders) ?? '', QUERY_AUTH.signedHeaders);
  if (!signedHeaders.ok) return malformed(signedHeaders.message);
  const signature = parseSignatureHex(value(QUERY_AUTH.signature) ?? '', QUERY_AUTH.signature);
  if (!signature.ok) return malformed(signature.message);
  const amzDate = parseClaimDate(value(QUERY_AUTH.date), QUERY_AUTH.date);
  if (!amzDate.ok) return malformed(amzDate.message);
  const expires = parseExpires(value(QUERY_AUTH.expires) ?? '');
  if (!expires.ok) return malformed(expires.message);
  const sessionToken = value(QUERY_AUTH.securityToken);
  const claim: SignedClaim = {
    ...credential.value,
    amzDate: amzDate.value,
    signedHeaders: signedHeaders.value,
    signature: signature.value,
    presigned: true,
    expiresSeconds: expires.value,
    ...(sessionToken === undefined ? {} : { sessionToken }),
  };
  return { ok: true, claim };
}

const NO_PARAMETERS: ReadonlyMap<string, readonly string[]> = new Map();

/** The query's decoded parameters by name, every value kept. */
function queryParameters(rawQuery: string): Map<string, string[]> {
  const parameters = new Map<string, string[]>();
  for (const [rawName, rawValue] of rawQueryPairs(rawQuery)) {
    const name = percentDecode(rawName).toString('utf8');
    parameters.set(name, [...(parameters.get(name) ?? []), percentDecode(rawValue).toString('utf8')]);
  }
  return parameters;
}

/**
 * What a request claims about its signature, read from the Authorization header or, for a
 * presigned URL, the X-Amz-* query parameters; run it first, then look up the claim's access key
 * and call verifySignature. `missing` means the request is not signed at all (AWS's
 * MissingAuthenticationToken); `malformed` that a signature is there but cannot be read, and the
 * message says which part is wrong (AWS's IncompleteSignature). `headers` are Node's
 * `IncomingMessage.headers`; `rawUrl` is `IncomingMessage.url`, still percent-encoded. The method
 * plays no part in parsing; it is taken so that both steps read the same request.
 */
export function parseSignedRequest(_method: string, rawUrl: string, headers: IncomingHeaders): ParseResult {
  const values = readHeaders(headers);
  const authorizationHeaders = values.get('authorization');
  const parameters = rawUrl.includes('?') ? queryParameters(splitTarget(rawUrl).rawQuery) : NO_PARAMETERS;
  const queryAuth = parameters.size > 0 && QUERY_AUTH_MARKERS.some((name) => parameters.has(name));
  if (authorizationHeaders === undefined && !queryAuth) {
    return {
      ok: false,
      reason: 'missing',
      message: `The request is not signed: sign it with AWS Signature Version 4, in the Authorization header or as a presigned URL (X-Amz-* query parameters), with an access key of this Wharf`,
    };
  }
  if (authorizationHeaders !== undefined && queryAuth) return malformed('The request is signed both in the Authorization header and in the query string: use one of them');
  if (authorizationHeaders === undefined) return parsePresignedQuery(parameters);
  if (authorizationHeaders.length !== 1) return malformed('The request has more than one Authorization header: send one');
  return parseAuthorizationHeader(authorizationHeaders[0] ?? '', values);
}

// ── Verification (server) ────────────────────────────────────────────────────────────────────

function failure(code: VerifyFailureCode, message: string): VerifyResult {
  return { ok: false, code, message };
}

function formatServerTime(now: number): string {
  return formatAmzDate(new Date(now));
}

const VERIFIED: VerifyResult = Object.freeze({ ok: true });

/** Whether the request is within its time: X-Amz-Date near `now`, or a presigned URL not expired. */
function checkTime(claim: SignedClaim, signedAt: number, now: number): VerifyResult {
  const skewMinutes = MAX_CLOCK_SKEW_MS / 60_000;
  if (claim.presigned) {
    if (claim.expiresSeconds === undefined) return failure('IncompleteSignature', `The presigned URL has no ${QUERY_AUTH.expires}: presign it again`);
    const expiresAt = signedAt + claim.expiresSeconds * 1000;
    if (now > expiresAt) {
      return failure('RequestExpired', `The presigned URL expired at ${formatAmzDate(new Date(expiresAt))} (X-Amz-Date ${claim.amzDate} plus X-Amz-Expires ${claim.expiresSeconds} seconds); the server's time is ${formatServerTime(now)}. Presign the URL again.`);
    }
    if (now < signedAt - MAX_CLOCK_SKEW_MS) {
      return failure('RequestExpired', `The presigned URL is not valid yet: its X-Amz-Date ${claim.amzDate} is more than ${skewMinutes} minutes after the server's time ${formatServerTime(now)}. Check the clock of the machine that presigned it.`);
    }
    return VERIFIED;
  }
  if (Math.abs(now - signedAt) > MAX_CLOCK_SKEW_MS) {
    const side = signedAt < now ? 'before' : 'after';
    return failure('RequestExpired', `Signature expired: the request's X-Amz-Date ${claim.amzDate} is more than ${skewMinutes} minutes ${side} the server's time ${formatServerTime(now)} (the most allowed either way). Sign the request again when sending it, and check that the client's clock is right.`);
  }
  return VERIFIED;
}

/** Whether the credential scope is one this server signs for: the request's day, aws4_request, the route's service. */
function checkScope(claim: SignedClaim, expectedService: string): VerifyResult {
  const requestDay = claim.amzDate.slice(0, 8);
  if (claim.date !== requestDay) {
    return failure('SignatureDoesNotMatch', `The date in the Credential scope, '${claim.date}', is not the day of X-Amz-Date, '${requestDay}' (from '${claim.amzDate}'): sign with one time for both.`);
  }
  if (claim.terminator !== SCOPE_TERMINATOR) {
    return failure('SignatureDoesNotMatch', `The Credential scope must end with '${SCOPE_TERMINATOR}', not '${claim.terminator.slice(0, 40)}'.`);
  }
  if (claim.service !== expectedService) {
    return failure('SignatureDoesNotMatch', `The Credential is scoped to the service '${claim.service.slice(0, 40)}', but this operation is signed for '${expectedService}': sign the request for the service '${expectedService}'.`);
  }
  return VERIFIED;
}

function signedHeadersWhere(claim: SignedClaim): string {
  return claim.presigned ? QUERY_AUTH.signedHeaders : "the Authorization header's SignedHeaders";
}

/** Whether the headers an attacker must not change are signed: host always, X-Amz-Date with header auth. */
function checkSignedHeaders(claim: SignedClaim): VerifyResult {
  if (!claim.signedHeaders.includes('host')) return failure('IncompleteSignature', `The host header must be signed: add host to ${signedHeadersWhere(claim)}.`);
  if (!claim.presigned && !claim.signedHeaders.includes('x-amz-date')) return failure('IncompleteSignature', `The x-amz-date header must be signed: add x-amz-date to ${signedHeadersWhere(claim)}.`);
  return VERIFIED;
}

/** Equal signatures (hex as given, bytes as computed), compared in time independent of where they differ. */
function sameSignature(given: string, expected: Buffer): boolean {
  if (!SIGNATURE.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}

/** Why the signature differs, where the request says more than "check your key". */
function mismatchHint(request: ReceivedRequest, headers: HeaderReader): string {
  const claimedHash = singleHeader(headers, 'x-amz-content-sha256');
  if (claimedHash !== undefined && claimedHash !== request.payloadHash) {
    return ` The x-amz-content-sha256 header says '${claimedHash.slice(0, 70)}' but the server signed the payload as '${request.payloadHash}': the body may have changed after signing.`;
  }
  return '';
}

/**
 * Checks a claim from parseSignedRequest against the request it came with, in this order: the
 * time (X-Amz-Date within MAX_CLOCK_SKEW_MS of `now`; a presigned URL from X-Amz-Date less the
 * skew until X-Amz-Date plus X-Amz-Expires), the scope (its date the day of X-Amz-Date,
 * terminator aws4_request, service `expectedService`), that host (and X-Amz-Date, with header
 * auth) are signed, and then the signature, computed with `secretAccessKey` (the secret of the
 * claim's access key) and compared in constant time. `request.payloadHash` is what the server
 * computed from the body, or UNSIGNED_PAYLOAD for a route that allows it (and for presignUrl's
 * URLs). `now` is the server's time in ms.
 */
export function verifySignature(claim: SignedClaim, request: ReceivedRequest, secretAccessKey: string, expectedService: string, now: number): VerifyResult {
  const signedAt = parseAmzDate(claim.amzDate);
  if (signedAt === undefined) return failure('IncompleteSignature', `X-Amz-Date '${claim.amzDate.slice(0, 40)}' is not a time of the form yyyymmddThhmmssZ in UTC.`);
  const time = checkTime(claim, signedAt, now);
  if (!time.ok) return time;
  const scope = checkScope(claim, expectedService);
  if (!scope.ok) return scope;
  const signed = checkSignedHeaders(claim);
  if (!signed.ok) return signed;

  const headers = readHeaders(request.headers);
  const { rawPath, rawQuery } = splitTarget(request.rawUrl);
  const input: CanonicalInput = { method: request.method, rawPath, rawQuery, headers, signedHeaders: claim.signedHeaders, payloadHash: request.payloadHash, s3: claim.service === 's3' };
  const toSign = stringToSign(claim.amzDate, credentialScope(claim.date, claim.region, claim.service), canonicalRequest(input));
  if (sameSignature(claim.signature, paddedHmac(signingKey(secretAccessKey, claim.date, claim.region, claim.service), toSign))) return VERIFIED;

  const unsent = claim.signedHeaders.find((name) => !headers.has(name));
  const hint = unsent === undefined ? mismatchHint(request, headers) : ` The request signs the header '${unsent}' but does not send it.`;
  return {
    ok: false,
    code: 'SignatureDoesNotMatch',
    message: `The request signature we calculated does not match the signature you provided. Check your secret access key and signing method (AWS Signature Version 4, service '${expectedService}').${hint} Compare the canonical request your client signed with the server's, which it logs at debug level.`,
    canonicalRequest: redactedCanonicalRequest(canonicalRequestLines(input)),
    stringToSign: toSign,
  };
}
