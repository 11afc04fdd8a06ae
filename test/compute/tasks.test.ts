// Tasks end to end: a controller, a real `wharf agent` process with the process driver, real
// child processes as containers, real HTTP on the ports placement chose.
import assert from 'node:assert/strict';
import net from 'node:net';
import { before, describe, test } from 'node:test';
import { runWharf } from '../support/cli.js';
import type { TestAgent, TestCluster } from '../support/cluster.js';
import { appTaskDefinition, startTestCluster, writeTestApp } from '../support/cluster.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

describe('tasks on one host (process driver)', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let agent: TestAgent;
  let app: string;

  before(async () => {
    cluster = await startTestCluster(scope);
    agent = await cluster.startAgent({ hostId: 'host-a', cpu: 4096, memory: 4096 });
    app = await writeTestApp(await tempDir(scope));
  });

  test('RunTask places a task that reaches RUNNING and serves on its host port; StopTask stops it', async () => {
    await cluster.registerTaskDefinition(appTaskDefinition('hello', app, {}, { environment: [{ name: 'GREETING', value: 'hi' }] }));
    const started = Date.now();
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'hello', startedBy: 'test-run' });
    assert.deepEqual(run.failures, []);
    const taskId = run.tasks[0].taskArn.split('/').pop();
    assert.equal(run.tasks[0].lastStatus, 'PROVISIONING');
    assert.equal(run.tasks[0].containerInstanceArn.split('/').pop(), agent.containerInstanceId);

    const running = await cluster.waitForTask(taskId, 'to be RUNNING', (t) => t.lastStatus === 'RUNNING');
    const hostPort = running.containers[0].networkBindings[0].hostPort;
    assert.ok(hostPort > 0, `the host picked a dynamic port, got ${hostPort}`);
    const body = await waitFor('the app to answer', async () => (await fetch(`http://127.0.0.1:${hostPort}/`)).text());
    assert.equal(body, `task ${taskId}\n`);
    assert.equal(await (await fetch(`http://127.0.0.1:${hostPort}/env/GREETING`)).text(), 'hi');
    assert.equal(await (await fetch(`http://127.0.0.1:${hostPort}/env/PORT`)).text(), String(hostPort));
    assert.ok(Date.now() - started < 10_000);

    const listed = await cluster.api('GET', '/v1/tasks?startedBy=test-run');
    assert.deepEqual(listed.taskArns, [run.tasks[0].taskArn]);

    const stop = await cluster.api('POST', '/v1/tasks/stop', { task: taskId, reason: 'done testing' });
    assert.equal(stop.task.desiredStatus, 'STOPPED');
    const stopped = await cluster.waitForTask(taskId, 'to be STOPPED', (t) => t.lastStatus === 'STOPPED');
    assert.equal(stopped.stopCode, 'UserInitiated');
    assert.equal(stopped.stoppedReason, 'done testing');
    assert.equal(stopped.containers[0].exitCode, 143, 'SIGTERM ended it (128 + 15)');
    await assert.rejects(fetch(`http://127.0.0.1:${hostPort}/`), 'nothing serves there any more');
    assert.deepEqual((await cluster.api('GET', '/v1/tasks?startedBy=test-run')).taskArns, [], 'ListTasks shows RUNNING-desired tasks by default');
    assert.equal((await cluster.api('GET', '/v1/tasks?startedBy=test-run&desiredStatus=STOPPED')).taskArns.length, 1);

    const events = await cluster.api('GET', `/v1/events?resourceType=task&resourceId=${taskId}`);
    const messages = events.events.map((e: any) => e.message).reverse();
    assert.match(messages[0], /placed on container instance/);
    assert.ok(messages.some((m: string) => /is RUNNING/.test(m)));
    assert.ok(messages.some((m: string) => /stopped \(UserInitiated\): done testing/.test(m)));
  });

  test('an essential container that exits stops the task with its exit code', async () => {
    await cluster.registerTaskDefinition(appTaskDefinition('quitter', app, {}, { environment: [{ name: 'EXIT_AFTER_MS', value: '300' }, { name: 'EXIT_CODE', value: '3' }] }));
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'quitter' });
    const taskId = run.tasks[0].taskArn.split('/').pop();
    const stopped = await cluster.waitForTask(taskId, 'to stop on its own', (t) => t.lastStatus === 'STOPPED');
    assert.equal(stopped.stopCode, 'EssentialContainerExited');
    assert.equal(stopped.stoppedReason, 'Essential container in task exited');
    assert.equal(stopped.containers[0].exitCode, 3);
    assert.equal(stopped.desiredStatus, 'STOPPED');
  });

  test('a command that cannot start stops the task as TaskFailedToStart with the reason', async () => {
    await cluster.registerTaskDefinition(appTaskDefinition('broken', app, {}, { command: ['/nonexistent/binary', '--flag'] }));
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'broken' });
    const taskId = run.tasks[0].taskArn.split('/').pop();
    const stopped = await cluster.waitForTask(taskId, 'to fail to start', (t) => t.lastStatus === 'STOPPED');
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
    assert.match(stopped.stoppedReason, /^CannotStartContainerError: .*\/nonexistent\/binary/);
  });

  test('a static host port that another program holds fails the task to start, naming the port', async (t) => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
    t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const { port } = blocker.address() as net.AddressInfo;
    await cluster.registerTaskDefinition(appTaskDefinition('clash', app, {}, { portMappings: [{ containerPort: 8080, hostPort: port }] }));
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'clash' });
    const taskId = run.tasks[0].taskArn.split('/').pop();
    const stopped = await cluster.waitForTask(taskId, 'to fail to start', (task) => task.lastStatus === 'STOPPED');
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
    assert.match(stopped.stoppedReason, new RegExp(`${port}`));
  });

  test('a task that writes far more output than the cap keeps running; logs return the newest lines', async () => {
    await cluster.registerTaskDefinition(appTaskDefinition('chatty', app, {}, { environment: [{ name: 'NOISE_BYTES', value: String(24 * 1024 * 1024) }] }));
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'chatty' });
    const taskId = run.tasks[0].taskArn.split('/').pop();
    await cluster.waitForTask(taskId, 'to be RUNNING', (t) => t.lastStatus === 'RUNNING');
    const logs = await waitFor('the app to log that it listens', async () => {
      const res = await runWharf(['--endpoint', cluster.controller.url, 'logs', taskId, '--tail', '5']);
      return res.stdout.includes('listening on') ? res : undefined;
    });
    assert.equal(logs.code, 0, logs.stderr);
    assert.ok(logs.stdout.split('\n').filter(Boolean).length <= 5, 'tail limits the lines');
    const stored = await runWharf(['--endpoint', cluster.controller.url, '--json', 'logs', taskId]);
    const bytes = stored.stdout.split('\n').filter(Boolean).reduce((n, line) => n + JSON.parse(line).text.length + 1, 0);
    assert.ok(bytes <= 11 * 1024 * 1024, `the agent keeps at most the cap (10 MiB) of output, kept ${bytes}`);
    assert.ok(bytes >= 1024 * 1024, 'and does keep the newest output');
    await cluster.api('POST', '/v1/tasks/stop', { task: taskId });
  });

  test('wharf logs shows stdout and stderr of a task through the controller', async () => {
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'hello' });
    const taskId = run.tasks[0].taskArn.split('/').pop();
    await cluster.waitForTask(taskId, 'to be RUNNING', (t) => t.lastStatus === 'RUNNING');
    const logs = await waitFor('both streams in the logs', async () => {
      const res = await runWharf(['--endpoint', cluster.controller.url, 'logs', taskId]);
      return res.stdout.includes('listening on') && res.stderr.includes('ready on stderr') ? res : undefined;
    });
    assert.equal(logs.code, 0);
    // Reading the database does not open an agent's logs: the credential hash it holds is refused.
    const described = await cluster.describeTask(taskId);
    const instance = await cluster.controller.store.containerInstances.get(String(described.containerInstanceArn).split('/').pop() as string);
    assert.ok(instance, `the task's container instance is in the store: ${described.containerInstanceArn}`);
    const agentLogs = `${instance.agentUrl}/tasks/${taskId}/logs`;
    const withHash = await fetch(agentLogs, { headers: { authorization: `Bearer ${instance.credentialHash}` } });
    await withHash.body?.cancel();
    assert.equal(withHash.status, 401, "the agent refuses the credential hash stored in the controller's database");
    const anonymous = await fetch(agentLogs);
    await anonymous.body?.cancel();
    assert.equal(anonymous.status, 401);
    const missing = await runWharf(['--endpoint', cluster.controller.url, 'logs', '0123456789abcdef0123456789abcdef']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Task "0123456789abcdef0123456789abcdef" does not exist/);
    await cluster.api('POST', '/v1/tasks/stop', { task: taskId });
  });

  test('bad RunTask input is refused by field and places nothing', async () => {
    const before = (await cluster.api('GET', '/v1/tasks?desiredStatus=RUNNING')).taskArns.length;
    const cases: [unknown, number, RegExp][] = [
      [{ taskDefinition: 'hello', count: 11 }, 400, /count/],
      [{ taskDefinition: 'hello', placementStrategy: [{ type: 'binpack', field: 'disk' }] }, 400, /placementStrategy.0.field.*binpack takes/],
      [{ taskDefinition: 'hello', placementConstraints: [{ type: 'memberOf', expression: 'attribute:x ==' }] }, 400, /./],
      [{ taskDefinition: 'no-such-family' }, 404, /WHARF_E_TASK_DEFINITION_NOT_FOUND/],
      [{ taskDefinition: 'hello', cluster: 'nowhere' }, 404, /WHARF_E_CLUSTER_NOT_FOUND/],
      [{ taskDefinition: 'hello', launchType: 'FARGATE' }, 400, /WHARF_E_NOT_YET_SUPPORTED/],
      [{ taskDefinition: 'hello', overrides: { containerOverrides: [{ name: 'nope' }] } }, 400, /does not have/],
      [{ taskDefinition: 'hello', colour: 'red' }, 400, /colour/],
    ];
    for (const [body, status, pattern] of cases) {
      const res = await cluster.controller.call('POST', '/v1/tasks', body);
      assert.equal(res.status, status, `${JSON.stringify(body)} -> ${res.text}`);
      assert.match(res.text, pattern, JSON.stringify(body));
    }
    assert.equal((await cluster.api('GET', '/v1/tasks?desiredStatus=RUNNING')).taskArns.length, before, 'nothing placed');
  });

  test('a task too big for any host comes back in failures[] with its ECS reason, not as an error', async () => {
    await cluster.registerTaskDefinition(appTaskDefinition('huge', app, {}, { memory: 100_000 }));
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'huge', count: 2 });
    assert.deepEqual(run.tasks, []);
    assert.equal(run.failures.length, 2);
    assert.equal(run.failures[0].reason, 'RESOURCE:MEMORY');
  });

  test('the CLI runs, lists, describes and stops tasks', async () => {
    const endpoint = ['--endpoint', cluster.controller.url];
    const run = await runWharf([...endpoint, '--json', 'ecs', 'run-task', '--task-definition', 'hello', '--started-by', 'cli']);
    assert.equal(run.code, 0, run.stderr);
    const taskId = JSON.parse(run.stdout).tasks[0].taskArn.split('/').pop();
    await cluster.waitForTask(taskId, 'to be RUNNING', (t) => t.lastStatus === 'RUNNING');
    const listed = await runWharf([...endpoint, 'ecs', 'list-tasks', '--started-by', 'cli']);
    assert.match(listed.stdout, new RegExp(`task/default/${taskId}$`, 'm'));
    const described = await runWharf([...endpoint, 'ecs', 'describe-tasks', '--tasks', taskId]);
    assert.match(described.stdout, new RegExp(`^${taskId} +RUNNING +RUNNING +UNKNOWN +hello:1 +\\d+->8080`, 'm'));
    const instances = await runWharf([...endpoint, 'ecs', 'describe-container-instances', '--container-instances', agent.containerInstanceId]);
    assert.match(instances.stdout, /host-a +ACTIVE +yes +\d+\/4096 +\d+\/4096 +[1-9]/);
    const stopped = await runWharf([...endpoint, 'ecs', 'stop-task', '--task', taskId]);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /RUNNING +STOPPED/);
  });
});
