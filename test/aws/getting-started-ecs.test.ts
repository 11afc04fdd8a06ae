// AWS's ECS getting-started flow ("Creating an Amazon ECS service behind a load balancer with the
// AWS CLI"), as a script of `/usr/bin/aws` calls only, against a controller, an agent (process
// driver, joined to the cluster once it exists, as an EC2 instance would) and a router: create a
// cluster, register the documentation's task definition shape (the image is the process driver's,
// the command the test app), a load balancer (`aws elbv2 wait load-balancer-available`), a target
// group and a listener on the load balancer, a service behind the target group, `aws ecs wait
// services-stable`, curl the app through the router on the listener's port, a new revision, a
// scale-out, the service deleted and the cluster with it, the load balancer deleted with its
// listener. The CLI's waiters poll every second (fastWaiters).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { before, describe, test } from 'node:test';
import type { AwsCli } from '../support/aws.js';
import { awsCli, fastWaiters } from '../support/aws.js';
import type { TestAgent, TestCluster } from '../support/cluster.js';
import { startTestCluster, writeTestApp } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { credentialsFor } from '../support/signing.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

const run = promisify(execFile);

/** The task definition of the documentation's walkthrough (EC2 launch type, bridge mode, dynamic host port), on the test app. */
function taskDefinition(app: string, revision: string): Record<string, unknown> {
  return {
    family: 'getting-started',
    networkMode: 'bridge',
    requiresCompatibilities: ['EC2'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'web',
        image: 'wharf/process',
        essential: true,
        cpu: 128,
        memory: 128,
        command: [process.execPath, app],
        portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }],
        environment: [{ name: 'REVISION', value: revision }],
        stopTimeout: 5,
      },
    ],
  };
}

describe("AWS's ECS getting-started flow through the AWS CLI", () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let aws: AwsCli;
  let waiters: Record<string, string>;
  let routerPort: () => number | undefined;
  let folder: string;

  before(async () => {
    cluster = await startTestCluster(scope, { serviceSettleMs: 200 });
    const router = await startTestRouter(scope, cluster.controller);
    routerPort = () => router.address(80)?.port;
    aws = await awsCli(scope, cluster.controller.url, credentialsFor(cluster.controller.url)!);
    waiters = await fastWaiters(scope, ['ecs', 'elbv2'], 60);
    folder = await tempDir(scope);
  });

  /** A call that must succeed: its parsed JSON output. */
  async function ok(args: readonly string[], env?: Record<string, string>): Promise<any> {
    const res = await aws.run(args, { env, timeoutMs: 90_000 });
    assert.equal(res.code, 0, `aws ${args.join(' ')}: ${res.stderr}`);
    return res.json;
  }

  /** `curl -s http://127.0.0.1:<router>/env/REVISION`: the revision answering through the router. */
  async function curlRevision(): Promise<string> {
    const port = routerPort();
    if (port === undefined) return '';
    const { stdout } = await run('/usr/bin/curl', ['-s', '--max-time', '5', `http://127.0.0.1:${port}/env/REVISION`]);
    return stdout;
  }

  test('cluster, task definition, load balancer, target group, listener, service, waits, a new revision, a scale-out, deletes', async () => {
    const created = (await ok(['ecs', 'create-cluster', '--cluster-name', 'getting-started'])).cluster;
    assert.equal(created.status, 'ACTIVE');
    assert.match(created.clusterArn, /:cluster\/getting-started$/);
    // The container instance joins the cluster it names (ECS_CLUSTER), once the cluster exists.
    const agent: TestAgent = await cluster.startAgent({ hostId: 'gs-host', cluster: 'getting-started', cpu: 4096, memory: 4096 });
    const app = await writeTestApp(await tempDir(scope));
    const file = path.join(folder, 'task-definition.json');
    await writeFile(file, JSON.stringify(taskDefinition(app, '1')));
    // Independent calls side by side: each is a second or more of the CLI's start-up.
    const [instances, first, group, loadBalancer] = await Promise.all([
      ok(['ecs', 'list-container-instances', '--cluster', 'getting-started']).then((r) => r.containerInstanceArns as string[]),
      ok(['ecs', 'register-task-definition', '--cli-input-json', `file://${file}`]).then((r) => r.taskDefinition),
      ok([
        'elbv2', 'create-target-group', '--name', 'getting-started', '--protocol', 'HTTP', '--port', '80', '--vpc-id', 'vpc-0123456789abcdef0', '--target-type', 'instance',
        '--health-check-path', '/', '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2', '--healthy-threshold-count', '2', '--unhealthy-threshold-count', '2',
      ]).then((r) => r.TargetGroups[0]),
      ok([
        'elbv2', 'create-load-balancer', '--name', 'getting-started', '--subnets', 'subnet-0123456789abcdef0', 'subnet-0fedcba9876543210', '--security-groups', 'sg-0123456789abcdef0',
      ]).then((r) => r.LoadBalancers[0]),
    ]);
    assert.equal(instances.length, 1);
    assert.deepEqual([first.family, first.revision, first.status, first.networkMode, first.cpu, first.memory], ['getting-started', 1, 'ACTIVE', 'bridge', '256', '512']);
    assert.deepEqual(first.requiresCompatibilities, ['EC2']);
    assert.ok(Math.abs(Date.parse(first.registeredAt) - Date.now()) < 60_000, `registeredAt ${first.registeredAt}: epoch seconds the CLI read as a time`);

    assert.equal(group.Port, 80);
    const loadBalancerArn: string = loadBalancer.LoadBalancerArn;
    assert.match(loadBalancerArn, /:loadbalancer\/app\/getting-started\/[0-9a-f]{16}$/);
    assert.deepEqual([loadBalancer.LoadBalancerName, loadBalancer.Type, loadBalancer.Scheme], ['getting-started', 'application', 'internet-facing']);
    await Promise.all([
      ok(['elbv2', 'modify-target-group-attributes', '--target-group-arn', group.TargetGroupArn, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=1']),
      ok(['elbv2', 'wait', 'load-balancer-available', '--load-balancer-arns', loadBalancerArn], waiters),
    ]);
    const listener = (await ok(['elbv2', 'create-listener', '--load-balancer-arn', loadBalancerArn, '--protocol', 'HTTP', '--port', '80', '--default-actions', `Type=forward,TargetGroupArn=${group.TargetGroupArn}`])).Listeners[0];
    assert.equal(listener.Port, 80);
    assert.equal(listener.LoadBalancerArn, loadBalancerArn);

    const service = (
      await ok([
        'ecs', 'create-service', '--cluster', 'getting-started', '--service-name', 'web', '--task-definition', 'getting-started:1', '--desired-count', '2', '--launch-type', 'EC2',
        '--load-balancers', `targetGroupArn=${group.TargetGroupArn},containerName=web,containerPort=8080`,
        '--deployment-configuration', 'maximumPercent=200,minimumHealthyPercent=50', '--health-check-grace-period-seconds', '10',
      ])
    ).service;
    assert.deepEqual([service.serviceName, service.desiredCount, service.launchType], ['web', 2, 'EC2']);
    assert.equal(service.loadBalancers[0].targetGroupArn, group.TargetGroupArn);

    await ok(['ecs', 'wait', 'services-stable', '--cluster', 'getting-started', '--services', 'web'], waiters);
    await waitFor('revision 1 to answer through the router', async () => (await curlRevision()) === '1', { timeoutMs: 30_000 });
    const healthy = async (count: number) => {
      const health = (await ok(['elbv2', 'describe-target-health', '--target-group-arn', group.TargetGroupArn])).TargetHealthDescriptions;
      return health.length === count && health.every((d: any) => d.TargetHealth.State === 'healthy') ? health : undefined;
    };
    await waitFor('2 healthy targets', () => healthy(2), { timeoutMs: 30_000, intervalMs: 500 });

    // A new revision of the task definition, then the service moved to it.
    await writeFile(file, JSON.stringify(taskDefinition(app, '2')));
    assert.equal((await ok(['ecs', 'register-task-definition', '--cli-input-json', `file://${file}`])).taskDefinition.revision, 2);
    const updated = (await ok(['ecs', 'update-service', '--cluster', 'getting-started', '--service', 'web', '--task-definition', 'getting-started:2'])).service;
    assert.equal(updated.taskDefinition, first.taskDefinitionArn.replace(/:1$/, ':2'));
    await ok(['ecs', 'wait', 'services-stable', '--cluster', 'getting-started', '--services', 'web'], waiters);
    await waitFor('only revision 2 to answer through the router', async () => {
      const answers = await Promise.all([1, 2, 3, 4].map(() => curlRevision()));
      return answers.every((a) => a === '2');
    }, { timeoutMs: 30_000 });

    // Scale out to 3.
    await ok(['ecs', 'update-service', '--cluster', 'getting-started', '--service', 'web', '--desired-count', '3']);
    await ok(['ecs', 'wait', 'services-stable', '--cluster', 'getting-started', '--services', 'web'], waiters);
    await waitFor('3 healthy targets', () => healthy(3), { timeoutMs: 30_000, intervalMs: 500 });

    // Tear down: the service deleted (forced, so its tasks stop with it), the instance deregistered, the cluster deleted.
    const deleted = (await ok(['ecs', 'delete-service', '--cluster', 'getting-started', '--service', 'web', '--force'])).service;
    assert.equal(deleted.status, 'DRAINING');
    await ok(['ecs', 'wait', 'services-inactive', '--cluster', 'getting-started', '--services', 'web'], waiters);
    await waitFor('the router to have no target', async () => (await curlRevision()) !== '2' && (await healthy(0)) !== undefined, { timeoutMs: 30_000, intervalMs: 500 });

    // The instance goes away (its agent stops, as a terminated EC2 instance's), is deregistered, and the cluster deleted.
    agent.process.child.kill('SIGTERM');
    await agent.process.exited;
    await Promise.all([
      ok(['ecs', 'deregister-container-instance', '--cluster', 'getting-started', '--container-instance', instances[0]!, '--force']),
      ok(['ecs', 'deregister-task-definition', '--task-definition', 'getting-started:1']),
    ]);
    const gone = (await ok(['ecs', 'delete-cluster', '--cluster', 'getting-started'])).cluster;
    assert.equal(gone.status, 'INACTIVE');

    // The load balancer deleted takes its listener with it: the router stops serving its port.
    await ok(['elbv2', 'delete-load-balancer', '--load-balancer-arn', loadBalancerArn]);
    const [listenerGone] = await Promise.all([
      aws.run(['elbv2', 'describe-listeners', '--listener-arns', listener.ListenerArn], { timeoutMs: 90_000 }),
      ok(['elbv2', 'wait', 'load-balancers-deleted', '--load-balancer-arns', loadBalancerArn], waiters),
      ok(['elbv2', 'delete-target-group', '--target-group-arn', group.TargetGroupArn]),
    ]);
    assert.notEqual(listenerGone.code, 0);
    assert.match(listenerGone.stderr, /ListenerNotFound/);
    await waitFor("the router to stop serving the listener's port", async () => routerPort() === undefined, { timeoutMs: 30_000 });
  });
});
