// The task lifecycle end to end with the process driver: real `wharf agent` processes, real child
// processes as containers. dependsOn (START, SUCCESS, HEALTHY), container health checks, essential
// and non-essential exits, stopTimeout, a host lost while a task starts, agent restarts.
//
// ECS's smallest health check interval is 5 s and the first probe runs one interval after the
// start, so a check needs 5 s to give its first verdict: the health tests cost that, no more.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { runWharf } from '../support/cli.js';
import type { TestAgent, TestCluster } from '../support/cluster.js';
import { appTaskDefinition, startTestCluster, writeTestApp } from '../support/cluster.js';
import { suiteScope, taskDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

/** ECS's smallest health check settings the API accepts: a verdict 5 s after the start, then every 5 s. */
const FAST_HEALTH = { interval: 5, timeout: 2, retries: 1, startPeriod: 0 };
const HEALTH_INTERVAL_MS = FAST_HEALTH.interval * 1000;
/** Short enough for the host-loss test, long enough that a busy machine's slow report is no host loss. */
const HEARTBEAT_TIMEOUT_MS = 4000;

const idOf = (arn: string): string => arn.split('/').pop() ?? arn;

/**
 * A container program for these tests, driven by its environment. It appends `<time> <pid>` to
 * `$MARK_DIR/<container>.started` at start (and `.sigterm` when it gets one), then: `READY_AFTER_MS`
 * creates `<container>.ready`; `EXIT_AFTER_MS` exits with `EXIT_CODE`; `EXIT_WHEN_FILE` exits with
 * `EXIT_CODE` once that file exists; `IGNORE_SIGTERM` ignores SIGTERM. Otherwise it runs until
 * signalled.
 */
async function writeContainerScript(dir: string): Promise<string> {
  const file = path.join(dir, 'container.cjs');
  await writeFile(
    file,
    `const fs = require('fs');
const path = require('path');
const name = process.env.WHARF_CONTAINER_NAME;
const mark = (what) => fs.appendFileSync(path.join(process.env.MARK_DIR, name + '.' + what), Date.now() + ' ' + process.pid + '\\n');
// When the process began (before Node booted): the agent's clocks, such as the first health probe, count from the spawn.
fs.appendFileSync(path.join(process.env.MARK_DIR, name + '.spawned'), Math.round(performance.timeOrigin) + ' ' + process.pid + '\\n');
// Before the first mark: a test that saw the mark may stop the container at once.
if (process.env.IGNORE_SIGTERM) process.on('SIGTERM', () => { mark('sigterm'); console.log('ignoring SIGTERM'); });
mark('started');
console.log(name + ' started');
const code = Number(process.env.EXIT_CODE ?? 0);
if (process.env.READY_AFTER_MS) setTimeout(() => { mark('ready'); console.log(name + ' ready'); }, Number(process.env.READY_AFTER_MS));
if (process.env.EXIT_AFTER_MS) setTimeout(() => { mark('exiting'); process.exit(code); }, Number(process.env.EXIT_AFTER_MS));
if (process.env.EXIT_WHEN_FILE) setInterval(() => { if (fs.existsSync(process.env.EXIT_WHEN_FILE)) { mark('exiting'); process.exit(code); } }, 20);
setInterval(() => {}, 1 << 30);
`,
  );
  return file;
}

/** The `<time> <pid>` lines a container wrote to `<dir>/<container>.<what>` (none when it never did). */
function marks(dir: string, container: string, what: string): { time: number; pid: number }[] {
  const file = path.join(dir, `${container}.${what}`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [time = '', pid = ''] = line.split(' ');
      return { time: Number(time), pid: Number(pid) };
    });
}

/** Waits for a container's first `<what>` mark (a container reported RUNNING may not have run a line yet). */
function firstMark(dir: string, container: string, what: string): Promise<{ time: number; pid: number }> {
  return waitFor(`${container} to mark ${what}`, () => marks(dir, container, what)[0]);
}

/** Whether `pid` is a live process (a zombie waiting to be reaped is not). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** A container definition of the test program, as a process container. */
function container(script: string, markDir: string, name: string, extra: Record<string, unknown> = {}, env: Record<string, string> = {}): Record<string, unknown> {
  return {
    name,
    image: 'wharf/process',
    command: [process.execPath, script],
    memory: 32,
    stopTimeout: 2,
    environment: Object.entries({ MARK_DIR: markDir, ...env }).map(([key, value]) => ({ name: key, value })),
    ...extra,
  };
}

const containerOf = (task: any, name: string): any => task.containers.find((c: any) => c.name === name);

describe('the task lifecycle on one host (process driver)', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let agent: TestAgent;
  let doomed: TestAgent;
  let script: string;
  let app: string;
  /** Pins a RunTask to the host with that `role` attribute. */
  const on = (role: string) => ({ placementConstraints: [{ type: 'memberOf', expression: `attribute:role == ${role}` }] });

  before(async () => {
    cluster = await startTestCluster(scope, { agentHeartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS });
    [agent, doomed] = await Promise.all([
      cluster.startAgent({ hostId: 'steady', cpu: 4096, memory: 4096, attributes: { role: 'main' } }),
      cluster.startAgent({ hostId: 'doomed', cpu: 1024, memory: 1024, attributes: { role: 'doomed' } }),
    ]);
    const dir = await taskDir(scope);
    script = await writeContainerScript(dir);
    app = await writeTestApp(dir);
  });

  /** Registers `family` and runs one task of it on `role`'s host; returns the task id. */
  async function runTask(definition: Record<string, unknown>, role = 'main', extra: Record<string, unknown> = {}): Promise<string> {
    await cluster.registerTaskDefinition(definition);
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: definition.family, ...on(role), ...extra });
    assert.deepEqual(run.failures, []);
    return idOf(run.tasks[0].taskArn);
  }

  test('dependsOn HEALTHY: app starts only once db is HEALTHY; the task is PENDING until then, then HEALTHY', async (t) => {
    const dir = await taskDir(t);
    const taskId = await runTask({
      family: 'db-and-app',
      containerDefinitions: [
        container(script, dir, 'db', { healthCheck: { command: ['CMD-SHELL', `test -f ${dir}/db.ready`], ...FAST_HEALTH } }, { READY_AFTER_MS: '1000' }),
        container(script, dir, 'app', { dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }),
      ],
    });
    const waiting = await cluster.waitForTask(taskId, 'to run db while app waits', (task) => containerOf(task, 'db')?.lastStatus === 'RUNNING');
    assert.equal(waiting.lastStatus, 'PENDING', 'a task waiting for a dependency is PENDING');
    assert.equal(containerOf(waiting, 'app').lastStatus, 'PENDING');
    assert.equal(waiting.healthStatus, 'UNKNOWN');
    assert.deepEqual(marks(dir, 'app', 'started'), [], 'app has not started');

    const running = await cluster.waitForTask(taskId, 'to be RUNNING and HEALTHY', (task) => task.lastStatus === 'RUNNING' && task.healthStatus === 'HEALTHY', HEALTH_INTERVAL_MS * 3);
    assert.equal(containerOf(running, 'db').healthStatus, 'HEALTHY');
    assert.equal(containerOf(running, 'app').lastStatus, 'RUNNING');
    const db = await firstMark(dir, 'db', 'spawned');
    const ready = await firstMark(dir, 'db', 'ready');
    const appStart = await firstMark(dir, 'app', 'started');
    assert.equal(marks(dir, 'app', 'started').length, 1, 'app started once');
    assert.ok(appStart.time >= ready.time, 'app started after db was ready');
    // The first probe runs one interval after db was spawned (not after its script's first line, which a busy machine delays);
    // app cannot start before its verdict. The slack covers the spawn's own moment against the agent's clock reading.
    assert.ok(appStart.time - db.time >= HEALTH_INTERVAL_MS - 250, `app started ${appStart.time - db.time} ms after db was spawned: not before db's first health verdict`);
    await cluster.api('POST', '/v1/tasks/stop', { task: taskId });
  });

  // app is listed first, so only its dependsOn holds it back; init exits once helper runs.
  const withInit = (family: string, dir: string, initExitCode: number) => ({
    family,
    containerDefinitions: [
      container(script, dir, 'app', { dependsOn: [{ containerName: 'helper', condition: 'START' }, { containerName: 'init', condition: 'SUCCESS' }] }),
      container(script, dir, 'helper', { essential: false }),
      container(script, dir, 'init', { essential: false }, { EXIT_WHEN_FILE: path.join(dir, 'helper.started'), EXIT_CODE: String(initExitCode) }),
    ],
  });

  test('dependsOn START and SUCCESS: app starts after its helper started and its non-essential init exited 0; the task keeps running', async (t) => {
    const dir = await taskDir(t);
    const taskId = await runTask(withInit('with-init', dir, 0));
    const running = await cluster.waitForTask(taskId, 'to be RUNNING', (task) => task.lastStatus === 'RUNNING');
    assert.equal(containerOf(running, 'init').lastStatus, 'STOPPED');
    assert.equal(containerOf(running, 'init').exitCode, 0);
    assert.equal(containerOf(running, 'helper').lastStatus, 'RUNNING');
    assert.equal(containerOf(running, 'app').lastStatus, 'RUNNING');
    const initExit = await firstMark(dir, 'init', 'exiting');
    const helper = await firstMark(dir, 'helper', 'started');
    const appStart = await firstMark(dir, 'app', 'started');
    assert.ok(appStart.time >= initExit.time, 'app started after init exited');
    assert.ok(initExit.time >= helper.time, 'and so after helper started');
    assert.equal(running.desiredStatus, 'RUNNING', 'a non-essential container exiting does not stop the task');
    await cluster.api('POST', '/v1/tasks/stop', { task: taskId });
  });

  test('dependsOn SUCCESS with an init that exits 1: the task fails to start, saying why, and app never starts', async (t) => {
    const dir = await taskDir(t);
    const taskId = await runTask(withInit('failing-init', dir, 1));
    const stopped = await cluster.waitForTask(taskId, 'to fail to start', (task) => task.lastStatus === 'STOPPED');
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
    assert.match(stopped.stoppedReason, /init exited with code 1, not 0 \(condition SUCCESS\)/);
    assert.equal(containerOf(stopped, 'init').exitCode, 1);
    assert.equal(containerOf(stopped, 'app').lastStatus, 'STOPPED');
    assert.equal(containerOf(stopped, 'helper').lastStatus, 'STOPPED', 'what did start is stopped');
    assert.equal(containerOf(stopped, 'helper').exitCode, 143);
    assert.deepEqual(marks(dir, 'app', 'started'), [], 'app never started');
    assert.ok(!isRunning((await firstMark(dir, 'helper', 'started')).pid), 'helper is gone');
  });

  test('a failing health check makes the container and the task UNHEALTHY (still running, a WARN event), then HEALTHY again', async (t) => {
    const dir = await taskDir(t);
    const healthy = path.join(dir, 'healthy');
    const taskId = await runTask({
      family: 'flaky-health',
      containerDefinitions: [container(script, dir, 'web', { healthCheck: { command: ['CMD-SHELL', `test -f ${healthy}`], ...FAST_HEALTH } })],
    });
    const sick = await cluster.waitForTask(taskId, 'to be UNHEALTHY', (task) => task.healthStatus === 'UNHEALTHY', HEALTH_INTERVAL_MS * 3);
    assert.equal(sick.lastStatus, 'RUNNING', 'a standalone task keeps running when UNHEALTHY');
    assert.equal(sick.desiredStatus, 'RUNNING');
    assert.equal(containerOf(sick, 'web').healthStatus, 'UNHEALTHY');
    const events = await cluster.api('GET', `/v1/events?resourceType=task&resourceId=${taskId}&severity=WARN`);
    assert.ok(
      events.events.some((e: any) => /is UNHEALTHY/.test(e.message)),
      JSON.stringify(events.events),
    );

    await writeFile(healthy, '');
    const well = await cluster.waitForTask(taskId, 'to be HEALTHY again', (task) => task.healthStatus === 'HEALTHY', HEALTH_INTERVAL_MS * 3);
    assert.equal(containerOf(well, 'web').healthStatus, 'HEALTHY');
    assert.equal(well.lastStatus, 'RUNNING');
    assert.equal(marks(dir, 'web', 'started').length, 1, 'never restarted');
    await cluster.api('POST', '/v1/tasks/stop', { task: taskId });
  });

  test('a non-essential container exiting leaves the task running; an essential one stops it and the others', async (t) => {
    const dir = await taskDir(t);
    const quit = path.join(dir, 'quit');
    const taskId = await runTask({
      family: 'essentials',
      containerDefinitions: [
        container(script, dir, 'side', { essential: false }, { EXIT_AFTER_MS: '100', EXIT_CODE: '2' }),
        container(script, dir, 'quitter', {}, { EXIT_WHEN_FILE: quit, EXIT_CODE: '3' }),
        container(script, dir, 'keeper'),
      ],
    });
    const afterSide = await cluster.waitForTask(taskId, 'to see side exit', (task) => containerOf(task, 'side')?.lastStatus === 'STOPPED' && task.lastStatus === 'RUNNING');
    assert.equal(containerOf(afterSide, 'side').exitCode, 2);
    // A few reports later the task still runs.
    await delay(600);
    const still = await cluster.describeTask(taskId);
    assert.equal(still.lastStatus, 'RUNNING');
    assert.equal(still.desiredStatus, 'RUNNING');
    assert.equal(containerOf(still, 'keeper').lastStatus, 'RUNNING');

    const keeper = await firstMark(dir, 'keeper', 'started');
    await firstMark(dir, 'quitter', 'started');
    await writeFile(quit, '');
    const stopped = await cluster.waitForTask(taskId, 'to stop when quitter exits', (task) => task.lastStatus === 'STOPPED');
    assert.equal(stopped.stopCode, 'EssentialContainerExited');
    assert.equal(stopped.stoppedReason, 'Essential container in task exited');
    assert.equal(containerOf(stopped, 'quitter').exitCode, 3);
    assert.equal(containerOf(stopped, 'keeper').lastStatus, 'STOPPED');
    assert.equal(containerOf(stopped, 'keeper').exitCode, 143, 'the other essential container was stopped with SIGTERM');
    assert.equal(containerOf(stopped, 'side').exitCode, 2);
    assert.ok(!isRunning(keeper.pid), 'keeper is gone');
  });

  test('stopTimeout: a container that ignores SIGTERM is SIGKILLed after its stopTimeout, not before, exit code 137', async (t) => {
    const dir = await taskDir(t);
    const taskId = await runTask({ family: 'stubborn', containerDefinitions: [container(script, dir, 'stubborn', { stopTimeout: 2 }, { IGNORE_SIGTERM: '1' })] });
    await cluster.waitForTask(taskId, 'to be RUNNING', (task) => task.lastStatus === 'RUNNING');
    // The program installs its SIGTERM handler before it writes this mark.
    const started = await firstMark(dir, 'stubborn', 'started');

    const stopAt = Date.now();
    await cluster.api('POST', '/v1/tasks/stop', { task: taskId });
    const gone = await waitFor('the stubborn process to end', () => (isRunning(started.pid) ? undefined : Date.now()), { timeoutMs: 10_000, intervalMs: 10 });
    const [sigterm] = marks(dir, 'stubborn', 'sigterm');
    assert.ok(sigterm, 'it got SIGTERM first');
    assert.ok(gone - sigterm.time >= 2000 - 50, `killed ${gone - sigterm.time} ms after SIGTERM: not before the 2 s stopTimeout`);
    assert.ok(gone - sigterm.time < 2000 + 1500, `killed ${gone - sigterm.time} ms after SIGTERM: soon after the stopTimeout`);
    assert.ok(sigterm.time - stopAt < 2000, 'SIGTERM came promptly after StopTask');
    const stopped = await cluster.waitForTask(taskId, 'to be STOPPED', (task) => task.lastStatus === 'STOPPED');
    assert.equal(containerOf(stopped, 'stubborn').exitCode, 137);
    assert.match(containerOf(stopped, 'stubborn').reason, /stop timeout of 2 s/);
    assert.equal(stopped.stopCode, 'UserInitiated');
  });

  test('a start failure with a reason longer than ECS allows fails the task, and the host keeps its heartbeat', async () => {
    const missing = '/' + Array.from({ length: 6 }, (_, i) => `missing-${i}-${'x'.repeat(200)}`).join('/');
    const taskId = await runTask(appTaskDefinition('long-reason', app, {}, { command: [missing] }));
    const stopped = await cluster.waitForTask(taskId, 'to fail to start', (task) => task.lastStatus === 'STOPPED');
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
    assert.match(stopped.stoppedReason, /^CannotStartContainerError: /);
    assert.ok(stopped.stoppedReason.length <= 1024, `stoppedReason is at most 1024 characters (ECS), got ${stopped.stoppedReason.length}`);
    assert.ok(containerOf(stopped, 'web').reason.length <= 1024);
    // TaskFailedToStart came in the agent's report: the report (the host's heartbeat) was taken.
    const { containerInstances } = await cluster.api('POST', '/v1/container-instances/describe', { containerInstances: [agent.containerInstanceId] });
    assert.equal(containerInstances[0].agentConnected, true, 'the host is still connected');
  });

  test('kill -9 of an agent while its task waits for a dependency: STOPPED as host lost; the returning agent leaves nothing running and starts nothing twice', async (t) => {
    const dir = await taskDir(t);
    const taskId = await runTask(
      {
        family: 'interrupted',
        containerDefinitions: [
          container(script, dir, 'db', { healthCheck: { command: ['CMD-SHELL', `test -f ${dir}/db.ready`], ...FAST_HEALTH } }, { READY_AFTER_MS: '0' }),
          container(script, dir, 'app', { dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }),
        ],
      },
      'doomed',
    );
    const pending = await cluster.waitForTask(taskId, 'to start db', (task) => containerOf(task, 'db')?.lastStatus === 'RUNNING');
    assert.equal(pending.lastStatus, 'PENDING');
    const db = await firstMark(dir, 'db', 'started');

    doomed.process.child.kill('SIGKILL');
    await doomed.process.exited;
    const killedAt = Date.now();
    assert.ok(isRunning(db.pid), 'db outlives its agent');
    const stopped = await cluster.waitForTask(taskId, 'to be STOPPED as host lost', (task) => task.lastStatus === 'STOPPED', HEARTBEAT_TIMEOUT_MS * 4);
    assert.ok(Date.now() - killedAt >= HEARTBEAT_TIMEOUT_MS / 2, 'not before the heartbeat timeout');
    assert.equal(stopped.stopCode, 'InfrastructureHealth');
    assert.match(stopped.stoppedReason, /^Host doomed lost: its agent sent no heartbeat/);
    assert.equal(stopped.desiredStatus, 'STOPPED');

    doomed = await cluster.startAgent({ hostId: 'doomed', cpu: 1024, memory: 1024, attributes: { role: 'doomed' }, dataDir: doomed.dataDir });
    await waitFor('db to be stopped by the returning agent', () => !isRunning(db.pid), { timeoutMs: 10_000 });
    // Past the moment db would have turned HEALTHY and app would have started.
    const wouldStart = db.time + HEALTH_INTERVAL_MS + 1000;
    if (Date.now() < wouldStart) await delay(wouldStart - Date.now());
    assert.equal(marks(dir, 'db', 'started').length, 1, 'db started once');
    assert.deepEqual(marks(dir, 'app', 'started'), [], 'app never started');
    const after = await cluster.describeTask(taskId);
    assert.equal(after.lastStatus, 'STOPPED');
    assert.equal(after.stopCode, 'InfrastructureHealth', 'the first stop reason stays');
    const { containerInstances } = await cluster.api('POST', '/v1/container-instances/describe', { containerInstances: [doomed.containerInstanceId] });
    assert.equal(containerInstances[0].agentConnected, true);
    assert.equal(containerInstances[0].runningTasksCount, 0);
    assert.equal(containerInstances[0].pendingTasksCount, 0);
  });

  test('DescribeClusters counts the hosts and the running and pending tasks', async () => {
    const taskId = await runTask(appTaskDefinition('counted', app));
    await cluster.waitForTask(taskId, 'to be RUNNING', (task) => task.lastStatus === 'RUNNING');
    const listed = await cluster.api('GET', '/v1/tasks');
    const others = listed.taskArns.map(idOf).filter((id: string) => id !== taskId);
    for (const id of others) await cluster.api('POST', '/v1/tasks/stop', { task: id });
    // A task asked to stop leaves ListTasks at once but counts as running until its host has stopped it.
    for (const id of others) await cluster.waitForTask(id, 'to stop', (task) => task.lastStatus === 'STOPPED');
    const { clusters } = await cluster.api('POST', '/v1/clusters/describe', { clusters: ['default'] });
    assert.equal(clusters[0].registeredContainerInstancesCount, 2, 'steady and doomed (back again)');
    assert.equal(clusters[0].runningTasksCount, 1);
    assert.equal(clusters[0].pendingTasksCount, 0);
  });
});

describe('agent restarts (process driver)', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let script: string;
  let app: string;

  before(async () => {
    // A heartbeat timeout well above an agent's restart: the controller must not call the host lost.
    cluster = await startTestCluster(scope, { agentHeartbeatTimeoutMs: 30_000 });
    const dir = await taskDir(scope);
    script = await writeContainerScript(dir);
    app = await writeTestApp(dir);
  });

  /** SIGTERM (`wharf agent` leaves its tasks running), then the same host again on the same data folder. */
  async function restart(agent: TestAgent, attributes: Record<string, string>): Promise<TestAgent> {
    agent.process.child.kill('SIGTERM');
    const exit = await agent.process.exited;
    assert.equal(exit.code, 0, `the agent stops cleanly: ${agent.process.stderr()}`);
    const back = await cluster.startAgent({ hostId: agent.hostId, cpu: 2048, memory: 2048, attributes, dataDir: agent.dataDir });
    assert.equal(back.containerInstanceId, agent.containerInstanceId, 'the same container instance');
    return back;
  }

  test('an agent restarted with SIGTERM adopts its running task: same process, still RUNNING, no duplicate, stop still works', async () => {
    let agent = await cluster.startAgent({ hostId: 'phoenix', cpu: 2048, memory: 2048, attributes: { role: 'phoenix' } });
    await cluster.registerTaskDefinition(appTaskDefinition('adopted', app));
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'adopted', placementConstraints: [{ type: 'memberOf', expression: 'attribute:role == phoenix' }] });
    const taskId = idOf(run.tasks[0].taskArn);
    const running = await cluster.waitForTask(taskId, 'to be RUNNING', (task) => task.lastStatus === 'RUNNING');
    const port = running.containers[0].networkBindings[0].hostPort;
    const pid = Number(await waitFor('the app to answer', async () => (await fetch(`http://127.0.0.1:${port}/pid`)).text()));

    agent = await restart(agent, { role: 'phoenix' });
    assert.ok(isRunning(pid), 'the task process outlived the agent restart');
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/pid`)).text(), String(pid), 'the same process serves');
    // Several reports after the restart, the task is as it was.
    await delay(1000);
    const after = await cluster.describeTask(taskId);
    assert.equal(after.lastStatus, 'RUNNING');
    assert.equal(after.desiredStatus, 'RUNNING');
    assert.equal(after.containers[0].runtimeId, running.containers[0].runtimeId, 'the same container');
    assert.deepEqual(readdirSync(path.join(agent.dataDir, 'process-containers')), [running.containers[0].runtimeId], 'no second container started');

    const logs = await runWharf(['--endpoint', cluster.controller.url, 'logs', taskId]);
    assert.match(logs.stdout, /listening on/, 'logs from before the restart are still there');

    await cluster.api('POST', '/v1/tasks/stop', { task: taskId });
    const stopped = await cluster.waitForTask(taskId, 'to be STOPPED', (task) => task.lastStatus === 'STOPPED');
    assert.equal(stopped.stopCode, 'UserInitiated');
    await waitFor('the adopted process to end', () => !isRunning(pid));
    await assert.rejects(fetch(`http://127.0.0.1:${port}/`), 'nothing serves there any more');
  });

  test('an agent restarted while a task waits for a dependency finishes starting it, starting nothing twice', async (t) => {
    const dir = await taskDir(t);
    const agent = await cluster.startAgent({ hostId: 'lazarus', cpu: 2048, memory: 2048, attributes: { role: 'lazarus' } });
    await cluster.registerTaskDefinition({
      family: 'half-started',
      containerDefinitions: [
        container(script, dir, 'db', { healthCheck: { command: ['CMD-SHELL', `test -f ${dir}/db.ready`], ...FAST_HEALTH } }, { READY_AFTER_MS: '0' }),
        container(script, dir, 'app', { dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }),
      ],
    });
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'half-started', placementConstraints: [{ type: 'memberOf', expression: 'attribute:role == lazarus' }] });
    const taskId = idOf(run.tasks[0].taskArn);
    await cluster.waitForTask(taskId, 'to start db', (task) => containerOf(task, 'db')?.lastStatus === 'RUNNING');

    await restart(agent, { role: 'lazarus' });
    const running = await cluster.waitForTask(taskId, 'to be RUNNING with app started', (task) => task.lastStatus === 'RUNNING' && containerOf(task, 'app')?.lastStatus === 'RUNNING', HEALTH_INTERVAL_MS * 4);
    assert.equal(containerOf(running, 'db').lastStatus, 'RUNNING');
    const appStart = await firstMark(dir, 'app', 'started');
    assert.ok(isRunning(appStart.pid));
    assert.equal(marks(dir, 'db', 'started').length, 1, 'db started once');
    assert.equal(marks(dir, 'app', 'started').length, 1, 'app started once');
    await cluster.waitForTask(taskId, 'to be HEALTHY', (task) => task.healthStatus === 'HEALTHY', HEALTH_INTERVAL_MS * 3);

    await cluster.api('POST', '/v1/tasks/stop', { task: taskId });
    await cluster.waitForTask(taskId, 'to be STOPPED', (task) => task.lastStatus === 'STOPPED');
    await waitFor('both processes to end', () => [...marks(dir, 'db', 'started'), ...marks(dir, 'app', 'started')].every((m) => !isRunning(m.pid)));
  });
});
