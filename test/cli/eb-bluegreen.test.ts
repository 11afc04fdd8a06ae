// `wharf eb clone`, `swap` and `abort` end to end: the real CLI in a project folder against a
// controller with an agent and a router, as a blue/green deployment goes with the EB CLI.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertOk, COMMAND_MS, runWharf } from '../support/cli.js';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, FAST_HEALTH, httpGet, readyOn, waitForEnvironment, writeNodeApp } from '../platform/support.js';

const eventAt = (message: string) => new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d {4}(INFO|WARN) {4}${message}$`, 'm');

test('wharf eb clone, swap and abort: a clone on the same version, the CNAMEs swapped on the router, an abort back to the previous version', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  await cluster.startAgent({ hostId: 'bgc-host' });
  const router = await startTestRouter(t, cluster.controller);
  const dir = await tempDir(t, 'wharf-eb-bluegreen-');
  await writeNodeApp(dir, 'v1', { '.ebextensions/01-health.config': FAST_HEALTH });
  const eb = (args: string[]) => runWharf(['eb', ...args], { cwd: dir, env: { WHARF_ENDPOINT: cluster.controller.url }, timeoutMs: COMMAND_MS });

  // Made through the API (wharf eb create has its own tests); the commands name the environment.
  await createVersion(cluster, t, 'bgc', 'v1', dir);
  await cluster.api('POST', `${EB}/CreateEnvironment`, { ApplicationName: 'bgc', EnvironmentName: 'bgc-blue', VersionLabel: 'v1' });
  await readyOn(cluster, 'bgc-blue', 'v1');

  // clone: named <env>-clone, on the version the environment runs. Meanwhile, abort with nothing in progress is refused.
  const [cloned, idle] = await Promise.all([eb(['clone', 'bgc-blue']), eb(['abort', 'bgc-blue'])]);
  assert.equal(idle.code, 1, idle.stderr);
  assert.match(idle.stderr, /Environment bgc-blue has no abortable operation in progress: it is Ready, no update is in progress/);
  assertOk(cloned, 'clone');
  assert.match(cloned.stdout, /^Environment bgc-blue-clone \(e-[a-z0-9]{10}\) is launching as a clone of bgc-blue on version v1\.$/m);
  assert.match(cloned.stdout, eventAt('createEnvironment completed successfully\\.'));
  assert.match(cloned.stdout, /^Environment bgc-blue-clone is Ready .* on version v1: http:\/\/bgc-blue-clone\.localhost(:\d+)?\/$/m);
  const settings = await cluster.api('POST', `${EB}/DescribeConfigurationSettings`, { ApplicationName: 'bgc', EnvironmentName: 'bgc-blue-clone' });
  assert.match(settings.ConfigurationSettings[0].TemplateName, /^bgc-blue-clone-\d{6}_\d{6}$/, 'made from a saved configuration of bgc-blue');

  // v2 on the clone, then swap (the application's one other environment is the destination).
  await writeNodeApp(dir, 'v2', { '.ebextensions/01-health.config': FAST_HEALTH });
  await createVersion(cluster, t, 'bgc', 'v2', dir);
  await cluster.api('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'bgc-blue-clone', VersionLabel: 'v2' });
  await readyOn(cluster, 'bgc-blue-clone', 'v2');
  const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port);
  await waitFor('v1 at bgc-blue.localhost', async () => (await httpGet(port, '/', 'bgc-blue.localhost')).text.startsWith('v1 '), { timeoutMs: 20_000 });
  const swapped = await eb(['swap', 'bgc-blue']);
  assertOk(swapped, 'swap');
  assert.match(swapped.stdout, eventAt("Completed swapping CNAMEs for environments 'bgc-blue' and 'bgc-blue-clone'\\."));
  assert.match(swapped.stdout, /^Environment bgc-blue now answers at bgc-blue-clone\.localhost /m);
  await waitFor('v2 at bgc-blue.localhost', async () => (await httpGet(port, '/', 'bgc-blue.localhost')).text.startsWith('v2 '), { timeoutMs: 10_000 });
  const back = await eb(['--json', 'swap', 'bgc-blue-clone', '-n', 'bgc-blue']);
  assertOk(back, 'swap --json');
  const json = JSON.parse(back.stdout);
  assert.equal(json.Source.CNAME, 'bgc-blue-clone.localhost');
  assert.equal(json.Destination.CNAME, 'bgc-blue.localhost');

  // abort: during a deploy that cannot finish, back to v1.
  await writeNodeApp(dir, 'v3', { '.ebextensions/01-health.config': FAST_HEALTH, 'server.js': 'setTimeout(() => {}, 600000);\n' });
  await createVersion(cluster, t, 'bgc', 'v3', dir);
  await cluster.api('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'bgc-blue', VersionLabel: 'v3' });
  await waitForEnvironment(cluster, 'bgc-blue', 'abortable', (e) => e.AbortableOperationInProgress === true, 30_000);
  const aborted = await eb(['abort', 'bgc-blue']);
  assertOk(aborted, 'abort');
  assert.match(aborted.stdout, /^Aborting the deploy of environment bgc-blue \(version v3\)\.$/m);
  assert.match(aborted.stdout, eventAt('Aborting the environment update\\.'));
  assert.match(aborted.stdout, eventAt('Environment update aborted: version v1 and its previous settings are restored\\.'));
  assert.match(aborted.stdout, /^Environment bgc-blue is Ready .* on version v1: .*\nThe update was aborted\.$/m);
  assert.ok((await httpGet(port, '/', 'bgc-blue.localhost')).text.startsWith('v1 '));
});
