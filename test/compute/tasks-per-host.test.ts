// The tasks-per-host quota end to end: a controller whose limit is lowered to 3 by its setting, a
// real `wharf agent` (process driver) with room for many more tasks by CPU and memory. Placement
// fills the host up to the limit and no further: RunTask returns the rest as RESOURCE:TASKS
// failures, a service reports that it cannot place, and a stopped task frees its slot.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { TestAgent, TestCluster } from '../support/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import { suiteScope } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

const LIMIT = 3;

describe('tasks per host', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let agent: TestAgent;

  before(async () => {
    cluster = await startTestCluster(scope, { maxTasksPerHost: LIMIT });
    agent = await cluster.startAgent({ hostId: 'host-a', cpu: 4096, memory: 4096 });
    await cluster.registerTaskDefinition({
      family: 'idle',
      containerDefinitions: [{ name: 'idle', image: 'wharf/process', command: [process.execPath, '-e', 'setInterval(() => {}, 60_000)'], memory: 16, stopTimeout: 2 }],
    });
  });

  const idOf = (arn: string): string => arn.split('/').pop()!;

  test('RunTask with a count past the limit runs exactly the limit and names RESOURCE:TASKS for the rest', async () => {
    const run = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'idle', count: LIMIT + 2, startedBy: 'per-host' });
    assert.equal(run.tasks.length, LIMIT);
    assert.equal(run.failures.length, 2, 'one failure per task not placed, as ECS reports them');
    for (const failure of run.failures) {
      assert.equal(failure.reason, 'RESOURCE:TASKS');
      assert.match(failure.detail, new RegExp(`container instance \\S+ already holds ${LIMIT} tasks that are not STOPPED, the most one container instance may hold \\(WHARF_MAX_TASKS_PER_HOST\\)`));
      assert.match(failure.arn, /:cluster\/default$/);
    }
    for (const task of run.tasks) await cluster.waitForTask(idOf(task.taskArn), 'to be RUNNING', (t) => t.lastStatus === 'RUNNING');
    assert.equal((await cluster.api('GET', '/v1/tasks?startedBy=per-host')).taskArns.length, LIMIT);

    const more = await cluster.api('POST', '/v1/tasks', { taskDefinition: 'idle', startedBy: 'per-host' });
    assert.deepEqual(more.tasks, [], 'a full host takes no task, however small');
    assert.deepEqual(more.failures.map((f: any) => f.reason), ['RESOURCE:TASKS']);
    const [instance] = (await cluster.api('POST', '/v1/container-instances/describe', { containerInstances: [agent.containerInstanceId] })).containerInstances;
    assert.equal(instance.runningTasksCount, LIMIT);
  });

  test('a service on the full host reports it cannot place; a stopped task frees the slot for it', async () => {
    await cluster.api('POST', '/v1/services', { serviceName: 'waiting', taskDefinition: 'idle', desiredCount: 1 });
    const unplaced = await waitFor('the service to report it cannot place a task', async () => {
      const [service] = (await cluster.api('POST', '/v1/services/describe', { services: ['waiting'] })).services;
      return service.events.find((e: any) => /unable to place a task/.test(e.message));
    });
    assert.match(unplaced.message, /service waiting was unable to place a task because no container instance met all of its requirements\. .*already holds 3 tasks that are not STOPPED/);

    const [first] = (await cluster.api('GET', '/v1/tasks?startedBy=per-host')).taskArns;
    await cluster.api('POST', '/v1/tasks/stop', { task: idOf(first), reason: 'make room' });
    await cluster.waitForTask(idOf(first), 'to be STOPPED', (t) => t.lastStatus === 'STOPPED');
    const service = await waitFor('the service to run its task in the freed slot', async () => {
      const [s] = (await cluster.api('POST', '/v1/services/describe', { services: ['waiting'] })).services;
      return s.runningCount === 1 ? s : undefined;
    });
    assert.equal(service.pendingCount, 0);
    const live = await cluster.api('GET', '/v1/tasks');
    assert.equal(live.taskArns.length, LIMIT, 'the host holds the limit again, no more');
  });
});
