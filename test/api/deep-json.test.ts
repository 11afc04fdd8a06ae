// Bodies nested as deep as the body limit allows, over real HTTP: a clear 400, never a 500.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { suiteScope } from '../support/temp.js';

describe('deeply nested JSON bodies', () => {
  const scope = suiteScope();
  let api: TestController;
  before(async () => {
    api = await startTestController(scope, { bodyLimitBytes: 1024 * 1024 });
  });

  test('malformed JSON of 100,000 [ gets 400 WHARF_E_MALFORMED_JSON with line and column, and changes nothing', async () => {
    const before = await api.call('GET', '/v1/clusters');
    const res = await api.call('POST', '/v1/clusters', '['.repeat(100_000));
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.code, 'WHARF_E_MALFORMED_JSON');
    assert.match(res.json.detail, /expected a value .* but found end of input \(line 1, column 100001\)/);
    assert.deepEqual((await api.call('GET', '/v1/clusters')).json, before.json, 'no cluster was made');
    assert.equal((await api.call('GET', '/healthz')).status, 200);
  });

  test('a field kept as given nested 5,000 deep gets 400 naming it, on any API that keeps one', async () => {
    const deep = '{"nested":'.repeat(5000) + '1' + '}'.repeat(5000);
    const before = await api.call('GET', '/v1/clusters');
    const res = await api.call('POST', '/v1/clusters', `{"clusterName": "deep", "configuration": ${deep}}`);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.code, 'WHARF_E_VALIDATION');
    assert.deepEqual(res.json.errors.map((e: any) => e.field), ['configuration']);
    assert.deepEqual((await api.call('GET', '/v1/clusters')).json, before.json, 'no cluster was made');
  });
});
