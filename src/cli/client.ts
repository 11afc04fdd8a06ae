/**
 * The CLI's HTTP client of the controller API. A problem response becomes a WharfError with the
 * server's code, message and field errors; an unreachable controller becomes
 * WHARF_E_CONTROLLER_UNREACHABLE with the endpoint it tried.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_API_PORT, DEFAULT_DATA_DIR } from '../config/defaults.js';
import { CONTROLLER_FILE } from '../config/controller-file.js';
import type { ControllerFile } from '../config/controller-file.js';
import type { ErrorCode, FieldError } from '../model/errors.js';
import { ERROR_CATALOGUE, WharfError, wharfError } from '../model/errors.js';
import { DEFAULT_SIGNING_REGION, signingServiceOf } from '../model/api/signing.js';
import { sha256Hex, signRequest, UNSIGNED_PAYLOAD } from '../model/sigv4.js';
import type { Credentials } from '../model/sigv4.js';
import { parseCredentialsFile, resolveCredentials } from '../config/credentials.js';

/** How long the CLI waits for one API call. */
export const CLIENT_TIMEOUT_MS = 30_000;
/** How long an upload (a source bundle) may take: bundles can be large and links slow. */
export const UPLOAD_TIMEOUT_MS = 10 * 60_000;

/**
 * Where the controller is: `--endpoint`, then WHARF_ENDPOINT, then the controller that `wharf up`
 * started in this folder (`.wharf/controller.json`, or WHARF_DATA_DIR's), then the default port.
 */
export function resolveEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag.replace(/\/+$/, '');
  if (env.WHARF_ENDPOINT) return env.WHARF_ENDPOINT.replace(/\/+$/, '');
  try {
    const file = path.join(env.WHARF_DATA_DIR ?? DEFAULT_DATA_DIR, CONTROLLER_FILE);
    const { url } = JSON.parse(readFileSync(file, 'utf8')) as { [K in keyof ControllerFile]?: unknown };
    if (typeof url === 'string') return url;
  } catch {
    // no local controller file: fall back to the default
  }
  return `http://127.0.0.1:${DEFAULT_API_PORT}`;
}

/** Where a client's credentials come from: asked for at the first request, so a command that fails before calling needs none. */
export type CredentialSource = () => Credentials;

/** The AWS CLI's config file: AWS_CONFIG_FILE, else ~/.aws/config. */
export function awsConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_CONFIG_FILE ?? path.join(env.HOME ?? os.homedir(), '.aws', 'config');
}

/** A profile's settings in the AWS CLI's config file (`[default]`, `[profile name]`), or undefined. */
export function configProfile(profile: string, env: NodeJS.ProcessEnv = process.env): ReadonlyMap<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(awsConfigFile(env), 'utf8');
  } catch {
    return undefined;
  }
  const profiles = parseCredentialsFile(text);
  return profile === 'default' ? (profiles.get('default') ?? profiles.get('profile default')) : profiles.get(`profile ${profile}`);
}

/**
 * The region the CLI signs for, as the AWS CLI finds it: `--region`, AWS_REGION,
 * AWS_DEFAULT_REGION, the profile's `region` in the config file, else Wharf's default (any region
 * is accepted).
 */
export function signingRegion(env: NodeJS.ProcessEnv = process.env, flag?: string, profile?: string): string {
  return flag ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? configProfile(profile ?? env.AWS_PROFILE ?? 'default', env)?.get('region') ?? DEFAULT_SIGNING_REGION;
}

/**
 * The credentials the CLI signs with: Wharf's lookup (`resolveCredentials`: the environment, the
 * shared credentials file, the `wharf up` data folder), then, as the AWS CLI also reads them, the
 * profile's keys in the config file.
 */
export function cliCredentials(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Credentials {
  try {
    return resolveCredentials(profile, env);
  } catch (error) {
    const entries = configProfile(profile ?? env.AWS_PROFILE ?? 'default', env);
    const accessKeyId = entries?.get('aws_access_key_id');
    const secretAccessKey = entries?.get('aws_secret_access_key');
    if (!accessKeyId || !secretAccessKey) throw error;
    const sessionToken = entries?.get('aws_session_token');
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  }
}

/** What picks the controller, the region and the credentials: the global options. */
export interface ClientOptions {
  endpoint?: string;
  /** The AWS CLI's name for `--endpoint`. */
  endpointUrl?: string;
  profile?: string;
  region?: string;
}

/** A client of the controller the global options name, signing with the credentials they lead to. */
export function clientFor(options: ClientOptions): ApiClient {
  return new ApiClient(resolveEndpoint(options.endpoint ?? options.endpointUrl), () => cliCredentials(options.profile), signingRegion(process.env, options.region, options.profile));
}

export interface RequestOptions {
  /** A list becomes the key repeated. */
  readonly query?: Record<string, string | number | boolean | readonly (string | number)[] | undefined>;
  readonly body?: unknown;
}

/** A client of one controller. */
export class ApiClient {
  private credentials: Credentials | undefined;

  constructor(
    readonly endpoint: string,
    private readonly credentialSource: CredentialSource,
    private readonly region: string = signingRegion(),
  ) {}

  /**
   * The headers that sign a request (SigV4 for the route's service): `payloadHash` is the body's
   * SHA-256, or UNSIGNED-PAYLOAD for a streamed upload.
   */
  private signed(method: string, url: URL, headers: Record<string, string>, payloadHash: string): Record<string, string> {
    this.credentials ??= this.credentialSource();
    const scope = { region: this.region, service: signingServiceOf(url.pathname) };
    return { ...headers, ...signRequest({ method, url, headers, payloadHash }, this.credentials, scope, new Date()) };
  }

  /** Sends one request and returns the parsed JSON body, or throws the API's error. */
  async request<T>(method: string, route: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(route, this.endpoint + '/');
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (Array.isArray(value)) for (const item of value as unknown[]) url.searchParams.append(key, String(item));
      else if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers = this.signed(method, url, body === undefined ? {} : { 'content-type': 'application/json' }, sha256Hex(body ?? ''));
    return this.send<T>(url, { method, headers, body, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
  }

  /** One fetch: an unreachable controller and the API's problems become WharfErrors; a success is its parsed JSON. */
  private async send<T>(url: URL, init: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw wharfError('WHARF_E_CONTROLLER_UNREACHABLE', { endpoint: this.endpoint, reason }, { cause: error });
    }
    const text = await response.text();
    const body: unknown = text === '' ? undefined : safeJson(text);
    if (response.ok) return body as T;
    throw problemToError(response.status, body, text);
  }

  /**
   * PUTs a file's bytes as a stream (never whole in memory) and returns the parsed JSON answer, or
   * throws the API's error as `request` does. Used for source bundles (`application/zip`).
   */
  async upload<T>(route: string, file: string, contentType = 'application/zip'): Promise<T> {
    const url = new URL(route, this.endpoint + '/');
    // A file that cannot be read fails here, not as an "unreachable controller" from inside fetch.
    await access(file);
    return this.send<T>(url, {
      method: 'PUT',
      // The bytes are streamed, never held: the payload goes unsigned, and the controller hashes what it stores.
      headers: this.signed('PUT', url, { 'content-type': contentType }, UNSIGNED_PAYLOAD),
      body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
      // A streamed request body needs half duplex (the fetch standard; undici insists).
      duplex: 'half',
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    } as RequestInit);
  }

  /** GET that streams: yields the response body line by line (NDJSON), or throws the API's error. */
  async *lines(route: string, query: Record<string, string | number | undefined>, signal?: AbortSignal): AsyncGenerator<string> {
    const url = new URL(route, this.endpoint + '/');
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    let response: Response;
    try {
      response = await fetch(url, { signal, headers: this.signed('GET', url, {}, sha256Hex('')) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw wharfError('WHARF_E_CONTROLLER_UNREACHABLE', { endpoint: this.endpoint, reason: cause?.code ?? cause?.message ?? (error as Error).message }, { cause: error });
    }
    if (!response.ok || !response.body) {
      const text = await response.text();
      throw problemToError(response.status, text === '' ? undefined : safeJson(text), text);
    }
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        yield buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
      }
    }
    if (buffered !== '') yield buffered;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface ProblemBody {
  code?: string;
  awsCode?: string;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
}

/** Rebuilds the server's error; codes this CLI does not know keep the server's message. */
function problemToError(status: number, body: unknown, text: string): WharfError {
  const problem = (body ?? {}) as ProblemBody;
  const code: ErrorCode = problem.code !== undefined && problem.code in ERROR_CATALOGUE ? (problem.code as ErrorCode) : status >= 500 ? 'WHARF_E_INTERNAL' : 'WHARF_E_VALIDATION';
  const message = problem.detail ?? `The controller answered HTTP ${status}: ${text.slice(0, 500)}`;
  return new WharfError(code, message, { errors: problem.errors ?? [], context: { requestId: problem.requestId, httpStatus: status, ...(problem.awsCode ? { awsCode: problem.awsCode } : {}) } });
}
