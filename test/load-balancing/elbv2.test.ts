// ELBv2 on the controller: target groups, targets, listeners and rules with AWS's shapes, their
// bad input, and the routing table routers read (real controller, real HTTP, real SQLite).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { TestController } from '../support/controller.js';
import { runWharf } from '../support/cli.js';
import { startTestController } from '../support/controller.js';
import { suiteScope } from '../support/temp.js';

describe('elbv2', () => {
  const scope = suiteScope();
  let api: TestController;
  const call = async (operation: string, body: unknown) => api.call('POST', `/v1/elbv2/${operation}`, body);
  const ok = async (operation: string, body: unknown) => {
    const res = await call(operation, body);
    assert.equal(res.status, 200, `${operation}: ${res.text}`);
    return res.json;
  };
  const table = async (query = '') => {
    const res = await api.call('GET', `/v1/router/table${query}`, undefined, { authorization: `Bearer ${api.joinToken}` });
    assert.equal(res.status, 200, res.text);
    return res.json;
  };

  before(async () => {
    api = await startTestController(scope);
  });

  test('target groups, targets, a listener and weighted rules make the routing table', async () => {
    const blue = (await ok('CreateTargetGroup', { Name: 'blue', Port: 8080, HealthCheckPath: '/health', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, Matcher: { HttpCode: '200-299' } })).TargetGroups[0];
    assert.equal(blue.TargetGroupName, 'blue');
    assert.equal(blue.HealthCheckPath, '/health');
    assert.equal(blue.UnhealthyThresholdCount, 2, "ELBv2's default");
    assert.match(blue.TargetGroupArn, /^arn:wharf:elasticloadbalancing:local:000000000000:targetgroup\/blue\/[0-9a-f]{16}$/);
    const again = (await ok('CreateTargetGroup', { Name: 'blue', Port: 8080, HealthCheckPath: '/health', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, Matcher: { HttpCode: '200-299' } })).TargetGroups[0];
    assert.equal(again.TargetGroupArn, blue.TargetGroupArn, 'idempotent for the same settings');
    const green = (await ok('CreateTargetGroup', { Name: 'green', Port: 8080 })).TargetGroups[0];

    await ok('RegisterTargets', { TargetGroupArn: blue.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: 9001 }, { Id: '127.0.0.1', Port: 9002 }] });
    await ok('ModifyTargetGroupAttributes', { TargetGroupArn: blue.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }] });
    const listener = (await ok('CreateListener', { Port: 8080, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', MessageBody: 'no app here' } }] })).Listeners[0];
    const rule = (await ok('CreateRule', {
      ListenerArn: listener.ListenerArn,
      Priority: 10,
      Conditions: [{ Field: 'host-header', Values: ['app.example.test'] }],
      Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue.TargetGroupArn, Weight: 90 }, { TargetGroupArn: green.TargetGroupArn, Weight: 10 }] } }],
    })).Rules[0];
    assert.equal(rule.Priority, '10');

    const first = await table();
    const blueInTable = first.table.targetGroups.find((g: any) => g.name === 'blue');
    assert.deepEqual(blueInTable.targets.map((t: any) => `${t.host}:${t.port}`), ['127.0.0.1:9001', '127.0.0.1:9002']);
    assert.equal(blueInTable.deregistrationDelaySeconds, 5);
    assert.deepEqual(first.table.listeners[0].rules[0].action.targetGroups.map((g: any) => g.weight), [90, 10]);

    // Shifting weights is a ModifyRule; the table's version moves on.
    await ok('ModifyRule', { RuleArn: rule.RuleArn, Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue.TargetGroupArn, Weight: 0 }, { TargetGroupArn: green.TargetGroupArn, Weight: 100 }] } }] });
    const second = await table(`?version=${first.version}&waitMs=2000`);
    assert.ok(second.version > first.version);
    assert.deepEqual(second.table.listeners[0].rules[0].action.targetGroups.map((g: any) => g.weight), [0, 100]);

    // An unchanged table answers at the deadline with the same version.
    const started = Date.now();
    const same = await table(`?version=${second.version}&waitMs=300`);
    assert.equal(same.version, second.version);
    assert.ok(Date.now() - started >= 250);

    await ok('DeregisterTargets', { TargetGroupArn: blue.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: 9001 }] });
    const health = await ok('DescribeTargetHealth', { TargetGroupArn: blue.TargetGroupArn });
    assert.deepEqual(health.TargetHealthDescriptions.map((d: any) => [d.Target.Port, d.TargetHealth.State]), [[9002, 'initial']]);

    // What a router reports shows in DescribeTargetHealth.
    const reported = await api.call('POST', '/v1/router/health', { targets: [{ targetGroupArn: blue.TargetGroupArn, targetId: '127.0.0.1:9002', host: '127.0.0.1', port: 9002, state: 'healthy' }] }, { authorization: `Bearer ${api.joinToken}` });
    assert.equal(reported.status, 200, reported.text);
    const after = await ok('DescribeTargetHealth', { TargetGroupArn: blue.TargetGroupArn });
    assert.equal(after.TargetHealthDescriptions[0].TargetHealth.State, 'healthy');
  });

  test('bad input names the field and changes nothing', async () => {
    const groupsBefore = (await ok('DescribeTargetGroups', {})).TargetGroups.length;
    const cases: [string, unknown, number, RegExp][] = [
      ['CreateTargetGroup', { Name: 'x', HealthCheckIntervalSeconds: 4 }, 400, /intervalSeconds/],
      ['CreateTargetGroup', { Name: 'x', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 5 }, 400, /timeoutSeconds must be less than intervalSeconds/],
      ['CreateTargetGroup', { Name: 'x', HealthyThresholdCount: 11 }, 400, /healthyThresholdCount/],
      ['CreateTargetGroup', { Name: 'x', Matcher: { HttpCode: '600' } }, 400, /Matcher|matcher/],
      ['CreateTargetGroup', { Name: '-bad-' }, 400, /1 to 32 letters/],
      ['CreateTargetGroup', { Name: 'blue', Port: 9999 }, 409, /WHARF_E_TARGET_GROUP_EXISTS/],
      ['CreateListener', { Port: 8080, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] }, 409, /WHARF_E_LISTENER_EXISTS/],
      ['CreateListener', { Port: 9090, DefaultActions: [{ Type: 'forward', TargetGroupArn: 'arn:nope' }] }, 404, /WHARF_E_TARGET_GROUP_NOT_FOUND/],
      ['RegisterTargets', { TargetGroupArn: 'arn:nope', Targets: [{ Id: '127.0.0.1', Port: 1 }] }, 404, /WHARF_E_TARGET_GROUP_NOT_FOUND/],
      ['ModifyTargetGroupAttributes', { TargetGroupArn: 'arn:nope', Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '99999' }] }, 400, /0 to 3600/],
    ];
    for (const [operation, body, status, pattern] of cases) {
      const res = await call(operation, body);
      assert.equal(res.status, status, `${operation} ${JSON.stringify(body)} -> ${res.text}`);
      assert.match(res.text, pattern, `${operation} ${JSON.stringify(body)}`);
    }
    assert.equal((await ok('DescribeTargetGroups', {})).TargetGroups.length, groupsBefore);

    const listener = (await ok('DescribeListeners', {})).Listeners[0];
    const [blue, green] = (await ok('DescribeTargetGroups', { Names: ['blue', 'green'] })).TargetGroups;
    const rule = (forward: unknown[], priority: number, hosts: string[]) => ({ ListenerArn: listener.ListenerArn, Priority: priority, Conditions: [{ Field: 'host-header', Values: hosts }], Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: forward } }] });
    const ruleCases: [unknown, number, RegExp][] = [
      [rule([{ TargetGroupArn: blue.TargetGroupArn, Weight: 1 }], 10, ['other.test']), 409, /Priority 10 is already used/],
      [rule([{ TargetGroupArn: blue.TargetGroupArn, Weight: 1 }], 11, ['app.example.test']), 409, /same conditions/],
      [rule([{ TargetGroupArn: blue.TargetGroupArn, Weight: 0 }, { TargetGroupArn: green.TargetGroupArn, Weight: 0 }], 12, ['zero.test']), 400, /weight above 0/],
      [rule([{ TargetGroupArn: blue.TargetGroupArn, Weight: -1 }], 13, ['neg.test']), 400, /weight/],
    ];
    for (const [body, status, pattern] of ruleCases) {
      const res = await call('CreateRule', body);
      assert.equal(res.status, status, `${JSON.stringify(body)} -> ${res.text}`);
      assert.match(res.text, pattern);
    }
    assert.equal((await ok('DescribeRules', { ListenerArn: listener.ListenerArn })).Rules.length, 1, 'no rule was added');
  });

  test('the wharf elbv2 commands speak the AWS CLI flags', async () => {
    const e = ['--endpoint', api.url, 'elbv2'];
    const created = await runWharf([...e, 'create-target-group', '--name', 'cli-tg', '--port', '8080', '--health-check-path', '/up', '--healthy-threshold-count', '3', '--matcher', '{"HttpCode":"200,204"}']);
    assert.equal(created.code, 0, created.stderr);
    const tg = JSON.parse(created.stdout).TargetGroups[0];
    assert.equal(tg.HealthCheckPath, '/up');
    assert.equal(tg.HealthyThresholdCount, 3);
    const registered = await runWharf([...e, 'register-targets', '--target-group-arn', tg.TargetGroupArn, '--targets', 'Id=127.0.0.1,Port=9100', '--targets', 'Id=127.0.0.1,Port=9101']);
    assert.equal(registered.code, 0, registered.stderr);
    const health = JSON.parse((await runWharf([...e, 'describe-target-health', '--target-group-arn', tg.TargetGroupArn])).stdout);
    assert.deepEqual(health.TargetHealthDescriptions.map((d: any) => d.Target.Port), [9100, 9101]);
    const listener = JSON.parse((await runWharf([...e, 'create-listener', '--port', '9443', '--default-actions', JSON.stringify([{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }])])).stdout).Listeners[0];
    const rule = await runWharf([...e, 'create-rule', '--listener-arn', listener.ListenerArn, '--priority', '5', '--conditions', '[{"Field":"path-pattern","Values":["/api/*"]}]', '--actions', JSON.stringify([{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }])]);
    assert.equal(rule.code, 0, rule.stderr);
    const bad = await runWharf([...e, 'create-target-group', '--name', 'cli-bad', '--health-check-interval-seconds', '1']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /intervalSeconds must be at least 5/);
  });

  test('the routers endpoints want the join token', async () => {
    const res = await api.call('GET', '/v1/router/table');
    assert.equal(res.status, 401);
    assert.equal(res.json.code, 'WHARF_E_UNAUTHORIZED');
  });
});
