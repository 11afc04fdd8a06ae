/** A SingleInstance environment end to end: one task on a fixed port, no router. */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startTestCluster } from '../support/cluster.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, environment, readyOn, waitForEnvironment, writeNodeApp } from './support.js';

test('a SingleInstance environment (named by its env.yaml) answers on its own port, with no router; setting changes apply; a failed build keeps the old version', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  await cluster.startAgent({ hostId: 'solo' });
  const source = path.join(await tempDir(t), 'app');
  await writeNodeApp(source, 's1', { 'env.yaml': 'AWSConfigurationTemplateVersion: 1.1.0.0\nEnvironmentName: solo-env\nCName: solo-from-manifest\n' });
  await createVersion(cluster, t, 'solo-app', 's1', source);
  const created = await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'solo-app',
    VersionLabel: 's1',
    OptionSettings: [
      { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' },
      { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'hello' },
    ],
  });
  assert.equal(created.EnvironmentName, 'solo-env', 'the name comes from env.yaml');
  assert.equal(created.CNAME, 'solo-from-manifest.localhost', 'and so does the CNAME prefix');
  const ready = await readyOn(cluster, 'solo-env', 's1');
  assert.match(ready.URL, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(ready.Resources.LoadBalancer, undefined);
  await waitFor('the instance answers', async () => (await fetch(ready.URL).then((r) => r.text(), () => '')) === 's1 hello\n', { timeoutMs: 30_000 });
  assert.equal((await cluster.api('POST', '/v1/elbv2/DescribeTargetGroups', {})).TargetGroups.length, 0, 'no target group for a single instance');

  await cluster.api('POST', `${EB}/UpdateEnvironment`, {
    EnvironmentName: 'solo-env',
    OptionSettings: [{ Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'changed' }],
  });
  await waitFor('Ready after the change', async () => {
    const e = await environment(cluster, 'solo-env');
    return e.Status === 'Ready' && e.Operation?.Kind === 'configure';
  }, { timeoutMs: 60_000 });
  await waitFor('the new value answers at the same URL', async () => (await fetch(ready.URL).then((r) => r.text(), () => '')) === 's1 changed\n', { timeoutMs: 30_000 });
  const settings = await cluster.api('POST', `${EB}/DescribeConfigurationSettings`, { ApplicationName: 'solo-app', EnvironmentName: 'solo-env' });
  const greeting = settings.ConfigurationSettings[0].OptionSettings.find((s: any) => s.OptionName === 'GREETING');
  assert.equal(greeting.Value, 'changed');

  // A version whose build fails: the environment stays Ready on s1, says why, and s1 keeps answering.
  const broken = path.join(await tempDir(t), 'broken');
  await writeNodeApp(broken, 's2');
  await writeFile(path.join(broken, 'package.json'), '{ "name": "broken", not json');
  await createVersion(cluster, t, 'solo-app', 's2', broken);
  await cluster.api('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'solo-env', VersionLabel: 's2' });
  const failed = await waitForEnvironment(cluster, 'solo-env', 'failed on s2', (e) => e.Status === 'Ready' && e.Operation?.VersionLabel === 's2' && Boolean(e.Operation?.Failure), 120_000);
  assert.equal(failed.VersionLabel, 's1');
  assert.match(failed.Operation.Failure, /build failed/);
  assert.equal(await fetch(ready.URL).then((r) => r.text()), 's1 changed\n');
  const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'solo-env', Severity: 'ERROR' });
  assert.equal(Events.length, 1, JSON.stringify(Events));
  assert.match(Events[0].Message, /Failed to deploy version s2/);
});
