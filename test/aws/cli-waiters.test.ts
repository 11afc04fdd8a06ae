// The AWS CLI v2 (Debian's awscli), unmodified, against a controller with an agent: its ECS
// waiters (`aws ecs wait services-stable | services-inactive | tasks-running | tasks-stopped`, the
// CLI's own polls of DescribeServices and DescribeTasks), tagging and a scheduled action through
// the CLI, and bad input printed as the models' exceptions.
//
// The waiters poll every 15 s (services) and 6 s (tasks). To keep the suite short, the CLI reads
// a copy of its own waiters-2.json with only `delay` set to 1 s (fastWaiters: AWS_DATA_PATH,
// botocore's model search path, ahead of the built-in data): the acceptors, which read Wharf's
// fields, are the CLI's.
// One call with the built-in file checks the copy changes nothing else.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { AwsCli } from '../support/aws.js';
import { awsCli, fastWaiters } from '../support/aws.js';
import type { TestCluster } from '../support/cluster.js';
import { appTaskDefinition, startTestCluster, writeTestApp } from '../support/cluster.js';
import { credentialsFor } from '../support/signing.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

describe("the AWS CLI's ECS waiters and the new operations against Wharf", () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let aws: AwsCli;
  let fast: Record<string, string>;

  before(async () => {
    cluster = await startTestCluster(scope, { autoscalingPeriodMs: 500 });
    await cluster.api('POST', '/v1/clusters', { clusterName: 'waits' });
    await cluster.startAgent({ hostId: 'waits-host', cluster: 'waits', cpu: 4096, memory: 4096 });
    const app = await writeTestApp(await tempDir(scope));
    await cluster.api('POST', '/v1/task-definitions', appTaskDefinition('waits-app', app));
    aws = await awsCli(scope, cluster.controller.url, credentialsFor(cluster.controller.url)!, { timeoutMs: 90_000 });
    fast = await fastWaiters(scope, ['ecs']);
  });

  const describeService = async (name: string) => (await aws.ok(['ecs', 'describe-services', '--cluster', 'waits', '--services', name])).services[0];

  test('services-stable returns once the service runs its count on one deployment; a missing service fails at once', async () => {
    await aws.ok(['ecs', 'create-service', '--cluster', 'waits', '--service-name', 'web', '--task-definition', 'waits-app', '--desired-count', '2']);
    await aws.ok(['ecs', 'wait', 'services-stable', '--cluster', 'waits', '--services', 'web'], { env: fast });
    const after = await describeService('web');
    assert.deepEqual([after.runningCount, after.desiredCount, after.deployments.length], [2, 2, 1]);
    // The CLI's own waiters file, unchanged: stable now, so its first poll succeeds.
    await aws.ok(['ecs', 'wait', 'services-stable', '--cluster', 'waits', '--services', 'web']);
    await aws.fails(['ecs', 'wait', 'services-stable', '--cluster', 'waits', '--services', 'nothing'], /Waiter ServicesStable failed: .*MISSING/s, { env: fast });
  });

  test('tasks-running, then tasks-stopped after a stop', async () => {
    const run = await aws.ok(['ecs', 'run-task', '--cluster', 'waits', '--task-definition', 'waits-app', '--tags', 'key=team,value=web']);
    const taskArn: string = run.tasks[0].taskArn;
    await aws.ok(['ecs', 'wait', 'tasks-running', '--cluster', 'waits', '--tasks', taskArn], { env: fast });
    assert.equal((await aws.ok(['ecs', 'describe-tasks', '--cluster', 'waits', '--tasks', taskArn])).tasks[0].lastStatus, 'RUNNING');
    await aws.ok(['ecs', 'stop-task', '--cluster', 'waits', '--task', taskArn]);
    await aws.ok(['ecs', 'wait', 'tasks-stopped', '--cluster', 'waits', '--tasks', taskArn], { env: fast });
    assert.equal((await aws.ok(['ecs', 'describe-tasks', '--cluster', 'waits', '--tasks', taskArn])).tasks[0].lastStatus, 'STOPPED');
    await aws.fails(['ecs', 'wait', 'tasks-running', '--cluster', 'waits', '--tasks', taskArn], /Waiter TasksRunning failed: .*STOPPED/s, { env: fast });
  });

  test('services-inactive returns once a deleted service has stopped its tasks', async () => {
    await aws.ok(['ecs', 'delete-service', '--cluster', 'waits', '--service', 'web', '--force']);
    await aws.ok(['ecs', 'wait', 'services-inactive', '--cluster', 'waits', '--services', 'web'], { env: fast });
    assert.equal((await describeService('web')).status, 'INACTIVE');
  });

  test('tags, cluster settings and a scheduled action through the CLI; bad input as the models name it', async () => {
    const clusterArn: string = (await aws.ok(['ecs', 'update-cluster-settings', '--cluster', 'waits', '--settings', 'name=containerInsights,value=enabled'])).cluster.clusterArn;
    await aws.ok(['ecs', 'tag-resource', '--resource-arn', clusterArn, '--tags', 'key=team,value=web', 'key=env,value=test']);
    await aws.ok(['ecs', 'untag-resource', '--resource-arn', clusterArn, '--tag-keys', 'env']);
    assert.deepEqual((await aws.ok(['ecs', 'list-tags-for-resource', '--resource-arn', clusterArn])).tags, [{ key: 'team', value: 'web' }]);
    await aws.fails(['ecs', 'tag-resource', '--resource-arn', clusterArn.replace(/waits$/, 'nowhere'), '--tags', 'key=a,value=b'], /An error occurred \(ClusterNotFoundException\) when calling the TagResource operation.*: Cluster "nowhere" does not exist/);

    await aws.ok(['ecs', 'create-service', '--cluster', 'waits', '--service-name', 'night', '--task-definition', 'waits-app', '--desired-count', '0']);
    const scalable = ['--service-namespace', 'ecs', '--resource-id', 'service/waits/night', '--scalable-dimension', 'ecs:service:DesiredCount'];
    await aws.ok(['application-autoscaling', 'register-scalable-target', ...scalable, '--min-capacity', '0', '--max-capacity', '2']);
    const due = new Date(Date.now() + 4000).toISOString().slice(0, 19);
    await aws.ok(['application-autoscaling', 'put-scheduled-action', ...scalable, '--scheduled-action-name', 'wake', '--schedule', `at(${due})`, '--scalable-target-action', 'MinCapacity=1,MaxCapacity=2']);
    const listed = await aws.ok(['application-autoscaling', 'describe-scheduled-actions', '--service-namespace', 'ecs', '--resource-id', 'service/waits/night']);
    assert.equal(listed.ScheduledActions[0].Schedule, `at(${due})`);
    const native = async () => (await cluster.api('POST', '/v1/services/describe', { cluster: 'waits', services: ['night'] })).services[0];
    await waitFor('the scheduled action to scale the service to 1', async () => (await native()).desiredCount === 1, { timeoutMs: 20_000 });
    const activities = await aws.ok(['application-autoscaling', 'describe-scaling-activities', '--service-namespace', 'ecs', '--resource-id', 'service/waits/night']);
    assert.match(activities.ScalingActivities[0].Cause, /scheduled action name wake was triggered/);
    await aws.fails(['application-autoscaling', 'put-scheduled-action', ...scalable, '--scheduled-action-name', 'bad', '--schedule', 'cron(0 3 * * * *)', '--scalable-target-action', 'MinCapacity=1'], /An error occurred \(ValidationException\) when calling the PutScheduledAction operation.*Schedule: cron: exactly one of day-of-month and day-of-week must be "\?"/s);
    await aws.fails(['application-autoscaling', 'delete-scheduled-action', ...scalable, '--scheduled-action-name', 'nothing'], /An error occurred \(ObjectNotFoundException\) when calling the DeleteScheduledAction operation/);
    await aws.ok(['application-autoscaling', 'deregister-scalable-target', ...scalable]);
  });
});
