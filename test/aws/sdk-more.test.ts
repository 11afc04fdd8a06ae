// The operations of issue 13's third point through the AWS SDK v3 clients, unmodified, against a
// controller with two agents running real tasks: ECS tagging, cluster updates and capacity
// providers, StartTask, attributes used by a memberOf constraint, DeregisterContainerInstance,
// service deployments; Application Auto Scaling's deletes, tags and scheduled actions acted on by
// the scaler. Each client's parsing is the judge (Dates, the models' exception classes).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeleteScheduledActionCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  DescribeScheduledActionsCommand,
  ListTagsForResourceCommand as ListScalingTagsCommand,
  ObjectNotFoundException,
  PutScalingPolicyCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
  ResourceNotFoundException as ScalingResourceNotFoundException,
  TagResourceCommand as TagScalingCommand,
  UntagResourceCommand as UntagScalingCommand,
  ValidationException,
} from '@aws-sdk/client-application-auto-scaling';
import {
  ClusterNotFoundException,
  CreateServiceCommand,
  DeleteAttributesCommand,
  DeregisterContainerInstanceCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListAttributesCommand,
  ListContainerInstancesCommand,
  ListServiceDeploymentsCommand,
  ListTagsForResourceCommand,
  PutAttributesCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  ResourceNotFoundException,
  RunTaskCommand,
  StartTaskCommand,
  StopTaskCommand,
  TagResourceCommand,
  TargetNotFoundException,
  UnsupportedFeatureException,
  UntagResourceCommand,
  UpdateClusterCommand,
  UpdateClusterSettingsCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { TestCluster } from '../support/cluster.js';
import { appTaskDefinition, startTestCluster, writeTestApp } from '../support/cluster.js';
import { failure, recentDate, sdkClient } from '../support/sdk.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

/** `yyyy-mm-ddThh:mm:ss` of a time in UTC, as `at(...)` takes it. */
function wallUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

describe('the AWS SDK v3 clients against the operations of issue 13 (point 3)', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let ecs: ECSClient;
  let scaling: ApplicationAutoScalingClient;
  let instances: string[];

  before(async () => {
    // The scaler runs twice a second, so a scheduled action due in a few seconds fires promptly.
    cluster = await startTestCluster(scope, { autoscalingPeriodMs: 500 });
    await cluster.api('POST', '/v1/clusters', { clusterName: 'more' });
    await cluster.startAgent({ hostId: 'more-a', cluster: 'more', cpu: 4096, memory: 4096 });
    await cluster.startAgent({ hostId: 'more-b', cluster: 'more', cpu: 4096, memory: 4096 });
    const app = await writeTestApp(await tempDir(scope));
    ecs = sdkClient(scope, ECSClient, cluster.controller.url);
    scaling = sdkClient(scope, ApplicationAutoScalingClient, cluster.controller.url);
    await ecs.send(new RegisterTaskDefinitionCommand(appTaskDefinition('more-app', app) as any));
    instances = (await ecs.send(new ListContainerInstancesCommand({ cluster: 'more' }))).containerInstanceArns ?? [];
    assert.equal(instances.length, 2);
  });

  test('clusters: UpdateCluster and UpdateClusterSettings keep containerInsights; capacity providers: the empty default only', async () => {
    const updated = await ecs.send(new UpdateClusterCommand({ cluster: 'more', settings: [{ name: 'containerInsights', value: 'enabled' }] }));
    assert.deepEqual(updated.cluster?.settings, [{ name: 'containerInsights', value: 'enabled' }]);
    const again = await ecs.send(new UpdateClusterSettingsCommand({ cluster: 'more', settings: [{ name: 'containerInsights', value: 'disabled' }] }));
    assert.deepEqual(again.cluster?.settings, [{ name: 'containerInsights', value: 'disabled' }]);
    assert.deepEqual((await ecs.send(new DescribeClustersCommand({ clusters: ['more'], include: ['SETTINGS'] }))).clusters?.[0]?.settings, [{ name: 'containerInsights', value: 'disabled' }]);
    const configuration = await failure(ecs.send(new UpdateClusterCommand({ cluster: 'more', configuration: { executeCommandConfiguration: { logging: 'NONE' } } })));
    assert.ok(configuration instanceof UnsupportedFeatureException, `${configuration.name}: ${configuration.message}`);
    assert.match(configuration.message, /configuration/);
    const missing = await failure(ecs.send(new UpdateClusterSettingsCommand({ cluster: 'nowhere', settings: [{ name: 'containerInsights', value: 'enabled' }] })));
    assert.ok(missing instanceof ClusterNotFoundException, `${missing.name}: ${missing.message}`);

    const put = await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'more', capacityProviders: [], defaultCapacityProviderStrategy: [] }));
    assert.deepEqual([put.cluster?.capacityProviders, put.cluster?.defaultCapacityProviderStrategy], [[], []]);
    const fargate = await failure(ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'more', capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] })));
    assert.ok(fargate instanceof UnsupportedFeatureException, `${fargate.name}: ${fargate.message}`);
    assert.match(fargate.message, /capacityProviders.*FARGATE/s);
    assert.deepEqual((await ecs.send(new DescribeCapacityProvidersCommand({}))).capacityProviders, []);
    const named = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ['FARGATE'] }));
    assert.deepEqual(named.failures?.map((f) => f.reason), ['MISSING']);
  });

  test('attributes: put, list, placed on by memberOf, deleted; the agent keeps its own', async () => {
    const [a = '', b = ''] = instances;
    const put = await ecs.send(new PutAttributesCommand({ cluster: 'more', attributes: [{ name: 'stack', value: 'prod', targetType: 'container-instance', targetId: b }, { name: 'gpu', targetId: b }] }));
    assert.equal(put.attributes?.length, 2);
    const listed = await ecs.send(new ListAttributesCommand({ cluster: 'more', targetType: 'container-instance', attributeName: 'stack' }));
    assert.deepEqual(listed.attributes?.map((x) => [x.name, x.value, x.targetId]), [['stack', 'prod', b]]);
    assert.ok(((await ecs.send(new ListAttributesCommand({ cluster: 'more', targetType: 'container-instance' }))).attributes ?? []).some((x) => x.name === 'wharf.host-id'), 'the agent attributes are listed');
    const described = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'more', containerInstances: [b] }));
    assert.ok(described.containerInstances?.[0]?.attributes?.some((x) => x.name === 'gpu' && x.value === undefined));

    const run = await ecs.send(new RunTaskCommand({ cluster: 'more', taskDefinition: 'more-app', count: 2, placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }] }));
    assert.deepEqual(run.tasks?.map((t) => t.containerInstanceArn), [b, b], 'memberOf on the custom attribute places on the host that has it');

    const reserved = await failure(ecs.send(new PutAttributesCommand({ cluster: 'more', attributes: [{ name: 'ecs.os-type', value: 'windows', targetId: a }] })));
    assert.ok(reserved instanceof InvalidParameterException, `${reserved.name}: ${reserved.message}`);
    const nowhere = await failure(ecs.send(new PutAttributesCommand({ cluster: 'more', attributes: [{ name: 'stack', value: 'x', targetId: 'f'.repeat(32) }] })));
    assert.ok(nowhere instanceof TargetNotFoundException, `${nowhere.name}: ${nowhere.message}`);
    const tooMany = await failure(ecs.send(new PutAttributesCommand({ cluster: 'more', attributes: Array.from({ length: 10 }, (_, i) => ({ name: `extra${i}`, targetId: b })) })));
    assert.equal(tooMany.name, 'AttributeLimitExceededException', tooMany.message);

    await ecs.send(new DeleteAttributesCommand({ cluster: 'more', attributes: [{ name: 'stack', targetId: b }] }));
    assert.deepEqual((await ecs.send(new ListAttributesCommand({ cluster: 'more', targetType: 'container-instance', attributeName: 'stack' }))).attributes, []);
    for (const t of run.tasks ?? []) await ecs.send(new StopTaskCommand({ cluster: 'more', task: t.taskArn }));
  });

  test('StartTask runs one task on each named instance; tags on every kind of resource', async () => {
    const [a = ''] = instances;
    const started = await ecs.send(new StartTaskCommand({ cluster: 'more', taskDefinition: 'more-app', containerInstances: [a, 'e'.repeat(32)], tags: [{ key: 'team', value: 'web' }] }));
    assert.deepEqual(started.tasks?.map((t) => t.containerInstanceArn), [a]);
    assert.deepEqual(started.failures?.map((f) => f.reason), ['MISSING']);
    recentDate(started.tasks?.[0]?.createdAt, 'createdAt');
    const taskArn = started.tasks?.[0]?.taskArn ?? '';
    await waitFor('the started task to run', async () => (await ecs.send(new DescribeTasksCommand({ cluster: 'more', tasks: [taskArn] }))).tasks?.[0]?.lastStatus === 'RUNNING', { timeoutMs: 30_000 });

    const clusterArn = (await ecs.send(new DescribeClustersCommand({ clusters: ['more'] }))).clusters?.[0]?.clusterArn ?? '';
    const definitionArn = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'more-app:1' }))).taskDefinition?.taskDefinitionArn ?? '';
    for (const arn of [clusterArn, taskArn, definitionArn, a]) {
      await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'env', value: 'test' }, { key: 'team', value: 'api' }] }));
      await ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env'] }));
      assert.deepEqual((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, [{ key: 'team', value: 'api' }], arn);
    }
    assert.deepEqual((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'more-app:1', include: ['TAGS'] }))).tags, [{ key: 'team', value: 'api' }]);
    assert.deepEqual((await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'more', containerInstances: [a], include: ['TAGS'] }))).containerInstances?.[0]?.tags, [{ key: 'team', value: 'api' }]);
    assert.deepEqual((await ecs.send(new DescribeTasksCommand({ cluster: 'more', tasks: [taskArn], include: ['TAGS'] }))).tasks?.[0]?.tags, [{ key: 'team', value: 'api' }]);
    const gone = await failure(ecs.send(new ListTagsForResourceCommand({ resourceArn: taskArn.replace(/[0-9a-f]{32}$/, '0'.repeat(32)) })));
    assert.ok(gone instanceof ResourceNotFoundException, `${gone.name}: ${gone.message}`);
    const noKind = await failure(ecs.send(new TagResourceCommand({ resourceArn: clusterArn.replace(':cluster/', ':capacity-provider/'), tags: [{ key: 'a', value: 'b' }] })));
    assert.ok(noKind instanceof InvalidParameterException, `${noKind.name}: ${noKind.message}`);
    await ecs.send(new StopTaskCommand({ cluster: 'more', task: taskArn }));
  });

  test('services: tagged, and their deployments listed and described', async () => {
    const created = await ecs.send(new CreateServiceCommand({ cluster: 'more', serviceName: 'deploys', taskDefinition: 'more-app', desiredCount: 1 }));
    const serviceArn = created.service?.serviceArn ?? '';
    await ecs.send(new TagResourceCommand({ resourceArn: serviceArn, tags: [{ key: 'team', value: 'web' }] }));
    assert.deepEqual((await ecs.send(new DescribeServicesCommand({ cluster: 'more', services: ['deploys'] }))).services?.[0]?.tags, [{ key: 'team', value: 'web' }]);
    await waitFor('the first deployment to complete', async () => (await ecs.send(new DescribeServicesCommand({ cluster: 'more', services: ['deploys'] }))).services?.[0]?.deployments?.[0]?.rolloutState === 'COMPLETED', { timeoutMs: 60_000 });
    await ecs.send(new UpdateServiceCommand({ cluster: 'more', service: 'deploys', forceNewDeployment: true }));
    const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'more', service: 'deploys' }));
    assert.equal(listed.serviceDeployments?.length, 2);
    const [newest, first] = listed.serviceDeployments ?? [];
    recentDate(newest?.createdAt, 'createdAt');
    assert.ok(first?.status === 'SUCCESSFUL' || first?.status === 'STOPPED', String(first?.status));
    recentDate(first?.finishedAt, 'finishedAt');
    const successful = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'more', service: 'deploys', status: ['SUCCESSFUL', 'STOPPED'], createdAt: { after: new Date(Date.now() - 600_000) } }));
    assert.deepEqual(successful.serviceDeployments?.map((d) => d.serviceDeploymentArn), [first?.serviceDeploymentArn]);
    const described = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [newest?.serviceDeploymentArn ?? '', `${serviceArn.replace(':service/', ':service-deployment/')}/999`] }));
    const deployment = described.serviceDeployments?.[0];
    recentDate(deployment?.updatedAt, 'updatedAt');
    assert.equal(deployment?.targetServiceRevision?.requestedTaskCount !== undefined, true);
    assert.equal(deployment?.sourceServiceRevisions?.length, 1);
    assert.deepEqual(described.failures?.map((f) => f.reason), ['MISSING']);
    const noService = await failure(ecs.send(new ListServiceDeploymentsCommand({ cluster: 'more', service: 'nothing' })));
    assert.equal(noService.name, 'ServiceNotFoundException', noService.message);
  });

  test('auto scaling: scheduled actions fire at their time, tags, delete a policy, deregister the target with its own', async () => {
    await ecs.send(new CreateServiceCommand({ cluster: 'more', serviceName: 'scaled', taskDefinition: 'more-app', desiredCount: 1 }));
    const resource = { ServiceNamespace: 'ecs' as const, ResourceId: 'service/more/scaled', ScalableDimension: 'ecs:service:DesiredCount' as const };
    const { ScalableTargetARN: targetArn = '' } = await scaling.send(new RegisterScalableTargetCommand({ ...resource, MinCapacity: 1, MaxCapacity: 3, Tags: { team: 'web' } }));

    assert.deepEqual((await scaling.send(new ListScalingTagsCommand({ ResourceARN: targetArn }))).Tags, { team: 'web' });
    await scaling.send(new TagScalingCommand({ ResourceARN: targetArn, Tags: { env: 'test' } }));
    await scaling.send(new UntagScalingCommand({ ResourceARN: targetArn, TagKeys: ['team'] }));
    assert.deepEqual((await scaling.send(new ListScalingTagsCommand({ ResourceARN: targetArn }))).Tags, { env: 'test' });
    const noTarget = await failure(scaling.send(new ListScalingTagsCommand({ ResourceARN: `${targetArn}0` })));
    assert.ok(noTarget instanceof ScalingResourceNotFoundException, `${noTarget.name}: ${noTarget.message}`);

    // Due three seconds from now (at(...) has seconds), in UTC; and one every day at 03:00 in Paris.
    const due = Date.now() + 3000;
    await scaling.send(new PutScheduledActionCommand({ ...resource, ScheduledActionName: 'soon', Schedule: `at(${wallUtc(due)})`, ScalableTargetAction: { MinCapacity: 2, MaxCapacity: 4 } }));
    await scaling.send(new PutScheduledActionCommand({ ...resource, ScheduledActionName: 'nightly', Schedule: 'cron(0 3 * * ? *)', Timezone: 'Europe/Paris', StartTime: new Date(Date.now() + 86_400_000), ScalableTargetAction: { MaxCapacity: 2 } }));
    const actions = await scaling.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/more/scaled' }));
    assert.deepEqual(actions.ScheduledActions?.map((a) => [a.ScheduledActionName, a.Timezone]), [['nightly', 'Europe/Paris'], ['soon', 'UTC']]);
    recentDate(actions.ScheduledActions?.[1]?.CreationTime, 'CreationTime');
    assert.ok(actions.ScheduledActions?.[0]?.StartTime instanceof Date);

    const fired = await waitFor('the scheduled action to set min 2 and scale the service to 2', async () => {
      const target = (await scaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: ['service/more/scaled'] }))).ScalableTargets?.[0];
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'more', services: ['scaled'] }))).services?.[0];
      return target?.MinCapacity === 2 && target.MaxCapacity === 4 && service?.desiredCount === 2 ? target : undefined;
    }, { timeoutMs: 20_000 });
    assert.equal(fired.MinCapacity, 2);
    assert.ok(Date.now() >= due - 1000, 'not before its time');
    const activities = (await scaling.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/more/scaled' }))).ScalingActivities ?? [];
    assert.match(activities[0]?.Cause ?? '', /scheduled action name soon was triggered/);
    assert.match(activities[0]?.Description ?? '', /Setting min capacity to 2 and max capacity to 4/);

    const badSchedule = await failure(scaling.send(new PutScheduledActionCommand({ ...resource, ScheduledActionName: 'bad', Schedule: 'cron(0 3 * * * *)', ScalableTargetAction: { MinCapacity: 1 } })));
    assert.ok(badSchedule instanceof ValidationException, `${badSchedule.name}: ${badSchedule.message}`);
    assert.match(badSchedule.message, /Schedule/);
    const badZone = await failure(scaling.send(new PutScheduledActionCommand({ ...resource, ScheduledActionName: 'bad', Schedule: 'rate(1 minute)', Timezone: 'Mars/Olympus', ScalableTargetAction: { MinCapacity: 1 } })));
    assert.match(badZone.message, /Timezone/);

    await scaling.send(new DeleteScheduledActionCommand({ ...resource, ScheduledActionName: 'soon' }));
    const noAction = await failure(scaling.send(new DeleteScheduledActionCommand({ ...resource, ScheduledActionName: 'soon' })));
    assert.ok(noAction instanceof ObjectNotFoundException, `${noAction.name}: ${noAction.message}`);

    await scaling.send(new PutScalingPolicyCommand({ ...resource, PolicyName: 'cpu', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } } }));
    await scaling.send(new DeleteScalingPolicyCommand({ ...resource, PolicyName: 'cpu' }));
    assert.deepEqual((await scaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/more/scaled' }))).ScalingPolicies, []);
    const noPolicy = await failure(scaling.send(new DeleteScalingPolicyCommand({ ...resource, PolicyName: 'cpu' })));
    assert.ok(noPolicy instanceof ObjectNotFoundException, `${noPolicy.name}: ${noPolicy.message}`);

    await scaling.send(new PutScalingPolicyCommand({ ...resource, PolicyName: 'cpu', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } } }));
    await scaling.send(new DeregisterScalableTargetCommand(resource));
    assert.deepEqual((await scaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: ['service/more/scaled'] }))).ScalableTargets, []);
    assert.deepEqual((await scaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/more/scaled' }))).ScalingPolicies, [], 'its policies went with it');
    assert.deepEqual((await scaling.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/more/scaled' }))).ScheduledActions, [], 'and its scheduled actions');
    const again = await failure(scaling.send(new DeregisterScalableTargetCommand(resource)));
    assert.ok(again instanceof ObjectNotFoundException, `${again.name}: ${again.message}`);
  });

  test('DeregisterContainerInstance: refused with tasks unless forced; forced, its tasks are STOPPED and the instance INACTIVE', async () => {
    const [, b = ''] = instances;
    const started = await ecs.send(new StartTaskCommand({ cluster: 'more', taskDefinition: 'more-app', containerInstances: [b] }));
    const taskArn = started.tasks?.[0]?.taskArn ?? '';
    const refused = await failure(ecs.send(new DeregisterContainerInstanceCommand({ cluster: 'more', containerInstance: b })));
    assert.ok(refused instanceof InvalidParameterException, `${refused.name}: ${refused.message}`);
    assert.match(refused.message, /force/);
    const forced = await ecs.send(new DeregisterContainerInstanceCommand({ cluster: 'more', containerInstance: b, force: true }));
    assert.equal(forced.containerInstance?.status, 'INACTIVE');
    recentDate(forced.containerInstance?.registeredAt, 'registeredAt');
    const task = (await ecs.send(new DescribeTasksCommand({ cluster: 'more', tasks: [taskArn] }))).tasks?.[0];
    assert.deepEqual([task?.lastStatus, task?.stoppedReason], ['STOPPED', `Container instance ${b.split('/').pop()} was deregistered`]);
    const twice = await failure(ecs.send(new DeregisterContainerInstanceCommand({ cluster: 'more', containerInstance: b })));
    assert.ok(twice instanceof InvalidParameterException, `${twice.name}: ${twice.message}`);
  });
});
