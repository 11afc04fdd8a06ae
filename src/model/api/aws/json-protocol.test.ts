import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AWS_JSON_SERVICES, epochSeconds, jsonErrorBody, parseTarget, withEpochSeconds } from './json-protocol.js';

test('an X-Amz-Target names its service and operation; an unknown prefix names no service', () => {
  assert.deepEqual(parseTarget('AmazonEC2ContainerServiceV20141113.ListClusters'), { target: 'AmazonEC2ContainerServiceV20141113.ListClusters', service: AWS_JSON_SERVICES.ecs, operation: 'ListClusters' });
  assert.equal(parseTarget('AnyScaleFrontendService.PutScalingPolicy')?.service?.service, 'application-autoscaling');
  assert.equal(parseTarget('AmazonSQS.SendMessage')?.service, undefined);
  assert.equal(parseTarget('no dot here')?.operation, '');
  assert.equal(parseTarget(undefined), undefined);
  assert.equal(parseTarget(''), undefined);
});

test('timestamps become epoch seconds at their paths only, never under a map key of the same name', () => {
  const answer = {
    tasks: [{ createdAt: '2026-01-02T03:04:05.678Z', containers: [{ name: 'web', dockerLabels: { createdAt: '2026-01-02T03:04:05.678Z' } }] }],
    failures: [],
  };
  const converted = withEpochSeconds(answer, ['tasks[].createdAt', 'tasks[].stoppedAt', 'missing[].createdAt']) as typeof answer;
  assert.equal(converted.tasks[0]?.createdAt, 1767323045.678);
  assert.equal(converted.tasks[0]?.containers[0]?.dockerLabels.createdAt, '2026-01-02T03:04:05.678Z');
  assert.ok(!('stoppedAt' in (converted.tasks[0] ?? {})), 'an absent timestamp stays absent');
  assert.equal(answer.tasks[0]?.createdAt, '2026-01-02T03:04:05.678Z', 'the answer itself is not changed');
  assert.equal(epochSeconds('not a time'), undefined);
});

test("an error body carries the exception as __type and the message under the model's member", () => {
  assert.deepEqual(jsonErrorBody(AWS_JSON_SERVICES.ecs, 'ClusterNotFoundException', 'gone'), { __type: 'ClusterNotFoundException', message: 'gone' });
  assert.deepEqual(jsonErrorBody(AWS_JSON_SERVICES['application-autoscaling'], 'ValidationException', 'bad'), { __type: 'ValidationException', Message: 'bad' });
});
