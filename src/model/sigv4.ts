/**
 * AWS Signature Version 4 (`AWS4-HMAC-SHA256`), both sides: signing a request (the CLI, tests)
 * and checking one (the controller). The canonical forms are those of the AWS SDK v3 and the AWS
 * CLI for services other than S3 (the path URI-encoded once more, segments normalised), so their
 * requests verify as they are.
 *
 *   canonical request = method \n path \n query \n headers \n signed header names \n payload hash
 *   string to sign    = AWS4-HMAC-SHA256 \n x-amz-date \n date/region/service/aws4_request \n hash
 *   signing key       = HMAC chain of "AWS4"+secret, date, region, service, "aws4_request"
 *
 * Pure: no I/O, nothing of ours imported.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** How far a request's date may be from the server's clock, as AWS allows. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;
/** The longest a presigned URL may live, as AWS allows (7 days). */
export const MAX_PRESIGN_SECONDS = 604_800;

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SigningScope {
  readonly region: string;
  readonly service: string;
}

type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

/** SHA-256 of `data`, lower-case hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ as %XX (upper case). */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `decodeURIComponent` that keeps a malformed escape as it is instead of throwing. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The path as sent, normalised (no empty, `.` or `..` segments) and encoded once more, slashes kept. */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalised = `${rawPath.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalised).replace(/%2F/g, '/');
}

/** The query's pairs as sent (`+` is a plus, not a space: AWS clients encode spaces as %20), decoded. */
function queryPairs(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const equals = part.indexOf('=');
      return equals < 0 ? [safeDecode(part), ''] : [safeDecode(part.slice(0, equals)), safeDecode(part.slice(equals + 1))];
    });
}

/** Pairs encoded, sorted by name then value, joined; `X-Amz-Signature` left out (a presigned URL's own). */
function canonicalQuery(pairs: readonly (readonly [string, string])[]): string {
  return pairs
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [escapeUri(name), escapeUri(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** A header's value as signed: trimmed, inner runs of white space one space, several values joined by `,`. */
function headerValue(value: string | readonly string[] | undefined): string {
  const values = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

function lowerCaseHeaders(headers: Headers): Map<string, string | readonly string[] | undefined> {
  return new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function splitTarget(rawUrl: string): { path: string; query: string } {
  const mark = rawUrl.indexOf('?');
  return mark < 0 ? { path: rawUrl, query: '' } : { path: rawUrl.slice(0, mark), query: rawUrl.slice(mark + 1) };
}

interface Canonical {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

function canonicalise(
  method: string,
  rawUrl: string,
  headers: Headers,
  signedHeaders: readonly string[],
  payloadHash: string,
  amzDate: string,
  scope: string,
): Canonical {
  const { path, query } = splitTarget(rawUrl);
  const lower = lowerCaseHeaders(headers);
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${headerValue(lower.get(name))}\n`).join('');
  const canonicalRequest = [method.toUpperCase(), canonicalPath(path), canonicalQuery(queryPairs(query)), canonicalHeaders, signedHeaders.join(';'), payloadHash].join('\n');
  const stringToSign = [SIGV4_ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  return { canonicalRequest, stringToSign };
}

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** `YYYYMMDDTHHMMSSZ` */
export function amzDateOf(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The request target (path and query, as sent) of a URL. */
function targetOf(url: URL): string {
  return url.pathname + url.search;
}

/**
 * The headers that sign a request: `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token`
 * (with a session token) and `authorization`. Signs `host` (fetch sends it from the URL), those,
 * `content-type` when given, and any `x-amz-*` header given. `payloadHash` is the body's
 * `sha256Hex`, or UNSIGNED_PAYLOAD for a body streamed unhashed.
 */
export function signRequest(
  request: { readonly method: string; readonly url: string | URL; readonly headers?: Readonly<Record<string, string>>; readonly payloadHash: string },
  credentials: Credentials,
  scope: SigningScope,
  now: Date,
): Record<string, string> {
  const url = new URL(request.url);
  const amzDate = amzDateOf(now);
  const added: Record<string, string> = { 'x-amz-date': amzDate, 'x-amz-content-sha256': request.payloadHash };
  if (credentials.sessionToken) added['x-amz-security-token'] = credentials.sessionToken;
  const all: Record<string, string> = { host: url.host, ...lowerCaseRecord(request.headers ?? {}), ...added };
  const signedHeaders = Object.keys(all)
    .filter((name) => name === 'host' || name === 'content-type' || name.startsWith('x-amz-'))
    .sort();
  const credentialScope = `${amzDate.slice(0, 8)}/${scope.region}/${scope.service}/aws4_request`;
  const { stringToSign } = canonicalise(request.method, targetOf(url), all, signedHeaders, request.payloadHash, amzDate, credentialScope);
  const signature = hmac(signingKey(credentials.secretAccessKey, amzDate.slice(0, 8), scope.region, scope.service), stringToSign).toString('hex');
  return { ...added, authorization: `${SIGV4_ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}` };
}

function lowerCaseRecord(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** A presigned URL (query-string SigV4) valid for `expiresSeconds` (1 to 7 days' worth), signing only `host`, over an empty body (as the AWS SDKs presign). */
export function presignUrl(request: { readonly method: string; readonly url: string | URL }, credentials: Credentials, scope: SigningScope, now: Date, expiresSeconds: number): string {
  if (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > MAX_PRESIGN_SECONDS) throw new RangeError(`a presigned URL lives 1 to ${MAX_PRESIGN_SECONDS} seconds, not ${expiresSeconds}`);
  const url = new URL(request.url);
  const amzDate = amzDateOf(now);
  const credentialScope = `${amzDate.slice(0, 8)}/${scope.region}/${scope.service}/aws4_request`;
  const params: [string, string][] = [
    ['X-Amz-Algorithm', SIGV4_ALGORITHM],
    ['X-Amz-Credential', `${credentials.accessKeyId}/${credentialScope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(expiresSeconds)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  if (credentials.sessionToken) params.push(['X-Amz-Security-Token', credentials.sessionToken]);
  const extra = params.map(([name, value]) => `${escapeUri(name)}=${escapeUri(value)}`).join('&');
  const search = url.search === '' ? `?${extra}` : `${url.search}&${extra}`;
  const target = url.pathname + search;
  const { stringToSign } = canonicalise(request.method, target, { host: url.host }, ['host'], sha256Hex(''), amzDate, credentialScope);
  const signature = hmac(signingKey(credentials.secretAccessKey, amzDate.slice(0, 8), scope.region, scope.service), stringToSign).toString('hex');
  return `${url.origin}${target}&X-Amz-Signature=${signature}`;
}

/** What a request claims, from its Authorization header or its X-Amz-* query parameters. */
export interface SignedClaim {
  readonly accessKeyId: string;
  /** The credential scope's date, `YYYYMMDD`. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  /** The request's `x-amz-date` (header, or query for a presigned URL). */
  readonly amzDate: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly presigned: boolean;
  readonly expiresSeconds?: number;
  readonly sessionToken?: string;
}

export type ParseResult = { readonly ok: true; readonly claim: SignedClaim } | { readonly ok: false; readonly reason: 'missing' | 'malformed'; readonly message: string };

const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
const AMZ_DATE = /^\d{8}T\d{6}Z$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function malformed(message: string): ParseResult {
  return { ok: false, reason: 'malformed', message };
}

/** Checks a `<key>/<date>/<region>/<service>/aws4_request` credential and the rest of a claim. */
function claimOf(credential: string, signedHeaders: string, signature: string, amzDate: string | undefined, extra: Partial<SignedClaim> & { presigned: boolean }): ParseResult {
  const parts = credential.split('/');
  if (parts.length !== 5) return malformed(`the Credential "${credential.slice(0, 200)}" must have five parts: <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request`);
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = parts;
  if (!ACCESS_KEY_ID.test(accessKeyId)) return malformed('the Credential\'s access key id is not one (16 to 128 upper-case letters and digits)');
  if (!/^\d{8}$/.test(date)) return malformed(`the Credential's date "${date.slice(0, 20)}" is not YYYYMMDD`);
  if (region === '' || service === '') return malformed('the Credential names no region or no service');
  if (terminator !== 'aws4_request') return malformed(`the Credential must end with aws4_request, not "${terminator.slice(0, 40)}"`);
  const names = signedHeaders.split(';');
  if (signedHeaders === '' || names.some((name) => !HEADER_NAME.test(name))) return malformed('SignedHeaders must be lower-case header names separated by ";"');
  if (!SIGNATURE.test(signature)) return malformed('the Signature must be 64 lower-case hex digits');
  if (amzDate === undefined) return malformed('the request has no X-Amz-Date (header or query parameter)');
  if (!AMZ_DATE.test(amzDate)) return malformed(`X-Amz-Date "${amzDate.slice(0, 40)}" is not YYYYMMDDTHHMMSSZ`);
  return { ok: true, claim: { accessKeyId, date, region, service, amzDate, signedHeaders: names, signature, ...extra } };
}

/** Reads the claim of a request as received (`rawUrl`: path and query still percent-encoded; `headers` as Node gives them). */
export function parseSignedRequest(_method: string, rawUrl: string, headers: Headers): ParseResult {
  const authorization = single(headers.authorization);
  const { query } = splitTarget(rawUrl);
  const params = new Map(queryPairs(query));
  if (authorization !== undefined) {
    const match = /^(\S+)\s+(.*)$/s.exec(authorization.trim());
    if (!match || match[1] !== SIGV4_ALGORITHM) return malformed(`the Authorization header must start with ${SIGV4_ALGORITHM}`);
    const fields = new Map<string, string>();
    for (const part of (match[2] ?? '').split(',')) {
      const equals = part.indexOf('=');
      if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
    }
    for (const name of ['Credential', 'SignedHeaders', 'Signature']) if (!fields.has(name)) return malformed(`the Authorization header has no ${name}=`);
    const token = single(headers['x-amz-security-token']);
    return claimOf(fields.get('Credential') ?? '', fields.get('SignedHeaders') ?? '', fields.get('Signature') ?? '', single(headers['x-amz-date']), {
      presigned: false,
      ...(token ? { sessionToken: token } : {}),
    });
  }
  if (params.has('X-Amz-Signature') || params.has('X-Amz-Credential')) {
    if (params.get('X-Amz-Algorithm') !== SIGV4_ALGORITHM) return malformed(`X-Amz-Algorithm must be ${SIGV4_ALGORITHM}`);
    const expires = Number(params.get('X-Amz-Expires'));
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS) return malformed(`X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_PRESIGN_SECONDS}`);
    const token = params.get('X-Amz-Security-Token');
    return claimOf(params.get('X-Amz-Credential') ?? '', params.get('X-Amz-SignedHeaders') ?? '', params.get('X-Amz-Signature') ?? '', params.get('X-Amz-Date'), {
      presigned: true,
      expiresSeconds: expires,
      ...(token ? { sessionToken: token } : {}),
    });
  }
  return { ok: false, reason: 'missing', message: 'no Authorization header and no X-Amz-Signature' };
}

export type VerifyResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'SignatureDoesNotMatch' | 'RequestExpired' | 'IncompleteSignature'; readonly message: string; readonly canonicalRequest?: string; readonly stringToSign?: string };

/** `YYYYMMDDTHHMMSSZ` as ms since the epoch. */
function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : Number.NaN;
}

/**
 * Checks a claim against the request as received: its date (within MAX_CLOCK_SKEW_MS of `now`;
 * a presigned URL from its date less the skew to its expiry), its scope (the date's day, the
 * `expectedService`; any region), that `host` is signed (and `x-amz-date` for header signing),
 * and the signature itself, compared in constant time. `payloadHash` is what the server computed
 * from the body, or UNSIGNED_PAYLOAD where the route allows it.
 */
export function verifySignature(
  claim: SignedClaim,
  request: { readonly method: string; readonly rawUrl: string; readonly headers: Headers; readonly payloadHash: string },
  secretAccessKey: string,
  expectedService: string,
  now: number,
): VerifyResult {
  const at = parseAmzDate(claim.amzDate);
  if (Number.isNaN(at)) return { ok: false, code: 'IncompleteSignature', message: `X-Amz-Date ${claim.amzDate} is not a date` };
  const serverTime = new Date(now).toISOString();
  if (claim.presigned) {
    const expires = at + (claim.expiresSeconds ?? 0) * 1000;
    if (now > expires) return { ok: false, code: 'RequestExpired', message: `the presigned URL expired at ${new Date(expires).toISOString()} (server time ${serverTime})` };
    if (now < at - MAX_CLOCK_SKEW_MS) return { ok: false, code: 'RequestExpired', message: `the presigned URL is dated ${claim.amzDate}, more than 15 minutes after the server time ${serverTime}` };
  } else if (Math.abs(now - at) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, code: 'RequestExpired', message: `its X-Amz-Date ${claim.amzDate} is more than 15 minutes from the server time ${serverTime}` };
  }
  if (claim.date !== claim.amzDate.slice(0, 8)) return { ok: false, code: 'SignatureDoesNotMatch', message: `the credential scope's date ${claim.date} is not the day of X-Amz-Date ${claim.amzDate}` };
  if (claim.service !== expectedService) return { ok: false, code: 'SignatureDoesNotMatch', message: `the credential scope names the service "${claim.service.slice(0, 64)}", but this API area is signed for "${expectedService}"` };
  if (!claim.signedHeaders.includes('host')) return { ok: false, code: 'IncompleteSignature', message: 'the Host header must be signed' };
  if (!claim.presigned && !claim.signedHeaders.includes('x-amz-date')) return { ok: false, code: 'IncompleteSignature', message: 'the X-Amz-Date header must be signed' };
  const lower = lowerCaseHeaders(request.headers);
  for (const name of claim.signedHeaders) if (!lower.has(name)) return { ok: false, code: 'SignatureDoesNotMatch', message: `the signed header ${name} is not in the request` };
  const declared = single(lower.get('x-amz-content-sha256'));
  if (!claim.presigned && declared !== undefined && declared !== request.payloadHash && declared !== UNSIGNED_PAYLOAD) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'the x-amz-content-sha256 header is not the SHA-256 of the body received' };
  }
  const payloadHash = claim.presigned ? request.payloadHash : (declared ?? request.payloadHash);
  if (payloadHash === UNSIGNED_PAYLOAD && !claim.presigned && request.payloadHash !== UNSIGNED_PAYLOAD && declared === UNSIGNED_PAYLOAD) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'this route takes a signed payload: send x-amz-content-sha256 with the body\'s SHA-256, not UNSIGNED-PAYLOAD' };
  }
  const scope = `${claim.date}/${claim.region}/${claim.service}/aws4_request`;
  const key = signingKey(secretAccessKey, claim.date, claim.region, claim.service);
  const given = Buffer.from(claim.signature, 'hex');
  const matches = (hash: string): Canonical & { readonly ok: boolean } => {
    const canonical = canonicalise(request.method, request.rawUrl, request.headers, claim.signedHeaders, hash, claim.amzDate, scope);
    const expected = hmac(key, canonical.stringToSign);
    return { ...canonical, ok: given.length === expected.length && timingSafeEqual(given, expected) };
  };
  const first = matches(payloadHash);
  // A presigned URL's payload is the (empty) body's hash for the SDKs, UNSIGNED-PAYLOAD for S3-style signers: either is accepted.
  const accepted = first.ok || (claim.presigned && matches(UNSIGNED_PAYLOAD).ok);
  if (!accepted) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'the signature calculated from the request is not the one it carries', canonicalRequest: first.canonicalRequest, stringToSign: first.stringToSign };
  }
  return { ok: true };
}
