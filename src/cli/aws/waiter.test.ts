// The waiters' rules on canned answers: the first matching acceptor decides, attempts run out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WharfError } from '../../model/errors.js';
import { WAITERS } from './waiters.js';
import { search } from './query.js';
import { runWaiter } from './waiter.js';

const fast = { WHARF_WAIT_DELAY_SECONDS: '0' };
const answers = (...list: unknown[]) => {
  let i = 0;
  return async () => {
    const next = list[Math.min(i++, list.length - 1)];
    if (next instanceof Error) throw next;
    return next;
  };
};
const service = (deployments: number, running: number, desired: number, status = 'ACTIVE') => ({ services: [{ status, runningCount: running, desiredCount: desired, deployments: Array.from({ length: deployments }, () => ({})) }], failures: [] });

test('services-stable: retries until one deployment runs the desired count', async () => {
  const call = answers(service(2, 1, 2), service(1, 1, 2), service(1, 2, 2));
  await runWaiter('services-stable', WAITERS.ecs!['services-stable']!, call, search, fast);
});

test('services-stable: a missing service is a terminal failure, in the AWS CLI words', async () => {
  await assert.rejects(
    runWaiter('services-stable', WAITERS.ecs!['services-stable']!, answers({ services: [], failures: [{ reason: 'MISSING' }] }), search, fast),
    (e: unknown) => e instanceof WharfError && e.code === 'WHARF_E_WAITER_FAILED' && /Waiter ServicesStable failed: .*"failures\[\]\.reason" we matched expected path: "MISSING" at least once/.test(e.message),
  );
});

test('the last attempt ends the wait', async () => {
  const waiter = { ...WAITERS.ecs!['services-stable']!, maxAttempts: 3 };
  let calls = 0;
  await assert.rejects(
    runWaiter('services-stable', waiter, async () => (calls++, service(2, 0, 1)), search, fast),
    (e: unknown) => e instanceof WharfError && /Max attempts exceeded \(3 calls of DescribeServices/.test(e.message),
  );
  assert.equal(calls, 3);
});

test('target-deregistered: an error acceptor matches the AWS code of the failed call; other errors end the wait as they are', async () => {
  const invalid = new WharfError('WHARF_E_VALIDATION', 'no such target', { context: { awsCode: 'InvalidTarget' } });
  await runWaiter('target-deregistered', WAITERS.elbv2!['target-deregistered']!, answers(invalid), search, fast);
  const other = new WharfError('WHARF_E_TARGET_GROUP_NOT_FOUND', 'gone', { context: { awsCode: 'TargetGroupNotFound' } });
  await assert.rejects(runWaiter('target-deregistered', WAITERS.elbv2!['target-deregistered']!, answers(other), search, fast), (e: unknown) => e === other);
  await runWaiter('target-in-service', WAITERS.elbv2!['target-in-service']!, answers({ TargetHealthDescriptions: [{ TargetHealth: { State: 'initial' } }] }, { TargetHealthDescriptions: [{ TargetHealth: { State: 'healthy' } }] }), search, fast);
});
