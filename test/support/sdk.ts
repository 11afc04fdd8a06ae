/**
 * The AWS SDK for JavaScript v3 clients against a test's controller: their configuration, and the
 * checks the SDK tests share (a Date the client parsed, the error a call fails with).
 */
import assert from 'node:assert/strict';
import type { Credentials } from '../../src/model/sigv4.js';
import { credentialsFor } from './signing.js';
import type { CleanupScope } from './temp.js';

/** What an SDK v3 client needs to call Wharf. */
export interface SdkConfig {
  readonly endpoint: string;
  readonly region: 'us-east-1';
  readonly credentials: Credentials;
  readonly maxAttempts: 1;
}

/**
 * The configuration of an SDK client for the controller at `endpoint`: us-east-1, signing with
 * `credentials` (the key the test's controller registered, see signing.ts, unless given), and no
 * retries, so a failure shows at once rather than after the client's back-off.
 */
export function sdkConfig(endpoint: string, credentials: Credentials | undefined = credentialsFor(endpoint)): SdkConfig {
  if (credentials === undefined) throw new Error(`No credentials registered for ${endpoint}: start the controller with startTestController or startTestCluster`);
  return { endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
}

/**
 * An SDK client (`new Client(sdkConfig(endpoint, credentials))`) for the controller at `endpoint`,
 * destroyed (its sockets closed) after `scope`, as `sdkClient(scope, ECSClient, cluster.controller.url)`.
 */
export function sdkClient<T extends { destroy(): void }>(scope: CleanupScope, Client: new (config: SdkConfig) => T, endpoint: string, credentials?: Credentials): T {
  const client = new Client(sdkConfig(endpoint, credentials));
  scope.after(() => client.destroy());
  return client;
}

/** Asserts `value` is a Date the client parsed, within five minutes of now; `what` names it in the failure. */
export function recentDate(value: unknown, what: string): void {
  assert.ok(value instanceof Date, `${what} is a Date (got ${typeof value}: ${String(value)})`);
  assert.ok(Math.abs(value.getTime() - Date.now()) < 300_000, `${what} ${value.toISOString()} is about now`);
}

/** The error a call fails with, to check its class and fields; the test fails if the call succeeds. */
export async function failure(call: Promise<unknown>): Promise<any> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  assert.fail('the call should have failed');
}

/** What a failed call's error must be, for `fails`. */
export interface ExpectedSdkError {
  /** The error's name: the model's exception, or the code on the wire when the model names none. */
  readonly name: string;
  /** The code on the wire (the Query protocol's `<Code>`), when it differs from the name. */
  readonly code?: string;
  /** The HTTP status (400 unless given); 5xx is a server fault, else a client fault. */
  readonly status?: number;
  readonly message?: RegExp;
  /** The client's exception class the error must be an instance of. */
  readonly type?: abstract new (...args: never[]) => Error;
}

/**
 * Checks an error as the client parsed it: its class (or, for a code the model does not name as an
 * exception, its name), the code on the wire, the HTTP status and fault, a message, and the
 * request id. Returns the error.
 */
export async function fails(call: Promise<unknown>, expected: ExpectedSdkError): Promise<any> {
  const error = await failure(call);
  if (expected.type) assert.ok(error instanceof expected.type, `${error?.name} is a ${expected.type.name}: ${error?.message}`);
  assert.equal(error.name, expected.name, `${error.name}: ${error.message}`);
  if (expected.code) assert.equal(error.Code ?? error.Error?.Code, expected.code, `the wire's code (${JSON.stringify(error.Error ?? error.Code)})`);
  assert.equal(error.$metadata.httpStatusCode, expected.status ?? 400);
  assert.equal(error.$fault, (expected.status ?? 400) >= 500 ? 'server' : 'client');
  assert.match(error.$metadata.requestId ?? '', /\S/, 'an error carries the request id');
  assert.ok(typeof error.message === 'string' && error.message.length > 10, `a message: ${error.message}`);
  if (expected.message) assert.match(error.message, expected.message);
  return error;
}
