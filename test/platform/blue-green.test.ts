/**
 * Blue/green on the platform: a clone of a running environment (its saved configuration and its
 * version, as `wharf eb clone` makes it), a new version deployed to the clone, and
 * SwapEnvironmentCNAMEs under steady load at the blue environment's host name: v1 answers before,
 * v2 after, and no request fails, through both data planes. (Bad input: blue-green-bad-input.test.ts.)
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, environment, FAST_HEALTH, httpGet, readyOn, startLoad, writeNodeApp } from './support.js';

const SWAP_EVENTS = [
  /^swapEnvironmentCNAMEs is starting\.$/,
  /^Swapping CNAMEs for environments 'bg-blue' and 'bg-green'\.$/,
  /^'bg-blue\.localhost' now points to 'eb-e-[a-z0-9]{10}' \(environment bg-green\)\.$/,
  /^'bg-green\.localhost' now points to 'eb-e-[a-z0-9]{10}' \(environment bg-blue\)\.$/,
  /^Completed swapping CNAMEs for environments 'bg-blue' and 'bg-green'\.$/,
];

/** Versions answered between two snapshots of a load. */
function delta(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...after].map(([v, n]) => [v, n - (before.get(v) ?? 0)]).filter(([, n]) => Number(n) > 0));
}

test('blue/green: clone, deploy v2 to the clone, swap CNAMEs under load: v1 before, v2 after, zero failed requests; the CNAMEs, rules and events follow', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  for (const hostId of ['bg-1', 'bg-2']) await cluster.startAgent({ hostId });
  const router = await startTestRouter(t, cluster.controller);
  // The production data plane too, reading the same table: both must swap without a failed request.
  const haproxy = await startTestRouter(t, cluster.controller, { dataPlane: 'haproxy' });
  const source = path.join(await tempDir(t), 'app');
  const version = async (label: string) => {
    await writeNodeApp(source, label, { '.ebextensions/01-health.config': FAST_HEALTH });
    await createVersion(cluster, t, 'bg', label, source);
  };
  await version('v1');
  await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'bg',
    EnvironmentName: 'bg-blue',
    VersionLabel: 'v1',
    OptionSettings: [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
      { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'blue-settings' },
    ],
  });
  await readyOn(cluster, 'bg-blue', 'v1');

  // The clone, as `wharf eb clone` makes it: the running environment's configuration saved, then an environment from it on the same version.
  const blue = await environment(cluster, 'bg-blue');
  await cluster.api('POST', `${EB}/CreateConfigurationTemplate`, { ApplicationName: 'bg', TemplateName: 'bg-green-saved', EnvironmentId: blue.EnvironmentId });
  const cloned = await cluster.api('POST', `${EB}/CreateEnvironment`, { ApplicationName: 'bg', EnvironmentName: 'bg-green', TemplateName: 'bg-green-saved', VersionLabel: blue.VersionLabel });
  assert.equal(cloned.CNAME, 'bg-green.localhost', "a clone's CNAME prefix is its name");
  await readyOn(cluster, 'bg-green', 'v1');
  await version('v2');
  await cluster.api('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'bg-green', VersionLabel: 'v2' });
  await readyOn(cluster, 'bg-green', 'v2');

  const planes = [
    { name: 'node', router, port: await waitFor('the node router to serve listener 80', () => router.address(80)?.port) },
    { name: 'haproxy', router: haproxy, port: await waitFor('the haproxy router to serve listener 80', () => haproxy.address(80)?.port) },
  ];
  const port = planes[0]!.port;
  for (const plane of planes) {
    await waitFor(`both environments to answer at their host names (${plane.name})`, async () => {
      const [b, g] = await Promise.all([httpGet(plane.port, '/', 'bg-blue.localhost'), httpGet(plane.port, '/', 'bg-green.localhost')]);
      return b.text === 'v1 blue-settings\n' && g.text === 'v2 blue-settings\n';
    }, { timeoutMs: 30_000 });
    await waitFor(`4 healthy targets (${plane.name})`, () => plane.router.router.targetHealth().filter((d) => d.state === 'healthy').length === 4, { timeoutMs: 30_000 });
  }

  // The load addresses blue's host name throughout, through both routers.
  const loads = planes.map((plane) => ({ ...plane, load: startLoad(plane.port, 'bg-blue.localhost') }));
  for (const l of loads) t.after(() => l.load.stop());
  // Counts of answers, not times: the machine may be slow.
  for (const l of loads) await waitFor(`50 answers through ${l.name}`, () => l.load.snapshot().ok >= 50, { timeoutMs: 30_000 });
  const before = loads.map((l) => l.load.snapshot());
  for (const [i, l] of loads.entries()) assert.deepEqual([...before[i]!.versions.keys()], ['v1'], `before the swap, blue answers at its host name (${l.name})`);
  const swapped = await cluster.api('POST', `${EB}/SwapEnvironmentCNAMEs`, { SourceEnvironmentName: 'bg-blue', DestinationEnvironmentName: 'bg-green' });
  assert.deepEqual(swapped, {});
  for (const l of loads) {
    await waitFor(`only v2 to answer at bg-blue.localhost (${l.name})`, async () => {
      const a = l.load.snapshot();
      await new Promise((resolve) => setTimeout(resolve, 500));
      return Object.keys(delta(a.versions, l.load.snapshot().versions)).join() === 'v2';
    }, { timeoutMs: 15_000 });
  }
  const after = loads.map((l) => l.load.snapshot());
  for (const [i, l] of loads.entries()) await waitFor(`50 more answers through ${l.name}`, () => l.load.snapshot().ok >= after[i]!.ok + 50, { timeoutMs: 30_000 });
  for (const [i, l] of loads.entries()) {
    const result = await l.load.stop();
    const tail = delta(after[i]!.versions, result.versions);
    t.diagnostic(`swap under load (${l.name}): ${result.ok} ok, ${result.failed} failed, versions ${JSON.stringify([...result.versions])}; v1 answers after the swap was asked for: ${(result.versions.get('v1') ?? 0) - (before[i]!.versions.get('v1') ?? 0)}`);
    assert.equal(result.failed, 0, `${l.name}: ${result.failures.join('; ')}`);
    assert.ok((result.versions.get('v1') ?? 0) >= 50 && (result.versions.get('v2') ?? 0) >= 50, `the load ran on both sides of the swap (${l.name})`);
    assert.deepEqual(Object.keys(tail), ['v2'], `after the swap only v2 answers (${l.name})`);
  }

  // The records follow: each CNAME on the other environment, each rule with the other host name.
  const [blueAfter, greenAfter] = await Promise.all([environment(cluster, 'bg-blue'), environment(cluster, 'bg-green')]);
  assert.equal(blueAfter.CNAME, 'bg-green.localhost');
  assert.equal(greenAfter.CNAME, 'bg-blue.localhost');
  assert.equal(blueAfter.Status, 'Ready');
  assert.equal((await httpGet(port, '/', 'bg-green.localhost')).text, 'v1 blue-settings\n', 'the old host name now reaches blue');
  const check = await cluster.api('POST', `${EB}/CheckDNSAvailability`, { CNAMEPrefix: 'bg-blue' });
  assert.equal(check.Available, false);
  for (const name of ['bg-blue', 'bg-green']) {
    const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: name, MaxRecords: 5 });
    const messages = Events.map((e: any) => e.Message).reverse();
    assert.equal(messages.length, SWAP_EVENTS.length);
    SWAP_EVENTS.forEach((pattern, i) => assert.match(messages[i], pattern, `${name} event ${i}`));
  }

  // Swap back by ids: the names return.
  await cluster.api('POST', `${EB}/SwapEnvironmentCNAMEs`, { SourceEnvironmentId: greenAfter.EnvironmentId, DestinationEnvironmentId: blueAfter.EnvironmentId });
  assert.equal((await environment(cluster, 'bg-blue')).CNAME, 'bg-blue.localhost');
  await waitFor('v1 at bg-blue.localhost again', async () => (await httpGet(port, '/', 'bg-blue.localhost')).text === 'v1 blue-settings\n', { timeoutMs: 10_000 });
});
