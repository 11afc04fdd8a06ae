// What an agent's report carries: the tasks it runs, and each stopped one until the controller has it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tasksToReport } from './agent.js';

const runner = (taskId: string, status: string) => ({ taskId, status });

test('a report carries every live task, and a stopped one only until the controller has acknowledged it', () => {
  const runners = [runner('live', 'RUNNING'), runner('starting', 'PENDING'), runner('acked', 'STOPPED'), runner('fresh', 'STOPPED'), runner('wanted', 'STOPPED')];
  const desired = new Set(['live', 'starting', 'wanted']);
  // 'wanted' stopped on its own: the controller still lists it, so it is reported even though a report carried it before.
  const acknowledged = new Set(['acked', 'wanted']);
  assert.deepEqual(
    tasksToReport(runners, desired, acknowledged).map((r) => r.taskId),
    ['live', 'starting', 'fresh', 'wanted'],
  );
});

test('thousands of stopped tasks kept for their logs do not grow the report', () => {
  const stopped = Array.from({ length: 6000 }, (_, i) => runner(`t${i}`, 'STOPPED'));
  const acknowledged = new Set(stopped.map((r) => r.taskId));
  assert.deepEqual(tasksToReport([...stopped, runner('live', 'RUNNING')], new Set(['live']), acknowledged).map((r) => r.taskId), ['live']);
  assert.equal(tasksToReport(stopped, new Set(), new Set()).length, 6000, 'until acknowledged, each is reported');
});
