/**
 * Configuration updates that replace instances (eb-ecs-spec §1.1, §1.6): a new InstanceType on a
 * LoadBalanced environment of 3 copies on 3 hosts, under steady load through the router, rolls out
 * as aws:autoscaling:updatepolicy:rollingupdate says (Health, MaxBatchSize 1,
 * MinInstancesInService 2), not as the deployment policy (AllAtOnce here, which would drop every
 * copy at once): no request fails, never fewer than 2 healthy targets, every task ends with the
 * new size. A change of environment variables alone then follows the deployment policy again.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { rollingUpdatePlan } from '../../src/controller/deploy/policies.js';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import type { TestCluster } from '../support/cluster.js';
import { EB, createVersion, FAST_HEALTH, httpGet, readyOn, startLoad, writeNodeApp } from './support.js';

const LAUNCH = 'aws:autoscaling:launchconfiguration';
const ROLLING = 'aws:autoscaling:updatepolicy:rollingupdate';

/** cpu and memory of the service's running tasks, as DescribeTasks shows them. */
async function taskSizes(cluster: TestCluster, serviceName: string): Promise<string[]> {
  const { taskArns } = await cluster.api('GET', `/v1/tasks?cluster=default&serviceName=${serviceName}`);
  if (taskArns.length === 0) return [];
  const { tasks } = await cluster.api('POST', '/v1/tasks/describe', { cluster: 'default', tasks: taskArns });
  return tasks.map((task: { cpu: string; memory: string }) => `${task.cpu}/${task.memory}`).sort();
}

test('a new InstanceType rolls out as the rolling update (Health, batches of 1, 2 in service) with zero failed requests; new variables alone follow the deployment policy', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  // Room for an old and a new copy of the largest size on each host while a batch is replaced.
  for (const hostId of ['ru1', 'ru2', 'ru3']) await cluster.startAgent({ hostId, cpu: 16_384, memory: 65_536 });
  const router = await startTestRouter(t, cluster.controller);
  const source = path.join(await tempDir(t), 'app');
  await writeNodeApp(source, 'v1', { '.ebextensions/01-health.config': FAST_HEALTH });
  await createVersion(cluster, t, 'ru', 'v1', source);
  await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'ru',
    EnvironmentName: 'ru-env',
    VersionLabel: 'v1',
    OptionSettings: [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '3' },
      { Namespace: LAUNCH, OptionName: 'InstanceType', Value: 't3.micro' },
    ],
  });
  const ready = await readyOn(cluster, 'ru-env', 'v1');
  const serviceName = `eb-${ready.EnvironmentId}`;
  const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port);
  const healthy = () => router.router.targetHealth().filter((d) => d.state === 'healthy').length;
  await waitFor('3 healthy targets', () => healthy() === 3, { timeoutMs: 30_000 });
  assert.deepEqual(await taskSizes(cluster, serviceName), ['2048/1024', '2048/1024', '2048/1024'], 't3.micro: 2 vCPUs, 1 GiB');

  const load = startLoad(port, 'ru-env.localhost');
  await new Promise((resolve) => setTimeout(resolve, 500));
  let minimum = Infinity;
  const sampler = setInterval(() => (minimum = Math.min(minimum, healthy())), 20);
  await cluster.api('POST', `${EB}/UpdateEnvironment`, {
    EnvironmentName: 'ru-env',
    OptionSettings: [
      { Namespace: LAUNCH, OptionName: 'InstanceType', Value: 'c5.xlarge' },
      { Namespace: ROLLING, OptionName: 'RollingUpdateEnabled', Value: 'true' },
      { Namespace: ROLLING, OptionName: 'RollingUpdateType', Value: 'Health' },
      { Namespace: ROLLING, OptionName: 'MaxBatchSize', Value: '1' },
      { Namespace: ROLLING, OptionName: 'MinInstancesInService', Value: '2' },
    ],
  });
  await readyOn(cluster, 'ru-env', 'v1');
  clearInterval(sampler);
  const result = await load.stop();
  t.diagnostic(`rolling update: ${result.ok} ok, ${result.failed} failed, min healthy ${minimum}, longest gap ${result.longestGapMs} ms`);
  assert.equal(result.failed, 0, result.failures.join('; '));
  assert.ok(result.ok > 100, `the load ran (${result.ok})`);
  assert.ok(minimum >= 2, `never fewer than MinInstancesInService (2) healthy targets; saw ${minimum}`);
  assert.deepEqual(await taskSizes(cluster, serviceName), ['4096/8192', '4096/8192', '4096/8192'], 'c5.xlarge: 4 vCPUs, 8 GiB on every task');

  const [update] = await cluster.controller.store.deployments.forService('default', serviceName, 1);
  assert.ok(update);
  assert.equal(update.kind, 'RollingUpdate:Health');
  assert.equal(update.status, 'COMPLETED');
  assert.equal(update.fromSets.length, 1);
  const planned = rollingUpdatePlan({ type: 'Health', desired: 3, maxBatchSize: 1, minInstancesInService: 2, from: [{ id: update.fromSets[0]!, count: 3 }], to: { id: update.toSet, count: 0 } });
  assert.deepEqual(update.steps, planned, 'the service deployment ran the rolling update plan');
  assert.deepEqual(update.steps.map((s) => [s.targets[update.fromSets[0]!], s.targets[update.toSet]]), [[2, 1], [1, 2], [0, 3]]);

  // Environment variables alone keep the size: an application deployment, by DeploymentPolicy (AllAtOnce).
  await cluster.api('POST', `${EB}/UpdateEnvironment`, {
    EnvironmentName: 'ru-env',
    OptionSettings: [{ Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'resized' }],
  });
  await readyOn(cluster, 'ru-env', 'v1');
  const [deployment] = await cluster.controller.store.deployments.forService('default', serviceName, 1);
  assert.equal(deployment?.kind, 'AllAtOnce');
  assert.ok(deployment.id > update.id);
  assert.deepEqual(await taskSizes(cluster, serviceName), ['4096/8192', '4096/8192', '4096/8192']);
  await waitFor('the new variable to answer', async () => (await httpGet(port, '/env/GREETING', 'ru-env.localhost')).text === 'resized', { timeoutMs: 30_000 });
  const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'ru-env', Severity: 'ERROR' });
  assert.deepEqual(Events, []);
});
