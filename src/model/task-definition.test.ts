import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WharfError } from './errors.js';
import { registerTaskDefinitionRequestSchema, taskResources, unsupportedFields } from './task-definition.js';
import { parseInput } from './validation.js';

/** A complete valid request to tweak. */
function td(overrides: Record<string, unknown> = {}, container: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    family: 'web',
    containerDefinitions: [{ name: 'app', image: 'wharf/process', command: ['node', 'server.js'], memory: 128, portMappings: [{ containerPort: 8080 }], ...container }],
    ...overrides,
  };
}

/** The field errors of an invalid request, as the API would report them. */
function fieldErrors(input: unknown): Record<string, string> {
  try {
    parseInput(registerTaskDefinitionRequestSchema, input, 'RegisterTaskDefinition request');
  } catch (error) {
    assert.ok(error instanceof WharfError);
    return Object.fromEntries(error.errors.map((e) => [e.field, e.message]));
  }
  assert.fail('expected the request to be refused');
}

test('the AWS documentation example (WordPress and MySQL) registers unchanged, links reported as not acted on', () => {
  const aws = {
    containerDefinitions: [
      { name: 'wordpress', links: ['mysql'], image: 'wordpress', essential: true, portMappings: [{ containerPort: 80, hostPort: 80 }], memory: 500, cpu: 10 },
      { environment: [{ name: 'MYSQL_ROOT_PASSWORD', value: 'password' }], name: 'mysql', image: 'mysql', cpu: 10, memory: 500, essential: true },
    ],
    family: 'hello_world',
  };
  const parsed = registerTaskDefinitionRequestSchema.parse(aws);
  assert.equal(parsed.networkMode, 'bridge');
  assert.deepEqual(parsed.containerDefinitions[0]?.portMappings, [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }]);
  assert.deepEqual(parsed.containerDefinitions[0]?.links, ['mysql'], 'kept, not dropped');
  assert.deepEqual(unsupportedFields(parsed), [{ field: 'containerDefinitions.0.links', reason: 'container links are not created' }]);
});

test('defaults as ECS: essential true, health check timings, tcp, bridge', () => {
  const parsed = registerTaskDefinitionRequestSchema.parse(td({}, { healthCheck: { command: ['CMD-SHELL', 'exit 0'] } }));
  const container = parsed.containerDefinitions[0];
  assert.equal(container?.essential, true);
  assert.deepEqual(container?.healthCheck, { command: ['CMD-SHELL', 'exit 0'], interval: 30, timeout: 5, retries: 3, startPeriod: 0 });
  // A command without CMD / CMD-SHELL runs as CMD, as older ECS documentation says.
  const bare = registerTaskDefinitionRequestSchema.parse(td({}, { healthCheck: { command: ['/bin/check'] } }));
  assert.deepEqual(bare.containerDefinitions[0]?.healthCheck?.command, ['CMD', '/bin/check']);
});

test('task cpu and memory accept ECS strings and become units and MiB', () => {
  const parsed = registerTaskDefinitionRequestSchema.parse(td({ cpu: '0.5 vCPU', memory: '1 GB' }));
  assert.equal(parsed.cpu, '512');
  assert.equal(parsed.memory, '1024');
  assert.deepEqual(taskResources(parsed), { cpu: 512, memory: 1024 });
  assert.deepEqual(taskResources(registerTaskDefinitionRequestSchema.parse(td({}, { cpu: 256, memory: 300, memoryReservation: 200 }))), { cpu: 256, memory: 200 });
});

test('each rule names its field', () => {
  assert.match(fieldErrors(td({ family: 'has space' })).family ?? '', /1 to 255 letters/);
  assert.match(fieldErrors({ family: 'x', containerDefinitions: [] }).containerDefinitions ?? '', /at least one container/);
  assert.match(fieldErrors(td({}, { memory: 100, memoryReservation: 200 }))['containerDefinitions.0.memory'] ?? '', /must be greater than memoryReservation/);
  assert.match(fieldErrors(td({}, { memory: undefined }))['containerDefinitions.0.memory'] ?? '', /Set memory or memoryReservation/);
  assert.match(fieldErrors(td({}, { essential: false })).containerDefinitions ?? '', /At least one container must be essential/);
  assert.match(fieldErrors(td({ networkMode: 'awsvpc' })).networkMode ?? '', /not supported yet.*bridge/);
  assert.match(fieldErrors(td({}, { healthCheck: { command: ['CMD', 'x'], interval: 1 } }))['containerDefinitions.0.healthCheck.interval'] ?? '', />=5|5/);
  assert.match(fieldErrors(td({}, { ulimits: [{ name: 'nofile', softLimit: 10, hardLimit: 5 }] }))['containerDefinitions.0.ulimits.0.softLimit'] ?? '', /must not exceed hardLimit/);
  assert.ok('containerDefinitions.0.colour' in fieldErrors(td({}, { colour: 'red' })), 'unknown container field named');
  assert.ok('colour' in fieldErrors(td({ colour: 'red' })), 'unknown task field named');
  assert.match(fieldErrors(td({ cpu: '3 cores' })).cpu ?? '', /CPU units/);
  assert.match(fieldErrors(td({ cpu: '256', memory: '64' }, { cpu: 512 })).cpu ?? '', /adds up to 512 units/);
  assert.match(fieldErrors(td({ networkMode: 'host' }, { portMappings: [{ containerPort: 80, hostPort: 81 }] }))['containerDefinitions.0.portMappings.0.hostPort'] ?? '', /host networking/);
});

test('two containers, duplicate names and host ports are refused', () => {
  const two = (b: Record<string, unknown>) => ({
    family: 'pair',
    containerDefinitions: [
      { name: 'a', image: 'wharf/process', memory: 64, portMappings: [{ containerPort: 80, hostPort: 8080 }] },
      { name: 'b', image: 'wharf/process', memory: 64, ...b },
    ],
  });
  assert.match(fieldErrors(two({ name: 'a' }))['containerDefinitions.1.name'] ?? '', /used twice/);
  assert.match(fieldErrors(two({ portMappings: [{ containerPort: 81, hostPort: 8080 }] }))['containerDefinitions.1.portMappings.0.hostPort'] ?? '', /already mapped by container "a"/);
});

test('dependsOn follows ECS restrictions', () => {
  const pair = (dependsOn: unknown, first: Record<string, unknown> = {}) => ({
    family: 'deps',
    containerDefinitions: [
      { name: 'db', image: 'wharf/process', memory: 64, ...first },
      { name: 'app', image: 'wharf/process', memory: 64, dependsOn },
    ],
  });
  assert.doesNotThrow(() => registerTaskDefinitionRequestSchema.parse(pair([{ containerName: 'db', condition: 'START' }])));
  assert.match(fieldErrors(pair([{ containerName: 'nope', condition: 'START' }]))['containerDefinitions.1.dependsOn.0.containerName'] ?? '', /No container named "nope"/);
  assert.match(fieldErrors(pair([{ containerName: 'db', condition: 'SUCCESS' }]))['containerDefinitions.1.dependsOn.0.condition'] ?? '', /cannot be used on an essential container/);
  assert.doesNotThrow(() => registerTaskDefinitionRequestSchema.parse(pair([{ containerName: 'db', condition: 'COMPLETE' }], { essential: false })));
  assert.match(fieldErrors(pair([{ containerName: 'db', condition: 'HEALTHY' }]))['containerDefinitions.1.dependsOn.0.condition'] ?? '', /needs "db" to define a healthCheck/);
  const cyclic = {
    family: 'cycle',
    containerDefinitions: [
      { name: 'a', image: 'wharf/process', memory: 64, dependsOn: [{ containerName: 'b', condition: 'START' }] },
      { name: 'b', image: 'wharf/process', memory: 64, dependsOn: [{ containerName: 'a', condition: 'START' }] },
    ],
  };
  assert.match(fieldErrors(cyclic).containerDefinitions ?? '', /cycle: a -> b -> a/);
});

test('role ARNs are kept and reported as not acted on yet', () => {
  const parsed = registerTaskDefinitionRequestSchema.parse(td({ taskRoleArn: 'arn:aws:iam::123456789012:role/app', executionRoleArn: 'arn:aws:iam::123456789012:role/exec' }, { secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' }] }));
  assert.equal(parsed.taskRoleArn, 'arn:aws:iam::123456789012:role/app');
  assert.deepEqual(
    unsupportedFields(parsed).map((u) => u.field),
    ['taskRoleArn', 'executionRoleArn', 'containerDefinitions.0.secrets'],
  );
});
