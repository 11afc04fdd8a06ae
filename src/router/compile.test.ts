import assert from 'node:assert/strict';
import { test } from 'node:test';
import { routingTableSchema } from '../model/routing.js';
import { compileDataPlaneConfig, targetKey } from './compile.js';
import type { TargetHealth } from './target-health.js';
import { INITIAL_TARGET_HEALTH, RESTORED_HEALTHY } from './target-health.js';

const arn = (name: string) => `arn:tg/${name}`;
const table = routingTableSchema.parse({
  version: 1,
  targetGroups: [
    { name: 'a', arn: arn('a'), targets: [{ id: 'a1', host: '10.0.0.1', port: 1 }, { id: 'a2', host: '10.0.0.2', port: 2 }] },
    { name: 'b', arn: arn('b'), targets: [{ id: 'b1', host: '10.0.0.3', port: 3 }] },
  ],
  listeners: [
    {
      port: 80,
      rules: [
        { priority: 9, conditions: { pathPattern: ['/late'] }, action: { type: 'forward', targetGroups: [{ targetGroupArn: arn('a') }] } },
        { priority: 1, conditions: { hostHeader: ['x.test'] }, action: { type: 'forward', targetGroups: [{ targetGroupArn: arn('a'), weight: 2 }, { targetGroupArn: arn('b'), weight: 5 }] } },
      ],
    },
  ],
});

test('only healthy targets are active, draining ones are listed to finish, groups without one drop out of weighted choices', () => {
  const health = new Map<string, TargetHealth>([
    [targetKey(arn('a'), 'a1'), RESTORED_HEALTHY],
    [targetKey(arn('a'), 'a2'), INITIAL_TARGET_HEALTH],
    [targetKey(arn('b'), 'b1'), { state: 'unhealthy', passes: 0, failures: 2 }],
  ]);
  const config = compileDataPlaneConfig({
    table,
    health,
    draining: [{ targetGroupArn: arn('old'), targetGroupName: 'old', id: 'o1', host: '10.0.0.9', port: 9 }],
    bindPorts: new Map([[80, 0]]),
    bindHost: '127.0.0.1',
    groupKeys: new Map([
      [arn('a'), 'tg-a'],
      [arn('b'), 'tg-b'],
      [arn('old'), 'tg-old'],
    ]),
  });
  assert.deepEqual(
    config.targetGroups.map((g) => [g.key, g.targets.map((t) => `${t.id}${t.draining ? ' (draining)' : ''}`)]),
    [
      ['tg-a', ['a1']],
      ['tg-b', []],
      ['tg-old', ['o1 (draining)']],
    ],
  );
  const listener = config.listeners[0];
  assert.equal(listener?.bindPort, 0);
  assert.deepEqual(
    listener?.routes.map((r) => r.action),
    [
      { type: 'forward', choices: [{ targetGroupKey: 'tg-a', weight: 2 }] },
      { type: 'forward', choices: [{ targetGroupKey: 'tg-a', weight: 1 }] },
    ],
    'rules in priority order; b (no healthy target) left out of the weighted rule',
  );
  assert.equal(listener?.defaultAction, undefined);
});

test("targets' weights reach the plane; a group whose active targets all weigh 0 drops out of weighted choices", () => {
  const weighted = routingTableSchema.parse({
    ...table,
    targetGroups: [
      { name: 'a', arn: arn('a'), targets: [{ id: 'a1', host: '10.0.0.1', port: 1, weight: 256 }, { id: 'a2', host: '10.0.0.2', port: 2, weight: 28 }] },
      { name: 'b', arn: arn('b'), targets: [{ id: 'b1', host: '10.0.0.3', port: 3, weight: 0 }] },
    ],
  });
  const health = new Map<string, TargetHealth>([
    [targetKey(arn('a'), 'a1'), RESTORED_HEALTHY],
    [targetKey(arn('a'), 'a2'), RESTORED_HEALTHY],
    [targetKey(arn('b'), 'b1'), RESTORED_HEALTHY],
  ]);
  const config = compileDataPlaneConfig({ table: weighted, health, draining: [], bindPorts: new Map(), bindHost: '127.0.0.1', groupKeys: new Map([[arn('a'), 'tg-a'], [arn('b'), 'tg-b']]) });
  assert.deepEqual(config.targetGroups.map((g) => g.targets.map((t) => [t.id, t.weight ?? 1])), [[['a1', 256], ['a2', 28]], [['b1', 0]]]);
  assert.deepEqual(config.listeners[0]?.routes[0]?.action, { type: 'forward', choices: [{ targetGroupKey: 'tg-a', weight: 2 }] }, 'b has only a target of weight 0');
  assert.throws(() => routingTableSchema.parse({ ...table, targetGroups: [{ name: 'a', arn: arn('a'), targets: [{ id: 'a1', host: 'h', port: 1, weight: 257 }] }] }), /weight must be at most 256/);
});
