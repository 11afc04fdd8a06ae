import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { daemonPlan, PlanError, rollingPlan } from './plan.js';

const shape = (steps: ReturnType<typeof rollingPlan>) => steps.map((s) => [s.name, s.targets.new, s.targets.old]);

test('100/200: start the whole new set, then stop the old one', () => {
  assert.deepEqual(shape(rollingPlan(4, 100, 200, [{ id: 'old', count: 4 }], { id: 'new', count: 0 })), [
    ['start set', 4, 4],
    ['stop set', 4, 0],
  ]);
});

test('50/100: stop half, start half, and so on, never above 4 nor below 2', () => {
  const steps = rollingPlan(4, 50, 100, [{ id: 'old', count: 4 }], { id: 'new', count: 0 });
  assert.deepEqual(shape(steps), [
    ['scale set', 0, 2],
    ['scale set', 2, 2],
    ['stop set', 2, 0],
    ['scale set', 4, 0],
  ]);
  for (const s of steps) {
    const total = (s.targets.new ?? 0) + (s.targets.old ?? 0);
    assert.ok(total <= 4 && total >= 2, JSON.stringify(s));
  }
});

test('100/125 with 8 tasks: batches of 2', () => {
  const steps = rollingPlan(8, 100, 125, [{ id: 'old', count: 8 }], { id: 'new', count: 0 });
  assert.equal(steps.length, 8);
  for (const s of steps) assert.ok((s.targets.new ?? 0) + (s.targets.old ?? 0) <= 10);
  assert.deepEqual(steps.at(-1)?.targets, { new: 8, old: 0 });
});

test('several old sets shrink oldest first', () => {
  const steps = rollingPlan(4, 50, 100, [{ id: 'older', count: 1 }, { id: 'old', count: 3 }], { id: 'new', count: 0 });
  assert.deepEqual(steps[0]?.targets, { new: 0, older: 0, old: 2 });
});

test('a first deployment (no old sets) starts the set; scaling to 0 stops it', () => {
  assert.deepEqual(shape(rollingPlan(3, 100, 200, [], { id: 'new', count: 0 })), [['start set', 3, undefined]]);
  assert.deepEqual(rollingPlan(0, 100, 200, [], { id: 'new', count: 3 }).at(-1)?.targets, { new: 0 });
});

test('bounds that allow neither starting nor stopping are a PlanError naming them', () => {
  assert.throws(() => rollingPlan(4, 100, 100, [{ id: 'old', count: 4 }], { id: 'new', count: 0 }), (e: unknown) => e instanceof PlanError && /minimumHealthyPercent 100 and maximumPercent 100/.test(e.message));
});

describe('the DAEMON plan: targets count hosts, and a host loses its old task before it gets its new one', () => {
  const total = (s: ReturnType<typeof daemonPlan>[number]) => Object.values(s.targets).reduce((n, c) => n + c, 0);

  test('0/100 on 3 hosts: stop the old tasks (minimum 0 lets every host go at once), then start the new ones', () => {
    assert.deepEqual(shape(daemonPlan(3, 0, [{ id: 'old', count: 3 }], { id: 'new', count: 0 })), [
      ['stop set', 0, 0],
      ['start set', 3, 0],
    ]);
  });

  test('50/100 on 4 hosts: two hosts at a time, never more than 4 tasks nor fewer than 2 kept', () => {
    const steps = daemonPlan(4, 50, [{ id: 'old', count: 4 }], { id: 'new', count: 0 });
    assert.deepEqual(shape(steps), [
      ['scale set', 0, 2],
      ['start set', 2, 2],
      ['stop set', 2, 0],
      ['scale set', 4, 0],
    ]);
    for (const s of steps) assert.ok(total(s) <= 4 && total(s) >= 2, JSON.stringify(s));
  });

  test('50/100 on 3 hosts is host by host; so is a single host whatever the minimum below 100', () => {
    const steps = daemonPlan(3, 50, [{ id: 'old', count: 3 }], { id: 'new', count: 0 });
    assert.equal(steps.length, 6);
    for (const [i, s] of steps.entries()) assert.equal(total(s), i % 2 === 0 ? 2 : 3, JSON.stringify(s));
    assert.deepEqual(shape(daemonPlan(1, 50, [{ id: 'old', count: 1 }], { id: 'new', count: 0 })), [
      ['stop set', 0, 0],
      ['start set', 1, 0],
    ]);
  });

  test('a first deployment starts one task per host; hosts that joined get theirs first; hosts that left shrink the sets first', () => {
    assert.deepEqual(shape(daemonPlan(3, 0, [], { id: 'new', count: 0 })), [['start set', 3, undefined]]);
    assert.deepEqual(shape(daemonPlan(4, 0, [], { id: 'new', count: 3 })), [['scale set', 4, undefined]]);
    assert.deepEqual(shape(daemonPlan(4, 0, [{ id: 'old', count: 3 }], { id: 'new', count: 0 })), [
      ['start set', 1, 3],
      ['stop set', 1, 0],
      ['scale set', 4, 0],
    ]);
    assert.deepEqual(shape(daemonPlan(2, 0, [{ id: 'old', count: 3 }], { id: 'new', count: 1 })), [
      ['scale set', 1, 1],
      ['stop set', 1, 0],
      ['scale set', 2, 0],
    ]);
    assert.deepEqual(daemonPlan(2, 0, [], { id: 'new', count: 3 }), [{ name: 'scale set', targets: { new: 2 } }]);
  });

  test('minimumHealthyPercent 100 can replace nothing: a PlanError; a first deployment is fine', () => {
    assert.throws(() => daemonPlan(3, 100, [{ id: 'old', count: 3 }], { id: 'new', count: 0 }), (e: unknown) => e instanceof PlanError && /minimumHealthyPercent 100, a DAEMON service/.test(e.message));
    assert.deepEqual(shape(daemonPlan(3, 100, [], { id: 'new', count: 0 })), [['start set', 3, undefined]]);
  });
});
