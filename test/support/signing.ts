/**
 * Signed calls for tests, as the CLI and the AWS SDKs make them: every controller a test starts
 * registers its root key here by its URL, so helpers (`controller.call`, `cluster.api`, `runWharf`
 * with `--endpoint`) sign for the controller they call without each test carrying keys around.
 */
import path from 'node:path';
import { CREDENTIALS_FILE, CREDENTIALS_PROFILE, readCredentialsFile } from '../../src/config/credentials.js';
import { signingServiceOf } from '../../src/model/api/signing.js';
import { sha256Hex, signRequest, UNSIGNED_PAYLOAD } from '../../src/model/sigv4.js';
import type { Credentials } from '../../src/model/sigv4.js';

const byOrigin = new Map<string, Credentials>();

/** Remembers the key to sign calls to `url`'s origin with. */
export function rememberCredentials(url: string, credentials: Credentials): void {
  byOrigin.set(new URL(url).origin, credentials);
}

/** The key remembered for `url`'s origin, if any. */
export function credentialsFor(url: string): Credentials | undefined {
  return byOrigin.get(new URL(url).origin);
}

/** The root key a controller wrote to its data folder at first start. */
export function credentialsInDataDir(dataDir: string): Credentials {
  const found = readCredentialsFile(path.join(dataDir, CREDENTIALS_FILE), CREDENTIALS_PROFILE);
  if (!found) throw new Error(`no root key in ${dataDir}/${CREDENTIALS_FILE}: has a controller started on that data folder?`);
  return found;
}

/** The environment variables that make a `wharf` child process sign with `credentials`. */
export function credentialsEnv(credentials: Credentials): Record<string, string> {
  return { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
}

/**
 * The headers that sign a request to `url` with the key remembered for it (for tests that send
 * with node:http): `headers` as they will be sent (a `host` given there is the one signed).
 */
export function signingHeaders(url: string, method: string, headers: Record<string, string>, payloadHash: string): Record<string, string> {
  const credentials = credentialsFor(url);
  if (!credentials) throw new Error(`no key remembered for ${url}: start the controller with startTestController`);
  const target = new URL(url);
  return { ...headers, ...signRequest({ method, url: target, headers, payloadHash }, credentials, { region: 'local', service: signingServiceOf(target.pathname) }, new Date()) };
}

export { sha256Hex, UNSIGNED_PAYLOAD };

export interface SignedInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** A string or bytes (hashed and signed), or a stream (sent with UNSIGNED-PAYLOAD). */
  readonly body?: string | Uint8Array | ReadableStream<Uint8Array>;
  readonly signal?: AbortSignal;
  /** Sign with these instead of the remembered key. */
  readonly credentials?: Credentials;
}

/** fetch, signed with the key remembered for the URL (or the one given); unsigned when there is none. */
export function signedFetch(url: string, init: SignedInit = {}): Promise<Response> {
  const target = new URL(url);
  const method = init.method ?? 'GET';
  // A caller that sets Authorization itself (an agent's or a router's credential) is not signed over.
  const own = Object.keys(init.headers ?? {}).some((name) => name.toLowerCase() === 'authorization');
  const credentials = own ? undefined : (init.credentials ?? credentialsFor(url));
  const streamed = init.body instanceof ReadableStream;
  const body = init.body;
  let headers = { ...init.headers };
  if (credentials) {
    const payloadHash = streamed ? UNSIGNED_PAYLOAD : sha256Hex(typeof body === 'string' || body instanceof Uint8Array ? body : '');
    headers = { ...headers, ...signRequest({ method, url: target, headers, payloadHash }, credentials, { region: 'local', service: signingServiceOf(target.pathname) }, new Date()) };
  }
  return fetch(target, { method, headers, body: body as RequestInit['body'], signal: init.signal, ...(streamed ? { duplex: 'half' } : {}) } as RequestInit);
}
