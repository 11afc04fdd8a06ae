/**
 * Elastic Beanstalk deployment policies on a LoadBalanced environment under steady load through
 * the router: Rolling keeps N minus a batch serving, RollingWithAdditionalBatch and Immutable keep
 * N, and none drops a request.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, FAST_HEALTH, readyOn, startLoad, writeNodeApp } from './support.js';

const COMMAND = 'aws:elasticbeanstalk:command';

test('Rolling, RollingWithAdditionalBatch and Immutable deploy a new version with zero failed requests and their capacity guarantees', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  for (const hostId of ['p1', 'p2', 'p3']) await cluster.startAgent({ hostId });
  const router = await startTestRouter(t, cluster.controller);
  const source = path.join(await tempDir(t), 'app');
  const version = async (label: string) => {
    await writeNodeApp(source, label, { '.ebextensions/01-health.config': FAST_HEALTH });
    await createVersion(cluster, t, 'pol', label, source);
  };
  await version('v1');
  await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'pol',
    EnvironmentName: 'pol-env',
    VersionLabel: 'v1',
    OptionSettings: [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '3' },
      { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' },
    ],
  });
  const ready = await readyOn(cluster, 'pol-env', 'v1');
  const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port);
  const healthy = () => router.router.targetHealth().filter((d) => d.state === 'healthy').length;
  await waitFor('3 healthy targets', () => healthy() === 3, { timeoutMs: 30_000 });
  void ready;

  const deploy = async (label: string, policy: string, batch: { type: string; size: string }) => {
    await version(label);
    const load = startLoad(port, 'pol-env.localhost');
    await new Promise((resolve) => setTimeout(resolve, 500));
    let minimum = Infinity;
    const sampler = setInterval(() => (minimum = Math.min(minimum, healthy())), 20);
    await cluster.api('POST', `${EB}/UpdateEnvironment`, {
      EnvironmentName: 'pol-env',
      VersionLabel: label,
      OptionSettings: [
        { Namespace: COMMAND, OptionName: 'DeploymentPolicy', Value: policy },
        { Namespace: COMMAND, OptionName: 'BatchSizeType', Value: batch.type },
        { Namespace: COMMAND, OptionName: 'BatchSize', Value: batch.size },
      ],
    });
    await readyOn(cluster, 'pol-env', label);
    await waitFor(`only ${label} answers`, async () => {
      const before = load.snapshot().versions.get(label) ?? 0;
      const others = [...load.snapshot().versions.entries()].filter(([v]) => v !== label).reduce((n, [, c]) => n + c, 0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = load.snapshot();
      return (after.versions.get(label) ?? 0) > before && [...after.versions.entries()].filter(([v]) => v !== label).reduce((n, [, c]) => n + c, 0) === others;
    }, { timeoutMs: 30_000 });
    clearInterval(sampler);
    const result = await load.stop();
    t.diagnostic(`${policy}: ${result.ok} ok, ${result.failed} failed, min healthy ${minimum}, versions ${JSON.stringify([...result.versions])}`);
    assert.equal(result.failed, 0, `${policy}: ${result.failures.join('; ')}`);
    assert.ok(result.ok > 100, `${policy}: the load ran (${result.ok})`);
    return minimum;
  };

  assert.ok((await deploy('v2', 'Rolling', { type: 'Fixed', size: '1' })) >= 2, 'Rolling never serves fewer than N minus a batch');
  assert.ok((await deploy('v3', 'RollingWithAdditionalBatch', { type: 'Fixed', size: '1' })) >= 3, 'RollingWithAdditionalBatch keeps N');
  assert.ok((await deploy('v4', 'Immutable', { type: 'Percentage', size: '100' })) >= 3, 'Immutable keeps N');
  const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'pol-env', Severity: 'ERROR' });
  assert.deepEqual(Events, []);
});
