// ECS's per-cluster quotas on a controller whose limits are lowered by settings, so each takes a
// few requests to reach: a request past a quota is refused whole with WHARF_E_QUOTA_EXCEEDED.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { suiteScope } from '../support/temp.js';

describe('cluster quotas', () => {
  const scope = suiteScope();
  let api: TestController;
  before(async () => {
    api = await startTestController(scope, { maxServicesPerCluster: 2 });
    const registered = await api.call('POST', '/v1/task-definitions', { family: 'quota', containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64 }] });
    assert.equal(registered.status, 200, registered.text);
    assert.equal((await api.call('POST', '/v1/clusters', { clusterName: 'other' })).status, 200);
  });

  test('Services per cluster: CreateService past the quota is refused with the quota code and writes nothing', async () => {
    for (const name of ['one', 'two']) {
      const created = await api.call('POST', '/v1/services', { serviceName: name, taskDefinition: 'quota:1', desiredCount: 0 });
      assert.equal(created.status, 200, created.text);
    }
    const third = await api.call('POST', '/v1/services', { serviceName: 'three', taskDefinition: 'quota:1', desiredCount: 0 });
    assert.equal(third.status, 400, third.text);
    assert.equal(third.json.code, 'WHARF_E_QUOTA_EXCEEDED');
    assert.equal(third.json.awsCode, 'LimitExceededException');
    assert.match(third.json.detail, /Cluster "default" is at its quota "Services per cluster" \(2\): it has 2 services that are not INACTIVE\. Delete a service .*WHARF_MAX_SERVICES_PER_CLUSTER; nothing was changed\./);

    const described = await api.call('POST', '/v1/services/describe', { services: ['one', 'two', 'three'] });
    assert.deepEqual(described.json.services.map((s: any) => s.serviceName), ['one', 'two']);
    assert.deepEqual(described.json.failures.map((f: any) => f.reason), ['MISSING']);
    assert.equal((await api.call('GET', '/v1/services')).json.serviceArns.length, 2);

    const elsewhere = await api.call('POST', '/v1/services', { cluster: 'other', serviceName: 'three', taskDefinition: 'quota:1', desiredCount: 0 });
    assert.equal(elsewhere.status, 200, 'the quota is per cluster: ' + elsewhere.text);
  });
});
