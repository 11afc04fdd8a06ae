// The AWS CLI v2 (Debian's awscli), unmodified, against a controller with a real router (node data
// plane) and a real target (an HTTP server in this process): its ELBv2 waiters, the CLI's own polls
// of DescribeTargetHealth (`target-in-service`, `target-deregistered`) and DescribeLoadBalancers
// (`load-balancer-exists`, `load-balancer-available`, `load-balancers-deleted`), each started
// before the change it waits for, and a waiter that gives up.
//
// The waiters poll every 15 s. To keep the suite short, the CLI reads a copy of its own
// waiters-2.json with `delay` 1 s and `maxAttempts` 6 (fastWaiters: AWS_DATA_PATH, botocore's
// model search path, ahead of the built-in data): the acceptors, which read Wharf's answers, are
// the CLI's.
// One call with the built-in file checks the copy changes nothing else.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { before, describe, test } from 'node:test';
import type { AwsCli, AwsCliResult } from '../support/aws.js';
import { awsCli, awsSucceeded, fastWaiters } from '../support/aws.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { startTestRouter } from '../support/router.js';
import type { RunningRouter } from '../../src/router/start.js';
import { freePort, startHttpTarget } from '../support/net.js';
import { credentialsFor } from '../support/signing.js';
import { suiteScope } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

const FAST_MAX_ATTEMPTS = 6;

describe("the AWS CLI's ELBv2 waiters against Wharf, with a router and a target", () => {
  const scope = suiteScope();
  let api: TestController;
  let router: RunningRouter;
  let aws: AwsCli;
  let fast: Record<string, string>;

  before(async () => {
    api = await startTestController(scope);
    router = await startTestRouter(scope, api);
    aws = await awsCli(scope, api.url, credentialsFor(api.url)!, { timeoutMs: 90_000 });
    fast = await fastWaiters(scope, ['elbv2'], { exactly: FAST_MAX_ATTEMPTS });
  });

  /** Starts a waiter (with the fast waiters file) and returns its outcome, with how long it took. */
  function startWaiter(args: readonly string[]): Promise<{ res: AwsCliResult; ms: number }> {
    const started = Date.now();
    return aws.run(['elbv2', 'wait', ...args], { env: fast }).then((res) => ({ res, ms: Date.now() - started }));
  }

  const health = async (groupArn: string, port: number) =>
    (await aws.ok(['elbv2', 'describe-target-health', '--target-group-arn', groupArn, '--targets', `Id=127.0.0.1,Port=${port}`])).TargetHealthDescriptions[0].TargetHealth.State;

  test('target-in-service waits for a registered target to pass its checks; target-deregistered for it to leave; a target that never passes makes the waiter give up', async () => {
    const group = (await aws.ok(['elbv2', 'create-target-group', '--name', 'cli-waits', '--protocol', 'HTTP', '--port', '80', '--health-check-path', '/', '--health-check-interval-seconds', '6', '--health-check-timeout-seconds', '2', '--healthy-threshold-count', '2'])).TargetGroups[0];
    const arn = group.TargetGroupArn;
    const port = await freePort();
    await aws.ok(['elbv2', 'register-targets', '--target-group-arn', arn, '--targets', `Id=127.0.0.1,Port=${port}`]);

    // Nothing listens on the target's port yet: the waiter polls until the target comes up and passes.
    const inService = startWaiter(['target-in-service', '--target-group-arn', arn, '--targets', `Id=127.0.0.1,Port=${port}`]);
    await delay(2_000);
    assert.notEqual(await health(arn, port), 'healthy', 'not healthy before the target listens');
    await startHttpTarget(scope, (_req, res) => res.end('ok'), port);
    const waited = await inService;
    awsSucceeded(['elbv2', 'wait', 'target-in-service'], waited.res);
    assert.ok(waited.ms >= 2_000, `the waiter polled until the target was healthy (${waited.ms} ms)`);
    assert.equal(await health(arn, port), 'healthy');
    const lb = (await aws.ok(['elbv2', 'create-load-balancer', '--name', 'cli-targets'])).LoadBalancers[0];
    await aws.ok(['elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'HTTP', '--port', '80', '--default-actions', `Type=forward,TargetGroupArn=${arn}`]);
    await waitFor('the router to forward to the target', async () => (await fetch(`http://127.0.0.1:${router.address(80)?.port ?? 1}/`).then((r) => r.text(), () => '')) === 'ok');

    // target-deregistered: waiting while the target is registered, done once it is not.
    const deregistered = startWaiter(['target-deregistered', '--target-group-arn', arn, '--targets', `Id=127.0.0.1,Port=${port}`]);
    await delay(2_000);
    await aws.ok(['elbv2', 'deregister-targets', '--target-group-arn', arn, '--targets', `Id=127.0.0.1,Port=${port}`]);
    const gone = await deregistered;
    awsSucceeded(['elbv2', 'wait', 'target-deregistered'], gone.res);
    assert.ok(gone.ms >= 2_000, `the waiter polled until the target was deregistered (${gone.ms} ms)`);
    assert.equal(await health(arn, port), 'unused');

    // A target nothing answers on never passes: the waiter gives up after its attempts.
    const dead = await freePort();
    await aws.ok(['elbv2', 'register-targets', '--target-group-arn', arn, '--targets', `Id=127.0.0.1,Port=${dead}`]);
    const never = await startWaiter(['target-in-service', '--target-group-arn', arn, '--targets', `Id=127.0.0.1,Port=${dead}`]);
    assert.notEqual(never.res.code, 0, 'the waiter fails');
    assert.match(never.res.stderr, /Waiter TargetInService failed: Max attempts exceeded/);
    await aws.ok(['elbv2', 'delete-load-balancer', '--load-balancer-arn', lb.LoadBalancerArn]);
    await aws.ok(['elbv2', 'deregister-targets', '--target-group-arn', arn, '--targets', `Id=127.0.0.1,Port=${dead}`]);
    await aws.ok(['elbv2', 'delete-target-group', '--target-group-arn', arn]);
  });

  test('load-balancer-exists, load-balancer-available and load-balancers-deleted follow a load balancer the CLI creates and deletes', async () => {
    const exists = startWaiter(['load-balancer-exists', '--names', 'cli-lb']);
    await delay(2_000);
    const created = (await aws.ok(['elbv2', 'create-load-balancer', '--name', 'cli-lb', '--subnets', 'subnet-a', 'subnet-b', '--security-groups', 'sg-1', '--tags', 'Key=team,Value=web'])).LoadBalancers[0];
    const found = await exists;
    awsSucceeded(['elbv2', 'wait', 'load-balancer-exists'], found.res);
    assert.ok(found.ms >= 2_000, `the waiter retried on LoadBalancerNotFound (${found.ms} ms)`);
    // The CLI's own waiters file (15 s between polls): the first poll succeeds.
    await aws.ok(['elbv2', 'wait', 'load-balancer-exists', '--names', 'cli-lb']);

    const group = (await aws.ok(['elbv2', 'create-target-group', '--name', 'cli-lb-web', '--protocol', 'HTTP', '--port', '80'])).TargetGroups[0];
    const port = await freePort();
    await aws.ok(['elbv2', 'create-listener', '--load-balancer-arn', created.LoadBalancerArn, '--protocol', 'HTTP', '--port', String(port), '--default-actions', `Type=forward,TargetGroupArn=${group.TargetGroupArn}`]);
    await aws.ok(['elbv2', 'wait', 'load-balancer-available', '--names', 'cli-lb'], { env: fast });
    const described = (await aws.ok(['elbv2', 'describe-load-balancers', '--names', 'cli-lb'])).LoadBalancers[0];
    assert.equal(described.State.Code, 'active');
    assert.ok(router.address(port), `the router serves the listener's port ${port}`);
    assert.deepEqual((await aws.ok(['elbv2', 'describe-tags', '--resource-arns', created.LoadBalancerArn])).TagDescriptions[0].Tags, [{ Key: 'team', Value: 'web' }]);

    const deleted = startWaiter(['load-balancers-deleted', '--names', 'cli-lb']);
    await delay(2_000);
    await aws.ok(['elbv2', 'delete-load-balancer', '--load-balancer-arn', created.LoadBalancerArn]);
    const done = await deleted;
    awsSucceeded(['elbv2', 'wait', 'load-balancers-deleted'], done.res);
    assert.ok(done.ms >= 2_000, `the waiter retried while the load balancer was active (${done.ms} ms)`);
    await aws.fails(['elbv2', 'describe-load-balancers', '--names', 'cli-lb'], /An error occurred \(LoadBalancerNotFound\) when calling the DescribeLoadBalancers operation/);
    await waitFor(`the router to stop serving port ${port}`, () => router.address(port) === undefined);
    await aws.ok(['elbv2', 'delete-target-group', '--target-group-arn', group.TargetGroupArn]);
  });
});
