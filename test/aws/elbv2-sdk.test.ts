// The AWS SDK v3 ELBv2 client (@aws-sdk/client-elastic-load-balancing-v2), unmodified, against a
// controller in the Query protocol, with a real router (node data plane) and a real target (an
// HTTP server in this process): every ELBv2 operation Wharf has, old and new, the requests going
// through the router as the calls change it, and bad input answered with the models' error codes
// (the client's exception classes are the judge).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  SetRulePrioritiesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { startTestRouter } from '../support/router.js';
import type { RunningRouter } from '../../src/router/start.js';
import { freePort, startHttpTarget } from '../support/net.js';
import { sdkClient } from '../support/sdk.js';
import { suiteScope } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

/** GET through the router: status and body, or the connection error's code. */
async function get(port: number, path = '/'): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
    return { status: res.status, body: await res.text() };
  } catch (error) {
    return { error: String((error as { cause?: { code?: string } }).cause?.code ?? error) };
  }
}

/** Awaits a call that must fail with the client's exception `name` (and a message matching `message`). */
async function rejects(call: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(call, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name, `${error.name}: ${error.message}`);
    assert.ok(error.message.length > 0, 'the message is printed');
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('the SDK v3 ELBv2 client against Wharf, with a router and a target', () => {
  const scope = suiteScope();
  let api: TestController;
  let elb: ElasticLoadBalancingV2Client;
  let router: RunningRouter;
  let targetPort: number;

  before(async () => {
    api = await startTestController(scope);
    targetPort = await startHttpTarget(scope, (req, res) => res.end(`target saw ${req.url}`));
    router = await startTestRouter(scope, api);
    elb = sdkClient(scope, ElasticLoadBalancingV2Client, api.url);
  });

  const routerPort = () => router.address(80)!.port;

  test('a load balancer with listeners and rules on the routers forwards to a registered target; attributes, tags, priorities; deleted with its listeners', async () => {
    // Target group, its attributes, a target.
    const group = (await elb.send(new CreateTargetGroupCommand({ Name: 'sdk-web', Protocol: 'HTTP', Port: 80, HealthCheckPath: '/health', HealthCheckIntervalSeconds: 6, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, Tags: [{ Key: 'team', Value: 'web' }] }))).TargetGroups![0]!;
    assert.equal(group.TargetGroupName, 'sdk-web');
    assert.deepEqual(group.LoadBalancerArns, []);
    const attributes = (await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: group.TargetGroupArn }))).Attributes!;
    assert.equal(attributes.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value, '300');
    assert.equal(attributes.find((a) => a.Key === 'stickiness.enabled')?.Value, 'false');
    const modified = (await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: group.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '1' }, { Key: 'stickiness.enabled', Value: 'false' }] }))).Attributes!;
    assert.equal(modified.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value, '1');
    assert.equal((await elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: group.TargetGroupArn, HealthCheckPath: '/' }))).TargetGroups![0]!.HealthCheckPath, '/');
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: group.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: targetPort }] }));

    // The load balancer and its listener on the routers' port.
    const created = (await elb.send(new CreateLoadBalancerCommand({ Name: 'sdk-lb', Scheme: 'internet-facing', Type: 'application', Subnets: ['subnet-1', 'subnet-2'], SecurityGroups: ['sg-1'], Tags: [{ Key: 'team', Value: 'web' }] }))).LoadBalancers![0]!;
    assert.equal(created.LoadBalancerName, 'sdk-lb');
    assert.match(created.LoadBalancerArn!, /^arn:wharf:elasticloadbalancing:local:000000000000:loadbalancer\/app\/sdk-lb\/[0-9a-f]{16}$/);
    assert.equal(created.DNSName, '127.0.0.1', "the routers' address");
    assert.equal(created.Type, 'application');
    assert.ok(created.CreatedTime instanceof Date && Math.abs(created.CreatedTime.getTime() - Date.now()) < 60_000, 'CreatedTime parsed as a time');
    const lbArn = created.LoadBalancerArn!;
    const again = (await elb.send(new CreateLoadBalancerCommand({ Name: 'sdk-lb' }))).LoadBalancers![0]!;
    assert.equal(again.LoadBalancerArn, lbArn, 'idempotent for the same name and settings');

    const listener = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: group.TargetGroupArn }], Tags: [{ Key: 'tier', Value: 'front' }] }))).Listeners![0]!;
    assert.equal(listener.LoadBalancerArn, lbArn);
    assert.match(listener.ListenerArn!, /:listener\/app\/sdk-lb\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    const active = await waitFor('the load balancer to be active (the router serves its listener)', async () => {
      const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: ['sdk-lb'] }))).LoadBalancers![0]!;
      return lb.State?.Code === 'active' && lb;
    });
    assert.equal(active.LoadBalancerArn, lbArn);
    await waitFor('the target to be healthy', async () => (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn }))).TargetHealthDescriptions?.[0]?.TargetHealth?.State === 'healthy');
    const served = routerPort();
    assert.deepEqual(await get(served, '/hello'), { status: 200, body: 'target saw /hello' });

    assert.deepEqual((await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }))).TargetGroups!.map((g) => [g.TargetGroupArn, g.LoadBalancerArns]), [[group.TargetGroupArn, [lbArn]]]);
    assert.deepEqual((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners!.map((l) => l.ListenerArn), [listener.ListenerArn]);
    assert.deepEqual((await elb.send(new DescribeListenersCommand({ ListenerArns: [listener.ListenerArn!] }))).Listeners!.map((l) => l.Port), [80]);

    // ModifyListener: a fixed default answer, the rules still forward.
    const a = (await elb.send(new CreateRuleCommand({ ListenerArn: listener.ListenerArn, Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/a/*'] }], Actions: [{ Type: 'forward', TargetGroupArn: group.TargetGroupArn }], Tags: [{ Key: 'rule', Value: 'a' }] }))).Rules![0]!;
    const b = (await elb.send(new CreateRuleCommand({ ListenerArn: listener.ListenerArn, Priority: 20, Conditions: [{ Field: 'path-pattern', Values: ['/b/*'] }], Actions: [{ Type: 'forward', TargetGroupArn: group.TargetGroupArn }] }))).Rules![0]!;
    const fixed = (await elb.send(new ModifyListenerCommand({ ListenerArn: listener.ListenerArn, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'down for maintenance' } }] }))).Listeners![0]!;
    assert.equal(fixed.DefaultActions![0]!.Type, 'fixed-response');
    await waitFor('the fixed default answer', async () => JSON.stringify(await get(routerPort(), '/elsewhere')) === JSON.stringify({ status: 503, body: 'down for maintenance' }));
    assert.deepEqual(await get(routerPort(), '/a/x'), { status: 200, body: 'target saw /a/x' });

    // SetRulePriorities: the two rules swap, all at once; a clash is refused whole.
    const swapped = (await elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: a.RuleArn, Priority: 20 }, { RuleArn: b.RuleArn, Priority: 10 }] }))).Rules!;
    assert.deepEqual(swapped.map((r) => [r.RuleArn, r.Priority]), [[a.RuleArn, '20'], [b.RuleArn, '10']]);
    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!;
    assert.deepEqual(rules.map((r) => [r.RuleArn, r.Priority]), [[b.RuleArn, '10'], [a.RuleArn, '20']]);
    await rejects(elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: a.RuleArn, Priority: 10 }] })), 'PriorityInUseException', /Priority 10/);
    assert.deepEqual((await elb.send(new DescribeRulesCommand({ RuleArns: [a.RuleArn!] }))).Rules!.map((r) => r.Priority), ['20'], 'nothing changed');
    await elb.send(new ModifyRuleCommand({ RuleArn: a.RuleArn, Conditions: [{ Field: 'path-pattern', Values: ['/aa/*'] }] }));

    // Tags on each kind of resource.
    const arns = [lbArn, group.TargetGroupArn!, listener.ListenerArn!, a.RuleArn!];
    await elb.send(new AddTagsCommand({ ResourceArns: arns, Tags: [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'platform' }] }));
    const tagged = (await elb.send(new DescribeTagsCommand({ ResourceArns: arns }))).TagDescriptions!;
    assert.deepEqual(tagged.map((d) => d.ResourceArn), arns);
    assert.deepEqual(Object.fromEntries(tagged[0]!.Tags!.map((t) => [t.Key, t.Value])), { team: 'platform', env: 'test' }, "a key given again takes the new value");
    assert.deepEqual(Object.fromEntries(tagged[2]!.Tags!.map((t) => [t.Key, t.Value])), { tier: 'front', env: 'test', team: 'platform' }, "CreateListener's tags are kept");
    assert.deepEqual(Object.fromEntries(tagged[3]!.Tags!.map((t) => [t.Key, t.Value])), { rule: 'a', env: 'test', team: 'platform' }, "CreateRule's tags are kept");
    await elb.send(new RemoveTagsCommand({ ResourceArns: arns, TagKeys: ['env', 'absent'] }));
    assert.ok((await elb.send(new DescribeTagsCommand({ ResourceArns: arns }))).TagDescriptions!.every((d) => !d.Tags!.some((t) => t.Key === 'env')));
    await rejects(elb.send(new AddTagsCommand({ ResourceArns: [lbArn], Tags: [{ Key: 'x', Value: '1' }, { Key: 'x', Value: '2' }] })), 'DuplicateTagKeysException', /x/);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejects(elb.send(new AddTagsCommand({ ResourceArns: [b.RuleArn!, lbArn], Tags: many })), 'TooManyTagsException', /sdk-lb" would have 51 tags; it may have at most 50/);
    assert.deepEqual((await elb.send(new DescribeTagsCommand({ ResourceArns: [b.RuleArn!] }))).TagDescriptions![0]!.Tags, [], 'refused whole: the rule that had room did not change either');
    await rejects(elb.send(new DescribeTagsCommand({ ResourceArns: [lbArn.replace('sdk-lb', 'nowhere')] })), 'LoadBalancerNotFoundException');
    await rejects(elb.send(new RemoveTagsCommand({ ResourceArns: [`${listener.ListenerArn}0`], TagKeys: ['team'] })), 'ListenerNotFoundException');

    // Attributes: kept, returned; deletion protection acted on.
    const lbAttributes = (await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn }))).Attributes!;
    assert.equal(lbAttributes.find((x) => x.Key === 'idle_timeout.timeout_seconds')?.Value, '60');
    assert.equal(lbAttributes.find((x) => x.Key === 'deletion_protection.enabled')?.Value, 'false');
    const protectedLb = (await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }, { Key: 'idle_timeout.timeout_seconds', Value: '120' }, { Key: 'routing.http2.enabled', Value: 'false' }] }))).Attributes!;
    assert.equal(protectedLb.find((x) => x.Key === 'idle_timeout.timeout_seconds')?.Value, '120');
    assert.equal((await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn }))).Attributes!.find((x) => x.Key === 'routing.http2.enabled')?.Value, 'false');
    await rejects(elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lbArn })), 'OperationNotPermittedException', /deletion_protection\.enabled/);
    await rejects(elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '0' }] })), 'ValidationError', /idle_timeout\.timeout_seconds/);
    await rejects(elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn, Attributes: [{ Key: 'no.such.key', Value: 'x' }] })), 'ValidationError', /no\.such\.key/);
    await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'false' }] }));

    // A second listener on a port of its own: ModifyListener moves it, DeleteListener stops it.
    const [first, second] = [await freePort(), await freePort()];
    const extra = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Port: first, DefaultActions: [{ Type: 'forward', TargetGroupArn: group.TargetGroupArn }] }))).Listeners![0]!;
    await waitFor(`the router to serve port ${first}`, async () => JSON.stringify(await get(first, '/x')) === JSON.stringify({ status: 200, body: 'target saw /x' }));
    await rejects(elb.send(new ModifyListenerCommand({ ListenerArn: extra.ListenerArn, Port: 80 })), 'DuplicateListenerException', /port 80/);
    assert.equal((await elb.send(new ModifyListenerCommand({ ListenerArn: extra.ListenerArn, Port: second }))).Listeners![0]!.Port, second);
    await waitFor(`the router to serve port ${second}`, async () => JSON.stringify(await get(second, '/y')) === JSON.stringify({ status: 200, body: 'target saw /y' }));
    await elb.send(new DeleteListenerCommand({ ListenerArn: extra.ListenerArn }));
    await waitFor(`the router to stop serving port ${second}`, async () => 'error' in (await get(second)));
    await rejects(elb.send(new DescribeListenersCommand({ ListenerArns: [extra.ListenerArn!] })), 'ListenerNotFoundException');

    // A deregistered target is "unused" at once (the router drains it).
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: group.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: targetPort }] }));
    const gone = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: targetPort }] }))).TargetHealthDescriptions!;
    assert.deepEqual(gone.map((d) => [d.TargetHealth?.State, d.TargetHealth?.Reason]), [['unused', 'Target.NotRegistered']]);

    // Deleting the load balancer deletes its listener and rules; the routers stop serving them.
    await elb.send(new DeleteRuleCommand({ RuleArn: b.RuleArn }));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lbArn }));
    await rejects(elb.send(new DescribeLoadBalancersCommand({ Names: ['sdk-lb'] })), 'LoadBalancerNotFoundException', /sdk-lb/);
    await rejects(elb.send(new DescribeListenersCommand({ ListenerArns: [listener.ListenerArn!] })), 'ListenerNotFoundException');
    assert.deepEqual((await elb.send(new DescribeRulesCommand({}))).Rules, []);
    await waitFor('the router to stop serving port 80', async () => router.address(80) === undefined && 'error' in (await get(served, '/a/x')));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lbArn }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: group.TargetGroupArn }));
  });

  test('bad input gets the models\' error codes and changes nothing', async () => {
    const before = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!.length;
    await rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'nlb', Type: 'network' })), 'OperationNotPermittedException', /Type.*network/s);
    await rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'gwlb', Type: 'gateway' })), 'OperationNotPermittedException', /gateway/);
    await rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'bad name!' })), 'ValidationError', /Name/);
    await rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'internal-x' })), 'ValidationError', /internal-/);
    await rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'dual', IpAddressType: 'dualstack' })), 'ValidationError', /IpAddressType/);
    await rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'wharf' })), 'DuplicateLoadBalancerNameException', /wharf/);
    await rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'tagged', Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })), 'DuplicateTagKeysException');
    assert.equal((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!.length, before, 'none was created');

    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'bad-input', Scheme: 'internal' }))).LoadBalancers![0]!;
    assert.equal(lb.Scheme, 'internal');
    await rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'bad-input', Scheme: 'internet-facing' })), 'DuplicateLoadBalancerNameException', /bad-input/);
    await rejects(elb.send(new DescribeLoadBalancersCommand({ Names: ['bad-input', 'nowhere'] })), 'LoadBalancerNotFoundException', /nowhere/);
    await rejects(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [`${lb.LoadBalancerArn}0`] })), 'LoadBalancerNotFoundException');
    await rejects(elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: `${lb.LoadBalancerArn}0` })), 'LoadBalancerNotFoundException');
    await rejects(elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn!.replace(/app\/bad-input\/.*/, 'app/wharf/0000000000000000') })), 'OperationNotPermittedException', /built-in/);
    await rejects(elb.send(new CreateListenerCommand({ LoadBalancerArn: `${lb.LoadBalancerArn}0`, Port: 80, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] })), 'LoadBalancerNotFoundException');
    await rejects(elb.send(new DescribeListenersCommand({ LoadBalancerArn: `${lb.LoadBalancerArn}0` })), 'LoadBalancerNotFoundException');
    await rejects(elb.send(new ModifyListenerCommand({ ListenerArn: 'arn:wharf:elasticloadbalancing:local:000000000000:listener/app/x/1/2', Port: 81 })), 'ListenerNotFoundException');
    await rejects(elb.send(new DeleteListenerCommand({ ListenerArn: 'arn:wharf:elasticloadbalancing:local:000000000000:listener/app/x/1/2' })), 'ListenerNotFoundException');
    await rejects(elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: 'arn:wharf:elasticloadbalancing:local:000000000000:listener-rule/app/x/1/2/3', Priority: 5 }] })), 'RuleNotFoundException');
    await rejects(elb.send(new DescribeTagsCommand({ ResourceArns: ['arn:wharf:s3:::bucket'] })), 'ValidationError', /ResourceArns|not the ARN/);

    const group = (await elb.send(new CreateTargetGroupCommand({ Name: 'bad-input-tg', Port: 8080 }))).TargetGroups![0]!;
    await rejects(elb.send(new CreateTargetGroupCommand({ Name: 'bad-input-tg', Port: 9090 })), 'DuplicateTargetGroupNameException');
    await rejects(elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: `${group.TargetGroupArn}0` })), 'TargetGroupNotFoundException');
    await rejects(elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: group.TargetGroupArn, Attributes: [{ Key: 'stickiness.enabled', Value: 'true' }] })), 'OperationNotPermittedException', /stickiness\.enabled/);
    await rejects(elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: group.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '-1' }] })), 'ValidationError', /deregistration_delay/);
    const listener = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Port: await freePort(), DefaultActions: [{ Type: 'forward', TargetGroupArn: group.TargetGroupArn }] }))).Listeners![0]!;
    await rejects(elb.send(new ModifyListenerCommand({ ListenerArn: listener.ListenerArn, Protocol: 'HTTPS' })), 'ValidationError', /Protocol/);
    await rejects(elb.send(new ModifyListenerCommand({ ListenerArn: listener.ListenerArn, SslPolicy: 'ELBSecurityPolicy-2016-08' })), 'ValidationError', /SslPolicy/);
    await rejects(elb.send(new ModifyListenerCommand({ ListenerArn: listener.ListenerArn, DefaultActions: [{ Type: 'forward', TargetGroupArn: `${group.TargetGroupArn}0` }] })), 'TargetGroupNotFoundException');
    assert.equal((await elb.send(new DescribeListenersCommand({ ListenerArns: [listener.ListenerArn!] }))).Listeners![0]!.DefaultActions![0]!.TargetGroupArn, group.TargetGroupArn, 'unchanged');
    await rejects(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: group.TargetGroupArn })), 'ResourceInUseException');

    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: group.TargetGroupArn }));
  });
});
