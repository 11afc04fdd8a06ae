// Auto scaling on CPU, end to end: tasks that burn CPU make the service scale out to its maximum;
// when they go idle it scales in, step by step, to its minimum. Real agents report real CPU use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runWharf } from '../support/cli.js';
import { appTaskDefinition, startTestCluster, writeTestApp } from '../support/cluster.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

test('target tracking on CPU scales a service out to max and back in to min', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 200, autoscalingPeriodMs: 500 });
  await Promise.all([cluster.startAgent({ hostId: 'a1', memory: 2048 }), cluster.startAgent({ hostId: 'a2', memory: 2048 })]);
  const app = await writeTestApp(await tempDir(t));
  await cluster.registerTaskDefinition(appTaskDefinition('burner', app, {}, { environment: [{ name: 'BURN_MS', value: '15000' }] }));
  await cluster.api('POST', '/v1/services', { serviceName: 'burner', taskDefinition: 'burner', desiredCount: 1 });
  const aas = ['--endpoint', cluster.controller.url, '--json', 'application-autoscaling'];
  const resource = ['--service-namespace', 'ecs', '--resource-id', 'service/default/burner', '--scalable-dimension', 'ecs:service:DesiredCount'];
  const registered = await runWharf([...aas, 'register-scalable-target', ...resource, '--min-capacity', '1', '--max-capacity', '3']);
  assert.equal(registered.code, 0, registered.stderr);
  const policy = await runWharf([...aas, 'put-scaling-policy', '--policy-name', 'cpu5', ...resource, '--policy-type', 'TargetTrackingScaling', '--target-tracking-scaling-policy-configuration', JSON.stringify({ TargetValue: 5, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, ScaleOutCooldown: 0, ScaleInCooldown: 1 })]);
  assert.equal(policy.code, 0, policy.stderr);

  const desired = async () => (await cluster.api('POST', '/v1/services/describe', { services: ['burner'] })).services[0].desiredCount as number;
  await waitFor('the service to scale out to its maximum of 3', async () => (await desired()) === 3, { timeoutMs: 60_000, intervalMs: 100 });
  await waitFor('the service to scale back in to its minimum of 1', async () => (await desired()) === 1, { timeoutMs: 90_000, intervalMs: 200 });

  const activities = JSON.parse((await runWharf([...aas, 'describe-scaling-activities', '--service-namespace', 'ecs', '--resource-id', 'service/default/burner'])).stdout).ScalingActivities;
  const descriptions = activities.map((a: any) => a.Description).reverse();
  assert.ok(descriptions.includes('Setting desired count to 3.'), descriptions.join(' | '));
  assert.equal(descriptions.at(-1), 'Setting desired count to 1.');
  assert.ok(activities.every((a: any) => /ECSServiceAverageCPUUtilization/.test(a.Cause)), 'each activity says which metric caused it');

  const bad = await runWharf([...aas, 'register-scalable-target', ...resource, '--min-capacity', '5', '--max-capacity', '2']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /MinCapacity 5 is above MaxCapacity 2/);
  const noTarget = await runWharf([...aas, 'put-scaling-policy', '--policy-name', 'x', '--service-namespace', 'ecs', '--resource-id', 'service/default/nothing', '--scalable-dimension', 'ecs:service:DesiredCount', '--policy-type', 'TargetTrackingScaling', '--target-tracking-scaling-policy-configuration', '{"TargetValue":50,"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"}}']);
  assert.equal(noTarget.code, 1);
  assert.match(noTarget.stderr, /No scalable target is registered for service\/default\/nothing/);
});
