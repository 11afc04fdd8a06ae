// Tasks end to end with the docker driver: a real `wharf agent --driver docker` process on the
// suite's Docker Engine (or a private one for this file), containers of the local node image.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { runWharf } from '../support/cli.js';
import type { TestCluster } from '../support/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import type { TestDocker } from '../support/docker.js';
import { NODE_IMAGE, NODE_IN_IMAGE, useDocker } from '../support/docker.js';
import { suiteScope } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

const idOf = (arn: string): string => arn.split('/').pop() ?? arn;

/** An HTTP server on $PORT (the container port with docker) answering with its task id. */
const HTTP_SERVER = `
const http = require('http');
const port = Number(process.env.PORT);
http.createServer((req, res) => {
  console.log('request ' + req.url);
  res.end('task ' + process.env.WHARF_TASK_ID + '\\n');
}).listen(port, '0.0.0.0', () => console.log('listening on ' + port));
`;

describe('tasks with the docker driver', () => {
  const scope = suiteScope();
  let engine: TestDocker;
  let cluster: TestCluster;

  before(async () => {
    // No host loss here: a generous heartbeat timeout, so a busy machine's slow report is not one.
    [engine, cluster] = await Promise.all([useDocker(scope), startTestCluster(scope, { agentHeartbeatTimeoutMs: 30_000 })]);
    // A host id of its own: files sharing the suite's engine never see each other's containers.
    await cluster.startAgent({ hostId: `docker-${randomBytes(4).toString('hex')}`, driver: 'docker', dockerSocket: engine.socketPath, cpu: 2048, memory: 2048 });
    await cluster.registerTaskDefinition({
      family: 'docker-web',
      containerDefinitions: [{ name: 'web', image: NODE_IMAGE, entryPoint: [NODE_IN_IMAGE, '-e', HTTP_SERVER], memory: 128, portMappings: [{ containerPort: 8080 }], stopTimeout: 5 }],
    });
  });

  /** Whether the engine runs any container of the task. */
  async function runningContainersOf(taskId: string): Promise<string[]> {
    const found = await engine.docker.listContainers({ filters: { label: [`wharf.task-id=${taskId}`], status: ['running'] } });
    return found.map((c) => c.Id);
  }

  test('a task runs as a container: RUNNING, serves at its target and host port, logs, StopTask stops it', async () => {
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'docker-web' });
    assert.deepEqual(run.failures, []);
    const taskId = idOf(run.tasks[0].taskArn);
    const running = await cluster.waitForTask(taskId, 'to be RUNNING', (t) => t.lastStatus === 'RUNNING');
    const web = running.containers[0];
    const binding = web.networkBindings[0];
    assert.equal(binding.containerPort, 8080);
    assert.ok(binding.hostPort > 0, `a dynamic host port, got ${binding.hostPort}`);

    // The target the router will use: the container's own address and port, as the agent reported it.
    const stored = await cluster.controller.store.tasks.get(taskId);
    const target = stored?.containers[0]?.targetAddress;
    const info = await engine.docker.getContainer(web.runtimeId).inspect();
    const ip = Object.values(info.NetworkSettings.Networks)[0]?.IPAddress;
    assert.ok(ip, 'the container has an address on the bridge');
    assert.equal(target, `${ip}:8080`);
    assert.equal(await waitFor('the app to answer at its target', async () => (await fetch(`http://${target}/`)).text()), `task ${taskId}\n`);
    assert.equal(await (await fetch(`http://127.0.0.1:${binding.hostPort}/`)).text(), `task ${taskId}\n`, 'and through the published host port');

    const logs = await waitFor('the logs to show the server and its requests', async () => {
      const res = await runWharf(['--endpoint', cluster.controller.url, 'logs', taskId]);
      return res.stdout.includes('listening on 8080') && res.stdout.includes('request /') ? res : undefined;
    });
    assert.equal(logs.code, 0, logs.stderr);

    await cluster.api('POST', '/v1/tasks/stop', { task: taskId, reason: 'docker test done' });
    const stopped = await cluster.waitForTask(taskId, 'to be STOPPED', (t) => t.lastStatus === 'STOPPED');
    assert.equal(stopped.stopCode, 'UserInitiated');
    assert.equal(stopped.stoppedReason, 'docker test done');
    assert.equal(stopped.containers[0].exitCode, 143, 'SIGTERM (through docker-init) ended it');
    assert.deepEqual(await runningContainersOf(taskId), [], 'the engine runs nothing of the task');
    const after = await engine.docker.getContainer(web.runtimeId).inspect();
    assert.equal(after.State.Running, false);
  });

  test('a missing image: the task fails to start with CannotPullContainerError and the engine message', async () => {
    await cluster.registerTaskDefinition({
      family: 'docker-missing',
      containerDefinitions: [{ name: 'web', image: 'wharf-test/no-such-image:1', memory: 64 }],
    });
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'docker-missing' });
    const taskId = idOf(run.tasks[0].taskArn);
    const stopped = await cluster.waitForTask(taskId, 'to fail to start', (t) => t.lastStatus === 'STOPPED');
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
    assert.match(stopped.stoppedReason, /^CannotPullContainerError: /);
    assert.match(stopped.stoppedReason, /No such image: wharf-test\/no-such-image:1/i, 'the engine says what is missing');
    assert.equal(stopped.containers[0].lastStatus, 'STOPPED');
  });

  test('StopTask while the container is being created: the container that comes up is stopped too', async () => {
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'docker-web' });
    const taskId = idOf(run.tasks[0].taskArn);
    // The agent says PENDING as it asks the engine for the container, which takes a few hundred ms.
    await waitFor('the task to be PENDING', async () => (await cluster.describeTask(taskId)).lastStatus === 'PENDING', { intervalMs: 5 });
    await cluster.api('POST', '/v1/tasks/stop', { task: taskId });
    await cluster.waitForTask(taskId, 'to be STOPPED', (t) => t.lastStatus === 'STOPPED');
    // Some time for a container whose start was still in flight to come up.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(await runningContainersOf(taskId), [], 'nothing of the stopped task runs');
  });
});
