// The proof: a load-balanced service of 4 tasks behind the real router, under continuous load
// (keep-alive and fresh connections), rolls out a new revision. The client counts zero failed
// requests, healthy capacity never drops below the minimum, and the new revision serves 100% at
// the end. Real agents, real child processes, real HTTP on loopback; each data plane in turn.
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, test } from 'node:test';
import { appTaskDefinition, startTestCluster, writeTestApp } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';


interface LoadResult {
  ok: number;
  failed: number;
  failures: string[];
  versions: Map<string, number>;
}

/** Sends GETs at a steady pace on a keep-alive agent and on fresh connections until stopped. */
function startLoad(port: number): { stop(): Promise<LoadResult>; lastVersions(): Map<string, number> } {
  const result: LoadResult = { ok: 0, failed: 0, failures: [], versions: new Map() };
  let recent = new Map<string, number>();
  let running = true;
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const one = (agent: http.Agent | false): Promise<void> =>
    new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/env/VERSION', agent, headers: { host: 'app.test' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          if (res.statusCode === 200) {
            result.ok += 1;
            result.versions.set(body, (result.versions.get(body) ?? 0) + 1);
            recent.set(body, (recent.get(body) ?? 0) + 1);
          } else {
            result.failed += 1;
            if (result.failures.length < 10) result.failures.push(`HTTP ${res.statusCode}: ${body.slice(0, 200)}`);
          }
          resolve();
        });
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', (error) => {
        result.failed += 1;
        if (result.failures.length < 10) result.failures.push(error.message);
        resolve();
      });
    });
  const loop = async (agent: http.Agent | false): Promise<void> => {
    while (running) {
      await one(agent);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const loops = [loop(keepAlive), loop(keepAlive), loop(false), loop(false)];
  return {
    lastVersions: () => {
      const seen = recent;
      recent = new Map();
      return seen;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      keepAlive.destroy();
      return result;
    },
  };
}

for (const dataPlane of ['node', 'haproxy'] as const) {
  describe(`zero-downtime rolling deployment behind the router (${dataPlane} data plane)`, () => {
    test('4 tasks under continuous load move to a new revision with zero failed requests', async (t) => {
      const cluster = await startTestCluster(t, { serviceSettleMs: 200 });
      await Promise.all([cluster.startAgent({ hostId: 'r1', memory: 4096 }), cluster.startAgent({ hostId: 'r2', memory: 4096 })]);
      const app = await writeTestApp(await tempDir(t));
      for (const version of ['1', '2']) {
        await cluster.registerTaskDefinition(appTaskDefinition('lb-app', app, {}, { environment: [{ name: 'VERSION', value: version }] }));
      }
      const elb = (operation: string, body: unknown) => cluster.api('POST', `/v1/elbv2/${operation}`, body);
      const tg = (await elb('CreateTargetGroup', { Name: 'lb-app', Port: 8080, HealthCheckPath: '/', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2 })).TargetGroups[0];
      await elb('ModifyTargetGroupAttributes', { TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '1' }] });
      const listener = (await elb('CreateListener', { Port: 80, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] })).Listeners[0];
      await elb('CreateRule', { ListenerArn: listener.ListenerArn, Priority: 1, Conditions: [{ Field: 'host-header', Values: ['app.test'] }], Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] });

      const router = await startTestRouter(t, cluster.controller, { dataPlane });

      await cluster.api('POST', '/v1/services', {
        serviceName: 'lb-app',
        taskDefinition: 'lb-app:1',
        desiredCount: 4,
        loadBalancers: [{ targetGroupArn: tg.TargetGroupArn, containerName: 'web', containerPort: 8080 }],
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 150 },
      });
      const describe = async () => (await cluster.api('POST', '/v1/services/describe', { services: ['lb-app'] })).services[0];
      const steadyOn = (revision: number) =>
        waitFor(
          `lb-app steady on revision ${revision}`,
          async () => {
            const s = await describe();
            return s.deployments.length === 1 && s.deployments[0].taskDefinition.endsWith(`:${revision}`) && s.deployments[0].rolloutState === 'COMPLETED' && s.runningCount === 4;
          },
          { timeoutMs: 90_000, intervalMs: 100 },
        );
      await steadyOn(1);
      const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port);
      const healthyTargets = () => router.router.targetHealth().filter((d) => d.state === 'healthy').length;
      await waitFor('4 healthy targets on the router', () => healthyTargets() === 4, { timeoutMs: 30_000 });

      const load = startLoad(port);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await cluster.api('POST', '/v1/services/update', { service: 'lb-app', taskDefinition: 'lb-app:2' });
      let minimumHealthy = Infinity;
      const sampler = setInterval(() => (minimumHealthy = Math.min(minimumHealthy, healthyTargets())), 20);
      await steadyOn(2);
      // Let the drained old tasks go, then check that only the new revision answers.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      load.lastVersions();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const tail = load.lastVersions();
      clearInterval(sampler);
      const result = await load.stop();

      t.diagnostic(`${dataPlane}: ${result.ok} ok, ${result.failed} failed, versions ${JSON.stringify([...result.versions])}, min healthy ${minimumHealthy}`);
      assert.equal(result.failed, 0, `failed requests: ${result.failures.join(' | ')}`);
      assert.ok(result.ok > 200, `enough load was sent (${result.ok})`);
      assert.ok(minimumHealthy >= 4, `healthy capacity never below the minimum of 4 (saw ${minimumHealthy})`);
      assert.deepEqual([...tail.keys()], ['2'], 'the new revision serves 100% at the end');
      assert.ok((result.versions.get('1') ?? 0) > 0 && (result.versions.get('2') ?? 0) > 0, 'both revisions served during the rollout');
      if (dataPlane !== 'haproxy') return;

      // A revision whose health check fails: the circuit breaker trips and rolls back, under load.
      await cluster.registerTaskDefinition(appTaskDefinition('lb-app', app, {}, { environment: [{ name: 'VERSION', value: '3' }, { name: 'FAIL_HEALTH', value: '1' }] }));
      const second = startLoad(port);
      await cluster.api('POST', '/v1/services/update', { service: 'lb-app', taskDefinition: 'lb-app:3', deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } });
      await waitFor('the circuit breaker to trip and the rollback to finish', async () => {
        const s = await describe();
        return s.events.some((e: any) => /circuit breaker tripped/.test(e.message)) && s.deployments.length === 1 && s.deployments[0].taskDefinition.endsWith(':2') && s.deployments[0].rolloutState === 'COMPLETED' && s.runningCount === 4;
      }, { timeoutMs: 120_000, intervalMs: 200 });

      // kill -9 of a task under load: the router retries on another target; the service replaces it.
      const victim = router.router.targetHealth().find((d) => d.state === 'healthy');
      assert.ok(victim);
      const pid = Number(await (await fetch(`http://${victim.host}:${victim.port}/pid`)).text());
      process.kill(pid, 'SIGKILL');
      await waitFor('a replacement and 4 healthy targets again', () => healthyTargets() === 4 && !router.router.targetHealth().some((d) => d.targetId === victim.targetId), { timeoutMs: 60_000 });

      // The controller stops: the router keeps serving its last table.
      await cluster.controller.stop();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const after = await second.stop();
      t.diagnostic(`haproxy, rollback + kill -9 + controller stopped: ${after.ok} ok, ${after.failed} failed, versions ${JSON.stringify([...after.versions])}`);
      assert.equal(after.failed, 0, `failed requests: ${after.failures.join(' | ')}`);
      assert.equal(after.versions.get('3'), undefined, 'the failing revision never served a request');
    });
  });
}
