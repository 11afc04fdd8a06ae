import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestBoard, TargetHealthBoard } from './target-health.js';

const T0 = 1_700_000_000_000;
const d = (targetId: string, state: 'healthy' | 'unhealthy' | 'initial' | 'draining') => ({ targetGroupArn: 'tg-a', targetId, host: '127.0.0.1', port: 1, state });

test('target health: the latest full report of a group replaces the previous one; stale reports expire', () => {
  const board = new TargetHealthBoard();
  board.report([d('t1', 'healthy'), d('t2', 'healthy'), d('t3', 'initial')], T0);
  assert.equal(board.healthyCount('tg-a', T0), 2);
  board.report([d('t2', 'healthy'), d('t3', 'healthy')], T0 + 1000);
  assert.equal(board.get('tg-a', 't1', T0 + 1000), undefined, 't1 left the group');
  assert.equal(board.healthyCount('tg-a', T0 + 1000), 2);
  assert.equal(board.healthyCount('tg-a', T0 + 1000 + 31_000), 0, 'older than 30 s no longer counts');
});

test('requests per target: the rate between two samples over a period, per healthy target', () => {
  const board = new RequestBoard();
  board.record({ 'tg-a': 100 }, T0);
  assert.equal(board.perTarget('tg-a', 2, 60_000, T0), undefined, 'one sample is not a rate');
  board.record({ 'tg-a': 1100 }, T0 + 10_000);
  assert.equal(board.perTarget('tg-a', 2, 60_000, T0 + 10_000), 3000, '100 req/s over a minute, on 2 targets');
  board.record({ 'tg-a': 1000 }, T0 + 5_000);
  assert.equal(board.perTarget('tg-a', 2, 60_000, T0 + 10_000), 3000, 'an older sample is ignored');
  assert.equal(board.perTarget('tg-a', 2, 60_000, T0 + 100_000), undefined, 'stale');
});

test('requests per target: a report moments after another does not read as a burst', () => {
  const board = new RequestBoard();
  board.record({ 'tg-a': 0 }, T0);
  board.record({ 'tg-a': 50 }, T0 + 5_000);
  board.record({ 'tg-a': 52 }, T0 + 5_100);
  assert.equal(board.perTarget('tg-a', 1, 2_000, T0 + 5_100), (52 / 5_100) * 2_000, 'from the newest sample at least a period older, not 2 requests in 100 ms');
  board.record({ 'tg-a': 60 }, T0 + 10_000);
  assert.equal(board.perTarget('tg-a', 1, 2_000, T0 + 10_000), (8 / 4_900) * 2_000);
});

test('traffic: requests, 5xx share and mean duration over the recent window; too short or stale windows give nothing', () => {
  const board = new RequestBoard();
  board.record({ 'tg-a': { requests: 100, errors5xx: 1, secondsSum: 10 } }, T0);
  board.record({ 'tg-a': { requests: 150, errors5xx: 1, secondsSum: 11 } }, T0 + 2_000);
  assert.equal(board.traffic('tg-a', T0 + 2_000), undefined, 'a 2 s window is too short');
  board.record({ 'tg-a': { requests: 300, errors5xx: 51, secondsSum: 30 } }, T0 + 10_000);
  assert.deepEqual(board.traffic('tg-a', T0 + 10_000), { requests: 200, errorRate: 0.25, meanSeconds: 0.1, windowMs: 10_000 });
  board.record({ 'tg-a': { requests: 350, errors5xx: 51, secondsSum: 35 } }, T0 + 30_000);
  board.record({ 'tg-a': { requests: 400, errors5xx: 51, secondsSum: 40 } }, T0 + 80_000);
  const later = board.traffic('tg-a', T0 + 80_000);
  assert.equal(later?.requests, 50, 'samples older than the window are left out');
  assert.equal(later?.errorRate, 0);
  assert.equal(board.traffic('tg-a', T0 + 200_000), undefined, 'stale');
});
