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
    api = await startTestController(scope, { maxServicesPerCluster: 2, maxProvisioningTasksPerCluster: 3 });
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

  test('Tasks in the PROVISIONING state per cluster: a RunTask that would pass the quota is refused whole', async () => {
    // A host that registers and never polls: what is placed on it stays PROVISIONING.
    const host = await api.call('POST', '/v1/agent/register', {
      joinToken: api.joinToken,
      hostId: 'silent',
      agentUrl: 'http://127.0.0.1:1',
      agentVersion: '0',
      driver: 'process',
      resources: { cpu: 4096, memory: 4096 },
    });
    assert.equal(host.status, 200, host.text);
    const run = (count: number) => api.call('POST', '/v1/tasks', { taskDefinition: 'quota:1', count, startedBy: 'quota-test' });
    const listed = async (): Promise<number> => (await api.call('GET', '/v1/tasks?startedBy=quota-test')).json.taskArns.length;

    const first = await run(2);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json.tasks.map((t: any) => t.lastStatus), ['PROVISIONING', 'PROVISIONING']);

    const over = await run(2);
    assert.equal(over.status, 400, over.text);
    assert.equal(over.json.code, 'WHARF_E_QUOTA_EXCEEDED');
    assert.equal(over.json.awsCode, 'LimitExceededException');
    assert.match(over.json.detail, /Cluster "default" is at its quota "Tasks in the PROVISIONING state per cluster" \(3\): it has 2 tasks not yet RUNNING, and RunTask asks for 2 more\. .*ask for at most 1 with `count`.*WHARF_MAX_PROVISIONING_TASKS_PER_CLUSTER; nothing was changed\./);
    assert.equal(await listed(), 2, 'no task of the refused request was placed');

    assert.equal((await run(1)).status, 200, 'up to the quota exactly is allowed');
    assert.equal((await run(1)).json.code, 'WHARF_E_QUOTA_EXCEEDED');
    assert.equal(await listed(), 3);
  });
});
