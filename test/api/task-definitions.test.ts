// ECS task definitions through the controller API over real HTTP, with a real SQLite store in a temp folder.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { AWS_TASK_DEFINITION_EXAMPLE, TASK_DEFINITION_ARN_PREFIX } from '../support/task-definitions.js';
import { suiteScope } from '../support/temp.js';

/** A complete valid request to tweak: `task` overrides task fields, `container` the one container's. */
function td(family: string, task: Record<string, unknown> = {}, container: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    family,
    containerDefinitions: [{ name: 'app', image: 'wharf/process', command: ['node', 'server.js'], memory: 128, portMappings: [{ containerPort: 8080 }], ...container }],
    ...task,
  };
}

/** Two containers `a` and `b` (both essential unless said), for the rules between containers. */
function pair(family: string, a: Record<string, unknown>, b: Record<string, unknown>, task: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    family,
    containerDefinitions: [
      { name: 'a', image: 'wharf/process', memory: 64, ...a },
      { name: 'b', image: 'wharf/process', memory: 64, ...b },
    ],
    ...task,
  };
}

/** True when every field of `expected` is in `actual` with the same value (arrays element by element). */
function assertContains(actual: unknown, expected: unknown, path = 'taskDefinition'): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path} is an array`);
    assert.equal(actual.length, expected.length, `${path} has ${expected.length} elements`);
    expected.forEach((e, i) => assertContains(actual[i], e, `${path}.${i}`));
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${path} is an object`);
    for (const [key, value] of Object.entries(expected)) assertContains((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else {
    assert.equal(actual, expected, path);
  }
}

describe('task definitions API', () => {
  const scope = suiteScope();
  let api: TestController;
  before(async () => {
    api = await startTestController(scope, { bodyLimitBytes: 256 * 1024 });
  });

  const register = (body: unknown, headers: Record<string, string> = {}) => api.call('POST', '/v1/task-definitions', body, headers);
  const describeTd = (ref: string, query = '') => api.call('GET', `/v1/task-definitions/${encodeURIComponent(ref)}${query}`);

  test('the AWS documentation example registers unchanged and reads back identically in substance', async () => {
    const res = await register(AWS_TASK_DEFINITION_EXAMPLE, { 'x-request-id': 'register-hello-1' });
    assert.equal(res.status, 200, res.text);
    const { taskDefinition, tags, unsupportedFields } = res.json;
    assertContains(taskDefinition, AWS_TASK_DEFINITION_EXAMPLE);
    assert.equal(taskDefinition.taskDefinitionArn, `${TASK_DEFINITION_ARN_PREFIX}hello_world:1`);
    assert.equal(taskDefinition.revision, 1);
    assert.equal(taskDefinition.status, 'ACTIVE');
    assert.equal(taskDefinition.networkMode, 'bridge');
    assert.deepEqual(taskDefinition.compatibilities, ['EC2', 'EXTERNAL']);
    assert.deepEqual(taskDefinition.requiresAttributes, []);
    assert.deepEqual(taskDefinition.placementConstraints, []);
    assert.deepEqual(taskDefinition.volumes, []);
    assert.equal(taskDefinition.registeredBy, 'wharf');
    assert.ok(Math.abs(Date.parse(taskDefinition.registeredAt) - Date.now()) < 60_000, `registeredAt ${taskDefinition.registeredAt} is an ISO time of now`);
    assert.equal(taskDefinition.deregisteredAt, undefined);
    assert.equal(taskDefinition.tags, undefined, 'tags are beside the task definition, not in it');
    // Defaults filled in as ECS does.
    assert.deepEqual(taskDefinition.containerDefinitions[0].portMappings, [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }]);
    assert.deepEqual(taskDefinition.containerDefinitions[0].environment, []);
    assert.deepEqual(taskDefinition.containerDefinitions[1].mountPoints, []);
    assert.deepEqual(tags, []);
    assert.deepEqual(unsupportedFields, [{ field: 'containerDefinitions.0.links', reason: 'container links are not created' }]);

    // The same revision by family, by family:revision and by (URL-encoded) ARN, of any partition.
    for (const ref of ['hello_world', 'hello_world:1', `${TASK_DEFINITION_ARN_PREFIX}hello_world:1`, 'arn:aws:ecs:us-east-1:123456789012:task-definition/hello_world:1']) {
      const described = await describeTd(ref);
      assert.equal(described.status, 200, `${ref}: ${described.text}`);
      assert.deepEqual(described.json.taskDefinition, taskDefinition, ref);
      assert.deepEqual(described.json.unsupportedFields, unsupportedFields);
      assert.equal(described.json.tags, undefined, 'tags only with include=TAGS, as in ECS');
    }

    const events = await api.call('GET', '/v1/events?resourceType=task-definition&resourceId=hello_world:1');
    assert.deepEqual(
      events.json.events.map((e: any) => [e.message, e.requestId]),
      [['Task definition hello_world:1 registered.', 'register-hello-1']],
    );
  });

  test('optional ECS fields are kept and returned: roles, cpu and memory strings, tags, constraints, volumes', async () => {
    const tasksTrust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    for (const RoleName of ['app', 'exec']) assert.equal((await api.call('POST', '/v1/iam/CreateRole', { RoleName, AssumeRolePolicyDocument: tasksTrust })).status, 200);
    const body = td(
      'full',
      {
        taskRoleArn: 'arn:wharf:iam::000000000000:role/app',
        executionRoleArn: 'exec',
        cpu: '1 vCPU',
        memory: '0.5 GB',
        requiresCompatibilities: ['EC2'],
        placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t2.*' }],
        volumes: [{ name: 'data', host: { sourcePath: '/srv/data' } }],
        tags: [{ key: 'team', value: 'web' }],
      },
      { healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/ || exit 1'] }, dockerLabels: { tier: 'front' } },
    );
    const res = await register(body);
    assert.equal(res.status, 200, res.text);
    const { taskDefinition, tags, unsupportedFields } = res.json;
    assert.equal(taskDefinition.cpu, '1024');
    assert.equal(taskDefinition.memory, '512');
    assert.equal(taskDefinition.taskRoleArn, 'arn:wharf:iam::000000000000:role/app');
    assert.deepEqual(taskDefinition.requiresCompatibilities, ['EC2']);
    assert.deepEqual(taskDefinition.placementConstraints, body.placementConstraints);
    assert.deepEqual(taskDefinition.volumes, body.volumes);
    assert.deepEqual(taskDefinition.containerDefinitions[0].healthCheck, { command: ['CMD-SHELL', 'curl -f http://localhost:8080/ || exit 1'], interval: 30, timeout: 5, retries: 3, startPeriod: 0 });
    assert.deepEqual(tags, [{ key: 'team', value: 'web' }]);
    assert.deepEqual(unsupportedFields.map((f: any) => f.field).sort(), ['executionRoleArn', 'taskRoleArn', 'volumes']);

    const withTags = await describeTd('full', '?include=TAGS');
    assert.deepEqual(withTags.json.tags, [{ key: 'team', value: 'web' }]);
    assert.deepEqual(withTags.json.taskDefinition, taskDefinition);
    const badInclude = await describeTd('full', '?include=SETTINGS');
    assert.equal(badInclude.status, 400);
    assert.deepEqual(badInclude.json.errors.map((e: any) => e.field), ['include.0']);
  });

  test('every task definition rule refuses with the field named, and nothing is registered', async () => {
    const family = 'refused';
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `c${i}`, image: 'wharf/process', memory: 16 }));
    const cases: [string, unknown, string, RegExp][] = [
      ['unknown task field', td(family, { colour: 'red' }), 'colour', /Unknown field/],
      ['unknown container field', td(family, {}, { colour: 'red' }), 'containerDefinitions.0.colour', /Unknown field/],
      ['family missing', { containerDefinitions: (td(family).containerDefinitions as unknown[]) }, 'family', /Required/],
      ['family with bad characters', td('has space'), 'family', /1 to 255 letters/],
      ['no containers', td(family, { containerDefinitions: [] }), 'containerDefinitions', /at least one container/],
      ['eleven containers', td(family, { containerDefinitions: eleven }), 'containerDefinitions', /At most 10 containers/],
      ['container name', td(family, {}, { name: 'bad name' }), 'containerDefinitions.0.name', /container name has 1 to 255/],
      ['image', td(family, {}, { image: 'no spaces allowed' }), 'containerDefinitions.0.image', /An image is letters/],
      ['awsvpc networking', td(family, { networkMode: 'awsvpc' }), 'networkMode', /not supported yet.*bridge/],
      ['no networking', td(family, { networkMode: 'none' }), 'networkMode', /not supported yet/],
      ['unknown network mode', td(family, { networkMode: 'nat' }), 'networkMode', /bridge/],
      ['no essential container', td(family, {}, { essential: false }), 'containerDefinitions', /At least one container must be essential/],
      ['duplicate container names', pair(family, {}, { name: 'a' }), 'containerDefinitions.1.name', /used twice/],
      ['memory not above reservation', td(family, {}, { memory: 100, memoryReservation: 200 }), 'containerDefinitions.0.memory', /greater than memoryReservation/],
      ['no memory anywhere', td(family, {}, { memory: undefined }), 'containerDefinitions.0.memory', /Set memory or memoryReservation/],
      ['port mapping without a container port', td(family, {}, { portMappings: [{ hostPort: 80 }] }), 'containerDefinitions.0.portMappings.0.containerPort', /needs a containerPort/],
      ['port out of range', td(family, {}, { portMappings: [{ containerPort: 70000 }] }), 'containerDefinitions.0.portMappings.0.containerPort', /65535/],
      ['bad protocol', td(family, {}, { portMappings: [{ containerPort: 80, protocol: 'sctp' }] }), 'containerDefinitions.0.portMappings.0.protocol', /tcp|udp/],
      ['host networking with another host port', td(family, { networkMode: 'host' }, { portMappings: [{ containerPort: 80, hostPort: 81 }] }), 'containerDefinitions.0.portMappings.0.hostPort', /host networking/],
      ['one host port twice', pair(family, { portMappings: [{ containerPort: 80, hostPort: 8080 }] }, { portMappings: [{ containerPort: 81, hostPort: 8080 }] }), 'containerDefinitions.1.portMappings.0.hostPort', /already mapped/],
      ['dependency on no container', td(family, {}, { dependsOn: [{ containerName: 'ghost', condition: 'START' }] }), 'containerDefinitions.0.dependsOn.0.containerName', /No container named "ghost"/],
      ['dependency on itself', td(family, {}, { dependsOn: [{ containerName: 'app', condition: 'START' }] }), 'containerDefinitions.0.dependsOn.0.containerName', /itself/],
      ['COMPLETE on an essential container', pair(family, { dependsOn: [{ containerName: 'b', condition: 'COMPLETE' }] }, {}), 'containerDefinitions.0.dependsOn.0.condition', /essential/],
      ['SUCCESS on an essential container', pair(family, { dependsOn: [{ containerName: 'b', condition: 'SUCCESS' }] }, {}), 'containerDefinitions.0.dependsOn.0.condition', /essential/],
      ['HEALTHY without a health check', pair(family, { dependsOn: [{ containerName: 'b', condition: 'HEALTHY' }] }, {}), 'containerDefinitions.0.dependsOn.0.condition', /healthCheck/],
      ['unknown dependency condition', pair(family, { dependsOn: [{ containerName: 'b', condition: 'READY' }] }, {}), 'containerDefinitions.0.dependsOn.0.condition', /START|COMPLETE/],
      [
        'dependency cycle',
        pair(family, { dependsOn: [{ containerName: 'b', condition: 'START' }] }, { dependsOn: [{ containerName: 'a', condition: 'START' }] }),
        'containerDefinitions',
        /cycle/,
      ],
      ['task cpu below the containers', td(family, { cpu: '256' }, { cpu: 512 }), 'cpu', /adds up to 512 units/],
      ['task memory below the containers', td(family, { memory: '64' }), 'memory', /reserve 128 MiB/],
      ['cpu not units', td(family, { cpu: '3 cores' }), 'cpu', /CPU units/],
      ['cpu too small', td(family, { cpu: '64' }), 'cpu', /128 to 196608/],
      ['memory not MiB', td(family, { memory: 'lots' }), 'memory', /MiB/],
      ['health check interval', td(family, {}, { healthCheck: { command: ['CMD', 'true'], interval: 1 } }), 'containerDefinitions.0.healthCheck.interval', /5/],
      ['health check retries', td(family, {}, { healthCheck: { command: ['CMD', 'true'], retries: 11 } }), 'containerDefinitions.0.healthCheck.retries', /10/],
      ['empty health check command', td(family, {}, { healthCheck: { command: ['CMD-SHELL'] } }), 'containerDefinitions.0.healthCheck.command', /empty/],
      ['ulimit soft above hard', td(family, {}, { ulimits: [{ name: 'nofile', softLimit: 10, hardLimit: 5 }] }), 'containerDefinitions.0.ulimits.0.softLimit', /must not exceed hardLimit/],
      ['unknown ulimit', td(family, {}, { ulimits: [{ name: 'files', softLimit: 1, hardLimit: 1 }] }), 'containerDefinitions.0.ulimits.0.name', /nofile/],
      ['stop timeout', td(family, {}, { stopTimeout: 0 }), 'containerDefinitions.0.stopTimeout', /1/],
      ['user', td(family, {}, { user: 'a b' }), 'containerDefinitions.0.user', /user:group/],
      ['environment entry', td(family, {}, { environment: [{ name: '', value: 'x' }] }), 'containerDefinitions.0.environment.0.name', /1/],
      ['placement constraint type', td(family, { placementConstraints: [{ type: 'distinctInstance' }] }), 'placementConstraints.0.type', /only memberOf/],
      ['placement expression', td(family, { placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.os-type == linux' }, { type: 'memberOf', expression: 'attribute:x ==' }] }), 'placementConstraints.1.expression', /column \d+: expected/],
      ['eleven placement constraints', td(family, { placementConstraints: Array.from({ length: 11 }, () => ({ type: 'memberOf', expression: 'agentConnected == true' })) }), 'placementConstraints', /10/],
      ['reserved tag key', td(family, { tags: [{ key: 'aws:owner', value: 'x' }] }), 'tags.0.key', /reserved/],
      ['unknown compatibility', td(family, { requiresCompatibilities: ['LAMBDA'] }), 'requiresCompatibilities.0', /EC2/],
    ];
    for (const [name, body, field, message] of cases) {
      const res = await register(body);
      assert.equal(res.status, 400, `${name}: ${res.text}`);
      assert.equal(res.json.code, 'WHARF_E_VALIDATION', name);
      assert.match(res.json.detail, /RegisterTaskDefinition request.*nothing was changed/, name);
      const byField = Object.fromEntries(res.json.errors.map((e: any) => [e.field, e.message]));
      assert.ok(field in byField, `${name}: expected an error on ${field}, got ${JSON.stringify(res.json.errors)}`);
      assert.match(byField[field], message, `${name}: ${field}`);
    }
    // Nothing was registered: the family is unknown and its first registration is still revision 1.
    const families = await api.call('GET', '/v1/task-definition-families?familyPrefix=refused');
    assert.deepEqual(families.json.families, []);
    const events = await api.call('GET', '/v1/events?resourceType=task-definition&resourceId=refused:1');
    assert.deepEqual(events.json.events, []);
    const good = await register(td(family));
    assert.equal(good.status, 200, good.text);
    assert.equal(good.json.taskDefinition.revision, 1, 'the revision counter did not move');
  });

  test('size limits: over 64 KiB of task definition is refused clearly; over the API body limit is 413', async () => {
    const big = td('big', {}, { environment: Array.from({ length: 700 }, (_, i) => ({ name: `VAR_${i}`, value: 'x'.repeat(100) })) });
    const tooLarge = await register(big);
    assert.equal(tooLarge.status, 400, tooLarge.text);
    assert.equal(tooLarge.json.code, 'WHARF_E_TASK_DEFINITION_TOO_LARGE');
    assert.match(tooLarge.json.detail, /family "big" is \d+ bytes of JSON.*at 65536 bytes.*nothing was registered/);

    const huge = td('big', {}, { environment: Array.from({ length: 3000 }, (_, i) => ({ name: `VAR_${i}`, value: 'x'.repeat(100) })) });
    const overBody = await register(huge);
    assert.equal(overBody.status, 413);
    assert.equal(overBody.json.code, 'WHARF_E_BODY_TOO_LARGE');

    const malformed = await register('{"family": "big",');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json.code, 'WHARF_E_MALFORMED_JSON');

    assert.equal((await describeTd('big:1')).status, 404, 'nothing was registered');
    const fits = await register(td('big', {}, { environment: Array.from({ length: 400 }, (_, i) => ({ name: `VAR_${i}`, value: 'x'.repeat(100) })) }));
    assert.equal(fits.status, 200, fits.text);
    assert.equal(fits.json.taskDefinition.revision, 1);
  });

  test('fields kept as given are bounded: volumes nested 5,000 deep get 400 naming volumes; an ECS volumes value registers', async () => {
    // Written as text: JSON.stringify itself may run out of stack on a value this deep.
    const deep = '{"nested":'.repeat(5000) + '{"name":"data"}' + '}'.repeat(5000);
    const refused = await register(JSON.stringify(td('deep', { volumes: ['DEEP'] })).replace('"DEEP"', deep));
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.json.code, 'WHARF_E_VALIDATION');
    assert.deepEqual(refused.json.errors.map((e: any) => e.field), ['volumes.0']);
    assert.match(refused.json.errors[0].message, /nested deeper than 32 levels/i);
    assert.equal((await describeTd('deep')).status, 404, 'nothing was registered');

    const wide = await register(td('deep', { volumes: [{ name: 'data', dockerVolumeConfiguration: { labels: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`l${i}`, 'x'.repeat(20)])) } }] }));
    assert.equal(wide.status, 400, wide.text);
    assert.deepEqual(wide.json.errors.map((e: any) => e.field), ['volumes.0']);
    assert.match(wide.json.errors[0].message, /larger than 16384 bytes/i);
    assert.equal((await describeTd('deep')).status, 404, 'nothing was registered');

    const volumes = [
      { name: 'data', host: { sourcePath: '/srv/data' } },
      { name: 'scratch', dockerVolumeConfiguration: { scope: 'task', driver: 'local', labels: { app: 'web' }, driverOpts: { type: 'tmpfs', device: 'tmpfs' } } },
      { name: 'shared', efsVolumeConfiguration: { fileSystemId: 'fs-1234', rootDirectory: '/', transitEncryption: 'ENABLED', authorizationConfig: { accessPointId: 'fsap-1234', iam: 'ENABLED' } } },
    ];
    const registered = await register(td('deep', { volumes }));
    assert.equal(registered.status, 200, registered.text);
    assert.deepEqual(registered.json.taskDefinition.volumes, volumes);
  });

  test('a missing task definition is a clear 404; a bad reference names the field', async () => {
    for (const ref of ['nope', 'nope:3', `${TASK_DEFINITION_ARN_PREFIX}nope:3`]) {
      const res = await describeTd(ref);
      assert.equal(res.status, 404, ref);
      assert.equal(res.json.code, 'WHARF_E_TASK_DEFINITION_NOT_FOUND');
      assert.match(res.json.detail, /wharf ecs list-task-definitions/);
    }
    assert.match((await describeTd('nope')).json.detail, /"nope" was not found: the family has no ACTIVE revision/);
    assert.match((await describeTd('nope:3')).json.detail, /"nope:3" was not found: no such revision/);

    for (const ref of ['bad ref', 'web:0', 'web:x', 'web:1:2', 'arn:wharf:ecs:local:0:cluster/web']) {
      const res = await describeTd(ref);
      assert.equal(res.status, 400, ref);
      assert.deepEqual(res.json.errors.map((e: any) => e.field), ['taskDefinition'], ref);
      assert.match(res.json.errors[0].message, /family, family:revision or its ARN/);
    }
  });

  test('deregister needs a revision, is idempotent; delete only from INACTIVE, with failures[] for the rest', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await register(td('flow'))).json.taskDefinition.revision, i + 1);

    const bare = await api.call('DELETE', '/v1/task-definitions/flow');
    assert.equal(bare.status, 400);
    assert.equal(bare.json.errors[0].field, 'taskDefinition');
    assert.match(bare.json.errors[0].message, /revision explicitly, e\.g\. "flow:1"/);

    const deregistered = await api.call('DELETE', '/v1/task-definitions/flow:2', undefined, { 'x-request-id': 'dereg-flow-2' });
    assert.equal(deregistered.status, 200, deregistered.text);
    assert.equal(deregistered.json.taskDefinition.status, 'INACTIVE');
    assert.equal(deregistered.json.taskDefinition.revision, 2);
    assert.ok(deregistered.json.taskDefinition.deregisteredAt);
    const again = await api.call('DELETE', `/v1/task-definitions/${encodeURIComponent(`${TASK_DEFINITION_ARN_PREFIX}flow:2`)}`);
    assert.equal(again.status, 200, 'deregistering an INACTIVE revision returns it, as ECS does');
    assert.deepEqual(again.json.taskDefinition, deregistered.json.taskDefinition, 'unchanged');
    assert.equal((await api.call('DELETE', '/v1/task-definitions/flow:9')).status, 404);

    // family alone is the latest ACTIVE; an INACTIVE revision is still describable by number.
    await api.call('DELETE', '/v1/task-definitions/flow:3');
    assert.equal((await describeTd('flow')).json.taskDefinition.revision, 1);
    assert.equal((await describeTd('flow:2')).json.taskDefinition.status, 'INACTIVE');

    const listed = await api.call('GET', '/v1/task-definitions?familyPrefix=flow');
    assert.deepEqual(listed.json.taskDefinitionArns, [`${TASK_DEFINITION_ARN_PREFIX}flow:1`]);
    const inactive = await api.call('GET', '/v1/task-definitions?familyPrefix=flow&status=INACTIVE');
    assert.deepEqual(inactive.json.taskDefinitionArns, [`${TASK_DEFINITION_ARN_PREFIX}flow:2`, `${TASK_DEFINITION_ARN_PREFIX}flow:3`]);

    const deleted = await api.call('POST', '/v1/task-definitions/delete', { taskDefinitions: ['flow:2', `${TASK_DEFINITION_ARN_PREFIX}flow:3`, 'flow:1', 'flow:9'] }, { 'x-request-id': 'delete-flow' });
    assert.equal(deleted.status, 200, deleted.text);
    assert.deepEqual(
      deleted.json.taskDefinitions.map((t: any) => [t.revision, t.status, Boolean(t.deleteRequestedAt)]),
      [
        [2, 'DELETE_IN_PROGRESS', true],
        [3, 'DELETE_IN_PROGRESS', true],
      ],
    );
    assert.deepEqual(
      deleted.json.failures.map((f: any) => [f.arn, f.reason]),
      [
        [`${TASK_DEFINITION_ARN_PREFIX}flow:1`, 'ACTIVE'],
        [`${TASK_DEFINITION_ARN_PREFIX}flow:9`, 'MISSING'],
      ],
    );
    assert.match(deleted.json.failures[0].detail, /deregister it first/);
    assert.equal((await describeTd('flow:3')).json.taskDefinition.status, 'DELETE_IN_PROGRESS', 'still describable');
    const deleting = await api.call('GET', '/v1/task-definitions?familyPrefix=flow&status=DELETE_IN_PROGRESS&sort=DESC');
    assert.deepEqual(deleting.json.taskDefinitionArns, [`${TASK_DEFINITION_ARN_PREFIX}flow:3`, `${TASK_DEFINITION_ARN_PREFIX}flow:2`]);

    // Deleting again returns them as they are; the highest revision being deleted is not reused.
    const twice = await api.call('POST', '/v1/task-definitions/delete', { taskDefinitions: ['flow:3'] });
    assert.deepEqual(twice.json.failures, []);
    assert.equal(twice.json.taskDefinitions[0].status, 'DELETE_IN_PROGRESS');
    assert.equal((await register(td('flow'))).json.taskDefinition.revision, 4);

    const badDeletes: [unknown, string][] = [
      [{ taskDefinitions: ['flow'] }, 'taskDefinitions.0'],
      [{ taskDefinitions: [] }, 'taskDefinitions'],
      [{ taskDefinitions: Array.from({ length: 11 }, (_, i) => `flow:${i + 1}`) }, 'taskDefinitions'],
      [{}, 'taskDefinitions'],
    ];
    for (const [body, field] of badDeletes) {
      const res = await api.call('POST', '/v1/task-definitions/delete', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.json.errors.some((e: any) => e.field === field), `${JSON.stringify(body)}: ${res.text}`);
    }

    const events = await api.call('GET', '/v1/events?resourceType=task-definition&resourceId=flow:2');
    assert.deepEqual(
      events.json.events.map((e: any) => e.message),
      ['Task definition flow:2 submitted for deletion.', 'Task definition flow:2 deregistered.', 'Task definition flow:2 registered.'],
      'idempotent calls wrote no events',
    );
    assert.deepEqual(
      events.json.events.slice(0, 2).map((e: any) => e.requestId),
      ['delete-flow', 'dereg-flow-2'],
    );
  });

  test('ListTaskDefinitions pages, sorts and filters; ListTaskDefinitionFamilies filters by status', async () => {
    for (const family of ['list-b', 'list-a', 'list-c']) for (let i = 0; i < 3; i++) await register(td(family));
    await api.call('DELETE', '/v1/task-definitions/list-c:1');
    await api.call('DELETE', '/v1/task-definitions/list-c:2');
    await api.call('DELETE', '/v1/task-definitions/list-c:3');

    const expected = ['list-a:1', 'list-a:2', 'list-a:3', 'list-b:1', 'list-b:2', 'list-b:3'].map((id) => TASK_DEFINITION_ARN_PREFIX + id);
    for (const sort of ['ASC', 'DESC']) {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const res = await api.call('GET', `/v1/task-definitions?familyPrefix=list-&sort=${sort}&maxResults=4${token ? `&nextToken=${token}` : ''}`);
        assert.equal(res.status, 200, res.text);
        assert.ok(res.json.taskDefinitionArns.length <= 4);
        seen.push(...res.json.taskDefinitionArns);
        token = res.json.nextToken;
      } while (token);
      assert.deepEqual(seen, sort === 'ASC' ? expected : [...expected].reverse(), sort);
    }
    const all = await api.call('GET', '/v1/task-definitions');
    assert.ok(all.json.taskDefinitionArns.includes(`${TASK_DEFINITION_ARN_PREFIX}list-a:3`));
    assert.equal(all.json.nextToken, undefined);

    const families = async (query: string) => (await api.call('GET', `/v1/task-definition-families?familyPrefix=list-${query}`)).json.families;
    assert.deepEqual(await families(''), ['list-a', 'list-b', 'list-c'], 'ALL by default, as ECS');
    assert.deepEqual(await families('&status=ALL'), ['list-a', 'list-b', 'list-c']);
    assert.deepEqual(await families('&status=ACTIVE'), ['list-a', 'list-b']);
    assert.deepEqual(await families('&status=INACTIVE'), ['list-c']);
    const page1 = await api.call('GET', '/v1/task-definition-families?familyPrefix=list-&maxResults=2');
    assert.deepEqual(page1.json.families, ['list-a', 'list-b']);
    const page2 = await api.call('GET', `/v1/task-definition-families?familyPrefix=list-&maxResults=2&nextToken=${page1.json.nextToken}`);
    assert.deepEqual(page2.json.families, ['list-c']);
    assert.equal(page2.json.nextToken, undefined);

    const bad: [string, string][] = [
      ['/v1/task-definitions?maxResults=0', 'maxResults'],
      ['/v1/task-definitions?maxResults=101', 'maxResults'],
      ['/v1/task-definitions?status=GONE', 'status'],
      ['/v1/task-definitions?sort=UP', 'sort'],
      ['/v1/task-definitions?nextToken=garbage', 'nextToken'],
      [`/v1/task-definitions?nextToken=${page1.json.nextToken}`, 'nextToken'],
      ['/v1/task-definitions?colour=red', 'colour'],
      ['/v1/task-definition-families?status=DELETE_IN_PROGRESS', 'status'],
      ['/v1/task-definition-families?nextToken=garbage', 'nextToken'],
    ];
    for (const [path, field] of bad) {
      const res = await api.call('GET', path);
      assert.equal(res.status, 400, path);
      assert.deepEqual(res.json.errors.map((e: any) => e.field), [field], path);
    }
  });
});
