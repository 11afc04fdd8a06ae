// `wharf router`: reads its table from the controller, serves it with the chosen data plane, and on
// SIGTERM stops HAProxy and everything else it started.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import type { RoutingTableInput } from '../../src/model/routing.js';
import { resolveRouterSettings } from '../../src/config/router-settings.js';
import { WharfError } from '../../src/model/errors.js';
import { haproxyInstalled } from '../../src/router/haproxy/haproxy-data-plane.js';
import { spawnNodeChild } from '../support/child.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { forward, get, startBackend, targetGroup } from './support.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'router-child.js');

describe('wharf router', () => {
  for (const dataPlane of ['node', 'haproxy'] as const) {
    test(`serves the controller's table with the ${dataPlane} data plane and stops everything on SIGTERM`, async (t) => {
      if (dataPlane === 'haproxy' && !haproxyInstalled()) return t.skip('HAProxy is not installed');
      const backend = await startBackend(t, 'a');
      const table: RoutingTableInput = { version: 1, targetGroups: [targetGroup('ga', [backend], { healthCheck: { path: '/health', intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2 } })], listeners: [{ port: 80, defaultAction: forward('ga') }] };
      const controller = http.createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const known = new URL(req.url ?? '/', 'http://c').searchParams.get('version');
        if (known === '1') setTimeout(() => res.end(JSON.stringify({ version: 1, table })), 200);
        else res.end(JSON.stringify({ version: 1, table }));
      });
      await new Promise<void>((resolve) => controller.listen(0, '127.0.0.1', resolve));
      t.after(() => {
        controller.closeAllConnections();
        controller.close();
      });
      const endpoint = `http://127.0.0.1:${(controller.address() as AddressInfo).port}`;
      const dataDir = await tempDir(t, 'wharf-router-cmd-');
      const child = spawnNodeChild(CHILD, ['router', '--endpoint', endpoint, '--port', '0', '--host', '127.0.0.1', '--data-plane', dataPlane, '--data-dir', dataDir, '--admin-port', '0', '--log-level', 'warn'], t);
      const started = JSON.parse(await child.waitForLine(/"router-started"/, 'the router to start', 15_000)) as { dataPlane: string; admin: string };
      assert.equal(started.dataPlane, dataPlane);
      // Health checks run at their real pace here: healthy after two passes 5 s apart.
      const status = await waitFor(
        'listener 80 served with a healthy target',
        async () => {
          const body = (await (await fetch(`${started.admin}/v1/router/status`)).json()) as { listeners: { port: number; servedOn?: { port: number } }[]; targets: { state: string }[] };
          return body.targets[0]?.state === 'healthy' && body.listeners[0]?.servedOn ? body : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 100 },
      );
      const url = `http://127.0.0.1:${status.listeners[0]?.servedOn?.port}`;
      await waitFor('the router to forward to a', async () => (await get(url, '/', 'x')).status === 200 || undefined);
      const metrics = await (await fetch(`${started.admin}/metrics`)).text();
      assert.match(metrics, /wharf_router_healthy_targets\{target_group="ga"\} 1/);
      let haproxyPid: number | undefined;
      if (dataPlane === 'haproxy') {
        haproxyPid = Number(readFileSync(path.join(dataDir, 'haproxy', 'haproxy.pid'), 'utf8').trim());
        assert.ok(existsSync(`/proc/${haproxyPid}`), 'haproxy runs');
      }
      await child.kill('SIGTERM');
      const exit = await child.exited;
      assert.equal(exit.code, 0, child.stderr());
      if (haproxyPid !== undefined) assert.ok(!existsSync(`/proc/${haproxyPid}`) || /\) Z /.test(readFileSync(`/proc/${haproxyPid}/stat`, 'utf8')), 'haproxy stopped with the router');
      await assert.rejects(get(url, '/', 'x'), 'nothing listens any more');
      assert.ok(existsSync(path.join(dataDir, 'routing-table.json')), 'the table is cached for the next start');
    });
  }

  test('settings: flags over environment over defaults; bad values named', () => {
    const settings = resolveRouterSettings({ endpoint: 'http://127.0.0.1:7070', port: '9000' }, { WHARF_ROUTER_PORT: '8000', WHARF_ROUTER_DATA_PLANE: 'node' });
    assert.equal(settings.port, 9000);
    assert.equal(settings.dataPlane, 'node');
    assert.equal(settings.host, '0.0.0.0');
    assert.throws(
      () => resolveRouterSettings({ endpoint: 'http://127.0.0.1:7070', dataPlane: 'nginx' }, {}),
      (error: unknown) => error instanceof WharfError && error.code === 'WHARF_E_USAGE' && /dataPlane/.test(error.message),
    );
  });
});
