// Thousands of bad requests to every operation, native and through the AWS endpoint (fast-check, seeded, bounded in time): wrong types,
// missing and unknown fields, huge and deeply nested values, bad UTF-8, wrong content types, bad
// signatures; in the Query protocol, forms naming every Elastic Beanstalk, ELBv2 and IAM Action
// (and junk ones) with junk member.N lists, huge indexes, names given twice, values of the wrong type. None may be answered 5xx or stop the controller, and none may change the store but
// for audit rows. A real in-process controller on loopback; the store is read through its own file.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { ROUTE_ACTIONS } from '../../src/controller/api/actions.js';
import { AUTOSCALING_OPERATIONS, ECS_OPERATIONS } from '../../src/controller/api/aws/operations.js';
import { QUERY_OPERATIONS } from '../../src/controller/api/aws/query.js';
import { AWS_JSON_CONTENT_TYPE, AWS_JSON_SERVICES } from '../../src/model/api/aws/json-protocol.js';
import type { AwsQueryService } from '../../src/model/api/aws/query-protocol.js';
import { AWS_QUERY_CONTENT_TYPE, AWS_QUERY_SERVICES, MAX_QUERY_INDEX } from '../../src/model/api/aws/query-protocol.js';
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

/** The Query protocol's calls: every operation's Action, with its service's Version and signing name (operations valid with an empty form left out). */
const QUERY_CALLS = (Object.keys(QUERY_OPERATIONS) as AwsQueryService[]).flatMap((service) =>
  Object.entries(QUERY_OPERATIONS[service])
    .filter(([, operation]) => !VALID_WHEN_EMPTY.has(operation.route))
    .map(([action]) => ({ service, version: AWS_QUERY_SERVICES[service].version, action })),
);

/** Parameter names of the three Query services' operations, to be given junk. */
const QUERY_FIELDS = [
  'ApplicationName', 'EnvironmentName', 'EnvironmentId', 'VersionLabel', 'TemplateName', 'CNAMEPrefix', 'Description', 'SolutionStackName', 'OptionSettings', 'OptionsToRemove', 'SourceBundle',
  'SourceBundle.S3Bucket', 'Tier', 'Tags', 'EnvironmentNames', 'ApplicationNames', 'VersionLabels', 'MaxRecords', 'IncludeDeleted', 'Process', 'AutoCreateApplication', 'TerminateResources', 'AttributeNames',
  'TargetGroupArn', 'Name', 'Names', 'Port', 'Protocol', 'Priority', 'ListenerArn', 'RuleArn', 'Targets', 'Attributes', 'Conditions', 'Actions', 'DefaultActions', 'HealthCheckIntervalSeconds', 'Matcher',
  'UserName', 'GroupName', 'PolicyName', 'PolicyDocument', 'PolicyArn', 'AccessKeyId', 'Status', 'Path', 'PathPrefix', 'MaxItems', 'Marker', 'ActionNames', 'ContextEntries', 'PolicySourceArn', 'Scope', 'OnlyAttached',
];

/** A form's value: text of the wrong kind for the field (a number's, a boolean's), empty, huge, or a name JavaScript objects hold. */
const queryValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', 'abc', '-1', '0', '1e400', 'NaN', '99999999999999999999', 'true', 'maybe', '__proto__', 'constructor', '{"a":1}', '[1,2]'),
  fc.string({ minLength: 5000, maxLength: 70_000 }),
);

/** A parameter name: a real field, its list items at any index (0, negative, past the limit, huge), deep or junk names. */
const queryName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...QUERY_FIELDS) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...QUERY_FIELDS),
        fc.constantFrom('member', 'entry', 'Member', 'member.member'),
        fc.oneof(fc.integer({ min: -2, max: 4 }), fc.constantFrom(MAX_QUERY_INDEX, MAX_QUERY_INDEX + 1, 2 ** 31, 2 ** 53, '1e21', '01', 'x')),
        fc.option(fc.constantFrom(...QUERY_FIELDS, 'key', 'value', 'Key', 'Value', 'Namespace', 'OptionName', 'Values', '__proto__'), { nil: undefined }),
      )
      .map(([field, list, index, member]) => [field, list, String(index), ...(member === undefined ? [] : [member])].join('.')),
  },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...QUERY_FIELDS, 'member', '1'), { minLength: 20, maxLength: 60 }).map((parts) => parts.join('.')) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
);

/** A whole list of one field, numbered 1 … n with no gap, up to the limit and one past it. */
const queryList = fc.tuple(fc.constantFrom(...QUERY_FIELDS), fc.constantFrom(2, 50, MAX_QUERY_INDEX, MAX_QUERY_INDEX + 1), queryValue.filter((v) => v.length < 100)).map(([field, count, value]) =>
  Array.from({ length: count }, (_, i) => [`${field}.member.${i + 1}`, value] as [string, string]),
);

/** A parameter no operation can take (an unknown name, an index past the limit, a list's second item without its first): the whole form is refused. */
const queryRefused = fc.oneof(
  fc.string({ maxLength: 20 }).map((name) => [`Junk${name}`, 'x'] as [string, string]),
  fc.constantFrom(...QUERY_FIELDS).map((field) => [`${field}.member.${MAX_QUERY_INDEX + 1}`, 'x'] as [string, string]),
  fc.constantFrom(...QUERY_FIELDS).map((field) => [`${field}.member.2`, 'x'] as [string, string]),
);

/** A form's parameters: some of the above, a whole list sometimes, the first name given again sometimes, and (when `refused`) one no operation takes. */
const queryParams = (refused: boolean) =>
  fc.tuple(fc.array(fc.tuple(queryName, queryValue), { maxLength: 8 }), fc.option(queryList, { nil: undefined }), fc.boolean(), refused ? queryRefused : fc.constant(undefined)).map(([params, list, twice, bad]) => {
    const all = [...params, ...(list ?? [])];
    if (twice && all[0]) all.push([all[0][0], 'again']);
    if (bad) all.splice(all.length >> 1, 0, bad);
    return all;
  });

/** Real fields, plain or as the first items of a list, with short values: forms a read-only operation may take whole. */
const queryPlausible = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom(...QUERY_FIELDS), fc.tuple(fc.constantFrom(...QUERY_FIELDS), fc.constantFrom('1', '1.Key', '1.Value', '1.Namespace', '1.OptionName')).map(([field, item]) => `${field}.member.${item}`)),
    fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('1', '10', 'true', 'false', 'All', 'Local', '/')),
  ),
  { maxLength: 4 },
);

/** Operations that change nothing: fuzzed with forms that may be whole and valid. */
const READ_ONLY_ACTION = /^(Describe|List|Get|Check|Validate|Simulate)/;

/** An Action and Version: a real operation's, a junk Action, or another service's Version (signed for the operation's own). */
const queryCall = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...QUERY_CALLS) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...QUERY_CALLS), fc.string({ maxLength: 40 })).map(([call, action]) => ({ ...call, action })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...QUERY_CALLS), fc.constantFrom('', 'junk', '2014-11-13', ...Object.values(AWS_QUERY_SERVICES).map((s) => s.version))).map(([call, version]) => ({ ...call, version })) },
);

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

  /** Sends a Query form (or any bytes as one) to `POST /`, signed for `service` with the root key; returns the status. */
  async function sendQuery(service: string, body: Uint8Array | string, contentType = AWS_QUERY_CONTENT_TYPE): Promise<number> {
    const url = new URL(`${api.url}/`);
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    const headers: Record<string, string> = { 'content-type': contentType };
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
    // Every form to an operation that changes the store has a part no operation takes (so it is
    // refused whole, however right the rest is); forms to read-only operations need not.
    const queryForm = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(queryCall, queryParams(true)) },
      { weight: 1, arbitrary: fc.tuple(queryCall.filter((call) => READ_ONLY_ACTION.test(call.action)), fc.oneof(queryParams(false), queryPlausible)) },
    );
    await check('the Query protocol', queryForm, ([call, params]) => {
      const form = new URLSearchParams([['Action', call.action], ['Version', call.version], ...params]);
      return sendQuery(call.service, form.toString());
    });
    const junkForm = fc.oneof(
      fc.string({ maxLength: 500 }),
      fc.array(fc.constantFrom('Action=', 'Version=', '&', '=', '%', '%zz', '%E2%82', '+', '.member.', '1', 'GetUser', '2010-05-08', 'UserName'), { maxLength: 60 }).map((parts) => parts.join('')),
      fc.uint8Array({ minLength: 1, maxLength: 2000 }),
    );
    await check('Query bodies of junk', fc.tuple(fc.constantFrom(...Object.keys(AWS_QUERY_SERVICES)), junkForm, fc.constantFrom(AWS_QUERY_CONTENT_TYPE, `${AWS_QUERY_CONTENT_TYPE}; charset=utf-8`, `${AWS_QUERY_CONTENT_TYPE}; charset=latin1`)), ([service, body, type]) =>
      sendQuery(service, body, type),
    );
    const ms = Date.now() - started;
    assert.equal((await fetch(`${api.url}/healthz`)).status, 200, 'the controller still answers');
    const after = storeSnapshot(dataDir);
    const changed = after.split('\n').filter((line) => !before.split('\n').includes(line)).map((line) => line.slice(0, 2000));
    assert.deepEqual(changed, [], 'the store is as it was, but for the audit log');
    const audited = await api.call('GET', '/v1/audit?maxRecords=5&outcome=Unauthenticated');
    assert.ok(audited.json.records.length > 0, 'refused calls were audited');
    t.diagnostic(`${10 * RUNS} requests in ${ms} ms`);
  });
});
