// The controller API over real HTTP on an OS-chosen port, with a real SQLite store in a temp folder.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { suiteScope } from '../support/temp.js';

describe('controller API', () => {
  const scope = suiteScope();
  let api: TestController;
  before(async () => {
    api = await startTestController(scope, { bodyLimitBytes: 64 * 1024 });
  });

  test('/healthz reports the leader role and the store', async () => {
    const res = await api.call('GET', '/healthz');
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'ok');
    assert.equal(res.json.role, 'leader');
    assert.equal(res.json.store.kind, 'sqlite');
    assert.ok(res.json.store.schemaVersion >= 1);
  });

  test('every response carries a request id; a plain client id is kept, a hostile one replaced', async () => {
    const kept = await api.call('GET', '/healthz', undefined, { 'x-request-id': 'client-req-42' });
    assert.equal(kept.headers.get('x-request-id'), 'client-req-42');
    const replaced = await api.call('GET', '/healthz', undefined, { 'x-request-id': 'bad id; with spaces' });
    assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('the default cluster exists, in ECS shape', async () => {
    const res = await api.call('GET', '/v1/clusters/default');
    assert.equal(res.status, 200);
    assert.equal(res.json.cluster.clusterName, 'default');
    assert.equal(res.json.cluster.status, 'ACTIVE');
    assert.equal(res.json.cluster.clusterArn, 'arn:wharf:ecs:local:000000000000:cluster/default');
    assert.equal(res.json.cluster.registeredContainerInstancesCount, 0);
  });

  test('create, describe, list, delete a cluster; each change writes an event with its request id', async () => {
    const created = await api.call('POST', '/v1/clusters', { clusterName: 'prod', tags: [{ key: 'team', value: 'web' }] }, { 'x-request-id': 'create-prod-1' });
    assert.equal(created.status, 200);
    assert.equal(created.json.cluster.clusterName, 'prod');
    assert.deepEqual(created.json.cluster.tags, [{ key: 'team', value: 'web' }]);

    // Idempotent, as ECS: the same name returns the existing cluster and writes no second event.
    const again = await api.call('POST', '/v1/clusters', { clusterName: 'prod' });
    assert.equal(again.status, 200);
    assert.deepEqual(again.json.cluster.tags, [{ key: 'team', value: 'web' }]);

    const described = await api.call('POST', '/v1/clusters/describe', { clusters: ['prod', 'arn:wharf:ecs:local:000000000000:cluster/default', 'nope'] });
    assert.equal(described.status, 200);
    assert.deepEqual(described.json.clusters.map((c: any) => c.clusterName), ['prod', 'default']);
    assert.deepEqual(described.json.failures, [{ arn: 'arn:wharf:ecs:local:000000000000:cluster/nope', reason: 'MISSING' }]);

    const listed = await api.call('GET', '/v1/clusters');
    assert.ok(listed.json.clusterArns.includes('arn:wharf:ecs:local:000000000000:cluster/prod'));

    const deleted = await api.call('DELETE', '/v1/clusters/prod', undefined, { 'x-request-id': 'delete-prod-1' });
    assert.equal(deleted.status, 200);
    assert.equal(deleted.json.cluster.status, 'INACTIVE');
    const gone = await api.call('DELETE', '/v1/clusters/prod');
    assert.equal(gone.status, 404);
    assert.equal(gone.json.code, 'WHARF_E_CLUSTER_NOT_FOUND');
    const relisted = await api.call('GET', '/v1/clusters');
    assert.ok(!relisted.json.clusterArns.includes('arn:wharf:ecs:local:000000000000:cluster/prod'));

    const events = await api.call('GET', '/v1/events?resourceType=cluster&resourceId=prod');
    assert.equal(events.status, 200);
    assert.deepEqual(
      events.json.events.map((e: any) => [e.message, e.requestId, e.severity]),
      [
        ['Cluster prod deleted.', 'delete-prod-1', 'INFO'],
        ['Cluster prod created.', 'create-prod-1', 'INFO'],
      ],
    );
    const byRequest = await api.call('GET', '/v1/events?requestId=create-prod-1');
    assert.deepEqual(byRequest.json.events.map((e: any) => e.message), ['Cluster prod created.']);
  });

  test('events page with nextToken and filter by severity and time', async () => {
    for (let i = 0; i < 5; i++) await api.call('POST', '/v1/clusters', { clusterName: `paged-${i}` });
    const first = await api.call('GET', '/v1/events?resourceType=cluster&maxRecords=2');
    assert.equal(first.json.events.length, 2);
    assert.ok(first.json.nextToken);
    const second = await api.call('GET', `/v1/events?resourceType=cluster&maxRecords=2&nextToken=${first.json.nextToken}`);
    assert.equal(second.json.events.length, 2);
    assert.ok(Number(second.json.events[0].eventId) < Number(first.json.events[1].eventId), 'the second page continues below the first');
    const warnings = await api.call('GET', '/v1/events?resourceType=cluster&severity=WARN');
    assert.deepEqual(warnings.json.events, []);
    const future = await api.call('GET', `/v1/events?startTime=${new Date(Date.now() + 60_000).toISOString()}`);
    assert.deepEqual(future.json.events, []);
  });

  test('unknown fields are rejected by name and nothing is created', async () => {
    const res = await api.call('POST', '/v1/clusters', { clusterName: 'typo', clusterNmae: 'x', tags: [{ key: 'a', value: 'b', colour: 'red' }] });
    assert.equal(res.status, 400);
    assert.equal(res.json.code, 'WHARF_E_VALIDATION');
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const fields = res.json.errors.map((e: any) => e.field).sort();
    assert.deepEqual(fields, ['clusterNmae', 'tags.0.colour']);
    assert.match(res.json.detail, /nothing was changed/);
    assert.equal((await api.call('GET', '/v1/clusters/typo')).status, 404);
  });

  test('invalid values name the field and say how to fix it', async () => {
    const res = await api.call('POST', '/v1/clusters', { clusterName: 'bad name!', tags: [{ key: 'aws:reserved', value: 'x' }] });
    assert.equal(res.status, 400);
    const byField = Object.fromEntries(res.json.errors.map((e: any) => [e.field, e.message]));
    assert.match(byField.clusterName, /1 to 255 letters, numbers, hyphens and underscores/);
    assert.match(byField['tags.0.key'], /reserved/);
  });

  test('ECS fields Wharf does not act on yet are refused by name, not dropped', async () => {
    const res = await api.call('POST', '/v1/clusters', { clusterName: 'cp', capacityProviders: ['FARGATE'] });
    assert.equal(res.status, 400);
    assert.equal(res.json.code, 'WHARF_E_NOT_YET_SUPPORTED');
    assert.match(res.json.detail, /capacityProviders/);
    assert.equal((await api.call('GET', '/v1/clusters/cp')).status, 404);
  });

  test('malformed JSON gets 400 saying where it broke', async () => {
    const res = await api.call('POST', '/v1/clusters', '{\n  "clusterName": "x",\n  "tags": [1,]\n}');
    assert.equal(res.status, 400);
    assert.equal(res.json.code, 'WHARF_E_MALFORMED_JSON');
    assert.match(res.json.detail, /line 3, column 14/);
    assert.equal((await api.call('GET', '/v1/clusters/x')).status, 404);
  });

  test('an oversized body gets 413 and changes nothing', async () => {
    const res = await api.call('POST', '/v1/clusters', { clusterName: 'huge', tags: [{ key: 'k', value: 'v'.repeat(100 * 1024) }] });
    assert.equal(res.status, 413);
    assert.equal(res.json.code, 'WHARF_E_BODY_TOO_LARGE');
    assert.match(res.json.detail, /65536 bytes/);
    assert.equal((await api.call('GET', '/v1/clusters/huge')).status, 404);
  });

  test('a body that is not JSON gets 415', async () => {
    const res = await api.call('POST', '/v1/clusters', 'clusterName=x', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(res.status, 415);
    assert.equal(res.json.code, 'WHARF_E_UNSUPPORTED_MEDIA_TYPE');
  });

  test('bad query values and page tokens are validation errors', async () => {
    const res = await api.call('GET', '/v1/events?maxRecords=0&severity=LOUD');
    assert.equal(res.status, 400);
    assert.deepEqual(res.json.errors.map((e: any) => e.field).sort(), ['maxRecords', 'severity']);
    const token = await api.call('GET', '/v1/clusters?nextToken=garbage');
    assert.equal(token.status, 400);
    assert.equal(token.json.errors[0].field, 'nextToken');
  });

  test('an unknown route gets a 404 problem', async () => {
    const res = await api.call('GET', '/v1/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.json.code, 'WHARF_E_ROUTE_NOT_FOUND');
  });

  test('the default cluster cannot be deleted', async () => {
    const res = await api.call('DELETE', '/v1/clusters/default');
    assert.equal(res.status, 409);
    assert.equal(res.json.code, 'WHARF_E_DEFAULT_CLUSTER_PROTECTED');
  });

  test('/metrics serves Prometheus text with request counts by route', async () => {
    await api.call('GET', '/v1/clusters/default');
    const res = await api.call('GET', '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(res.text, /wharf_api_requests_total\{method="GET",route="\/v1\/clusters\/:cluster",status="200"\} \d+/);
    assert.match(res.text, /wharf_controller_leader 1/);
    assert.match(res.text, /wharf_process_resident_memory_bytes/);
  });

  test('logs are structured JSON with the request id', async () => {
    await api.call('GET', '/v1/clusters/default', undefined, { 'x-request-id': 'log-check-7' });
    const line = api.logs().find((l) => l.requestId === 'log-check-7' && l.msg === 'request');
    assert.ok(line, 'a request log line with the request id');
    assert.equal(line.status, 200);
    assert.equal(line.url, '/v1/clusters/default');
  });
});

describe('controller API, internal errors', () => {
  test('an unexpected failure is a 500 without internals, logged with its stack under the request id', async (t) => {
    const api = await startTestController(t);
    // Close the store under the running API: the next query fails inside the database driver.
    await api.store.close();
    const res = await api.call('GET', '/v1/clusters/default', undefined, { 'x-request-id': 'boom-1' });
    assert.equal(res.status, 500);
    assert.equal(res.json.code, 'WHARF_E_INTERNAL');
    assert.match(res.json.detail, /request id boom-1/);
    assert.doesNotMatch(res.text, /at .*\.js:\d+/, 'no stack trace in the response');
    assert.doesNotMatch(res.text, /database|sqlite|closed/i, 'no driver internals in the response');
    const logged = api.logs().find((l) => l.requestId === 'boom-1' && l.msg === 'unhandled error');
    assert.ok(logged, 'the error is logged under the request id');
    assert.match(String((logged.err as { stack?: string }).stack), /at /);
  });
});
