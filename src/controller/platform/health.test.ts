import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnvironmentOperation } from '../../model/platform.js';
import type { HealthInput, InstanceObservation } from './health.js';
import { colourOf, environmentHealth, instanceStatus } from './health.js';

const serving = (id: string): InstanceObservation => ({ id, lastStatus: 'RUNNING', settled: true, target: 'healthy', containerHealth: 'UNKNOWN', versionLabel: 'v1' });
const op = (overrides: Partial<EnvironmentOperation> = {}): EnvironmentOperation => ({ id: 1, kind: 'deploy', step: 'done', versionLabel: 'v1', taskDefinition: null, serviceDeploymentId: null, startedAt: 0, failure: null, requestId: null, ...overrides });
const input = (overrides: Partial<HealthInput> = {}): HealthInput => ({
  environment: { status: 'Ready', operation: op(), versionLabel: 'v1' },
  desiredCount: 4,
  instances: ['a', 'b', 'c', 'd'].map(serving),
  ...overrides,
});

test('all instances serving: Ok and Green; colours follow EB', () => {
  assert.deepEqual(environmentHealth(input()), { health: 'Green', healthStatus: 'Ok', causes: [] });
  assert.equal(colourOf('Degraded'), 'Red');
  assert.equal(colourOf('Warning'), 'Yellow');
  assert.equal(colourOf('Pending'), 'Grey');
});

test('missing instances: one of four is Warning, two Degraded, none Severe', () => {
  const failing: InstanceObservation = { ...serving('d'), target: 'unhealthy' };
  const one = environmentHealth(input({ instances: [serving('a'), serving('b'), serving('c'), failing] }));
  assert.equal(one.healthStatus, 'Warning');
  assert.match(one.causes.join(' '), /1 of 4 instances are not serving \(1 failing health checks\)/);
  assert.equal(environmentHealth(input({ instances: [serving('a'), serving('b')] })).healthStatus, 'Degraded');
  const none = environmentHealth(input({ instances: [] }));
  assert.equal(none.healthStatus, 'Severe');
  assert.equal(none.health, 'Red');
});

test('launching is Pending; updating is Info while instances serve; terminating is Pending', () => {
  assert.equal(environmentHealth(input({ environment: { status: 'Launching', operation: op({ kind: 'create', step: 'wait' }), versionLabel: null } })).healthStatus, 'Pending');
  const updating = environmentHealth(input({ environment: { status: 'Updating', operation: op({ step: 'wait' }), versionLabel: 'v1' }, instances: [serving('a'), serving('b')] }));
  assert.equal(updating.healthStatus, 'Info', 'instances being replaced are expected during a deployment');
  assert.equal(environmentHealth(input({ environment: { status: 'Terminating', operation: op({ kind: 'terminate', step: 'retire' }), versionLabel: 'v1' } })).healthStatus, 'Pending');
});

test('5xx answers and slow requests through the router worsen health; too few requests say nothing', () => {
  const traffic = (requests: number, errorRate: number, meanSeconds = 0.01) => ({ requests, errorRate, meanSeconds, windowMs: 10_000 });
  const degraded = environmentHealth(input({ traffic: traffic(200, 0.25) }));
  assert.equal(degraded.healthStatus, 'Degraded');
  assert.match(degraded.causes.join(' '), /25\.0 % of the requests are failing with HTTP 5xx over the last 10 s/);
  assert.equal(environmentHealth(input({ traffic: traffic(200, 0.05) })).healthStatus, 'Warning');
  assert.equal(environmentHealth(input({ traffic: traffic(200, 0.005) })).healthStatus, 'Ok');
  assert.equal(environmentHealth(input({ traffic: traffic(5, 1) })).healthStatus, 'Ok', 'five requests are too few to judge');
  assert.equal(environmentHealth(input({ traffic: traffic(200, 0, 2.5) })).healthStatus, 'Warning');
});

test('a failed last operation is a Warning with its reason while every instance serves', () => {
  const failed = environmentHealth(input({ environment: { status: 'Ready', operation: op({ failure: 'the build failed' }), versionLabel: 'v1' } }));
  assert.equal(failed.healthStatus, 'Warning');
  assert.match(failed.causes.join(' '), /The last deploy failed: the build failed/);
});

test('aborting is Info while instances move back; an aborted update leaves no warning behind', () => {
  const aborting = environmentHealth(input({ environment: { status: 'Aborting', operation: op({ step: 'restore', abortedAt: 1 }), versionLabel: 'v1' }, instances: [serving('a'), serving('b')] }));
  assert.equal(aborting.healthStatus, 'Info');
  assert.match(aborting.causes.join(' '), /Aborting the update: 2 of 4 instances are serving/);
  const aborted = environmentHealth(input({ environment: { status: 'Ready', operation: op({ abortedAt: 1, failure: 'aborted (AbortEnvironmentUpdate)' }), versionLabel: 'v1' } }));
  assert.deepEqual(aborted, { health: 'Green', healthStatus: 'Ok', causes: [] });
});

test('an instance: Pending until its checks pass, Severe when failing them, Info while draining', () => {
  assert.equal(instanceStatus({ ...serving('a'), target: 'initial' }).status, 'Pending');
  assert.equal(instanceStatus({ ...serving('a'), lastStatus: 'PENDING' }).status, 'Pending');
  assert.equal(instanceStatus({ ...serving('a'), target: undefined, containerHealth: 'UNHEALTHY' }).status, 'Severe');
  assert.equal(instanceStatus({ ...serving('a'), target: 'draining' }).status, 'Info');
  assert.equal(instanceStatus({ ...serving('a'), target: undefined, settled: false }).status, 'Pending');
});
