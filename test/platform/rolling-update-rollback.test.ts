/**
 * A new version whose .ebextensions change InstanceType is a configuration update, not an
 * application deployment (eb-ecs-spec §1.1): it rolls out as aws:autoscaling:updatepolicy:rollingupdate
 * says, although the deployment policy is AllAtOnce. Once its first batch is healthy, its later
 * copies exit at start (a marker file the test writes), so the circuit breaker fails the rolling
 * update part way, and the rollback is another rolling update (§1.6), batch by batch: under
 * steady load, no request fails, never fewer than MinInstancesInService (2) healthy targets, and
 * every task ends on the old version with the old size.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { rollingUpdateBatch, rollingUpdatePlan } from '../../src/controller/deploy/policies.js';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { taskDir, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, FAST_HEALTH, httpGet, readyOn, startLoad, waitForEnvironment, writeNodeApp } from './support.js';

const ROLLING = 'aws:autoscaling:updatepolicy:rollingupdate';
const PROCESS = 'aws:elasticbeanstalk:environment:process:default';
/** The size is set by each version's .ebextensions: a setting through the API would win over them (eb-ecs-spec §3.2). */
const sized = (instanceType: string) => `option_settings:
  aws:autoscaling:launchconfiguration:
    InstanceType: ${instanceType}
`;

test('a version that brings a new InstanceType and fails part way rolls out and back as rolling updates, with zero failed requests', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  // Room for an old and a new copy of the larger size on each host while a batch is replaced.
  for (const hostId of ['rb1', 'rb2', 'rb3']) await cluster.startAgent({ hostId, cpu: 16_384, memory: 65_536 });
  const router = await startTestRouter(t, cluster.controller);
  const good = path.join(await tempDir(t), 'good');
  await writeNodeApp(good, 'v1', { '.ebextensions/01-health.config': FAST_HEALTH, '.ebextensions/02-size.config': sized('t3.micro') });
  await createVersion(cluster, t, 'rub', 'v1', good);
  const bad = path.join(await tempDir(t), 'bad');
  const marker = path.join(await taskDir(t), 'fail-from-now-on'); // the app, run as the task user, must see it
  await writeNodeApp(bad, 'bad', { '.ebextensions/01-health.config': FAST_HEALTH, '.ebextensions/02-size.config': sized('c5.xlarge') });
  const server = path.join(bad, 'server.js');
  await writeFile(server, `if (require('fs').existsSync(${JSON.stringify(marker)})) { console.error('exits at start on purpose'); process.exit(1); }\n${await readFile(server, 'utf8')}`);
  await createVersion(cluster, t, 'rub', 'bad', bad);
  await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'rub',
    EnvironmentName: 'rub-env',
    VersionLabel: 'v1',
    OptionSettings: [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '3' },
      // FAST_HEALTH's 2 s is 200 ms on the test router's time scale: too tight on a loaded machine.
      { Namespace: PROCESS, OptionName: 'HealthCheckTimeout', Value: '4' },
      { Namespace: ROLLING, OptionName: 'RollingUpdateType', Value: 'Health' },
      { Namespace: ROLLING, OptionName: 'MaxBatchSize', Value: '1' },
      { Namespace: ROLLING, OptionName: 'MinInstancesInService', Value: '2' },
    ],
  });
  const ready = await readyOn(cluster, 'rub-env', 'v1');
  const serviceName = `eb-${ready.EnvironmentId}`;
  const deployments = () => cluster.controller.store.deployments.forService('default', serviceName, 5);
  const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port);
  const healthy = () => router.router.targetHealth().filter((d) => d.state === 'healthy').length;
  await waitFor('3 healthy targets', () => healthy() === 3, { timeoutMs: 30_000 });

  const load = startLoad(port, 'rub-env.localhost');
  await new Promise((resolve) => setTimeout(resolve, 500));
  let minimum = Infinity;
  const sampler = setInterval(() => (minimum = Math.min(minimum, healthy())), 20);
  await cluster.api('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'rub-env', VersionLabel: 'bad' });
  // Once the first batch is healthy (the step after it is under way), new copies of `bad` exit at start.
  await waitFor(
    'the rolling update past its first batch',
    async () => {
      const [latest] = await deployments();
      return latest?.kind === 'RollingUpdate:Health' && latest.cursor >= 1;
    },
    { timeoutMs: 60_000, intervalMs: 20 },
  );
  await writeFile(marker, 'fail');
  const ended = await waitForEnvironment(cluster, 'rub-env', 'Ready again after the failed update', (e) => e.Status === 'Ready' && Boolean(e.Operation?.Failure), 100_000);
  const rollback = (await deployments()).find((d) => d.kind === 'ROLLBACK');
  assert.ok(rollback, `a rollback started: ${JSON.stringify((await deployments()).map((d) => [d.id, d.kind, d.status]))}`);
  await waitFor('the rollback to complete', async () => (await cluster.controller.store.deployments.get('default', serviceName, rollback.id))?.status === 'COMPLETED', { timeoutMs: 60_000 });
  await waitFor('3 healthy targets again', () => healthy() === 3, { timeoutMs: 30_000 });
  await waitFor('only v1 to answer', async () => (await httpGet(port, '/', 'rub-env.localhost')).text.startsWith('v1 '), { timeoutMs: 10_000 });
  clearInterval(sampler);
  const result = await load.stop();
  t.diagnostic(`rollback of deployment ${rollback.rollbackOf}: ${JSON.stringify(rollback.steps.map((s) => s.targets))}`);
  t.diagnostic(`failed update and rollback: ${result.ok} ok, ${result.failed} failed, min healthy ${minimum}, versions ${JSON.stringify([...result.versions])}`);
  assert.match(ended.Operation.Failure, /circuit breaker/);
  assert.equal(ended.VersionLabel, 'v1');
  assert.equal(result.failed, 0, result.failures.join('; '));
  assert.ok(result.ok > 100, `the load ran (${result.ok})`);
  assert.ok((result.versions.get('bad') ?? 0) > 0, 'the first batch of the new version served before the failure');
  assert.ok(minimum >= 2, `never fewer than MinInstancesInService (2) healthy targets; saw ${minimum}`);

  const failedUpdate = (await deployments()).find((d) => d.id === rollback.rollbackOf);
  assert.ok(failedUpdate, 'the rollback names the deployment it undoes');
  assert.equal(failedUpdate.kind, 'RollingUpdate:Health', 'the version that brings a new InstanceType rolls out as the rolling update, not AllAtOnce');
  assert.ok(failedUpdate.cursor >= 1, 'it failed after its first batch');
  assert.equal(rollback.toSet, failedUpdate.fromSets[0], 'back to the old set');
  // Another rolling update: the old set comes back a batch at a time (AllAtOnce's bounds would stop every new copy first),
  // and never fewer than MinInstancesInService serve by the plan.
  const batch = rollingUpdateBatch(3, 1, 2);
  const backCounts = rollback.steps.map((s) => s.targets[rollback.toSet] ?? 0);
  assert.ok(rollback.steps.length >= 2, `the rollback takes more than one batch: ${JSON.stringify(rollback.steps.map((s) => s.targets))}`);
  backCounts.forEach((n, i) => assert.ok(i === 0 || n - (backCounts[i - 1] ?? 0) <= batch, `at most ${batch} old task started per step: ${backCounts.join(' → ')}`));
  assert.equal(backCounts.at(-1), 3);
  // Exactly the rolling update plan: the failed set planned at the healthy copies it kept (k), the old set at the 2 - k it had left.
  const kept = rollback.steps[0]?.targets[failedUpdate.toSet] ?? 0;
  const plan = rollingUpdatePlan({ type: 'Health', desired: 3, maxBatchSize: 1, minInstancesInService: 2, from: [{ id: failedUpdate.toSet, count: kept }], to: { id: rollback.toSet, count: 2 - kept } });
  assert.deepEqual(rollback.steps.map((s) => s.targets), plan.map((s) => s.targets), 'the rollback runs the rolling update plan');
  // While a step's old copies start, the new ones it keeps and the old ones already back serve: at least 2.
  rollback.steps.forEach((step, i) => {
    if (i > 0) assert.ok((step.targets[failedUpdate.toSet] ?? 0) + (backCounts[i - 1] ?? 0) >= 2, `step ${i + 1} keeps 2 in service: ${JSON.stringify(rollback.steps.map((s) => s.targets))}`);
  });

  const { taskArns } = await cluster.api('GET', `/v1/tasks?cluster=default&serviceName=${serviceName}`);
  const { tasks } = await cluster.api('POST', '/v1/tasks/describe', { cluster: 'default', tasks: taskArns });
  assert.deepEqual(tasks.map((task: { cpu: string; memory: string }) => `${task.cpu}/${task.memory}`), ['2048/1024', '2048/1024', '2048/1024'], 'the old size (t3.micro) on every task');
});
