import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUTOSCALING_OPERATIONS, ECS_OPERATIONS, nativeInput } from './operations.js';

test('an AWS body goes where the native route takes it: body, query, or a path parameter', () => {
  assert.deepEqual(nativeInput(ECS_OPERATIONS.CreateCluster!, { clusterName: 'c' }), { params: {}, query: {}, body: { clusterName: 'c' } });
  assert.deepEqual(nativeInput(ECS_OPERATIONS.ListClusters!, { maxResults: 5 }), { params: {}, query: { maxResults: 5 }, body: undefined });
  assert.deepEqual(nativeInput(ECS_OPERATIONS.DescribeTaskDefinition!, { taskDefinition: 'web:1', include: ['TAGS'] }), { params: { ref: 'web:1' }, query: { include: ['TAGS'] }, body: undefined });
  assert.deepEqual(nativeInput(ECS_OPERATIONS.DeleteCluster!, { cluster: 'c' }), { params: { cluster: 'c' }, query: {}, body: undefined });
});

test('fields not acted on are dropped, the others kept as sent', () => {
  const input = nativeInput(ECS_OPERATIONS.UpdateService!, { service: 'web', desiredCount: 2, propagateTags: 'SERVICE', enableECSManagedTags: true });
  assert.deepEqual(input.body, { service: 'web', desiredCount: 2 });
  const scaling = nativeInput(AUTOSCALING_OPERATIONS.DescribeScalingActivities!, { ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', IncludeNotScaledActivities: true });
  assert.deepEqual(scaling.body, { ServiceNamespace: 'ecs' });
});
