// DAEMON services end to end: a controller and real agents (process driver). One task on each
// host; a host that joins gets one; a new revision replaces them host by host; a DRAINING host's
// task stops and is not moved; what ECS refuses for a daemon is refused and creates nothing.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { TestAgent, TestCluster } from '../support/cluster.js';
import { appTaskDefinition, startTestCluster, writeTestApp } from '../support/cluster.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

/** A RUNNING task counts as healthy after this long (no health check, no load balancer). */
const SETTLE_MS = 300;
/** Generous: two cores shared with other suites. */
const STEADY_TIMEOUT_MS = 45_000;

describe('DAEMON services', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let app: string;
  const agents: TestAgent[] = [];

  const describeService = async (name: string): Promise<any> => (await cluster.api('POST', '/v1/services/describe', { services: [name] })).services[0];
  const serviceTasks = async (name: string): Promise<any[]> => {
    const { taskArns } = await cluster.api('GET', `/v1/tasks?serviceName=${name}`);
    if (taskArns.length === 0) return [];
    return (await cluster.api('POST', '/v1/tasks/describe', { tasks: taskArns })).tasks;
  };
  const versionOf = async (task: any): Promise<string> => (await fetch(`http://127.0.0.1:${task.containers[0].networkBindings[0]?.hostPort}/env/VERSION`)).text();
  const hostOf = (task: any): string => task.containerInstanceArn.split('/').pop();
  /** Tasks of the service that are not STOPPED yet (stopping ones included), per host, from the store. */
  const occupancy = async (name: string): Promise<Map<string, number>> => {
    const counts = new Map<string, number>();
    for (const t of await cluster.controller.store.tasks.list({ cluster: 'default', group: `service:${name}`, limit: 1000 })) {
      if (t.lastStatus !== 'STOPPED') counts.set(t.containerInstanceId, (counts.get(t.containerInstanceId) ?? 0) + 1);
    }
    return counts;
  };
  const steady = (name: string, revision: number, hosts: readonly TestAgent[]) =>
    waitFor(
      `service ${name} steady on revision ${revision} with one task on each of ${hosts.map((h) => h.hostId).join(', ')}`,
      async () => {
        const s = await describeService(name);
        const primary = s.deployments.find((d: any) => d.status === 'PRIMARY');
        if (!(s.deployments.length === 1 && primary.rolloutState === 'COMPLETED' && primary.taskDefinition.endsWith(`:${revision}`))) return undefined;
        if (!(s.desiredCount === hosts.length && s.runningCount === hosts.length && s.pendingCount === 0)) return undefined;
        const tasks = await serviceTasks(name);
        const on = tasks.map(hostOf).sort();
        return JSON.stringify(on) === JSON.stringify(hosts.map((h) => h.containerInstanceId).sort()) ? { service: s, tasks } : undefined;
      },
      { timeoutMs: STEADY_TIMEOUT_MS },
    );

  before(async () => {
    cluster = await startTestCluster(scope, { serviceSettleMs: SETTLE_MS });
    agents.push(...(await Promise.all([cluster.startAgent({ hostId: 'one', memory: 2048 }), cluster.startAgent({ hostId: 'two', memory: 2048 })])));
    app = await writeTestApp(await tempDir(scope));
    for (const version of ['1', '2']) {
      await cluster.registerTaskDefinition(appTaskDefinition('node-agent', app, {}, { environment: [{ name: 'VERSION', value: version }] }));
    }
  });

  test('CreateService with DAEMON runs one task on each of the 2 hosts, desiredCount computed, daemon defaults', async () => {
    const created = await cluster.api('POST', '/v1/services', { serviceName: 'agentd', taskDefinition: 'node-agent:1', schedulingStrategy: 'DAEMON' });
    assert.equal(created.service.schedulingStrategy, 'DAEMON');
    assert.equal(created.service.desiredCount, 2);
    assert.deepEqual(created.service.deploymentConfiguration, { minimumHealthyPercent: 0, maximumPercent: 100, deploymentCircuitBreaker: { enable: false, rollback: false } });
    const { service, tasks } = await steady('agentd', 1, agents);
    assert.equal(new Set(tasks.map(hostOf)).size, 2, 'one per host');
    for (const t of tasks) assert.equal(await waitFor('the app to answer', () => versionOf(t)), '1');
    assert.ok(service.events.some((e: any) => /created with node-agent:1 \(DAEMON\): one task on each of 2 container instance/.test(e.message)));
    assert.deepEqual((await cluster.api('GET', '/v1/services?schedulingStrategy=DAEMON')).serviceArns, [service.serviceArn]);
    assert.deepEqual((await cluster.api('GET', '/v1/services?schedulingStrategy=REPLICA')).serviceArns, []);
    const scaling = await cluster.controller.call('POST', '/v1/application-autoscaling/RegisterScalableTarget', {
      ServiceNamespace: 'ecs',
      ResourceId: 'service/default/agentd',
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 1,
      MaxCapacity: 4,
    });
    assert.equal(scaling.status, 400, 'a DAEMON service cannot be a scalable target');
    assert.match(scaling.text, /DAEMON/);
  });

  test('a third host joins and gets a task; desiredCount follows; a host too small for the task is not counted', async () => {
    // One at a time: each agent has its own deadline to register, and the machine may be busy.
    agents.push(await cluster.startAgent({ hostId: 'three', memory: 2048, attributes: { role: 'edge' } }));
    await cluster.startAgent({ hostId: 'tiny', memory: 32 });
    const { service } = await steady('agentd', 1, agents);
    assert.equal(service.desiredCount, 3);
    assert.ok(service.events.some((e: any) => /desired count 2 -> 3: 3 container instance\(s\) take its daemon tasks/.test(e.message)));
    assert.ok(!service.events.some((e: any) => /unable to place/.test(e.message)), 'no placement was tried on the small host');
  });

  test('a new revision replaces the tasks host by host: never two tasks on one host, all new at the end', async () => {
    await cluster.api('POST', '/v1/services/update', { service: 'agentd', taskDefinition: 'node-agent:2' });
    let most = 0;
    await waitFor(
      'the rollout to revision 2',
      async () => {
        for (const n of (await occupancy('agentd')).values()) most = Math.max(most, n);
        const s = await describeService('agentd');
        const primary = s.deployments.find((d: any) => d.status === 'PRIMARY');
        return s.deployments.length === 1 && primary.taskDefinition.endsWith(':2') && primary.rolloutState === 'COMPLETED' && s.runningCount === 3;
      },
      { timeoutMs: STEADY_TIMEOUT_MS, intervalMs: 20 },
    );
    assert.equal(most, 1, 'a host never held two tasks of the service (stopping ones included)');
    const { tasks } = await steady('agentd', 2, agents);
    for (const t of tasks) assert.equal(await waitFor('the app to answer', () => versionOf(t)), '2');
  });

  test('a DRAINING host has its task stopped and not moved', async () => {
    const three = agents[2]!;
    await cluster.api('POST', '/v1/container-instances/state', { containerInstances: [three.containerInstanceId], status: 'DRAINING' });
    const { service } = await steady('agentd', 2, agents.slice(0, 2));
    assert.equal(service.desiredCount, 2);
    assert.ok(service.events.some((e: any) => new RegExp(`container instance ${three.containerInstanceId} is DRAINING`).test(e.message)));
    for (const n of (await occupancy('agentd')).values()) assert.equal(n, 1);
    await cluster.api('POST', '/v1/container-instances/state', { containerInstances: [three.containerInstanceId], status: 'ACTIVE' });
    await steady('agentd', 2, agents);
  });

  test('UpdateService changes the constraints: a host that no longer meets them loses its task; back, it gets one again', async () => {
    const three = agents[2]!;
    const before = (await serviceTasks('agentd')).find((t) => hostOf(t) === three.containerInstanceId);
    const updated = await cluster.api('POST', '/v1/services/update', { service: 'agentd', placementConstraints: [{ type: 'memberOf', expression: 'attribute:role != edge' }] });
    assert.equal(updated.service.desiredCount, 2, 'recounted at once');
    const { service } = await steady('agentd', 2, agents.slice(0, 2));
    assert.ok(service.events.some((e: any) => new RegExp(`container instance ${three.containerInstanceId} no longer meets the service's placement constraints`).test(e.message)));
    await cluster.api('POST', '/v1/services/update', { service: 'agentd', placementConstraints: [] });
    const { tasks } = await steady('agentd', 2, agents);
    const after = tasks.find((t) => hostOf(t) === three.containerInstanceId);
    assert.notEqual(after.taskArn, before.taskArn, 'a new task on the host');
    assert.equal((await cluster.describeTask(before.taskArn.split('/').pop())).lastStatus, 'STOPPED');
  });

  test('bad input is refused by field and changes nothing', async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ['/v1/services', { serviceName: 'bad', taskDefinition: 'node-agent:1', schedulingStrategy: 'DAEMON', desiredCount: 5 }, 400, /The daemon scheduling strategy does not support a desired count.*"field":"desiredCount"/],
      ['/v1/services', { serviceName: 'bad', taskDefinition: 'node-agent:1', schedulingStrategy: 'DAEMON', placementStrategy: [{ type: 'spread', field: 'instanceId' }] }, 400, /"field":"placementStrategy".*takes no placementStrategy/],
      ['/v1/services', { serviceName: 'bad', taskDefinition: 'node-agent:1', schedulingStrategy: 'DAEMON', deploymentConfiguration: { maximumPercent: 200 } }, 400, /"field":"deploymentConfiguration.maximumPercent".*maximumPercent must be 100/],
      ['/v1/services', { serviceName: 'bad', taskDefinition: 'node-agent:1', schedulingStrategy: 'DAEMON', deploymentConfiguration: { minimumHealthyPercent: 100 } }, 400, /WHARF_E_DEPLOYMENT_BOUNDS.*minimumHealthyPercent 100, a DAEMON service/],
      ['/v1/services/update', { service: 'agentd', desiredCount: 7 }, 400, /The daemon scheduling strategy does not support a desired count/],
      ['/v1/services/update', { service: 'agentd', placementStrategy: [{ type: 'binpack', field: 'memory' }] }, 400, /"field":"placementStrategy"/],
      ['/v1/services/update', { service: 'agentd', deploymentConfiguration: { maximumPercent: 150 } }, 400, /maximumPercent must be 100/],
      ['/v1/services/update', { service: 'agentd', schedulingStrategy: 'REPLICA' }, 400, /schedulingStrategy/],
    ];
    for (const [route, body, status, pattern] of cases) {
      const res = await cluster.controller.call('POST', route, body);
      assert.equal(res.status, status, `${route} ${JSON.stringify(body)} -> ${res.text}`);
      assert.match(res.text, pattern, JSON.stringify(body));
    }
    const after = await cluster.api('POST', '/v1/services/describe', { services: ['bad', 'agentd'] });
    assert.deepEqual(after.failures.map((f: any) => f.reason), ['MISSING']);
    assert.equal(after.services[0].deployments.length, 1, 'agentd unchanged: no new deployment');
    assert.equal(after.services[0].deploymentConfiguration.maximumPercent, 100);
    const same = await cluster.api('POST', '/v1/services/update', { service: 'agentd', desiredCount: 3 });
    assert.equal(same.service.desiredCount, 3, 'repeating the computed desired count is accepted');
  });

  test('DeleteService needs no force for a DAEMON service: its tasks stop and it becomes INACTIVE', async () => {
    const deleted = await cluster.api('POST', '/v1/services/delete', { service: 'agentd' });
    assert.equal(deleted.service.status, 'DRAINING');
    await waitFor('the service INACTIVE', async () => (await describeService('agentd')).status === 'INACTIVE', { timeoutMs: 30_000 });
    assert.deepEqual(await serviceTasks('agentd'), []);
  });
});
