/**
 * AbortEnvironmentUpdate on a SingleInstance environment: its one task has a fixed port that two
 * tasks cannot share, so the abort replaces the new task with one of the previous version in one
 * step (as its deployments do); the environment is Ready on v1 and answers v1 at its address.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { startTestCluster } from '../support/cluster.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, readyOn, waitForEnvironment, writeNodeApp } from './support.js';

test('abort a deploy of a SingleInstance environment: its one task returns to v1 on its fixed port', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  await cluster.startAgent({ hostId: 'abi-1' });
  const source = path.join(await tempDir(t), 'app');
  await writeNodeApp(source, 'v1');
  await createVersion(cluster, t, 'abi', 'v1', source);
  await writeNodeApp(source, 'v2', { 'server.js': 'setTimeout(() => {}, 600000);\n' });
  await createVersion(cluster, t, 'abi', 'v2', source);
  await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'abi',
    EnvironmentName: 'abi-env',
    VersionLabel: 'v1',
    OptionSettings: [{ Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' }],
  });
  const ready = await readyOn(cluster, 'abi-env', 'v1');
  const body = () => fetch(ready.URL).then((r) => r.text(), () => '');
  await waitFor('v1 at the instance address', async () => (await body()).startsWith('v1 '), { timeoutMs: 15_000 });

  await cluster.api('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'abi-env', VersionLabel: 'v2' });
  await waitForEnvironment(cluster, 'abi-env', 'abortable', (e) => e.AbortableOperationInProgress === true, 30_000);
  await cluster.api('POST', `${EB}/AbortEnvironmentUpdate`, { EnvironmentName: 'abi-env' });
  const done = await waitForEnvironment(cluster, 'abi-env', 'Ready after the abort', (e) => e.Status === 'Ready', 60_000);
  assert.equal(done.VersionLabel, 'v1');
  assert.equal(done.Operation.Aborted, true);
  assert.equal(done.URL, ready.URL, 'the same address');
  await waitFor('v1 at the instance address again', async () => (await body()).startsWith('v1 '), { timeoutMs: 15_000 });
  const tasks = (await cluster.controller.store.tasks.list({ cluster: 'default', limit: 100 })).filter((task) => task.lastStatus !== 'STOPPED');
  assert.deepEqual(tasks.map((task) => task.revision), [1]);
});
