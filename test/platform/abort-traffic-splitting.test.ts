/**
 * AbortEnvironmentUpdate during a TrafficSplitting evaluation (EB: "shift traffic back to old
 * instances and terminate new ones"): all the traffic returns to v1 at once, the v2 tasks stop,
 * the previous deployment policy is back on the service, and no request fails under load.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, environment, FAST_HEALTH, startLoad, readyOn, waitForEnvironment, writeNodeApp } from './support.js';

const COMMAND = 'aws:elasticbeanstalk:command';

test('abort a TrafficSplitting deploy during its evaluation: all traffic returns to v1 at once, the v2 tasks stop, zero failed requests', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  for (const hostId of ['abs-1', 'abs-2']) await cluster.startAgent({ hostId });
  const router = await startTestRouter(t, cluster.controller);
  const source = path.join(await tempDir(t), 'app');
  for (const label of ['v1', 'v2']) {
    await writeNodeApp(source, label, { '.ebextensions/01-health.config': FAST_HEALTH });
    await createVersion(cluster, t, 'abs', label, source);
  }
  await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'abs',
    EnvironmentName: 'abs-env',
    VersionLabel: 'v1',
    OptionSettings: [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
      { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' },
      { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'LoadBalancerType', Value: 'application' },
    ],
  });
  await readyOn(cluster, 'abs-env', 'v1');
  const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port);
  await waitFor('2 healthy targets', () => router.router.targetHealth().filter((d) => d.state === 'healthy').length === 2, { timeoutMs: 30_000 });

  const load = startLoad(port, 'abs-env.localhost');
  t.after(() => load.stop());
  await cluster.api('POST', `${EB}/UpdateEnvironment`, {
    EnvironmentName: 'abs-env',
    VersionLabel: 'v2',
    OptionSettings: [
      { Namespace: COMMAND, OptionName: 'DeploymentPolicy', Value: 'TrafficSplitting' },
      { Namespace: 'aws:elasticbeanstalk:trafficsplitting', OptionName: 'NewVersionPercent', Value: '50' },
      { Namespace: 'aws:elasticbeanstalk:trafficsplitting', OptionName: 'EvaluationTime', Value: '10' },
    ],
  });
  await waitFor('v2 to take its share of the traffic', async () => (load.snapshot().versions.get('v2') ?? 0) > 20, { timeoutMs: 60_000 });
  assert.equal((await environment(cluster, 'abs-env')).AbortableOperationInProgress, true, 'the evaluation is abortable');

  await cluster.api('POST', `${EB}/AbortEnvironmentUpdate`, { EnvironmentName: 'abs-env' });
  const asked = Date.now();
  await waitFor('v2 to stop answering', async () => {
    const a = load.snapshot().versions.get('v2') ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    return (load.snapshot().versions.get('v2') ?? 0) === a;
  }, { timeoutMs: 15_000, intervalMs: 50 });
  const quiet = Date.now() - asked;
  const done = await waitForEnvironment(cluster, 'abs-env', 'Ready after the abort', (e) => e.Status === 'Ready', 60_000);
  assert.equal(done.VersionLabel, 'v1');
  assert.equal(done.Operation.Aborted, true);
  const after = load.snapshot();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const result = await load.stop();
  t.diagnostic(`abort during a split: ${result.ok} ok, ${result.failed} failed, versions ${JSON.stringify([...result.versions])}; v2 stopped answering within ${quiet} ms of the abort`);
  assert.equal(result.failed, 0, result.failures.join('; '));
  assert.equal(result.versions.get('v2'), after.versions.get('v2'), 'no v2 answer once the environment is Ready');
  await waitFor('only the 2 v1 tasks to run', async () => {
    const tasks = (await cluster.controller.store.tasks.list({ cluster: 'default', limit: 100 })).filter((task) => task.lastStatus !== 'STOPPED');
    return tasks.length === 2 && tasks.every((task) => task.revision === 1);
  }, { timeoutMs: 15_000 });
  const [service] = await cluster.controller.store.services.listLive();
  assert.notEqual(service?.deploymentPolicy?.name, 'TrafficSplitting', 'the previous deployment policy is back on the service');
});
