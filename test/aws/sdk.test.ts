// The AWS SDK for JavaScript v3 clients (@aws-sdk/client-ecs, client-application-auto-scaling),
// unmodified, against a controller with one agent: every ECS and Application Auto Scaling
// operation Wharf implements, each client's own parsing the judge (timestamps come back as Date
// objects, errors as the model's exception classes).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  ObjectNotFoundException,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  ValidationException,
} from '@aws-sdk/client-application-auto-scaling';
import {
  ClientException,
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  ServiceNotFoundException,
  StopTaskCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { TestCluster } from '../support/cluster.js';
import { appTaskDefinition, startTestCluster, writeTestApp } from '../support/cluster.js';
import { failure, recentDate, sdkClient } from '../support/sdk.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

describe('the AWS SDK v3 clients against Wharf', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let ecs: ECSClient;
  let scaling: ApplicationAutoScalingClient;
  let app: string;

  before(async () => {
    cluster = await startTestCluster(scope);
    await cluster.api('POST', '/v1/clusters', { clusterName: 'sdk' });
    await cluster.startAgent({ hostId: 'sdk-host', cluster: 'sdk', cpu: 4096, memory: 4096 });
    app = await writeTestApp(await tempDir(scope));
    ecs = sdkClient(scope, ECSClient, cluster.controller.url);
    scaling = sdkClient(scope, ApplicationAutoScalingClient, cluster.controller.url);
  });

  test('clusters: create, list (paged), describe, delete', async () => {
    const created = await ecs.send(new CreateClusterCommand({ clusterName: 'sdk-other', tags: [{ key: 'team', value: 'web' }], settings: [{ name: 'containerInsights', value: 'disabled' }] }));
    assert.equal(created.cluster?.clusterName, 'sdk-other');
    assert.ok(created.$metadata.requestId, 'the request id comes back');
    const first = await ecs.send(new ListClustersCommand({ maxResults: 1 }));
    assert.equal(first.clusterArns?.length, 1);
    assert.ok(first.nextToken);
    const all = [...(first.clusterArns ?? []), ...((await ecs.send(new ListClustersCommand({ nextToken: first.nextToken }))).clusterArns ?? [])];
    assert.ok(all.some((a) => a.endsWith('/sdk-other')) && all.some((a) => a.endsWith('/sdk')), all.join(' '));
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['sdk', 'sdk-other', 'nowhere'], include: ['TAGS'] }));
    assert.equal(described.clusters?.find((c) => c.clusterName === 'sdk')?.registeredContainerInstancesCount, 1);
    assert.deepEqual(described.clusters?.find((c) => c.clusterName === 'sdk-other')?.tags, [{ key: 'team', value: 'web' }]);
    assert.equal(described.failures?.[0]?.reason, 'MISSING');
    assert.equal((await ecs.send(new DeleteClusterCommand({ cluster: 'sdk-other' }))).cluster?.status, 'INACTIVE');
    const missing = await failure(ecs.send(new DeleteClusterCommand({ cluster: 'nowhere' })));
    assert.ok(missing instanceof ClusterNotFoundException, `${missing.name}: ${missing.message}`);
    assert.equal(missing.$metadata.httpStatusCode, 400);
    assert.match(missing.message, /Cluster "nowhere" does not exist/);

    const stranger = new ECSClient({ endpoint: cluster.controller.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x'.repeat(40) }, maxAttempts: 1 });
    const refused = await failure(stranger.send(new ListClustersCommand({})));
    stranger.destroy();
    assert.equal(refused.name, 'UnrecognizedClientException', refused.message);
    assert.match(refused.message, /The access key id AKIAAAAAAAAAAAAAAAAA is not one this Wharf knows/);
  });

  test('task definitions: register, list, families, describe, deregister, delete; times are Dates', async () => {
    const registered = await ecs.send(new RegisterTaskDefinitionCommand({ ...(appTaskDefinition('sdk-app', app) as any), tags: [{ key: 'app', value: 'sdk' }] }));
    recentDate(registered.taskDefinition?.registeredAt, 'registeredAt');
    assert.equal(registered.taskDefinition?.revision, 1);
    await ecs.send(new RegisterTaskDefinitionCommand(appTaskDefinition('sdk-app', app) as any));
    assert.equal((await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'sdk-app', sort: 'DESC' }))).taskDefinitionArns?.[0]?.endsWith('sdk-app:2'), true);
    assert.ok((await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'sdk' }))).families?.includes('sdk-app'));
    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'sdk-app:1', include: ['TAGS'] }));
    assert.deepEqual(described.tags, [{ key: 'app', value: 'sdk' }]);
    recentDate(described.taskDefinition?.registeredAt, 'described registeredAt');
    const deregistered = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'sdk-app:1' }));
    assert.equal(deregistered.taskDefinition?.status, 'INACTIVE');
    recentDate(deregistered.taskDefinition?.deregisteredAt, 'deregisteredAt');
    const deleted = await ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: ['sdk-app:1'] }));
    assert.equal(deleted.taskDefinitions?.[0]?.status, 'DELETE_IN_PROGRESS');
    recentDate(deleted.taskDefinitions?.[0]?.deleteRequestedAt, 'deleteRequestedAt');
    const gone = await failure(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'sdk-app:9' })));
    assert.ok(gone instanceof ClientException, `${gone.name}: ${gone.message}`);
  });

  test('tasks and container instances: run, list, describe, stop; drain and activate the host', async () => {
    const instances = await ecs.send(new ListContainerInstancesCommand({ cluster: 'sdk' }));
    assert.equal(instances.containerInstanceArns?.length, 1);
    const instanceArn = instances.containerInstanceArns?.[0] ?? '';
    const described = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'sdk', containerInstances: [instanceArn] }));
    recentDate(described.containerInstances?.[0]?.registeredAt, 'registeredAt');
    assert.equal(described.containerInstances?.[0]?.agentConnected, true);

    const run = await ecs.send(new RunTaskCommand({ cluster: 'sdk', taskDefinition: 'sdk-app', startedBy: 'sdk-test' }));
    assert.deepEqual(run.failures, []);
    const taskArn = run.tasks?.[0]?.taskArn ?? '';
    recentDate(run.tasks?.[0]?.createdAt, 'createdAt');
    const running = await waitFor('the task to be RUNNING', async () => {
      const task = (await ecs.send(new DescribeTasksCommand({ cluster: 'sdk', tasks: [taskArn] }))).tasks?.[0];
      return task?.lastStatus === 'RUNNING' ? task : undefined;
    }, { timeoutMs: 30_000 });
    recentDate(running.startedAt, 'startedAt');
    assert.ok((running.containers?.[0]?.networkBindings?.[0]?.hostPort ?? 0) > 0);
    assert.deepEqual((await ecs.send(new ListTasksCommand({ cluster: 'sdk', startedBy: 'sdk-test' }))).taskArns, [taskArn]);
    const stopped = await ecs.send(new StopTaskCommand({ cluster: 'sdk', task: taskArn, reason: 'sdk test' }));
    assert.equal(stopped.task?.desiredStatus, 'STOPPED');
    recentDate(stopped.task?.stoppingAt ?? stopped.task?.createdAt, 'stoppingAt');
    const unknownTask = await failure(ecs.send(new StopTaskCommand({ cluster: 'sdk', task: 'no-such-task' })));
    assert.ok(unknownTask instanceof InvalidParameterException, `${unknownTask.name}: ${unknownTask.message}`);

    const draining = await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'sdk', containerInstances: [instanceArn], status: 'DRAINING' }));
    assert.equal(draining.containerInstances?.[0]?.status, 'DRAINING');
    const active = await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'sdk', containerInstances: [instanceArn], status: 'ACTIVE' }));
    assert.equal(active.containerInstances?.[0]?.status, 'ACTIVE');
  });

  test('services and auto scaling: create, scale, describe, register a target and a policy, delete', async () => {
    const created = await ecs.send(new CreateServiceCommand({ cluster: 'sdk', serviceName: 'web', taskDefinition: 'sdk-app', desiredCount: 1, deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 } }));
    recentDate(created.service?.createdAt, 'service createdAt');
    recentDate(created.service?.deployments?.[0]?.createdAt, 'deployment createdAt');
    assert.deepEqual((await ecs.send(new ListServicesCommand({ cluster: 'sdk' }))).serviceArns, [created.service?.serviceArn]);
    const updated = await ecs.send(new UpdateServiceCommand({ cluster: 'sdk', service: 'web', desiredCount: 2, propagateTags: 'SERVICE', enableECSManagedTags: true }));
    assert.equal(updated.service?.desiredCount, 2);
    const steady = await waitFor('the service to run 2 tasks', async () => {
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'sdk', services: ['web'] }))).services?.[0];
      return service?.runningCount === 2 ? service : undefined;
    }, { timeoutMs: 60_000 });
    recentDate(steady.deployments?.[0]?.updatedAt, 'deployment updatedAt');
    recentDate(steady.events?.[0]?.createdAt, 'event createdAt');
    const noService = await failure(ecs.send(new UpdateServiceCommand({ cluster: 'sdk', service: 'nothing', desiredCount: 1 })));
    assert.ok(noService instanceof ServiceNotFoundException, `${noService.name}: ${noService.message}`);

    const resource = { ServiceNamespace: 'ecs' as const, ResourceId: 'service/sdk/web', ScalableDimension: 'ecs:service:DesiredCount' as const };
    await scaling.send(new RegisterScalableTargetCommand({ ...resource, MinCapacity: 1, MaxCapacity: 3 }));
    const targets = await scaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: ['service/sdk/web'], ScalableDimension: 'ecs:service:DesiredCount' }));
    assert.equal(targets.ScalableTargets?.[0]?.MaxCapacity, 3);
    recentDate(targets.ScalableTargets?.[0]?.CreationTime, 'CreationTime');
    const policy = await scaling.send(new PutScalingPolicyCommand({
      ...resource,
      PolicyName: 'cpu',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
    }));
    assert.match(policy.PolicyARN ?? '', /policyName\/cpu$/);
    const policies = await scaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/sdk/web', PolicyNames: ['cpu', 'other'] }));
    assert.deepEqual(policies.ScalingPolicies?.map((p) => p.PolicyName), ['cpu']);
    recentDate(policies.ScalingPolicies?.[0]?.CreationTime, 'policy CreationTime');
    assert.deepEqual((await scaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', PolicyNames: ['other'] }))).ScalingPolicies, []);
    const activities = await scaling.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/sdk/web', IncludeNotScaledActivities: true }));
    assert.ok(Array.isArray(activities.ScalingActivities));
    for (const activity of activities.ScalingActivities ?? []) recentDate(activity.StartTime, 'activity StartTime');
    const noTarget = await failure(scaling.send(new PutScalingPolicyCommand({ ...resource, ResourceId: 'service/sdk/none', PolicyName: 'x', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } } })));
    assert.ok(noTarget instanceof ObjectNotFoundException, `${noTarget.name}: ${noTarget.message}`);
    const invalid = await failure(scaling.send(new RegisterScalableTargetCommand({ ...resource, MinCapacity: 5, MaxCapacity: 2 })));
    assert.ok(invalid instanceof ValidationException, `${invalid.name}: ${invalid.message}`);
    assert.match(invalid.message, /MinCapacity 5 is above MaxCapacity 2/);

    const deleted = await ecs.send(new DeleteServiceCommand({ cluster: 'sdk', service: 'web', force: true }));
    assert.equal(deleted.service?.status, 'DRAINING');
  });
});
