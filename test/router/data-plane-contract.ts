/**
 * The contract every router data plane passes (STYLE.md 9), run by node-data-plane.test.ts and
 * haproxy-data-plane.test.ts: a real router (control part) on the plane under test, real backends
 * on loopback ports, load generated here. What differs between planes is only how one is made.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import type { RoutingTableInput } from '../../src/model/routing.js';
import type { DataPlane } from '../../src/router/data-plane.js';
import { HttpTableSource } from '../../src/router/table-source.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { forward, get, load, startBackend, startTestRouter, targetGroup } from './support.js';

/** How a plane under test is made. */
export interface PlaneHarness {
  /** A fresh plane; `dataDir` is its own temp folder. */
  makePlane(t: TestContext, dataDir: string): Promise<DataPlane>;
}

async function plane(t: TestContext, harness: PlaneHarness): Promise<DataPlane> {
  return harness.makePlane(t, await tempDir(t, 'wharf-plane-'));
}

/** Checks that pass quickly and take ten failures to fail: for tests about something else than health. */
const steadyChecks = { path: '/health', intervalSeconds: 6, timeoutSeconds: 5, healthyThresholdCount: 2, unhealthyThresholdCount: 10 };

function healthOf(router: { targetHealth(): { targetId: string; state: string; reason?: string }[] }, id: string) {
  return router.targetHealth().find((h) => h.targetId === id);
}

/** Waits until `router` reports each target id healthy. */
async function healthy(router: { targetHealth(): { targetId: string; state: string }[]; settled(): Promise<void> }, ...ids: string[]): Promise<void> {
  await waitFor(`targets ${ids.join(', ')} healthy`, () => ids.every((id) => healthOf(router, id)?.state === 'healthy') || undefined, { timeoutMs: 5_000 });
  await router.settled();
}

export function dataPlaneContract(name: string, harness: PlaneHarness): void {
  describe(`data plane contract: ${name}`, () => {
    test('routes by Host and path, in rule priority order, on several listeners; no match is a 404 problem', async (t) => {
      const a = await startBackend(t, 'a');
      const b = await startBackend(t, 'b');
      const c = await startBackend(t, 'c');
      const r = await startTestRouter(t, await plane(t, harness));
      await r.set({
        targetGroups: [targetGroup('ga', [a]), targetGroup('gb', [b]), targetGroup('gc', [c])],
        listeners: [
          {
            port: 80,
            rules: [
              { priority: 20, conditions: { hostHeader: ['a.test'] }, action: forward('ga') },
              { priority: 10, conditions: { hostHeader: ['*.b.test'], pathPattern: ['/api/*', '/v?/x'] }, action: forward('gb') },
              { priority: 30, conditions: { pathPattern: ['/only-c*'] }, action: forward('gc') },
            ],
          },
          { port: 8080, defaultAction: forward('gc') },
        ],
      });
      await healthy(r.router, 'a', 'b', 'c');
      const who = async (host: string, path: string, port = 80) => {
        const answer = await get(r.url(port), path, host);
        return answer.status === 200 ? answer.json().backend : answer.status;
      };
      assert.equal(await who('a.test', '/'), 'a');
      assert.equal(await who('A.Test:80', '/anything?x=1'), 'a', 'host is matched without case and port');
      assert.equal(await who('x.b.test', '/api/users'), 'b');
      assert.equal(await who('x.y.b.test', '/v2/x'), 'b');
      assert.equal(await who('x.b.test', '/API/users'), 404, 'paths are case-sensitive');
      assert.equal(await who('b.test', '/api/users'), 404, '*.b.test needs a label before b.test');
      assert.equal(await who('anything.test', '/only-c/1'), 'c');
      assert.equal(await who('whatever', '/', 8080), 'c', 'the default action of the second listener');
      const missing = await get(r.url(), '/nowhere', 'nobody.test');
      assert.equal(missing.status, 404);
      assert.match(String(missing.headers['content-type']), /application\/problem\+json/);
      assert.equal(missing.json().code, 'WHARF_E_ROUTER_NO_ROUTE');
      // A rule's priority decides between two that match: the Host rule at 20 loses to a new one at 5.
      await r.set({
        targetGroups: [targetGroup('ga', [a]), targetGroup('gb', [b]), targetGroup('gc', [c])],
        listeners: [
          {
            port: 80,
            rules: [
              { priority: 20, conditions: { hostHeader: ['a.test'] }, action: forward('ga') },
              { priority: 5, conditions: { pathPattern: ['/to-c'] }, action: forward('gc') },
            ],
          },
        ],
      });
      assert.equal(await who('a.test', '/to-c'), 'c');
      assert.equal(await who('a.test', '/other'), 'a');
      assert.equal(r.router.address(8080), undefined, 'a removed listener is not served');
    });

    test('weights split traffic between target groups within a few points', async (t) => {
      const a = await startBackend(t, 'a');
      const b = await startBackend(t, 'b');
      const r = await startTestRouter(t, await plane(t, harness));
      await r.set({
        // Checks that time out on a busy machine must not take a target out during the count.
        targetGroups: [targetGroup('ga', [a], { healthCheck: steadyChecks }), targetGroup('gb', [b], { healthCheck: steadyChecks })],
        listeners: [{ port: 80, rules: [{ priority: 1, conditions: { hostHeader: ['w.test'] }, action: forward({ ga: 1, gb: 3 }) }] }],
      });
      await healthy(r.router, 'a', 'b');
      const result = await load(r.url(), { host: 'w.test', count: 2_000, concurrency: 16 });
      assert.equal(result.failed, 0, result.errors.join('; '));
      const shareB = (result.byBackend.get('b') ?? 0) / 2_000;
      t.diagnostic(`share of b: ${(shareB * 100).toFixed(1)} % (expected 75 %)`);
      assert.ok(Math.abs(shareB - 0.75) < 0.04, `b got ${(shareB * 100).toFixed(1)} % of requests, expected 75 % ± 4`);
    });

    test('a target takes no traffic before its healthy threshold; an unhealthy one is taken out; none healthy is a 503 problem', async (t) => {
      const a = await startBackend(t, 'a', { health: 503 });
      const r = await startTestRouter(t, await plane(t, harness));
      await r.set({ targetGroups: [targetGroup('ga', [a])], listeners: [{ port: 80, defaultAction: forward('ga') }] });
      // Checks fail: the target stays out of rotation and the router answers 503 itself.
      await waitFor('a to be unhealthy', () => healthOf(r.router, 'a')?.state === 'unhealthy' || undefined);
      assert.equal(healthOf(r.router, 'a')?.reason, 'Target.ResponseCodeMismatch');
      const none = await get(r.url(), '/', 'x');
      assert.equal(none.status, 503);
      assert.equal(none.json().code, 'WHARF_E_ROUTER_NO_HEALTHY_TARGET');
      assert.equal(a.total(), 0, 'no request reached the unhealthy target');
      // It passes again: traffic only after two passing checks.
      a.setHealth(200);
      await healthy(r.router, 'a');
      assert.equal((await get(r.url(), '/', 'x')).json().backend, 'a');
      // It fails again: out after two failed checks.
      a.setHealth(500);
      await waitFor('a to be unhealthy again', () => healthOf(r.router, 'a')?.state === 'unhealthy' || undefined);
      await r.router.settled();
      const before = a.total();
      assert.equal((await get(r.url(), '/', 'x')).status, 503);
      assert.equal(a.total(), before);
      // A new target does not take traffic while its first checks pass.
      const b = await startBackend(t, 'b');
      a.setHealth(200);
      await r.set({ targetGroups: [targetGroup('ga', [a, b], { healthCheck: { path: '/health', intervalSeconds: 20, timeoutSeconds: 5, healthyThresholdCount: 3, unhealthyThresholdCount: 2 } })], listeners: [{ port: 80, defaultAction: forward('ga') }] });
      assert.equal(healthOf(r.router, 'b')?.state, 'initial');
      const early = await load(r.url(), { host: 'x', count: 20, concurrency: 2, expect: 503 });
      assert.equal(b.total(), 0, `b got no traffic in its initial state (answers: ${JSON.stringify([...early.byBackend])})`);
      await healthy(r.router, 'a', 'b');
      const later = await load(r.url(), { host: 'x', count: 40, concurrency: 2 });
      assert.equal(later.failed, 0, later.errors.join('; '));
      assert.ok(b.total() > 0, 'b takes traffic once healthy');
    });

    test('a deregistered target drains: requests in flight finish, new ones go elsewhere, it is removed when idle', async (t) => {
      const a = await startBackend(t, 'a');
      const b = await startBackend(t, 'b');
      const r = await startTestRouter(t, await plane(t, harness));
      const groups = (targets: typeof a[]) => ({ targetGroups: [targetGroup('ga', targets, { deregistrationDelaySeconds: 30 })], listeners: [{ port: 80, defaultAction: forward('ga') }] });
      await r.set(groups([a]));
      await healthy(r.router, 'a');
      const slow = get(r.url(), '/slow?ms=1500', 'x');
      await waitFor('the slow request to reach a', () => a.hits.get('/slow') === 1 || undefined);
      await r.set(groups([b]));
      assert.equal(healthOf(r.router, 'a')?.state, 'draining');
      await healthy(r.router, 'b');
      const during = await load(r.url(), { host: 'x', count: 30, concurrency: 3 });
      assert.equal(during.failed, 0, during.errors.join('; '));
      assert.deepEqual([...during.byBackend.keys()], ['b'], 'new requests go to b only');
      assert.equal(healthOf(r.router, 'a')?.state, 'draining', 'a drains while its request is in flight');
      const answer = await slow;
      assert.equal(answer.status, 200);
      assert.equal(answer.json().backend, 'a', 'the request in flight finished on a');
      await waitFor('a to be removed once idle (well before its 30 s delay)', () => healthOf(r.router, 'a') === undefined || undefined, { timeoutMs: 5_000 });
    });

    test('a draining target is cut off at the deregistration delay', async (t) => {
      const a = await startBackend(t, 'a');
      const r = await startTestRouter(t, await plane(t, harness));
      await r.set({ targetGroups: [targetGroup('ga', [a], { deregistrationDelaySeconds: 1 })], listeners: [{ port: 80, defaultAction: forward('ga') }] });
      await healthy(r.router, 'a');
      const slow = get(r.url(), '/slow?ms=8000', 'x').then(
        (answer) => `answered ${answer.status}`,
        (error: Error) => `cut: ${error.message}`,
      );
      await waitFor('the slow request to reach a', () => a.hits.get('/slow') === 1 || undefined);
      const started = Date.now();
      await r.set({ targetGroups: [targetGroup('ga', [], { deregistrationDelaySeconds: 1 })], listeners: [{ port: 80, defaultAction: forward('ga') }] });
      await waitFor('a to be removed at its 1 s delay', () => healthOf(r.router, 'a') === undefined || undefined, { timeoutMs: 5_000 });
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 900 && elapsed < 4_000, `removed after ${elapsed} ms`);
      const outcome = await slow;
      assert.ok(Date.now() - started < 7_000, `the request in flight ended at removal, not when the target answered (${outcome})`);
    });

    test('a GET whose target died is retried on another target, and the dead target leaves rotation at once', async (t) => {
      const a = await startBackend(t, 'a');
      const b = await startBackend(t, 'b');
      const c = await startBackend(t, 'c');
      const r = await startTestRouter(t, await plane(t, harness));
      const table = (healthCheck: object) => ({ targetGroups: [targetGroup('ga', [a, b, c], { healthCheck })], listeners: [{ port: 80, defaultAction: forward('ga') }] });
      await r.set(table(steadyChecks));
      await healthy(r.router, 'a', 'b', 'c');
      // From now on checks are slow (15 s): only the failed connection can take the dead target out.
      await r.set(table({ ...steadyChecks, intervalSeconds: 300 }));
      const warm = await load(r.url(), { host: 'x', count: 30, concurrency: 3 });
      assert.equal(warm.failed, 0, warm.errors.join('; '));
      a.kill();
      const killedAt = Date.now();
      const removal = waitFor('a out of rotation', () => (healthOf(r.router, 'a')?.state === 'unhealthy' ? Date.now() - killedAt : undefined), { intervalMs: 2 });
      const result = await load(r.url(), { host: 'x', count: 300, concurrency: 4, fresh: true });
      const removedAfterMs = await removal;
      t.diagnostic(`dead target out of rotation ${removedAfterMs} ms after its death`);
      assert.equal(result.failed, 0, `no GET saw an error: ${result.errors.join('; ')}`);
      assert.equal(result.byBackend.get('a'), undefined);
      assert.ok(removedAfterMs < 5_000, `out after ${removedAfterMs} ms, before any check could have run`);
      await r.router.settled();
      const metrics = await r.router.metrics.text();
      assert.match(metrics, /wharf_router_connection_failures_total\{target_group="ga",target="a"\} [1-9]/);
    });

    test('keeps serving its last table when the table source fails, and serves its cached table after a restart', async (t) => {
      const a = await startBackend(t, 'a');
      let table: RoutingTableInput = { version: 7, targetGroups: [targetGroup('ga', [a])], listeners: [{ port: 80, defaultAction: forward('ga') }] };
      let up = true;
      const controller = http.createServer((req, res) => {
        if (!up) return res.destroy();
        res.writeHead(200, { 'content-type': 'application/json' });
        const url = new URL(req.url ?? '/', 'http://c');
        const send = () => res.end(JSON.stringify({ version: table.version, table }));
        if (url.searchParams.get('version') === String(table.version)) setTimeout(send, Number(url.searchParams.get('waitMs') ?? 0));
        else send();
      });
      await new Promise<void>((resolve) => controller.listen(0, '127.0.0.1', resolve));
      t.after(() => {
        controller.closeAllConnections();
        controller.close();
      });
      const endpoint = `http://127.0.0.1:${(controller.address() as AddressInfo).port}`;
      const dataDir = await tempDir(t, 'wharf-router-data-');
      const source = () => new HttpTableSource({ endpoint, waitMs: 200, backoffMs: 50, maxBackoffMs: 200 });
      const first = await startTestRouter(t, await plane(t, harness), { dataDir, source: source() });
      await waitFor('the table from the controller', () => first.router.currentTable.version === 7 || undefined);
      await healthy(first.router, 'a');
      assert.equal((await get(first.url(), '/', 'x')).json().backend, 'a');
      // The controller goes away (connections reset): the router keeps routing.
      up = false;
      controller.closeAllConnections();
      const during = await load(first.url(), { host: 'x', untilMs: 600, concurrency: 2 });
      assert.equal(during.failed, 0, during.errors.join('; '));
      assert.equal(first.router.currentTable.version, 7);
      await first.router.stop();
      // A restarted router serves the cached table (and its healthy target) before the controller answers.
      const second = await startTestRouter(t, await plane(t, harness), { dataDir, source: source() });
      assert.equal(second.router.currentTable.version, 7);
      assert.equal(healthOf(second.router, 'a')?.state, 'healthy');
      assert.equal((await get(second.url(), '/', 'x')).json().backend, 'a');
      // The controller comes back with a new table: the router takes it.
      const b = await startBackend(t, 'b');
      table = { version: 8, targetGroups: [targetGroup('ga', [b])], listeners: [{ port: 80, defaultAction: forward('ga') }] };
      up = true;
      await waitFor('table 8', () => second.router.currentTable.version === 8 || undefined);
      await healthy(second.router, 'b');
      assert.equal((await get(second.url(), '/', 'x')).json().backend, 'b');
      // Stopped here, before the hooks remove its folder (a running router would write its table back).
      await second.router.stop();
    });

    test('changes under load (targets, target groups, rules, listeners) drop no request', async (t) => {
      const a = await startBackend(t, 'a');
      const b = await startBackend(t, 'b');
      const c = await startBackend(t, 'c');
      const r = await startTestRouter(t, await plane(t, harness));
      const listener80 = (rules: unknown[] = []) => ({ port: 80, defaultAction: forward('ga'), rules }) as never;
      await r.set({ targetGroups: [targetGroup('ga', [a])], listeners: [listener80()] });
      await healthy(r.router, 'a');
      let stop = false;
      const running = load(r.url(), { host: 'x', concurrency: 4, fresh: true, stop: () => stop });
      // A target joins the group.
      await r.set({ targetGroups: [targetGroup('ga', [a, b])], listeners: [listener80()] });
      await healthy(r.router, 'a', 'b');
      // A new target group and a rule to it.
      await r.set({
        targetGroups: [targetGroup('ga', [a, b]), targetGroup('gc', [c])],
        listeners: [listener80([{ priority: 1, conditions: { pathPattern: ['/c/*'] }, action: forward('gc') }])],
      });
      await healthy(r.router, 'c');
      assert.equal((await get(r.url(), '/c/1', 'x')).json().backend, 'c');
      // A new listener.
      await r.set({
        targetGroups: [targetGroup('ga', [a, b]), targetGroup('gc', [c])],
        listeners: [listener80([{ priority: 1, conditions: { pathPattern: ['/c/*'] }, action: forward('gc') }]), { port: 8080, defaultAction: forward('gc') }],
      });
      assert.equal((await get(r.url(8080), '/', 'x')).json().backend, 'c');
      // A target leaves (drains), and a weight moves.
      await r.set({
        targetGroups: [targetGroup('ga', [b]), targetGroup('gc', [c])],
        listeners: [{ port: 80, defaultAction: forward({ ga: 1, gc: 1 }) }, { port: 8080, defaultAction: forward('gc') }],
      });
      await waitFor('a removed', () => healthOf(r.router, 'a') === undefined || undefined, { timeoutMs: 5_000 });
      stop = true;
      const result = await running;
      t.diagnostic(`requests during changes: ${result.ok} ok, ${result.failed} failed`);
      assert.ok(result.ok > 50, `load ran (${result.ok} requests)`);
      assert.equal(result.failed, 0, result.errors.join('; '));
    });

    test('exposes Prometheus metrics per target group and target: requests, 2xx/4xx/5xx, latency, healthy targets', async (t) => {
      const a = await startBackend(t, 'a');
      const r = await startTestRouter(t, await plane(t, harness));
      await r.set({ targetGroups: [targetGroup('ga', [a]), targetGroup('gempty', [])], listeners: [{ port: 80, defaultAction: forward('ga'), rules: [{ priority: 1, conditions: { hostHeader: ['empty.test'] }, action: forward('gempty') }] }] });
      await healthy(r.router, 'a');
      for (const path of ['/', '/', '/status/404', '/status/500', '/slow?ms=30']) await get(r.url(), path, 'x');
      assert.equal((await get(r.url(), '/', 'empty.test')).status, 503);
      let last = '';
      const text = await waitFor('metrics of 5 requests to a and one 503', async () => {
        last = await r.router.metrics.text();
        // The haproxy plane learns of requests from its log lines, a moment after they end.
        const done = /wharf_router_requests_total\{target_group="ga",target="a"\} 5\b/.test(last) && /wharf_router_local_responses_total\{listener="80",code="503"\} 1\b/.test(last);
        return done ? last : undefined;
      }).catch((error: Error) => assert.fail(`${error.message}\n${last}`));
      assert.match(text, /wharf_router_responses_total\{target_group="ga",target="a",code_class="2xx"\} 3\b/);
      assert.match(text, /wharf_router_responses_total\{target_group="ga",target="a",code_class="4xx"\} 1\b/);
      assert.match(text, /wharf_router_responses_total\{target_group="ga",target="a",code_class="5xx"\} 1\b/);
      assert.match(text, /wharf_router_request_duration_seconds_count\{target_group="ga",target="a"\} 5\b/);
      // The 30 ms request lands above the 25 ms bucket; the histogram sums to at least its 30 ms.
      assert.match(text, /wharf_router_request_duration_seconds_bucket\{le="0.025",target_group="ga",target="a"\} [0-4]\b/);
      assert.match(text, /wharf_router_request_duration_seconds_bucket\{le="\+Inf",target_group="ga",target="a"\} 5\b/);
      const sum = Number(/wharf_router_request_duration_seconds_sum\{target_group="ga",target="a"\} ([0-9.e-]+)/.exec(text)?.[1]);
      assert.ok(sum >= 0.029 && sum < 5, `latency sum ${sum}`);
      assert.match(text, /wharf_router_healthy_targets\{target_group="ga"\} 1\b/);
      assert.match(text, /wharf_router_healthy_targets\{target_group="gempty"\} 0\b/);
      assert.match(text, /wharf_router_local_responses_total\{listener="80",code="503"\} 1\b/);
    });
  });
}
