/**
 * TrafficSplitting on a LoadBalanced environment under steady load through the router: a full new
 * set starts at no traffic, takes NewVersionPercent of the requests for EvaluationTime (the share
 * measured over thousands of requests), then all of them, and the old set goes; nothing fails.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeploymentRecord } from '../../src/model/service.js';
import { waitFor } from '../support/wait.js';
import { newestDeployment, splitEnvironment } from './split-support.js';
import { readyOn, startLoad } from './support.js';

test('TrafficSplitting: the new version takes NewVersionPercent of the requests during the evaluation, then all of them; nothing fails', async (t) => {
  const { cluster, router, port, version, deploy } = await splitEnvironment(t);
  await version('v2');
  const load = startLoad(port, 'split-env.localhost');
  t.after(() => load.stop());
  await new Promise((resolve) => setTimeout(resolve, 500));
  let minimum = Infinity;
  const sampler = setInterval(() => (minimum = Math.min(minimum, router.router.targetHealth().filter((d) => d.state === 'healthy').length)), 20);
  await deploy('v2', 20, 0.5);

  // The evaluation: the step that holds the split, from a moment after its weights are applied
  // (the router takes the new table within milliseconds) to when the deployment moves on.
  const evaluating = (d: DeploymentRecord | undefined) => d?.kind === 'TrafficSplitting' && d.status === 'IN_PROGRESS' && d.steps[d.cursor]?.holdMs !== undefined && d.stepAppliedAt !== null;
  await waitFor('the evaluation to start', async () => evaluating(await newestDeployment(cluster)), { timeoutMs: 60_000, intervalMs: 100 });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const from = load.snapshot();
  await waitFor('the evaluation to end', async () => !evaluating(await newestDeployment(cluster)), { timeoutMs: 60_000, intervalMs: 100 });
  const to = load.snapshot();
  const count = (label: string) => (to.versions.get(label) ?? 0) - (from.versions.get(label) ?? 0);
  const total = count('v1') + count('v2');
  const share = (100 * count('v2')) / total;
  t.diagnostic(`evaluation: ${total} requests, v2 ${count('v2')} (${share.toFixed(1)} %), v1 ${count('v1')}`);
  assert.ok(total >= 2_000, `at least 2,000 requests during the evaluation (${total})`);
  assert.ok(Math.abs(share - 20) <= 5, `the new version's share ${share.toFixed(1)} % is within 5 points of 20 %`);

  await readyOn(cluster, 'split-env', 'v2');
  await waitFor('only v2 answers', async () => {
    const before = load.snapshot().versions.get('v1') ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    return load.snapshot().versions.get('v1') === before;
  }, { timeoutMs: 30_000 });
  clearInterval(sampler);
  const result = await load.stop();
  t.diagnostic(`TrafficSplitting: ${result.ok} ok, ${result.failed} failed, min healthy ${minimum}, versions ${JSON.stringify([...result.versions])}`);
  assert.equal(result.failed, 0, result.failures.join('; '));
  assert.ok(minimum >= 3, `never fewer than N healthy targets (${minimum})`);
  const done = await newestDeployment(cluster);
  assert.equal(done?.status, 'COMPLETED');
  assert.deepEqual(done?.steps.map((s) => s.name), ['start set', 'shift weight', 'shift weight', 'stop set']);
});
