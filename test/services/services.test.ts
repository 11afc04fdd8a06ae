// ECS services end to end: a controller, two real agents (process driver), real child processes.
// Rolling deployments, replacement of crashed tasks, the circuit breaker with rollback, deletion.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { TestCluster } from '../support/cluster.js';
import { appTaskDefinition, startTestCluster, writeTestApp } from '../support/cluster.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

/** A RUNNING task counts as healthy after this long (no health check, no load balancer). */
const SETTLE_MS = 300;

describe('services', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let app: string;

  const describeService = async (name: string): Promise<any> => (await cluster.api('POST', '/v1/services/describe', { services: [name] })).services[0];
  const serviceTasks = async (name: string): Promise<any[]> => {
    const { taskArns } = await cluster.api('GET', `/v1/tasks?serviceName=${name}`);
    if (taskArns.length === 0) return [];
    return (await cluster.api('POST', '/v1/tasks/describe', { tasks: taskArns })).tasks;
  };
  const versionOf = async (task: any): Promise<string> => {
    const port = task.containers[0].networkBindings[0]?.hostPort;
    return (await fetch(`http://127.0.0.1:${port}/env/VERSION`)).text();
  };
  const steady = (name: string, revision: number, count: number) =>
    waitFor(
      `service ${name} steady on revision ${revision} with ${count} tasks`,
      async () => {
        const s = await describeService(name);
        const primary = s.deployments.find((d: any) => d.status === 'PRIMARY');
        return s.deployments.length === 1 && primary.rolloutState === 'COMPLETED' && primary.taskDefinition.endsWith(`:${revision}`) && s.runningCount === count && s.pendingCount === 0 ? s : undefined;
      },
      { timeoutMs: 30_000 },
    );

  before(async () => {
    cluster = await startTestCluster(scope, { serviceSettleMs: SETTLE_MS });
    await Promise.all([cluster.startAgent({ hostId: 'one', memory: 2048 }), cluster.startAgent({ hostId: 'two', memory: 2048 })]);
    app = await writeTestApp(await tempDir(scope));
    for (const version of ['1', '2']) {
      await cluster.registerTaskDefinition(appTaskDefinition('svc', app, {}, { environment: [{ name: 'VERSION', value: version }] }));
    }
  });

  test('CreateService starts desiredCount tasks and reaches a steady state', async () => {
    const created = await cluster.api('POST', '/v1/services', { serviceName: 'web', taskDefinition: 'svc:1', desiredCount: 3, placementStrategy: [{ type: 'spread', field: 'instanceId' }] });
    assert.equal(created.service.serviceName, 'web');
    assert.equal(created.service.desiredCount, 3);
    const service = await steady('web', 1, 3);
    assert.equal(service.deployments[0].id.startsWith('ecs-svc/'), true);
    const tasks = await serviceTasks('web');
    assert.equal(tasks.length, 3);
    assert.ok(tasks.every((t) => t.group === 'service:web' && t.startedBy === service.deployments[0].id));
    assert.equal(new Set(tasks.map((t) => t.containerInstanceArn)).size, 2, 'spread over both hosts');
    for (const t of tasks) assert.equal(await waitFor('the app to answer', () => versionOf(t)), '1');
    assert.ok(service.events.some((e: any) => /has reached a steady state/.test(e.message)));
    const listed = await cluster.api('GET', '/v1/services');
    assert.deepEqual(listed.serviceArns, [service.serviceArn]);
  });

  test('a crashed task is replaced', async () => {
    const [victim] = await serviceTasks('web');
    const pid = Number(await (await fetch(`http://127.0.0.1:${victim.containers[0].networkBindings[0].hostPort}/pid`)).text());
    process.kill(pid, 'SIGKILL');
    await cluster.waitForTask(victim.taskArn.split('/').pop(), 'to be STOPPED', (t) => t.lastStatus === 'STOPPED');
    await waitFor('a replacement', async () => {
      const tasks = await serviceTasks('web');
      return tasks.length === 3 && tasks.every((t) => t.lastStatus === 'RUNNING' && t.taskArn !== victim.taskArn);
    });
    const service = await steady('web', 1, 3);
    assert.ok(service.events.some((e: any) => /has started 1 task/.test(e.message)));
  });

  test('a new revision rolls out within min 100% / max 200%: never fewer than 3 running, 100% new at the end', async () => {
    await cluster.api('POST', '/v1/services/update', { service: 'web', taskDefinition: 'svc:2' });
    let minimumRunning = Infinity;
    let maximumLive = 0;
    await waitFor(
      'the rollout to revision 2',
      async () => {
        const s = await describeService('web');
        minimumRunning = Math.min(minimumRunning, s.runningCount);
        maximumLive = Math.max(maximumLive, s.runningCount + s.pendingCount);
        const primary = s.deployments.find((d: any) => d.status === 'PRIMARY');
        return s.deployments.length === 1 && primary.taskDefinition.endsWith(':2') && primary.rolloutState === 'COMPLETED' && s.runningCount === 3;
      },
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    assert.ok(minimumRunning >= 3, `running never below 3 (saw ${minimumRunning})`);
    assert.ok(maximumLive <= 6, `never above 200% (saw ${maximumLive})`);
    const tasks = await serviceTasks('web');
    assert.equal(tasks.length, 3);
    for (const t of tasks) assert.equal(await waitFor('the app to answer', () => versionOf(t)), '2');
  });

  test('a revision that keeps failing trips the circuit breaker and rolls back to the last good one', async () => {
    await cluster.registerTaskDefinition(appTaskDefinition('svc', app, {}, { environment: [{ name: 'VERSION', value: '3' }, { name: 'EXIT_AFTER_MS', value: '50' }, { name: 'EXIT_CODE', value: '1' }] }));
    await cluster.api('POST', '/v1/services/update', { service: 'web', taskDefinition: 'svc:3', deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } });
    const service = await waitFor(
      'the rollback to revision 2 to complete',
      async () => {
        const s = await describeService('web');
        return s.events.some((e: any) => /circuit breaker tripped/.test(e.message)) && s.deployments.length === 1 && s.deployments[0].taskDefinition.endsWith(':2') && s.deployments[0].rolloutState === 'COMPLETED' && s.runningCount === 3 ? s : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const tripped = service.events.find((e: any) => /circuit breaker tripped/.test(e.message));
    assert.match(tripped.message, /\d+ task\(s\) of svc:3 failed .*threshold 10/);
    for (const t of await serviceTasks('web')) assert.equal(await versionOf(t), '2');
  });

  test('bad input is refused by field and changes nothing', async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ['/v1/services', { serviceName: 'bad', taskDefinition: 'svc:1', desiredCount: -1 }, 400, /desiredCount/],
      ['/v1/services', { serviceName: 'bad', taskDefinition: 'svc:1', desiredCount: 2, deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 100 } }, 400, /WHARF_E_DEPLOYMENT_BOUNDS/],
      ['/v1/services', { serviceName: 'bad', taskDefinition: 'svc:1', desiredCount: 1, loadBalancers: [{ targetGroupArn: 'tg', containerName: 'web', containerPort: 9999 }] }, 400, /maps no containerPort 9999/],
      ['/v1/services', { serviceName: 'bad', taskDefinition: 'svc:1', desiredCount: 1, loadBalancers: [{ targetGroupArn: 'tg', containerName: 'nope', containerPort: 8080 }] }, 400, /loadBalancers.0.containerName/],
      ['/v1/services', { serviceName: 'bad', taskDefinition: 'svc:1', desiredCount: 1, loadBalancers: [{ targetGroupArn: 'arn:wharf:elasticloadbalancing:local:000000000000:targetgroup/none/0', containerName: 'web', containerPort: 8080 }] }, 404, /WHARF_E_TARGET_GROUP_NOT_FOUND/],
      ['/v1/services', { serviceName: 'web', taskDefinition: 'svc:1', desiredCount: 1 }, 409, /WHARF_E_SERVICE_EXISTS/],
      ['/v1/services', { serviceName: 'bad', taskDefinition: 'nothing-here', desiredCount: 1 }, 404, /WHARF_E_TASK_DEFINITION_NOT_FOUND/],
      ['/v1/services', { serviceName: 'bad name', taskDefinition: 'svc:1', desiredCount: 1 }, 400, /serviceName/],
      ['/v1/services/update', { service: 'missing', desiredCount: 1 }, 404, /WHARF_E_SERVICE_NOT_FOUND/],
      ['/v1/services/update', { service: 'web', desiredCount: -3 }, 400, /desiredCount/],
      // The tasks-per-service quota: one request cannot ask a host for thousands of tasks.
      ['/v1/services', { serviceName: 'bad', taskDefinition: 'svc:1', desiredCount: 5001 }, 400, /desiredCount.*at most 5,000 tasks \(ECS quota/],
      ['/v1/services/update', { service: 'web', desiredCount: 10_000 }, 400, /desiredCount.*at most 5,000 tasks/],
      ['/v1/application-autoscaling/RegisterScalableTarget', { ServiceNamespace: 'ecs', ResourceId: 'service/default/web', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 1, MaxCapacity: 5001 }, 400, /MaxCapacity.*at most 5,000 tasks/],
      ['/v1/services/delete', { service: 'web' }, 409, /WHARF_E_SERVICE_NOT_SCALED_DOWN/],
    ];
    for (const [route, body, status, pattern] of cases) {
      const res = await cluster.controller.call('POST', route, body);
      assert.equal(res.status, status, `${route} ${JSON.stringify(body)} -> ${res.text}`);
      assert.match(res.text, pattern, JSON.stringify(body));
    }
    const after = await cluster.api('POST', '/v1/services/describe', { services: ['bad', 'web'] });
    assert.deepEqual(after.failures.map((f: any) => f.reason), ['MISSING']);
    assert.equal(after.services[0].desiredCount, 3, 'web unchanged');
  });

  test('DeleteService with force stops every task and the service becomes INACTIVE', async () => {
    const deleted = await cluster.api('POST', '/v1/services/delete', { service: 'web', force: true });
    assert.equal(deleted.service.status, 'DRAINING');
    assert.deepEqual((await cluster.api('GET', '/v1/services')).serviceArns, [], 'hidden from ListServices while draining');
    await waitFor('the service INACTIVE', async () => (await describeService('web')).status === 'INACTIVE', { timeoutMs: 20_000 });
    assert.deepEqual(await serviceTasks('web'), []);
  });
});
