// Every ECS and Application Auto Scaling operation of the AWS endpoint, on a controller with one
// agent running real tasks, over raw signed HTTP as the SDKs send it: each answers in the native
// route's shape with its timestamps as epoch seconds. (sdk.test.ts judges the same with the SDKs'
// own parsing, cli.test.ts with the AWS CLI's.)
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { AWS_OPERATIONS } from '../../src/controller/api/aws/operations.js';
import { sha256Hex, signRequest } from '../../src/model/sigv4.js';
import type { TestCluster } from '../support/cluster.js';
import { appTaskDefinition, startTestCluster, writeTestApp } from '../support/cluster.js';
import { credentialsFor } from '../support/signing.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

const PREFIX = { ecs: 'AmazonEC2ContainerServiceV20141113', 'application-autoscaling': 'AnyScaleFrontendService' } as const;

/** A timestamp in the JSON protocol: epoch seconds, about now. */
function epochNow(value: unknown, what: string): void {
  assert.equal(typeof value, 'number', `${what} is epoch seconds (got ${JSON.stringify(value)})`);
  assert.ok(Math.abs((value as number) * 1000 - Date.now()) < 300_000, `${what} ${String(value)} is about now`);
}

describe('every operation of the AWS endpoint', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let app: string;
  const called = new Set<string>();

  before(async () => {
    cluster = await startTestCluster(scope);
    await cluster.api('POST', '/v1/clusters', { clusterName: 'ops' });
    await cluster.startAgent({ hostId: 'ops-host', cluster: 'ops', cpu: 4096, memory: 4096 });
    app = await writeTestApp(await tempDir(scope));
  });

  /** One operation, signed for its service; fails the test on an error unless `expect` names the exception. */
  async function call(service: keyof typeof PREFIX, operation: string, input: unknown, expect?: string): Promise<any> {
    called.add(`${service}:${operation}`);
    const url = new URL(`${cluster.controller.url}/`);
    const body = JSON.stringify(input);
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${PREFIX[service]}.${operation}` };
    const signed = { ...headers, ...signRequest({ method: 'POST', url, headers, payloadHash: sha256Hex(body) }, credentialsFor(url.href)!, { region: 'us-east-1', service }, new Date()) };
    const res = await fetch(url, { method: 'POST', headers: signed, body });
    const json = (await res.json()) as any;
    if (expect === undefined) assert.equal(res.status, 200, `${operation}: ${JSON.stringify(json)}`);
    else assert.equal(json.__type, expect, `${operation}: ${JSON.stringify(json)}`);
    return json;
  }
  const ecs = (operation: string, input: unknown, expect?: string) => call('ecs', operation, input, expect);
  const scaling = (operation: string, input: unknown, expect?: string) => call('application-autoscaling', operation, input, expect);

  test('clusters and task definitions', async () => {
    assert.equal((await ecs('CreateCluster', { clusterName: 'ops-other' })).cluster.status, 'ACTIVE');
    const page = await ecs('ListClusters', { maxResults: 1 });
    assert.equal(page.clusterArns.length, 1);
    assert.ok(page.nextToken);
    assert.equal((await ecs('DescribeClusters', { clusters: ['ops'], include: ['STATISTICS'] })).clusters[0].registeredContainerInstancesCount, 1);
    assert.equal((await ecs('DeleteCluster', { cluster: 'ops-other' })).cluster.status, 'INACTIVE');

    epochNow((await ecs('RegisterTaskDefinition', appTaskDefinition('ops-app', app))).taskDefinition.registeredAt, 'registeredAt');
    await ecs('RegisterTaskDefinition', appTaskDefinition('ops-app', app));
    assert.equal((await ecs('ListTaskDefinitions', { familyPrefix: 'ops-app', sort: 'DESC' })).taskDefinitionArns.length, 2);
    assert.deepEqual((await ecs('ListTaskDefinitionFamilies', { familyPrefix: 'ops-' })).families, ['ops-app']);
    epochNow((await ecs('DescribeTaskDefinition', { taskDefinition: 'ops-app:1' })).taskDefinition.registeredAt, 'described registeredAt');
    epochNow((await ecs('DeregisterTaskDefinition', { taskDefinition: 'ops-app:1' })).taskDefinition.deregisteredAt, 'deregisteredAt');
    const deleted = await ecs('DeleteTaskDefinitions', { taskDefinitions: ['ops-app:1'] });
    epochNow(deleted.taskDefinitions[0].deleteRequestedAt, 'deleteRequestedAt');
  });

  test('tasks and container instances', async () => {
    const instanceArn = (await ecs('ListContainerInstances', { cluster: 'ops' })).containerInstanceArns[0];
    epochNow((await ecs('DescribeContainerInstances', { cluster: 'ops', containerInstances: [instanceArn] })).containerInstances[0].registeredAt, 'instance registeredAt');
    const run = await ecs('RunTask', { cluster: 'ops', taskDefinition: 'ops-app', startedBy: 'ops-test' });
    const taskArn = run.tasks[0].taskArn;
    epochNow(run.tasks[0].createdAt, 'task createdAt');
    const running = await waitFor('the task to be RUNNING', async () => {
      const task = (await ecs('DescribeTasks', { cluster: 'ops', tasks: [taskArn] })).tasks[0];
      return task.lastStatus === 'RUNNING' ? task : undefined;
    }, { timeoutMs: 30_000 });
    epochNow(running.startedAt, 'startedAt');
    assert.deepEqual((await ecs('ListTasks', { cluster: 'ops', startedBy: 'ops-test' })).taskArns, [taskArn]);
    const stopped = await ecs('StopTask', { cluster: 'ops', task: taskArn });
    epochNow(stopped.task.stoppingAt, 'stoppingAt');
    await ecs('StopTask', { cluster: 'ops', task: 'no-such-task' }, 'InvalidParameterException');
    const drained = await ecs('UpdateContainerInstancesState', { cluster: 'ops', containerInstances: [instanceArn], status: 'DRAINING' });
    assert.equal(drained.containerInstances[0].status, 'DRAINING');
    epochNow(drained.containerInstances[0].registeredAt, 'drained registeredAt');
    await ecs('UpdateContainerInstancesState', { cluster: 'ops', containerInstances: [instanceArn], status: 'ACTIVE' });
  });

  test('services and auto scaling', async () => {
    const created = await ecs('CreateService', { cluster: 'ops', serviceName: 'web', taskDefinition: 'ops-app', desiredCount: 1 });
    epochNow(created.service.createdAt, 'service createdAt');
    epochNow(created.service.deployments[0].createdAt, 'deployment createdAt');
    assert.equal((await ecs('ListServices', { cluster: 'ops' })).serviceArns.length, 1);
    const updated = await ecs('UpdateService', { cluster: 'ops', service: 'web', desiredCount: 2, propagateTags: 'SERVICE', enableECSManagedTags: true });
    epochNow(updated.service.deployments[0].updatedAt, 'deployment updatedAt');
    const steady = await waitFor('the service to run 2 tasks', async () => {
      const service = (await ecs('DescribeServices', { cluster: 'ops', services: ['web'] })).services[0];
      return service.runningCount === 2 ? service : undefined;
    }, { timeoutMs: 60_000 });
    epochNow(steady.events[0].createdAt, 'event createdAt');
    await ecs('UpdateService', { cluster: 'ops', service: 'nothing', desiredCount: 1 }, 'ServiceNotFoundException');

    const resource = { ServiceNamespace: 'ecs', ResourceId: 'service/ops/web', ScalableDimension: 'ecs:service:DesiredCount' };
    assert.match((await scaling('RegisterScalableTarget', { ...resource, MinCapacity: 1, MaxCapacity: 3 })).ScalableTargetARN, /^arn:/);
    const targets = (await scaling('DescribeScalableTargets', { ServiceNamespace: 'ecs', ResourceIds: ['service/ops/web'], ScalableDimension: 'ecs:service:DesiredCount' })).ScalableTargets;
    epochNow(targets[0].CreationTime, 'CreationTime');
    const config = { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } };
    await scaling('PutScalingPolicy', { ...resource, PolicyName: 'cpu', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: config });
    const policies = (await scaling('DescribeScalingPolicies', { ServiceNamespace: 'ecs', ResourceId: 'service/ops/web', PolicyNames: ['cpu', 'other'] })).ScalingPolicies;
    assert.deepEqual(policies.map((p: any) => p.PolicyName), ['cpu']);
    epochNow(policies[0].CreationTime, 'policy CreationTime');
    const activities = (await scaling('DescribeScalingActivities', { ServiceNamespace: 'ecs', ResourceId: 'service/ops/web', IncludeNotScaledActivities: true })).ScalingActivities;
    for (const activity of activities) epochNow(activity.StartTime, 'activity StartTime');
    await scaling('RegisterScalableTarget', { ...resource, MinCapacity: 5, MaxCapacity: 2 }, 'ValidationException');

    assert.equal((await ecs('DeleteService', { cluster: 'ops', service: 'web', force: true })).service.status, 'DRAINING');
  });

  test('tags, cluster updates, capacity providers, StartTask, attributes, service deployments, deregistration', async () => {
    const clusterArn = (await ecs('UpdateCluster', { cluster: 'ops', settings: [{ name: 'containerInsights', value: 'enabled' }] })).cluster.clusterArn;
    assert.deepEqual((await ecs('UpdateClusterSettings', { cluster: 'ops', settings: [{ name: 'containerInsights', value: 'disabled' }] })).cluster.settings, [{ name: 'containerInsights', value: 'disabled' }]);
    assert.deepEqual((await ecs('PutClusterCapacityProviders', { cluster: 'ops', capacityProviders: [], defaultCapacityProviderStrategy: [] })).cluster.capacityProviders, []);
    await ecs('PutClusterCapacityProviders', { cluster: 'ops', capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [] }, 'UnsupportedFeatureException');
    assert.deepEqual((await ecs('DescribeCapacityProviders', {})).capacityProviders, []);
    await ecs('TagResource', { resourceArn: clusterArn, tags: [{ key: 'team', value: 'ops' }] });
    await ecs('UntagResource', { resourceArn: clusterArn, tagKeys: ['none'] });
    assert.deepEqual((await ecs('ListTagsForResource', { resourceArn: clusterArn })).tags, [{ key: 'team', value: 'ops' }]);

    const instanceArn = (await ecs('ListContainerInstances', { cluster: 'ops' })).containerInstanceArns[0];
    await ecs('PutAttributes', { cluster: 'ops', attributes: [{ name: 'rack', value: 'r1', targetId: instanceArn }] });
    assert.deepEqual((await ecs('ListAttributes', { cluster: 'ops', targetType: 'container-instance', attributeName: 'rack' })).attributes.map((a: any) => a.value), ['r1']);
    await ecs('DeleteAttributes', { cluster: 'ops', attributes: [{ name: 'rack', targetId: instanceArn }] });
    const started = await ecs('StartTask', { cluster: 'ops', taskDefinition: 'ops-app', containerInstances: [instanceArn] });
    epochNow(started.tasks[0].createdAt, 'started createdAt');
    await ecs('StopTask', { cluster: 'ops', task: started.tasks[0].taskArn });

    const deployments = (await ecs('ListServiceDeployments', { cluster: 'ops', service: 'web' })).serviceDeployments;
    assert.ok(deployments.length >= 1);
    epochNow(deployments[0].createdAt, 'service deployment createdAt');
    const described = (await ecs('DescribeServiceDeployments', { serviceDeploymentArns: [deployments[0].serviceDeploymentArn] })).serviceDeployments[0];
    epochNow(described.updatedAt, 'service deployment updatedAt');

    const deregistered = await ecs('DeregisterContainerInstance', { cluster: 'ops', containerInstance: instanceArn, force: true });
    assert.equal(deregistered.containerInstance.status, 'INACTIVE');
    epochNow(deregistered.containerInstance.registeredAt, 'deregistered registeredAt');
  });

  test('Application Auto Scaling: tags, scheduled actions, deletes', async () => {
    await ecs('CreateService', { cluster: 'ops', serviceName: 'scaled', taskDefinition: 'ops-app', desiredCount: 0 });
    const resource = { ServiceNamespace: 'ecs', ResourceId: 'service/ops/scaled', ScalableDimension: 'ecs:service:DesiredCount' };
    const targetArn = (await scaling('RegisterScalableTarget', { ...resource, MinCapacity: 0, MaxCapacity: 3 })).ScalableTargetARN;
    await scaling('TagResource', { ResourceARN: targetArn, Tags: { team: 'ops' } });
    await scaling('UntagResource', { ResourceARN: targetArn, TagKeys: ['none'] });
    assert.deepEqual((await scaling('ListTagsForResource', { ResourceARN: targetArn })).Tags, { team: 'ops' });
    await scaling('PutScheduledAction', { ...resource, ScheduledActionName: 'later', Schedule: 'rate(1 day)', StartTime: Date.now() / 1000 + 3600, ScalableTargetAction: { MaxCapacity: 2 } });
    const action = (await scaling('DescribeScheduledActions', { ServiceNamespace: 'ecs', ResourceId: 'service/ops/scaled' })).ScheduledActions[0];
    epochNow(action.CreationTime, 'CreationTime');
    assert.ok(Math.abs(action.StartTime * 1000 - (Date.now() + 3_600_000)) < 60_000, 'StartTime is epoch seconds, an hour on');
    await scaling('DeleteScheduledAction', { ...resource, ScheduledActionName: 'later' });
    const config = { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } };
    await scaling('PutScalingPolicy', { ...resource, PolicyName: 'cpu', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: config });
    await scaling('DeleteScalingPolicy', { ...resource, PolicyName: 'cpu' });
    await scaling('DeleteScalingPolicy', { ...resource, PolicyName: 'cpu' }, 'ObjectNotFoundException');
    await scaling('DeregisterScalableTarget', resource);
    await scaling('DeregisterScalableTarget', resource, 'ObjectNotFoundException');
  });

  test('no operation of the tables was left out', () => {
    const all = Object.entries(AWS_OPERATIONS).flatMap(([service, table]) => Object.keys(table).map((name) => `${service}:${name}`));
    assert.deepEqual(all.filter((name) => !called.has(name)), []);
  });
});
