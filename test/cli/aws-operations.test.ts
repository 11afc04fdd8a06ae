// The `wharf` CLI's AWS-named commands for the operations added with the AWS endpoint (load
// balancers and their waiters, tags, cluster settings, scheduled actions, platforms): each is a
// command because the CLI reads its options from the same table the endpoint serves. Real
// controller, real router, `wharf` as a child process.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { CliResult } from '../support/cli.js';
import { runWharf } from '../support/cli.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { freePort } from '../support/net.js';
import type { RunningRouter } from '../../src/router/start.js';
import { startTestRouter } from '../support/router.js';
import { suiteScope } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

/** Polls of the waiters every 0.2 s instead of AWS's 15 s. */
const FAST = { WHARF_WAIT_DELAY_SECONDS: '0.2' };

/** A command that must succeed: its answer as JSON (an empty answer prints nothing, as the AWS CLI's). */
function json(result: CliResult, what: string): any {
  assert.equal(result.code, 0, `${what}:\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout);
}

describe("the wharf CLI's commands for the AWS endpoint's newer operations", { concurrency: true }, () => {
  const scope = suiteScope();
  let api: TestController;
  let router: RunningRouter;
  let wharf: (args: readonly string[], env?: Record<string, string>) => Promise<CliResult>;

  before(async () => {
    api = await startTestController(scope);
    router = await startTestRouter(scope, api);
    wharf = (args, env) => runWharf(['--endpoint', api.url, '--output', 'json', ...args], env ? { env } : {});
  });

  test('elbv2: a load balancer made by the CLI, waited for until the router serves it, tagged, deleted and waited for again', async () => {
    // --subnets and --security-groups are AWS's, accepted and not acted on (no VPCs here).
    const lb = json(await wharf(['elbv2', 'create-load-balancer', '--name', 'cli-ops', '--subnets', 'subnet-a', 'subnet-b', '--security-groups', 'sg-1', '--tags', 'Key=team,Value=web']), 'create-load-balancer').LoadBalancers[0];
    assert.equal(lb.LoadBalancerName, 'cli-ops');
    const group = json(await wharf(['elbv2', 'create-target-group', '--name', 'cli-ops-web', '--protocol', 'HTTP', '--port', '80']), 'create-target-group').TargetGroups[0];
    const port = await freePort();
    const listener = json(
      await wharf(['elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'HTTP', '--port', String(port), '--default-actions', `Type=forward,TargetGroupArn=${group.TargetGroupArn}`]),
      'create-listener',
    ).Listeners[0];
    const available = await wharf(['elbv2', 'wait', 'load-balancer-available', '--names', 'cli-ops'], FAST);
    assert.equal(available.code, 0, available.stderr);
    const state = await wharf(['elbv2', 'describe-load-balancers', '--names', 'cli-ops', '--query', 'LoadBalancers[0].State.Code', '--output', 'text']);
    assert.equal(state.stdout.trim(), 'active', state.stderr);
    assert.ok(router.address(listener.Port), `the router serves the listener's port ${listener.Port}`);

    json(await wharf(['elbv2', 'add-tags', '--resource-arns', lb.LoadBalancerArn, '--tags', 'Key=env,Value=test']), 'add-tags');
    json(await wharf(['elbv2', 'remove-tags', '--resource-arns', lb.LoadBalancerArn, '--tag-keys', 'team']), 'remove-tags');
    assert.deepEqual(json(await wharf(['elbv2', 'describe-tags', '--resource-arns', lb.LoadBalancerArn]), 'describe-tags').TagDescriptions[0].Tags, [{ Key: 'env', Value: 'test' }]);
    const attributes = json(await wharf(['elbv2', 'modify-load-balancer-attributes', '--load-balancer-arn', lb.LoadBalancerArn, '--attributes', 'Key=idle_timeout.timeout_seconds,Value=30']), 'modify attributes').Attributes;
    assert.ok(attributes.some((a: { Key: string; Value: string }) => a.Key === 'idle_timeout.timeout_seconds' && a.Value === '30'), JSON.stringify(attributes));

    json(await wharf(['elbv2', 'delete-load-balancer', '--load-balancer-arn', lb.LoadBalancerArn]), 'delete-load-balancer');
    const gone = await wharf(['elbv2', 'wait', 'load-balancers-deleted', '--names', 'cli-ops'], FAST);
    assert.equal(gone.code, 0, gone.stderr);
    await waitFor(`the router to stop serving port ${listener.Port}`, () => router.address(listener.Port) === undefined);
    const missing = await wharf(['elbv2', 'describe-listeners', '--listener-arns', listener.ListenerArn]);
    assert.equal(missing.code, 1, 'the listener went with its load balancer');
    json(await wharf(['elbv2', 'delete-target-group', '--target-group-arn', group.TargetGroupArn]), 'delete-target-group');
  });

  test('ecs: tags on a cluster, its settings, and a service deployment listed', async () => {
    const cluster = json(await wharf(['ecs', 'create-cluster', '--cluster-name', 'cli-ops']), 'create-cluster').cluster;
    json(await wharf(['ecs', 'tag-resource', '--resource-arn', cluster.clusterArn, '--tags', 'key=team,value=web', 'key=env,value=test']), 'tag-resource');
    json(await wharf(['ecs', 'untag-resource', '--resource-arn', cluster.clusterArn, '--tag-keys', 'env']), 'untag-resource');
    assert.deepEqual(json(await wharf(['ecs', 'list-tags-for-resource', '--resource-arn', cluster.clusterArn]), 'list-tags').tags, [{ key: 'team', value: 'web' }]);
    const updated = json(await wharf(['ecs', 'update-cluster-settings', '--cluster', 'cli-ops', '--settings', 'name=containerInsights,value=enabled']), 'update-cluster-settings').cluster;
    assert.deepEqual(updated.settings, [{ name: 'containerInsights', value: 'enabled' }]);

    json(await wharf(['ecs', 'register-task-definition', '--family', 'cli-ops', '--container-definitions', JSON.stringify([{ name: 'app', image: 'wharf/process', memory: 32, command: ['node', '-e', '0'] }])]), 'register');
    json(await wharf(['ecs', 'create-service', '--cluster', 'cli-ops', '--service-name', 'idle', '--task-definition', 'cli-ops', '--desired-count', '0']), 'create-service');
    const deployments = json(await wharf(['ecs', 'list-service-deployments', '--cluster', 'cli-ops', '--service', 'idle']), 'list-service-deployments').serviceDeployments;
    assert.equal(deployments.length, 1, JSON.stringify(deployments));
  });

  test('application-autoscaling: a scheduled action put, described and deleted', async () => {
    json(await wharf(['ecs', 'create-cluster', '--cluster-name', 'cli-scale']), 'create-cluster');
    json(await wharf(['ecs', 'register-task-definition', '--family', 'cli-scale', '--container-definitions', JSON.stringify([{ name: 'app', image: 'wharf/process', memory: 32, command: ['node', '-e', '0'] }])]), 'register');
    json(await wharf(['ecs', 'create-service', '--cluster', 'cli-scale', '--service-name', 'scaled', '--task-definition', 'cli-scale', '--desired-count', '0']), 'create-service');
    const target = ['--service-namespace', 'ecs', '--resource-id', 'service/cli-scale/scaled', '--scalable-dimension', 'ecs:service:DesiredCount'];
    json(await wharf(['application-autoscaling', 'register-scalable-target', ...target, '--min-capacity', '0', '--max-capacity', '3']), 'register-scalable-target');
    json(
      await wharf(['application-autoscaling', 'put-scheduled-action', ...target, '--scheduled-action-name', 'nightly', '--schedule', 'cron(0 3 * * ? *)', '--timezone', 'Europe/Paris', '--scalable-target-action', 'MinCapacity=1,MaxCapacity=2']),
      'put-scheduled-action',
    );
    const actions = json(await wharf(['application-autoscaling', 'describe-scheduled-actions', '--service-namespace', 'ecs', '--resource-id', 'service/cli-scale/scaled']), 'describe').ScheduledActions;
    assert.deepEqual(
      actions.map((a: { ScheduledActionName: string; ScalableTargetAction: unknown }) => [a.ScheduledActionName, a.ScalableTargetAction]),
      [['nightly', { MinCapacity: 1, MaxCapacity: 2 }]],
    );
    json(await wharf(['application-autoscaling', 'delete-scheduled-action', ...target, '--scheduled-action-name', 'nightly']), 'delete-scheduled-action');
    assert.deepEqual(json(await wharf(['application-autoscaling', 'describe-scheduled-actions', '--service-namespace', 'ecs']), 'describe').ScheduledActions, []);
  });

  test("elasticbeanstalk: this machine's platforms, solution stacks and a platform version described", async () => {
    const stacks = json(await wharf(['elasticbeanstalk', 'list-available-solution-stacks']), 'list-available-solution-stacks').SolutionStacks as string[];
    assert.ok(stacks.some((name) => /Node\.js/.test(name)), stacks.join('\n'));
    const versions = json(await wharf(['elasticbeanstalk', 'list-platform-versions', '--filters', 'Type=PlatformName,Operator=contains,Values=Node.js']), 'list-platform-versions').PlatformSummaryList;
    assert.ok(versions.length > 0, 'a Node.js platform version');
    const described = json(await wharf(['elasticbeanstalk', 'describe-platform-version', '--platform-arn', versions[0].PlatformArn]), 'describe-platform-version').PlatformDescription;
    assert.equal(described.PlatformArn, versions[0].PlatformArn);
    const bucket = json(await wharf(['elasticbeanstalk', 'create-storage-location']), 'create-storage-location').S3Bucket;
    assert.match(bucket, /^elasticbeanstalk-/);
  });
});
