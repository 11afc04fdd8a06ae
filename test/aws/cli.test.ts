// The AWS CLI v2 (Debian's awscli), unmodified, against a controller: a scripted ECS and
// Application Auto Scaling flow, bad input printed as the model's exceptions. Each call is a child
// process with a timeout; the CLI takes about a second per call, so the flow stays short and the
// SDK tests (sdk.test.ts) cover breadth.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { AwsCli } from '../support/aws.js';
import { awsCliOnTestController } from '../support/aws.js';
import { suiteScope } from '../support/temp.js';

/** A CLI timestamp (`2026-12-07T17:57:50.768000+00:00`) is within a minute of now. */
function recent(value: unknown): boolean {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Math.abs(ms - Date.now()) < 60_000;
}

/** Runs the calls two at a time, answers in their order. */
async function twoAtATime(calls: readonly (() => Promise<string>)[]): Promise<string[]> {
  const results: string[] = calls.map(() => '');
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < calls.length; i = next++) results[i] = await (calls[i] as () => Promise<string>)();
  };
  await Promise.all([lane(), lane()]);
  return results;
}

describe('the AWS CLI v2 against Wharf', () => {
  const scope = suiteScope();
  let aws: AwsCli;
  before(async () => {
    aws = await awsCliOnTestController(scope);
  });

  test('an ECS flow: cluster, task definition, service, auto scaling, and back', async () => {
    const cluster = (await aws.ok(['ecs', 'create-cluster', '--cluster-name', 'cli', '--tags', 'key=team,value=web'])).cluster;
    assert.equal(cluster.clusterName, 'cli');
    assert.deepEqual(cluster.tags, [{ key: 'team', value: 'web' }]);
    const described = await aws.ok(['ecs', 'describe-clusters', '--clusters', 'cli', 'nowhere']);
    assert.deepEqual(described.clusters.map((c: any) => c.status), ['ACTIVE']);
    assert.equal(described.failures[0].reason, 'MISSING');

    const containers = JSON.stringify([{ name: 'web', image: 'busybox', memory: 64, portMappings: [{ containerPort: 8080 }] }]);
    const registered = (await aws.ok(['ecs', 'register-task-definition', '--family', 'cli-web', '--container-definitions', containers])).taskDefinition;
    assert.equal(registered.revision, 1);
    assert.ok(recent(registered.registeredAt), `registeredAt ${registered.registeredAt} is a time the CLI parsed`);

    const service = (await aws.ok(['ecs', 'create-service', '--cluster', 'cli', '--service-name', 'web', '--task-definition', 'cli-web', '--desired-count', '0'])).service;
    assert.equal(service.status, 'ACTIVE');
    assert.ok(recent(service.createdAt), `createdAt ${service.createdAt}`);
    // propagateTags and enableECSManagedTags are in the model and not acted on: accepted, not refused.
    const updated = (await aws.ok(['ecs', 'update-service', '--cluster', 'cli', '--service', 'web', '--desired-count', '0', '--propagate-tags', 'SERVICE', '--enable-ecs-managed-tags'])).service;
    assert.equal(updated.desiredCount, 0);
    assert.ok(updated.deployments.every((d: any) => recent(d.createdAt) && recent(d.updatedAt)));

    const target = ['--service-namespace', 'ecs', '--resource-id', 'service/cli/web', '--scalable-dimension', 'ecs:service:DesiredCount'];
    // The CLI 2.9.19's model has no ScalableTargetARN in the answer yet: it prints nothing.
    await aws.ok(['application-autoscaling', 'register-scalable-target', ...target, '--min-capacity', '0', '--max-capacity', '2']);
    const targets = (await aws.ok(['application-autoscaling', 'describe-scalable-targets', '--service-namespace', 'ecs', '--resource-ids', 'service/cli/web', '--scalable-dimension', 'ecs:service:DesiredCount'])).ScalableTargets;
    assert.equal(targets.length, 1);
    assert.equal(targets[0].MaxCapacity, 2);
    assert.match(targets[0].RoleARN, /:role\/aws-service-role\/ecs\.application-autoscaling\.amazonaws\.com\/AWSServiceRoleForApplicationAutoScaling_ECSService$/);
    assert.ok(recent(targets[0].CreationTime), `CreationTime ${targets[0].CreationTime}`);

    assert.equal((await aws.ok(['ecs', 'delete-service', '--cluster', 'cli', '--service', 'web'])).service.status, 'DRAINING');
    assert.equal((await aws.ok(['ecs', 'delete-cluster', '--cluster', 'cli'])).cluster.status, 'INACTIVE');
  });

  test('bad input prints the exception the model names, with Wharf\'s message', async () => {
    const policy = ['--policy-name', 'p', '--service-namespace', 'ecs', '--resource-id', 'service/default/none', '--scalable-dimension', 'ecs:service:DesiredCount', '--policy-type', 'TargetTrackingScaling'];
    const config = JSON.stringify({ TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } });
    // Independent calls, two at a time (the machines have two cores): the CLI's start-up is most of each call's time.
    const [cluster = '', service = '', invalid = '', taskDefinition = '', scaling = '', unknown = '', wrongKey = ''] = await twoAtATime([
      () => aws.fails(['ecs', 'delete-cluster', '--cluster', 'nowhere'], 'ClusterNotFoundException'),
      () => aws.fails(['ecs', 'update-service', '--service', 'nothing', '--desired-count', '1'], 'ServiceNotFoundException'),
      () => aws.fails(['ecs', 'create-cluster', '--cluster-name', 'bad name!'], 'InvalidParameterException'),
      () => aws.fails(['ecs', 'describe-task-definition', '--task-definition', 'none:9'], 'ClientException'),
      () => aws.fails(['application-autoscaling', 'put-scaling-policy', ...policy, '--target-tracking-scaling-policy-configuration', config], 'ObjectNotFoundException'),
      () => aws.fails(['ecs', 'list-account-settings', '--effective-settings'], 'UnknownOperationException'),
      async () => (await aws.run(['ecs', 'list-clusters'], { env: { AWS_ACCESS_KEY_ID: 'AKIAAAAAAAAAAAAAAAAA', AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) } })).stderr,
    ]);
    assert.match(cluster, /Cluster "nowhere" does not exist/);
    assert.match(service, /Service "nothing" does not exist/);
    assert.match(invalid, /clusterName: A cluster name has/);
    assert.match(taskDefinition, /Task definition "none:9" was not found/);
    assert.match(scaling, /No scalable target is registered for service\/default\/none/);
    assert.match(unknown, /ListAccountSettings/);
    assert.match(wrongKey, /An error occurred \(UnrecognizedClientException\) when calling the ListClusters operation.*: The access key id AKIAAAAAAAAAAAAAAAAA/);
  });
});
