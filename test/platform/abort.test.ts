/**
 * AbortEnvironmentUpdate end to end: a Rolling deploy of a version whose tasks start slowly is
 * aborted while it rolls out; the environment returns to Ready on v1 with its previous settings,
 * only v1 answers, and no request fails under steady load through the router. Aborting when
 * nothing can be aborted is refused and changes nothing. (During a traffic split:
 * abort-traffic-splitting.test.ts.)
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, environment, FAST_HEALTH, httpGet, startLoad, readyOn, waitForEnvironment, writeNodeApp } from './support.js';

/** How long v2's tasks wait before they listen: far longer than the test takes to abort. */
const SLOW_START_MS = 60_000;
const COMMAND = 'aws:elasticbeanstalk:command';
const PROPERTIES = 'aws:elasticbeanstalk:application:environment';

/** The same app, but it sleeps before it listens (a version whose deployment stays abortable). */
function slowServer(version: string): string {
  return `const http = require('http');
setTimeout(() => http.createServer((req, res) => res.end('${version} ' + (process.env.GREETING ?? '') + '\\n')).listen(Number(process.env.PORT), '127.0.0.1'), ${SLOW_START_MS});
`;
}

test('abort a Rolling deploy while it rolls out: Ready on v1 with its settings, only v1 answers, zero failed requests; nothing to abort is refused', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  for (const hostId of ['ab-1', 'ab-2']) await cluster.startAgent({ hostId });
  const router = await startTestRouter(t, cluster.controller);
  const source = path.join(await tempDir(t), 'app');
  await writeNodeApp(source, 'v1', { '.ebextensions/01-health.config': FAST_HEALTH });
  await createVersion(cluster, t, 'ab', 'v1', source);
  await writeNodeApp(source, 'v2', { '.ebextensions/01-health.config': FAST_HEALTH, 'server.js': slowServer('v2') });
  await createVersion(cluster, t, 'ab', 'v2', source);
  await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'ab',
    EnvironmentName: 'ab-env',
    VersionLabel: 'v1',
    OptionSettings: [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
      { Namespace: COMMAND, OptionName: 'DeploymentPolicy', Value: 'Rolling' },
      { Namespace: COMMAND, OptionName: 'BatchSizeType', Value: 'Fixed' },
      { Namespace: COMMAND, OptionName: 'BatchSize', Value: '1' },
      { Namespace: PROPERTIES, OptionName: 'GREETING', Value: 'before' },
    ],
  });
  const ready = await readyOn(cluster, 'ab-env', 'v1');
  assert.equal(ready.AbortableOperationInProgress, false);
  const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port);
  await waitFor('2 healthy targets', () => router.router.targetHealth().filter((d) => d.state === 'healthy').length === 2, { timeoutMs: 30_000 });
  assert.equal((await httpGet(port, '/', 'ab-env.localhost')).text, 'v1 before\n');

  // Nothing in progress: refused, nothing changed.
  const idle = await cluster.controller.call('POST', `${EB}/AbortEnvironmentUpdate`, { EnvironmentName: 'ab-env' });
  assert.equal(idle.status, 400);
  assert.equal(idle.json.code, 'WHARF_E_NO_ABORTABLE_OPERATION');
  assert.match(idle.json.detail, /Environment ab-env has no abortable operation in progress: it is Ready, no update is in progress/);
  const same = await environment(cluster, 'ab-env');
  assert.deepEqual([same.Status, same.VersionLabel, same.Operation.Id, same.DateUpdated], [ready.Status, ready.VersionLabel, ready.Operation.Id, ready.DateUpdated]);
  const missing = await cluster.controller.call('POST', `${EB}/AbortEnvironmentUpdate`, {});
  assert.equal(missing.json.code, 'WHARF_E_VALIDATION');

  const load = startLoad(port, 'ab-env.localhost');
  t.after(() => load.stop());
  await new Promise((resolve) => setTimeout(resolve, 500));
  await cluster.api('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'ab-env', VersionLabel: 'v2', OptionSettings: [{ Namespace: PROPERTIES, OptionName: 'GREETING', Value: 'after' }] });
  const abortable = await waitForEnvironment(cluster, 'ab-env', 'abortable (v2 rolling out)', (e) => e.AbortableOperationInProgress === true, 30_000);
  assert.equal(abortable.Status, 'Updating');
  // The first batch is under way: a v2 task runs (not yet listening) where a v1 task was.
  await waitFor('a v2 task to run', async () => {
    const tasks = await cluster.controller.store.tasks.list({ cluster: 'default', limit: 100 });
    return tasks.some((task) => task.lastStatus === 'RUNNING' && task.revision > 1 && task.desiredStatus === 'RUNNING');
  }, { timeoutMs: 15_000 });

  assert.deepEqual(await cluster.api('POST', `${EB}/AbortEnvironmentUpdate`, { EnvironmentName: 'ab-env' }), {});
  const aborting = await environment(cluster, 'ab-env');
  assert.equal(aborting.Status, 'Aborting');
  assert.equal(aborting.AbortableOperationInProgress, false);
  const twice = await cluster.controller.call('POST', `${EB}/AbortEnvironmentUpdate`, { EnvironmentId: aborting.EnvironmentId });
  assert.equal(twice.json.code, 'WHARF_E_NO_ABORTABLE_OPERATION');
  assert.match(twice.json.detail, /an abort is in progress already/);

  const done = await waitForEnvironment(cluster, 'ab-env', 'Ready after the abort', (e) => e.Status === 'Ready', 60_000);
  assert.equal(done.VersionLabel, 'v1');
  assert.equal(done.Operation.Aborted, true);
  assert.match(done.Operation.Failure, /^aborted \(AbortEnvironmentUpdate\); version v1 and its previous settings are restored$/);
  await waitFor('only v1 to answer', async () => {
    const a = load.snapshot();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const b = load.snapshot();
    return (b.versions.get('v1') ?? 0) > (a.versions.get('v1') ?? 0) && b.versions.size === 1;
  }, { timeoutMs: 20_000 });
  await waitFor('100 answers', () => load.snapshot().ok > 100, { timeoutMs: 30_000 });
  const result = await load.stop();
  t.diagnostic(`abort under load: ${result.ok} ok, ${result.failed} failed, versions ${JSON.stringify([...result.versions])}`);
  assert.equal(result.failed, 0, result.failures.join('; '));
  assert.ok(result.ok > 100, `the load ran (${result.ok})`);
  assert.deepEqual([...result.versions.keys()], ['v1'], 'v2 never answered');
  assert.equal((await httpGet(port, '/', 'ab-env.localhost')).text, 'v1 before\n', 'the previous settings serve again');

  // The settings are the previous ones; only v1 tasks run, as many as before.
  const { ConfigurationSettings } = await cluster.api('POST', `${EB}/DescribeConfigurationSettings`, { ApplicationName: 'ab', EnvironmentName: 'ab-env' });
  const greeting = ConfigurationSettings[0].OptionSettings.find((s: any) => s.Namespace === PROPERTIES && s.OptionName === 'GREETING');
  assert.equal(greeting.Value, 'before');
  await waitFor('only the 2 v1 tasks to run', async () => {
    const tasks = (await cluster.controller.store.tasks.list({ cluster: 'default', limit: 100 })).filter((task) => task.lastStatus !== 'STOPPED');
    return tasks.length === 2 && tasks.every((task) => task.revision === 1);
  }, { timeoutMs: 15_000 });
  const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'ab-env', Severity: 'WARN' });
  const warnings = Events.map((e: any) => e.Message);
  assert.ok(warnings.includes('Aborting the environment update.'), warnings.join('\n'));
  assert.ok(warnings.includes('Environment update aborted: version v1 and its previous settings are restored.'), warnings.join('\n'));

  // A new deploy works after an abort.
  await writeNodeApp(source, 'v3', { '.ebextensions/01-health.config': FAST_HEALTH });
  await createVersion(cluster, t, 'ab', 'v3', source);
  await cluster.api('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'ab-env', VersionLabel: 'v3' });
  await readyOn(cluster, 'ab-env', 'v3');
  await waitFor('v3 answers', async () => (await httpGet(port, '/', 'ab-env.localhost')).text === 'v3 before\n', { timeoutMs: 15_000 });
});
