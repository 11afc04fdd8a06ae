/** A SingleInstance environment end to end: one task on a fixed port, no router. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { startTestCluster } from '../support/cluster.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, environment, readyOn, writeNodeApp } from './support.js';

test('a SingleInstance environment answers on its own port, with no router; setting changes apply', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  await cluster.startAgent({ hostId: 'solo' });
  const source = path.join(await tempDir(t), 'app');
  await writeNodeApp(source, 's1');
  await createVersion(cluster, t, 'solo-app', 's1', source);
  await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'solo-app',
    EnvironmentName: 'solo-env',
    VersionLabel: 's1',
    OptionSettings: [
      { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' },
      { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'hello' },
    ],
  });
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
});
