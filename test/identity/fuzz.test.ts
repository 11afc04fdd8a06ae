// Thousands of bad requests to every operation, native and through the AWS endpoint (fast-check, seeded, bounded in time): wrong types,
// missing and unknown fields, huge and deeply nested values, bad UTF-8, wrong content types, bad
// signatures. None may be answered 5xx or stop the controller, and none may change the store but
// for audit rows. A real in-process controller on loopback; the store is read through its own file.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { ROUTE_ACTIONS } from '../../src/controller/api/actions.js';
import { AUTOSCALING_OPERATIONS, ECS_OPERATIONS } from '../../src/controller/api/aws/operations.js';
import { AWS_JSON_CONTENT_TYPE, AWS_JSON_SERVICES } from '../../src/model/api/aws/json-protocol.js';
import { sha256Hex, signRequest } from '../../src/model/sigv4.js';
import { signingServiceOf } from '../../src/model/api/signing.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { credentialsFor } from '../support/signing.js';
import { suiteScope, tempDir } from '../support/temp.js';

/** The seed: a failure names it, and the same seed replays the same requests. */
const SEED = 20261207;
/** Requests per kind of badness; with the kinds below, a few thousand in all. */
const RUNS = 300;

/** Every table's rows but the audit log's, as one text: what "no change" compares. */
function storeSnapshot(dataDir: string): string {
  const db = new Database(path.join(dataDir, 'wharf.db'), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'sqlite_sequence') ORDER BY name").all() as { name: string }[];
    return tables.map(({ name }) => `${name}: ${JSON.stringify(db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all())}`).join('\n');
  } finally {
    db.close();
  }
}

/** Operations for which an empty body is a whole, valid request that changes the store: not bad input. */
const VALID_WHEN_EMPTY = new Set(['POST /v1/iam/CreateAccessKey', 'POST /v1/elasticbeanstalk/CreateStorageLocation']);

const ROUTES = Object.keys(ROUTE_ACTIONS).filter((key) => !VALID_WHEN_EMPTY.has(key)).map((key) => {
  const [method = '', route = ''] = key.split(' ');
  return { method, route };
});

/** The AWS endpoint's calls: every operation's target, with the service its signature names. */
const AWS_TARGETS = [
  ...Object.keys(ECS_OPERATIONS).map((operation) => ({ target: `${AWS_JSON_SERVICES.ecs.targetPrefix}.${operation}`, service: AWS_JSON_SERVICES.ecs.signingName })),
  ...Object.keys(AUTOSCALING_OPERATIONS).map((operation) => ({ target: `${AWS_JSON_SERVICES['application-autoscaling'].targetPrefix}.${operation}`, service: AWS_JSON_SERVICES['application-autoscaling'].signingName })),
];

/** A JSON text nested `depth` levels deep (arrays or objects). */
const deeplyNested = fc.tuple(fc.integer({ min: 30, max: 20_000 }), fc.boolean()).map(([depth, arrays]) => (arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));

/** Objects that name real fields of the API with values of the wrong type or size. */
const FIELD_NAMES = ['clusterName', 'cluster', 'family', 'containerDefinitions', 'taskDefinition', 'count', 'desiredCount', 'serviceName', 'tasks', 'services', 'ApplicationName', 'EnvironmentName', 'VersionLabel', 'OptionSettings', 'SourceBundle', 'TargetGroupArn', 'Port', 'Priority', 'ResourceId', 'UserName', 'PolicyDocument', 'tags', 'volumes', 'environment'];
const wrongFields = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 20 })),
  fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.string({ minLength: 5000, maxLength: 70_000 }), fc.constant(null), fc.integer(), fc.double()),
  { maxKeys: 8 },
);

describe('fuzzing every operation', { timeout: 600_000 }, () => {
  const scope = suiteScope();
  let api: TestController;
  let dataDir: string;

  before(async () => {
    dataDir = await tempDir(scope);
    api = await startTestController(scope, { dataDir });
  });

  /** Sends raw bytes to a route, signed with the root key unless `signature` says how to spoil it; returns the status. */
  async function send(method: string, route: string, body: Uint8Array | string | undefined, contentType: string | undefined, signature: 'good' | 'garbage' | 'none' = 'good'): Promise<number> {
    const url = new URL(api.url + route);
    const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
    const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    if (signature === 'good') {
      const credentials = credentialsFor(api.url)!;
      Object.assign(headers, signRequest({ method, url, headers, payloadHash: sha256Hex(bytes ?? '') }, credentials, { region: 'local', service: signingServiceOf(url.pathname) }, new Date()));
    } else if (signature === 'garbage') {
      headers.authorization = 'AWS4-HMAC-SHA256 Credential=AKIAAAAAAAAAAAAAAAAA/20260101/x/ecs/aws4_request, SignedHeaders=host, Signature=' + 'f'.repeat(64);
      headers['x-amz-date'] = '20260101T000000Z';
    }
    const res = await fetch(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : bytes });
    await res.arrayBuffer();
    return res.status;
  }

  /** Sends a body to the AWS endpoint (`POST /`) for `target`, signed for `service` with the root key; returns the status. */
  async function sendAws(target: string, service: string, body: Uint8Array | string, contentType = AWS_JSON_CONTENT_TYPE): Promise<number> {
    const url = new URL(`${api.url}/`);
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    const headers: Record<string, string> = { 'content-type': contentType, 'x-amz-target': target };
    Object.assign(headers, signRequest({ method: 'POST', url, headers, payloadHash: sha256Hex(bytes) }, credentialsFor(api.url)!, { region: 'local', service }, new Date()));
    const res = await fetch(url, { method: 'POST', headers, body: bytes });
    await res.arrayBuffer();
    return res.status;
  }

  /** Runs `property` over requests from `arbitrary`, checking no answer is 5xx. */
  async function check<T>(what: string, arbitrary: fc.Arbitrary<T>, request: (value: T) => Promise<number>): Promise<void> {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        const status = await request(value);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        assert.ok(status < 500, `${what}: answered ${status}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    assert.ok([...statuses.keys()].some((s) => s >= 400), `${what}: some requests were refused (statuses ${JSON.stringify([...statuses])})`);
  }

  const route = fc.constantFrom(...ROUTES).chain(({ method, route: r }) =>
    fc.string({ maxLength: 300 }).map((segment) => ({ method, route: r.replace(/:\w+/g, encodeURIComponent(segment) || 'x') })),
  );

  test('no request is answered 5xx, the controller keeps serving, and the store is unchanged but for audit rows', async (t) => {
    const before = storeSnapshot(dataDir);
    const started = Date.now();
    await check('arbitrary JSON', fc.tuple(route, fc.jsonValue({ maxDepth: 6 })), ([r, value]) => send(r.method, r.route, JSON.stringify(value), 'application/json'));
    await check('wrong fields', fc.tuple(route, wrongFields), ([r, value]) => send(r.method, r.route, JSON.stringify(value), 'application/json'));
    await check('deep nesting', fc.tuple(route, deeplyNested), ([r, text]) => send(r.method, r.route, text, 'application/json'));
    await check('bad UTF-8 and binary', fc.tuple(route, fc.uint8Array({ minLength: 1, maxLength: 2000 })), ([r, bytes]) => send(r.method, r.route, bytes, 'application/json'));
    await check('wrong content types', fc.tuple(route, fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', ''), fc.string({ maxLength: 200 })), ([r, type, text]) =>
      send(r.method, r.route, text, type === '' ? undefined : type),
    );
    await check('bad or no signatures', fc.tuple(route, fc.boolean(), fc.jsonValue({ maxDepth: 3 })), ([r, garbage, value]) => send(r.method, r.route, JSON.stringify(value), 'application/json', garbage ? 'garbage' : 'none'));
    await check('query strings', fc.tuple(route, fc.dictionary(fc.string({ maxLength: 30 }), fc.string({ maxLength: 300 }), { maxKeys: 6 })), ([r, query]) =>
      send(r.method, `${r.route}?${new URLSearchParams(query).toString()}`, undefined, undefined),
    );
    const awsCall = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...AWS_TARGETS) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...AWS_TARGETS), fc.string({ maxLength: 60 })).map(([known, junk]) => ({ target: junk, service: known.service })) },
    );
    await check('the AWS endpoint', fc.tuple(awsCall, fc.oneof(fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value)), wrongFields.map((value) => JSON.stringify(value)), deeplyNested, fc.uint8Array({ maxLength: 500 }))), ([call, body]) =>
      sendAws(call.target, call.service, body),
    );
    const ms = Date.now() - started;
    assert.equal((await fetch(`${api.url}/healthz`)).status, 200, 'the controller still answers');
    const after = storeSnapshot(dataDir);
    const changed = after.split('\n').filter((line) => !before.split('\n').includes(line)).map((line) => line.slice(0, 2000));
    assert.deepEqual(changed, [], 'the store is as it was, but for the audit log');
    const audited = await api.call('GET', '/v1/audit?maxRecords=5&outcome=Unauthenticated');
    assert.ok(audited.json.records.length > 0, 'refused calls were audited');
    t.diagnostic(`${8 * RUNS} requests in ${ms} ms`);
  });
});
