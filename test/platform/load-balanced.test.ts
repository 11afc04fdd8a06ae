/** A LoadBalanced environment end to end: real agents, the real router at the environment's host name. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, environment, readyOn, waitForEnvironment, writeNodeApp, FAST_HEALTH, httpGet } from './support.js';

test('a LoadBalanced environment of 3 instances answers at its host name with its variables; a new version replaces it; terminate removes what it owns', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  for (const hostId of ['host-a', 'host-b', 'host-c']) await cluster.startAgent({ hostId });
  const router = await startTestRouter(t, cluster.controller);

  const source = path.join(await tempDir(t), 'app');
  await writeNodeApp(source, 'v1', { '.ebextensions/01-health.config': FAST_HEALTH });
  const version = await createVersion(cluster, t, 'shop', 'v1', source);
  assert.equal(version.ApplicationVersion.Status, 'Processed');
  assert.equal(version.ApplicationVersion.Platform, 'nodejs');

  // Unrelated records the terminate must leave alone.
  await cluster.api('POST', '/v1/elbv2/CreateTargetGroup', { Name: 'bystander', Port: 80 });

  const created = await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'shop',
    EnvironmentName: 'shop-prod',
    VersionLabel: 'v1',
    OptionSettings: [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '3' },
      { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'from-the-api' },
    ],
  });
  assert.equal(created.Status, 'Launching');
  assert.equal(created.CNAME, 'shop-prod.localhost');
  const ready = await readyOn(cluster, 'shop-prod', 'v1');
  assert.equal(ready.Health !== undefined, true);

  const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port);
  const get = (urlPath = '/', host = 'shop-prod.localhost') => httpGet(port, urlPath, host);
  await waitFor('the environment to answer through the router', async () => (await get()).status === 200, { timeoutMs: 30_000 });
  assert.equal((await get()).text, 'v1 from-the-api\n', 'the API layer wins over .ebextensions');
  assert.equal((await get('/env/FROM_FILE')).text, 'yes-it-is', '.ebextensions variables reach the app');
  assert.equal((await get('/', 'other.localhost')).status, 404, 'another host name is not this environment');
  const { InstanceHealthList } = await cluster.api('POST', `${EB}/DescribeInstancesHealth`, { EnvironmentName: 'shop-prod' });
  assert.equal(InstanceHealthList.length, 3);
  const hosts = new Set(InstanceHealthList.map((i: any) => i.ContainerInstanceId));
  assert.equal(hosts.size, 3, 'spread over the 3 hosts');
  await waitFor('health Green', async () => (await environment(cluster, 'shop-prod')).HealthStatus === 'Ok', { timeoutMs: 30_000 });

  // A new version (AllAtOnce until the deployment policies land).
  await writeNodeApp(source, 'v2', { '.ebextensions/01-health.config': FAST_HEALTH });
  await createVersion(cluster, t, 'shop', 'v2', source);
  await cluster.api('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'shop-prod', VersionLabel: 'v2' });
  const busy = await cluster.controller.call('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'shop-prod', VersionLabel: 'v1' });
  assert.equal(busy.json.code, 'WHARF_E_OPERATION_IN_PROGRESS', 'a second update while one runs is refused');
  await readyOn(cluster, 'shop-prod', 'v2');
  await waitFor('v2 answers', async () => (await get()).text === 'v2 from-the-api\n', { timeoutMs: 30_000 });

  const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'shop-prod', VersionLabel: 'v2' });
  assert.ok(Events.some((e: any) => /deployed/.test(e.Message)), 'events filter by version');

  // Terminate: the service, its tasks, its rule and target group go; nothing else does.
  await cluster.api('POST', `${EB}/TerminateEnvironment`, { EnvironmentName: 'shop-prod' });
  await waitForEnvironment(cluster, 'shop-prod', 'Terminated', (e) => e.Status === 'Terminated', 60_000);
  const groups = (await cluster.api('POST', '/v1/elbv2/DescribeTargetGroups', {})).TargetGroups.map((g: any) => g.TargetGroupName);
  assert.deepEqual(groups, ['bystander']);
  const { Rules } = await cluster.api('POST', '/v1/elbv2/DescribeRules', {});
  assert.equal(Rules.filter((r: any) => !r.IsDefault).length, 0);
  const live = (await cluster.controller.store.tasks.list({ cluster: 'default', limit: 100 })).filter((task) => task.lastStatus !== 'STOPPED');
  assert.deepEqual(live, []);
  assert.equal((await get()).status, 404);
  // The name and CNAME are free again; the versions stay.
  const check = await cluster.api('POST', `${EB}/CheckDNSAvailability`, { CNAMEPrefix: 'shop-prod' });
  assert.equal(check.Available, true);
  const versions = await cluster.api('POST', `${EB}/DescribeApplicationVersions`, { ApplicationName: 'shop' });
  assert.deepEqual(versions.ApplicationVersions.map((v: any) => v.VersionLabel).sort(), ['v1', 'v2']);
});
