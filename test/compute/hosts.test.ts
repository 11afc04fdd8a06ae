// Several agents as separate processes with their own host ids on one machine: placement across
// hosts, draining, a wrong credential, kill -9 of an agent and its return (no orphan, no duplicate).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { TestAgent, TestCluster } from '../support/cluster.js';
import { TEST_HEARTBEAT_TIMEOUT_MS, appTaskDefinition, startTestCluster, writeTestApp } from '../support/cluster.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

const idOf = (arn: string): string => arn.split('/').pop() ?? arn;

async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('tasks across hosts', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let agents: TestAgent[];
  let app: string;

  before(async () => {
    cluster = await startTestCluster(scope);
    await cluster.api('POST', '/v1/clusters', { clusterName: 'multi' });
    agents = await Promise.all([
      cluster.startAgent({ hostId: 'alpha', cluster: 'multi', cpu: 2048, memory: 1024, attributes: { zone: 'a', env: 'prod' } }),
      cluster.startAgent({ hostId: 'beta', cluster: 'multi', cpu: 2048, memory: 1024, attributes: { zone: 'b', env: 'prod' } }),
      cluster.startAgent({ hostId: 'gamma', cluster: 'multi', cpu: 2048, memory: 1024, attributes: { zone: 'c', env: 'test' } }),
    ]);
    app = await writeTestApp(await tempDir(scope));
    await cluster.registerTaskDefinition(appTaskDefinition('spread-app', app, {}, { memory: 128 }));
  });

  const hostOf = (task: any): string => agents.find((a) => a.containerInstanceId === idOf(task.containerInstanceArn))?.hostId ?? '?';

  test('the hosts registered with their attributes and resources', async () => {
    const listed = await cluster.api('GET', '/v1/container-instances?cluster=multi');
    assert.equal(listed.containerInstanceArns.length, 3);
    const prod = await cluster.api('GET', `/v1/container-instances?cluster=multi&filter=${encodeURIComponent('attribute:env == prod')}`);
    assert.deepEqual(prod.containerInstanceArns.map(idOf).sort(), [agents[0]!.containerInstanceId, agents[1]!.containerInstanceId].sort());
    const { containerInstances } = await cluster.api('POST', '/v1/container-instances/describe', { cluster: 'multi', containerInstances: [agents[0]!.containerInstanceId] });
    const attrs = Object.fromEntries(containerInstances[0].attributes.map((a: any) => [a.name, a.value]));
    assert.equal(attrs.zone, 'a');
    assert.equal(attrs['ecs.os-type'], 'linux');
    assert.equal(attrs['wharf.driver'], 'process');
    assert.equal(containerInstances[0].agentConnected, true);

    const { clusters } = await cluster.api('POST', '/v1/clusters/describe', { clusters: ['multi'] });
    assert.equal(clusters[0].registeredContainerInstancesCount, 3);
    const refused = await cluster.controller.call('DELETE', '/v1/clusters/multi');
    assert.equal(refused.status, 409);
    assert.equal(refused.json.code, 'WHARF_E_CLUSTER_NOT_EMPTY');
    assert.match(refused.json.detail, /3 registered container instance\(s\)/);
  });

  test('spread by instanceId puts one task on each host; memberOf keeps tasks on matching hosts', async () => {
    const spread = await cluster.api('POST', '/v1/tasks', { cluster: 'multi', taskDefinition: 'spread-app', count: 3, placementStrategy: [{ type: 'spread', field: 'instanceId' }], startedBy: 'spread' });
    assert.deepEqual(spread.tasks.map(hostOf).sort(), ['alpha', 'beta', 'gamma']);

    const pinned = await cluster.api('POST', '/v1/tasks', {
      cluster: 'multi',
      taskDefinition: 'spread-app',
      count: 4,
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:env == prod' }],
      startedBy: 'pinned',
    });
    assert.ok(pinned.tasks.every((t: any) => ['alpha', 'beta'].includes(hostOf(t))), 'only prod hosts');
    for (const t of [...spread.tasks, ...pinned.tasks]) {
      await waitFor(`task ${idOf(t.taskArn)} RUNNING`, async () => (await cluster.describeTask(idOf(t.taskArn), 'multi'))?.lastStatus === 'RUNNING');
    }
    // Memory is accounted: 1024 MiB per host at 128 MiB per task.
    const { containerInstances } = await cluster.api('POST', '/v1/container-instances/describe', { cluster: 'multi', containerInstances: agents.map((a) => a.containerInstanceId) });
    const remaining = containerInstances.map((i: any) => i.remainingResources.find((r: any) => r.name === 'MEMORY').integerValue);
    const used = remaining.map((m: number) => 1024 - m).reduce((a: number, b: number) => a + b, 0);
    assert.equal(used, 7 * 128);
    const { clusters } = await cluster.api('POST', '/v1/clusters/describe', { clusters: ['multi'] });
    assert.equal(clusters[0].runningTasksCount, 7);
    assert.equal(clusters[0].pendingTasksCount, 0);
    for (const t of [...spread.tasks, ...pinned.tasks]) await cluster.api('POST', '/v1/tasks/stop', { cluster: 'multi', task: t.taskArn });
  });

  test('a draining host gets no new tasks', async () => {
    const gamma = agents[2]!;
    await cluster.api('POST', '/v1/container-instances/state', { cluster: 'multi', containerInstances: [gamma.containerInstanceId], status: 'DRAINING' });
    const run = await cluster.api('POST', '/v1/tasks', { cluster: 'multi', taskDefinition: 'spread-app', count: 6, placementStrategy: [{ type: 'spread', field: 'instanceId' }] });
    assert.equal(run.tasks.length, 6);
    assert.ok(run.tasks.every((t: any) => hostOf(t) !== 'gamma'), 'nothing on the draining host');
    await cluster.api('POST', '/v1/container-instances/state', { cluster: 'multi', containerInstances: [gamma.containerInstanceId], status: 'ACTIVE' });
    for (const t of run.tasks) await cluster.api('POST', '/v1/tasks/stop', { cluster: 'multi', task: t.taskArn });
  });

  test('an agent with a wrong join token or credential is refused with 401 and an event', async () => {
    const wrong = await cluster.controller.call('POST', '/v1/agent/register', {
      joinToken: 'not-the-token',
      cluster: 'multi',
      hostId: 'intruder',
      agentUrl: 'http://127.0.0.1:1',
      agentVersion: '0',
      driver: 'process',
      resources: { cpu: 1, memory: 1 },
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.code, 'WHARF_E_UNAUTHORIZED');
    const forged = await cluster.controller.call('GET', '/v1/agent/desired', undefined, { authorization: `Bearer ${agents[0]!.containerInstanceId}.forged-credential` });
    assert.equal(forged.status, 401);
    const events = await cluster.api('GET', '/v1/events?resourceType=agent&severity=WARN');
    const messages = events.events.map((e: any) => e.message);
    assert.ok(messages.some((m: string) => /intruder gave a wrong join token/.test(m)));
    assert.ok(messages.some((m: string) => new RegExp(`wrong credential for container instance ${agents[0]!.containerInstanceId}`).test(m)));
  });

  test('kill -9 of an agent: its host is lost, its tasks STOPPED; when it returns it stops what it still runs', async () => {
    const beta = agents[1]!;
    const run = await cluster.api('POST', '/v1/tasks', {
      cluster: 'multi',
      taskDefinition: 'spread-app',
      count: 1,
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:zone == b' }],
    });
    const taskId = idOf(run.tasks[0].taskArn);
    const running = await waitFor('the task RUNNING on beta', async () => {
      const t = await cluster.describeTask(taskId, 'multi');
      return t?.lastStatus === 'RUNNING' ? t : undefined;
    });
    const port = running.containers[0].networkBindings[0].hostPort;
    // RUNNING means its process started; the app listens a moment later.
    const pid = Number(await waitFor('the app to answer', async () => (await fetch(`http://127.0.0.1:${port}/pid`)).text()));

    beta.process.child.kill('SIGKILL');
    await beta.process.exited;
    // The container is a child process of its own: it outlives the agent.
    assert.ok(await isAlive(pid), `the container process ${pid} outlives its agent`);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), `task ${taskId}\n`);

    const lostAt = Date.now();
    const stopped = await waitFor(
      'the task STOPPED after the host is lost',
      async () => {
        const t = await cluster.describeTask(taskId, 'multi');
        return t?.lastStatus === 'STOPPED' ? t : undefined;
      },
      { timeoutMs: TEST_HEARTBEAT_TIMEOUT_MS * 4 },
    );
    assert.ok(Date.now() - lostAt >= TEST_HEARTBEAT_TIMEOUT_MS / 2, 'not before the heartbeat timeout');
    assert.equal(stopped.stopCode, 'InfrastructureHealth');
    assert.match(stopped.stoppedReason, /Host beta lost: its agent sent no heartbeat/);
    const { containerInstances } = await cluster.api('POST', '/v1/container-instances/describe', { cluster: 'multi', containerInstances: [beta.containerInstanceId] });
    assert.equal(containerInstances[0].agentConnected, false);
    assert.equal(containerInstances[0].remainingResources.find((r: any) => r.name === 'MEMORY').integerValue, 1024, 'its resources are free again');

    // A new RunTask for zone b cannot use the lost host.
    const meanwhile = await cluster.api('POST', '/v1/tasks', { cluster: 'multi', taskDefinition: 'spread-app', placementConstraints: [{ type: 'memberOf', expression: 'attribute:zone == b' }] });
    assert.deepEqual(meanwhile.tasks, []);
    // ECS names the closest match: the connected hosts that fail the constraint got further than the lost one.
    assert.equal(meanwhile.failures[0].reason, 'ATTRIBUTE');
    assert.match(meanwhile.failures[0].detail, /1 without a connected agent, 2 not matching memberOf/);

    // The agent returns with the same data folder: it finds the container and stops it (never an orphan).
    const back = await cluster.startAgent({ hostId: 'beta', cluster: 'multi', cpu: 2048, memory: 1024, attributes: { zone: 'b', env: 'prod' }, dataDir: beta.dataDir });
    agents[1] = back;
    assert.equal(back.containerInstanceId, beta.containerInstanceId, 'the same container instance');
    await waitFor('the old container to be stopped by the returning agent', async () => !(await isAlive(pid)), { timeoutMs: 15_000 });
    const after = await cluster.describeTask(taskId, 'multi');
    assert.equal(after.lastStatus, 'STOPPED');
    assert.equal(after.stopCode, 'InfrastructureHealth', 'the stop reason stays the first one');
    const again = await cluster.api('POST', '/v1/container-instances/describe', { cluster: 'multi', containerInstances: [beta.containerInstanceId] });
    assert.equal(again.containerInstances[0].agentConnected, true);
    assert.equal(again.containerInstances[0].runningTasksCount, 0, 'no duplicate: the stopped task was not restarted');
  });
});
