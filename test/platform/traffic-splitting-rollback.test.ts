/**
 * TrafficSplitting judges the new version against the old over the same window: a version that
 * answers far slower than the old gets its traffic back to the old set and its tasks stopped,
 * with nothing failing for the clients.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../support/wait.js';
import { startLoad, waitForEnvironment } from './support.js';
import { newestDeployment, splitEnvironment } from './split-support.js';

/** The test app, but every answer to a client waits 150 ms (a version whose health checks pass yet which serves far slower). */
const SLOW_SERVER = `const http = require('http');
http.createServer((req, res) => {
  req.resume();
  if (req.headers['user-agent'] === 'Wharf-HealthChecker/1.0') return res.end('v3 ok\\n');
  setTimeout(() => res.end('v3 slow\\n'), 150);
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

test('TrafficSplitting: a new version slower than the old beyond LatencyMargin goes back to 0 % and its set goes; nothing fails', async (t) => {
  const { cluster, port, version, deploy } = await splitEnvironment(t, 'haproxy');
  await version('v3', { 'server.js': SLOW_SERVER });
  const load = startLoad(port, 'split-env.localhost');
  t.after(() => load.stop());
  await new Promise((resolve) => setTimeout(resolve, 500));
  const started = Date.now();
  await deploy('v3', 30, 2, [{ Namespace: 'aws:elasticbeanstalk:trafficsplitting', OptionName: 'LatencyMargin', Value: '50' }]);

  const failed = await waitFor('the evaluation to fail', async () => {
    const d = await newestDeployment(cluster);
    return d?.kind === 'ROLLBACK' ? d : undefined;
  }, { timeoutMs: 60_000, intervalMs: 100 });
  const judged = Date.now() - started;
  const [service] = await cluster.controller.store.services.listLive();
  const [, original] = await cluster.controller.store.deployments.forService(service!.cluster, service!.serviceName, 2);
  if (original?.status !== 'FAILED' || !/mean latency/.test(original.reason)) {
    const events = await cluster.controller.store.events.query({ resourceType: 'service', resourceId: `${service!.cluster}/${service!.serviceName}`, limit: 60 });
    t.diagnostic(events.map((e) => `${e.severity} ${e.message}`).reverse().join('\n'));
  }
  assert.equal(original?.status, 'FAILED');
  assert.match(original?.reason ?? '', /mean latency .* above the old's .* by more than 50 %/);
  assert.ok(['IN_PROGRESS', 'COMPLETED'].includes(failed.status), `the rollback runs (${failed.status})`);

  // The operation fails once the rollback is done: the environment is Ready on v1, the failure recorded.
  const after = await waitForEnvironment(cluster, 'split-env', 'Ready again after the rollback', (e) => e.Status === 'Ready');
  assert.equal(after.VersionLabel, 'v1');
  assert.match(after.Operation?.Failure ?? '', /evaluation .* failed: .*mean latency/);
  assert.match(after.Operation?.Failure ?? '', /rolled back to the previous version/);
  await waitFor('only v1 answers', async () => {
    const before = load.snapshot().versions.get('v3') ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    return load.snapshot().versions.get('v3') === before;
  }, { timeoutMs: 30_000 });
  const rolledBack = Date.now() - started;
  const result = await load.stop();
  t.diagnostic(`judged slower after ${judged} ms, only v1 after ${rolledBack} ms; ${result.ok} ok, ${result.failed} failed, versions ${JSON.stringify([...result.versions])}`);
  assert.equal(result.failed, 0, result.failures.join('; '));
  assert.ok((result.versions.get('v3') ?? 0) > 0, 'the new version took part of the traffic before it was judged');
  await waitFor('one set running, three tasks', async () => {
    const tasks = await cluster.controller.store.tasks.list({ cluster: service!.cluster, desiredStatus: 'RUNNING', limit: 1000 });
    return new Set(tasks.map((task) => task.startedBy)).size === 1 && tasks.length === 3;
  }, { timeoutMs: 30_000 });
});
