// Refused agent calls are answered 401 every time, but only a bounded number a minute become events:
// a client repeating a bad call cannot grow the events table without bound.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { REFUSAL_EVENTS_PER_MINUTE } from '../../src/controller/compute/refusals.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { suiteScope } from '../support/temp.js';

describe('refused agent calls', () => {
  const scope = suiteScope();
  let api: TestController;
  before(async () => {
    api = await startTestController(scope);
  });

  test('200 bad reports: each refused, at most the per-minute budget recorded as events', async () => {
    for (let i = 0; i < 200; i++) {
      const res = await api.call('POST', '/v1/agent/report', { tasks: [] }, { authorization: `Bearer ${'0'.repeat(32)}.not-a-credential-${i}` });
      assert.equal(res.status, 401);
    }
    const events = await api.call('GET', '/v1/events?resourceType=agent&maxRecords=100');
    assert.equal(events.status, 200);
    assert.equal(events.json.events.length, REFUSAL_EVENTS_PER_MINUTE, JSON.stringify(events.json.events.slice(0, 2)));
    assert.match(events.json.events[0].message, /Agent call refused: container instance 0{32} is not registered/);
    const health = await api.call('GET', '/healthz');
    assert.equal(health.status, 200);
  });
});
