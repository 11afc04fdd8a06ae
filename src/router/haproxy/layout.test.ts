import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { DataPlaneConfig, PlaneTarget } from '../data-plane.js';
import { EMPTY_LAYOUT, MIN_SLOTS, planLayout, renderConfig, routesMapText, structureKey, weightsMapText } from './layout.js';
import { parseLogLine } from './log-receiver.js';
import { findHAProxy } from './process.js';

const target = (id: string, port: number, draining = false): PlaneTarget => ({ id, host: '127.0.0.1', port, draining });

function config(targets: PlaneTarget[], weights: Record<string, number> = { 'tg-a': 1 }): DataPlaneConfig {
  return {
    targetGroups: [
      { key: 'tg-a', name: 'a', arn: 'arn:a', targets },
      { key: 'tg-b', name: 'b', arn: 'arn:b', targets: [target('b1', 9001)] },
    ],
    listeners: [
      {
        port: 80,
        bindHost: '127.0.0.1',
        bindPort: 18080,
        routes: [
          { match: '^(a\\.test)#.*$', action: { type: 'forward', choices: Object.entries(weights).map(([targetGroupKey, weight]) => ({ targetGroupKey, weight })) } },
          { match: '^[^#]*#(/none)$', action: { type: 'forward', choices: [] } },
        ],
        defaultAction: { type: 'fixed-response', statusCode: 418, contentType: 'text/plain', messageBody: 'teapot "here"' },
      },
    ],
  };
}

const ip = (host: string) => host;

test('targets keep their slots; freed slots are reused last; a full backend doubles', () => {
  const first = planLayout(config([target('t1', 8001), target('t2', 8002)]), EMPTY_LAYOUT, ip);
  const a1 = first.backends.get('tg-a');
  assert.equal(a1?.slots.length, MIN_SLOTS);
  assert.deepEqual(a1?.slots.slice(0, 2).map((s) => s?.targetId), ['t1', 't2']);
  // t1 leaves, t3 joins: t3 takes a never-used slot, not t1's; t2 stays put.
  const second = planLayout(config([target('t2', 8002), target('t3', 8003)]), first, ip);
  const a2 = second.backends.get('tg-a');
  assert.equal(a2?.slots[0], undefined);
  assert.equal(a2?.slots[1]?.targetId, 't2');
  assert.equal(a2?.slots[2]?.targetId, 't3');
  assert.equal(structureKey(second), structureKey(first), 'target changes need no reload');
  // A moved target (same id, new port) takes a new slot.
  const third = planLayout(config([target('t2', 9999), target('t3', 8003)]), second, ip);
  assert.equal(third.backends.get('tg-a')?.slots[1], undefined);
  // Outgrowing the slots doubles them, which needs a reload.
  const many = planLayout(config(Array.from({ length: MIN_SLOTS + 1 }, (_, i) => target(`m${i}`, 7000 + i))), first, ip);
  assert.equal(many.backends.get('tg-a')?.slots.length, MIN_SLOTS * 2);
  assert.notEqual(structureKey(many), structureKey(first));
});

test('weights become integer ranges per route; a route with no group left answers 503; the default is route 0', () => {
  const layout = planLayout(config([target('t1', 8001)], { 'tg-a': 1, 'tg-b': 3 }), EMPTY_LAYOUT, ip);
  const listener = layout.listeners[0];
  assert.ok(listener);
  assert.equal(weightsMapText(listener), ['0:999 listener-80-fixed-0', '1000:1249 tg-a', '1250:1999 tg-b', '2000:2999 listener-80-unavailable', ''].join('\n'));
  assert.equal(routesMapText(listener), '^(a\\.test)#.*$ 1\n^[^#]*#(/none)$ 2\n');
});

test('log lines: requests and passive health events', () => {
  const seen: unknown[] = [];
  const handlers = { request: (line: unknown) => seen.push(line), serverDown: (backend: string, server: string, info: string) => seen.push({ backend, server, info }) };
  parseLogLine('R listener-80 tg-a s3 200 12', handlers);
  parseLogLine('Server tg-a/s2 is DOWN, reason: Health analyze, info: "Detected 1 consecutive errors, last one was: L4 unsuccessful connection". 1 active and 0 backup servers left.', handlers);
  parseLogLine('Proxy tg-a started.', handlers);
  assert.deepEqual(seen, [
    { frontend: 'listener-80', backend: 'tg-a', server: 's3', status: 200, ms: 12 },
    { backend: 'tg-a', server: 's2', info: '"Detected 1 consecutive errors, last one was: L4 unsuccessful connection". 1 active and 0 backup servers left.' },
  ]);
});

test('the rendered configuration is one HAProxy accepts', (t) => {
  const binary = findHAProxy();
  if (!binary) return t.skip('HAProxy is not installed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wharf-layout-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const layout = planLayout(config([target('t1', 8001), target('t2', 8002, true)]), EMPTY_LAYOUT, ip);
  for (const listener of layout.listeners) {
    writeFileSync(path.join(dir, `routes-${listener.port}.map`), routesMapText(listener));
    writeFileSync(path.join(dir, `weights-${listener.port}.map`), weightsMapText(listener));
  }
  const text = renderConfig(layout, { dir, statsSocket: path.join(dir, 'admin.sock') });
  assert.match(text, /server s1 127\.0\.0\.1:8001\n {2}server s2 127\.0\.0\.1:8002 weight 0\n {2}server-template s 3-8 127\.0\.0\.1:1 disabled/);
  writeFileSync(path.join(dir, 'haproxy.cfg'), text);
  execFileSync(binary, ['-c', '-q', '-f', path.join(dir, 'haproxy.cfg')]);
});
