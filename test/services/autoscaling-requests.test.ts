// Auto scaling on requests per target, end to end: steady load through the real router makes a
// load-balanced service scale out; when the load drops to a trickle it scales in, draining targets,
// to its minimum. Real agents, a real router reporting its request totals, real HTTP on loopback.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { appTaskDefinition, startTestCluster, writeTestApp } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

/** The scaler's period: ALBRequestCountPerTarget is requests per healthy target in this window. */
const PERIOD_MS = 2000;
/** Requests per target per period the policy aims at. */
const TARGET_VALUE = 20;
/** Heavy load: 50 req/s is 100 requests per period on one target, 5x the target value. */
const HEAVY_RATE = 50;
/** A trickle below the target value even on one target (10 requests per period), so scale-in happens under load. */
const TRICKLE_RATE = 5;

interface LoadResult {
  ok: number;
  failed: number;
  failures: string[];
}

/** Sends GETs with a Host header at a fixed rate (requests per second) on a keep-alive agent until stopped. */
function startLoad(port: number, host: string, initialRate: number): { setRate(rate: number): void; stop(): Promise<LoadResult> } {
  const result: LoadResult = { ok: 0, failed: 0, failures: [] };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const inFlight = new Set<Promise<void>>();
  const fail = (why: string): void => {
    result.failed += 1;
    if (result.failures.length < 10) result.failures.push(why);
  };
  const one = (): void => {
    const done = new Promise<void>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent, headers: { host } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) result.ok += 1;
          else fail(`HTTP ${res.statusCode}`);
          resolve();
        });
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', (error) => {
        fail(error.message);
        resolve();
      });
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  // The rate holds whatever the timer's jitter: each tick sends what is owed since the rate was set.
  let rate = initialRate;
  let since = Date.now();
  let sent = 0;
  const timer = setInterval(() => {
    const owed = Math.floor(((Date.now() - since) * rate) / 1000) - sent;
    for (let i = 0; i < owed; i += 1) one();
    sent += Math.max(0, owed);
  }, 10);
  return {
    setRate(next) {
      rate = next;
      since = Date.now();
      sent = 0;
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      agent.destroy();
      return result;
    },
  };
}

test('target tracking on ALBRequestCountPerTarget scales a service out under load and back in to min', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 200, autoscalingPeriodMs: PERIOD_MS });
  await Promise.all([cluster.startAgent({ hostId: 'q1', memory: 2048 }), cluster.startAgent({ hostId: 'q2', memory: 2048 })]);
  const app = await writeTestApp(await tempDir(t));
  await cluster.registerTaskDefinition(appTaskDefinition('rps-app', app));

  const elb = (operation: string, body: unknown) => cluster.api('POST', `/v1/elbv2/${operation}`, body);
  // Checks every 0.5 s (scaled); a target needs 5 failures in a row to go unhealthy, so a CPU-starved machine does not fail it.
  const tg = (await elb('CreateTargetGroup', { Name: 'rps-app', Port: 8080, HealthCheckPath: '/', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 4, HealthyThresholdCount: 2, UnhealthyThresholdCount: 5 })).TargetGroups[0];
  await elb('ModifyTargetGroupAttributes', { TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '1' }] });
  const listener = (await elb('CreateListener', { Port: 80, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] })).Listeners[0];
  await elb('CreateRule', { ListenerArn: listener.ListenerArn, Priority: 1, Conditions: [{ Field: 'host-header', Values: ['rps.test'] }], Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] });

  const router = await startTestRouter(cluster.scope, cluster.controller);
  // Stopped in the cluster's clean-up, so it stops before the controller it reports to.

  await cluster.api('POST', '/v1/services', {
    serviceName: 'rps-app',
    taskDefinition: 'rps-app',
    desiredCount: 1,
    loadBalancers: [{ targetGroupArn: tg.TargetGroupArn, containerName: 'web', containerPort: 8080 }],
  });
  const aas = (operation: string, body: Record<string, unknown>) => cluster.api('POST', `/v1/application-autoscaling/${operation}`, { ServiceNamespace: 'ecs', ...body });
  const resource = { ResourceId: 'service/default/rps-app', ScalableDimension: 'ecs:service:DesiredCount' };
  await aas('RegisterScalableTarget', { ...resource, MinCapacity: 1, MaxCapacity: 3 });
  await aas('PutScalingPolicy', {
    ...resource,
    PolicyName: 'requests20',
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingScalingPolicyConfiguration: { TargetValue: TARGET_VALUE, PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: 'rps-app' }, ScaleOutCooldown: 3, ScaleInCooldown: 3 },
  });

  const describe = async () => (await cluster.api('POST', '/v1/services/describe', { services: ['rps-app'] })).services[0];
  const healthyTargets = () => router.router.targetHealth().filter((d) => d.state === 'healthy').length;
  const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port, { timeoutMs: 30_000 });
  await waitFor('the one task to be a healthy target', () => healthyTargets() === 1, { timeoutMs: 30_000 });

  const started = Date.now();
  const load = startLoad(port, 'rps.test', HEAVY_RATE);
  let result: LoadResult;
  try {
    // 100 requests per period on one target against a target of 20 wants 5 tasks: capped at the maximum of 3.
    let last: any;
    await waitFor(
      'the service to scale out to 3 running tasks, all healthy targets',
      async () => {
        last = await describe();
        return last.desiredCount === 3 && last.runningCount === 3 && healthyTargets() === 3;
      },
      { timeoutMs: 45_000, intervalMs: 200 },
    ).catch((error: Error) => assert.fail(`${error.message}\nlast: desired ${last?.desiredCount}, running ${last?.runningCount}, healthy ${healthyTargets()}`));
    const scaledOutMs = Date.now() - started;
    assert.ok(last.events.some((e: any) => /^Auto scaling: desired count [12] -> 3 \(policy requests20: ALBRequestCountPerTarget/.test(e.message)), JSON.stringify(last.events.map((e: any) => e.message)));
    const out = (await aas('DescribeScalingActivities', { ResourceId: resource.ResourceId })).ScalingActivities;
    assert.ok(out.some((a: any) => a.Description === 'Setting desired count to 3.' && /ALBRequestCountPerTarget .* above its target 20/.test(a.Cause)), JSON.stringify(out));

    // A trickle: below the target value even on one target, so it scales in one task at a time, draining each.
    load.setRate(TRICKLE_RATE);
    const trickleFrom = Date.now();
    await waitFor(
      'the service to scale back in to its minimum of 1 running task',
      async () => {
        last = await describe();
        return last.desiredCount === 1 && last.runningCount === 1;
      },
      { timeoutMs: 45_000, intervalMs: 200 },
    ).catch((error: Error) => assert.fail(`${error.message}\nlast: desired ${last?.desiredCount}, running ${last?.runningCount}`));
    t.diagnostic(`scaled out to 3 in ${scaledOutMs} ms of load, back in to 1 in ${Date.now() - trickleFrom} ms of trickle`);
  } finally {
    result = await load.stop();
    t.diagnostic(`load: ${result.ok} ok, ${result.failed} failed`);
  }
  assert.equal(result.failed, 0, `failed requests: ${result.failures.join(' | ')}`);
  assert.ok(result.ok > 100, `enough load was sent (${result.ok})`);

  // With no load at all it stays at the minimum for a few more periods.
  await delay(3 * PERIOD_MS);
  assert.equal((await describe()).desiredCount, 1, 'never below the minimum capacity');
  const activities = (await aas('DescribeScalingActivities', { ResourceId: resource.ResourceId })).ScalingActivities;
  const counts = activities.map((a: any) => Number(/^Setting desired count to (\d+)\.$/.exec(a.Description)?.[1])).reverse();
  assert.deepEqual(counts.slice(counts.indexOf(3)), [3, 2, 1], `out to 3, then in one task at a time (${counts.join(' -> ')}): ${activities.map((a: any) => a.Cause).join(' | ')}`);
  assert.ok(activities.every((a: any) => /^monitor alarm policy requests20: ALBRequestCountPerTarget/.test(a.Cause)), JSON.stringify(activities.map((a: any) => a.Cause)));
});
