// A controller killed with SIGKILL in the middle of a rolling deployment: the next controller on
// the same data folder resumes the persisted plan; no task is lost track of or duplicated.
// Real `wharf server` and `wharf agent` processes, real child-process containers.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { runWharf, spawnWharf } from '../support/cli.js';
import { appTaskDefinition, writeTestApp } from '../support/cluster.js';
import { freePort } from '../support/net.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { credentialsInDataDir, rememberCredentials } from '../support/signing.js';

test('kill -9 of the controller mid-deployment: the restarted controller completes it', async (t) => {
  const dataDir = await tempDir(t);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { WHARF_SERVICE_SETTLE_MS: '300', WHARF_AGENT_HEARTBEAT_TIMEOUT_MS: '20000' };
  const startServer = async () => {
    const server = spawnWharf(t, ['server', '--data-dir', dataDir, '--api-port', String(port), '--log-level', 'warn'], { env });
    await server.waitForOutput(/"event":"leader"/);
    return server;
  };
  let server = await startServer();
  const joinToken = (await readFile(path.join(dataDir, 'join-token'), 'utf8')).trim();
  rememberCredentials(endpoint, credentialsInDataDir(dataDir));
  for (const hostId of ['h1', 'h2']) {
    const agent = spawnWharf(t, ['agent', '--endpoint', endpoint, '--host-id', hostId, '--data-dir', await tempDir(t), '--memory', '2048', '--log-level', 'warn'], {
      env: { WHARF_JOIN_TOKEN: joinToken, WHARF_AGENT_HEARTBEAT_INTERVAL_MS: '200' },
    });
    await agent.waitForOutput(/"event":"registered"/);
    t.after(async () => {
      agent.child.kill('SIGTERM');
      await agent.exited;
    });
  }
  const cli = async (...args: string[]) => {
    const res = await runWharf(['--endpoint', endpoint, '--json', ...args]);
    assert.equal(res.code, 0, `${args.join(' ')}: ${res.stderr}`);
    return JSON.parse(res.stdout);
  };
  const app = await writeTestApp(await tempDir(t));
  const tdFile = path.join(await tempDir(t), 'td.json');
  for (const version of ['1', '2']) {
    await writeFile(tdFile, JSON.stringify(appTaskDefinition('durable', app, {}, { environment: [{ name: 'VERSION', value: version }] })));
    await cli('ecs', 'register-task-definition', '--cli-input-json', `file://${tdFile}`);
  }
  // min 50 / max 100 with 4 tasks: four steps, so there is a middle to kill the controller in.
  await cli('ecs', 'create-service', '--service-name', 'durable', '--task-definition', 'durable:1', '--desired-count', '4', '--deployment-configuration', '{"minimumHealthyPercent":50,"maximumPercent":100}');
  const describe = async () => (await cli('ecs', 'describe-services', '--services', 'durable')).services[0];
  await waitFor('4 tasks of revision 1', async () => {
    const s = await describe();
    return s.runningCount === 4 && s.deployments.length === 1 && s.deployments[0].rolloutState === 'COMPLETED';
  }, { timeoutMs: 30_000 });

  await cli('ecs', 'update-service', '--service', 'durable', '--task-definition', 'durable:2');
  await waitFor('the rollout to be under way (revision 2 has tasks)', async () => {
    const s = await describe();
    return s.deployments.some((d: any) => d.taskDefinition.endsWith(':2') && d.runningCount + d.pendingCount > 0);
  }, { timeoutMs: 30_000, intervalMs: 20 });
  server.child.kill('SIGKILL');
  await server.exited;

  server = await startServer();
  const done = await waitFor(
    'the deployment to finish after the restart',
    async () => {
      const s = await describe();
      return s.deployments.length === 1 && s.deployments[0].taskDefinition.endsWith(':2') && s.deployments[0].rolloutState === 'COMPLETED' && s.runningCount === 4 && s.pendingCount === 0 ? s : undefined;
    },
    { timeoutMs: 60_000 },
  );
  assert.ok(done.events.some((e: any) => /has reached a steady state/.test(e.message)));
  const { taskArns } = await cli('ecs', 'list-tasks', '--service-name', 'durable');
  assert.equal(taskArns.length, 4, 'exactly the desired count: no duplicate, no orphan');
  const { tasks } = await cli('ecs', 'describe-tasks', ...taskArns.flatMap((a: string) => ['--tasks', a]));
  assert.ok(tasks.every((task: any) => task.taskDefinitionArn.endsWith(':2') && task.lastStatus === 'RUNNING'));
  const readable = await runWharf(['--endpoint', endpoint, 'ecs', 'describe-services', '--services', 'durable']);
  assert.match(readable.stdout, /^durable {2}ACTIVE {2}desired 4, running 4, pending 0 {2}durable:2$/m);

  await cli('ecs', 'delete-service', '--service', 'durable', '--force');
  await waitFor('the service INACTIVE', async () => (await describe()).status === 'INACTIVE', { timeoutMs: 30_000 });
  server.child.kill('SIGTERM');
  assert.equal((await server.exited).code, 0);
});
