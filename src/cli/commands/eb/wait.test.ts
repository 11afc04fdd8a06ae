// Waiting for an environment: the event cursor (each event once, oldest first, none lost at equal
// timestamps), and the end of a wait: done, failed, timed out, terminated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnvironmentEventView, EnvironmentView } from '../../../model/api/platform.js';
import { isUserError } from '../../../model/errors.js';
import type { ApiClient } from '../../client.js';
import type { WaitSpec } from './wait.js';
import { EventCursor, waitForEnvironment } from './wait.js';

const event = (ms: number, Message: string): EnvironmentEventView => ({ EventDate: new Date(ms).toISOString(), Message, Severity: 'INFO' });

test('events come oldest first, once each, from the start time on', () => {
  const cursor = new EventCursor(1000);
  assert.equal(cursor.startTime, new Date(1000).toISOString());
  // Newest first, as DescribeEvents answers; one event before the start.
  assert.deepEqual(cursor.take([event(2000, 'b'), event(1000, 'a'), event(500, 'old')]).map((e) => e.Message), ['a', 'b']);
  assert.equal(cursor.startTime, new Date(2000).toISOString());
  // The next page starts at the newest seen (inclusive): that one is not shown again; a new one at the same time is.
  assert.deepEqual(cursor.take([event(3000, 'd'), event(2000, 'c'), event(2000, 'b')]).map((e) => e.Message), ['c', 'd']);
  assert.deepEqual(cursor.take([event(3000, 'd')]), []);
  assert.deepEqual(cursor.take([]), []);
});

/** A client whose DescribeEnvironments answers the states in turn (the last one repeats), and whose DescribeEvents answers each event once it is due. */
function fakeClient(states: readonly Partial<EnvironmentView>[], events: readonly EnvironmentEventView[] = []): ApiClient & { calls: string[] } {
  let polls = 0;
  const calls: string[] = [];
  const base = { EnvironmentName: 'shop-dev', EnvironmentId: 'e-0123456789', ApplicationName: 'shop', URL: 'http://127.0.0.1:1/', Health: 'Green', HealthStatus: 'Ok' };
  return {
    calls,
    async request(_method: string, route: string, options: { body?: Record<string, unknown> } = {}) {
      const operation = route.split('/').at(-1) ?? '';
      calls.push(operation);
      if (operation === 'DescribeEnvironments') {
        assert.deepEqual(options.body, { EnvironmentIds: ['e-0123456789'], IncludeDeleted: true });
        const state = states[Math.min(polls, states.length - 1)];
        polls += 1;
        return { Environments: [{ ...base, ...state }] };
      }
      if (operation === 'DescribeEvents') {
        const start = Date.parse(String(options.body?.StartTime));
        const due = events.slice(0, polls).filter((e) => Date.parse(e.EventDate) >= start);
        return { Events: [...due].reverse() };
      }
      throw new Error(`unexpected ${operation}`);
    },
  } as unknown as ApiClient & { calls: string[] };
}

const spec = (client: ApiClient, shown: string[], overrides: Partial<WaitSpec> = {}): WaitSpec => ({
  client,
  environment: { EnvironmentName: 'shop-dev', EnvironmentId: 'e-0123456789' },
  operationId: 2,
  until: 'Ready',
  sinceMs: 1000,
  timeoutMs: 5000,
  intervalMs: 1,
  onEvent: (e) => shown.push(e.Message),
  ...overrides,
});

test('waiting ends when the environment is Ready on the operation started, not an older one, with every event once', async () => {
  const shown: string[] = [];
  const client = fakeClient(
    [
      { Status: 'Ready', Operation: { Id: 1, Kind: 'create', Step: 'done' } },
      { Status: 'Updating', Operation: { Id: 2, Kind: 'configure', Step: 'serve' } },
      { Status: 'Ready', Operation: { Id: 2, Kind: 'configure', Step: 'done' } },
    ],
    [event(1500, 'Environment update is starting.'), event(1600, 'Deploying.'), event(1700, 'Environment update completed successfully.')],
  );
  const result = await waitForEnvironment(spec(client, shown));
  assert.equal(result.environment.Operation?.Id, 2);
  assert.deepEqual(shown, ['Environment update is starting.', 'Deploying.', 'Environment update completed successfully.']);
  assert.deepEqual(result.events.map((e) => e.Message), shown);
});

test('a failed operation is a user error naming the failure and what to do', async () => {
  const client = fakeClient([
    { Status: 'Updating', Operation: { Id: 2, Kind: 'deploy', Step: 'build', VersionLabel: 'v2' } },
    { Status: 'Ready', VersionLabel: 'v1', Operation: { Id: 2, Kind: 'deploy', Step: 'done', VersionLabel: 'v2', Failure: 'the app exited with code 3' } },
  ]);
  await assert.rejects(waitForEnvironment(spec(client, [])), (e: unknown) => {
    assert.ok(isUserError(e));
    assert.match(e.message, /^Environment shop-dev: deploy of version v2 failed: the app exited with code 3\. The environment keeps version v1 and settings\. .*`wharf eb events shop-dev`/);
    return true;
  });
  const created = fakeClient([{ Status: 'Ready', Operation: { Id: 1, Kind: 'create', Step: 'done', Failure: 'no port' } }]);
  await assert.rejects(waitForEnvironment(spec(created, [], { operationId: 1 })), /create failed: no port\. The environment exists but runs no version\. .*wharf eb deploy shop-dev.*wharf eb terminate shop-dev/);
});

test('the timeout is a user error saying the operation goes on', async () => {
  const client = fakeClient([{ Status: 'Updating', Operation: { Id: 2, Kind: 'deploy', Step: 'wait' } }]);
  await assert.rejects(waitForEnvironment(spec(client, [], { timeoutMs: 30, intervalMs: 5 })), (e: unknown) => {
    assert.ok(isUserError(e));
    assert.match(e.message, /^Environment shop-dev was not Ready within 0 minute\(s\): it is Updating \(deploy, step wait\)\. The operation goes on in the controller; follow it with `wharf eb events shop-dev -f`/);
    return true;
  });
});

test('a terminate ends at Terminated; an environment terminated while waiting for Ready is an error', async () => {
  const done = await waitForEnvironment(spec(fakeClient([{ Status: 'Terminating' }, { Status: 'Terminated' }]), [], { until: 'Terminated', operationId: 3 }));
  assert.equal(done.environment.Status, 'Terminated');
  await assert.rejects(waitForEnvironment(spec(fakeClient([{ Status: 'Terminating', Operation: { Id: 3, Kind: 'terminate', Step: 'retire' } }]), [])), /terminated while this command waited/);
});
