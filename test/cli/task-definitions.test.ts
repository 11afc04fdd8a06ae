// The real `wharf` executable against a real controller: the task definition commands, readable and --json.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { runWharf } from '../support/cli.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { AWS_TASK_DEFINITION_EXAMPLE, TASK_DEFINITION_ARN_PREFIX } from '../support/task-definitions.js';
import { suiteScope, tempDir } from '../support/temp.js';

const CONTAINERS = JSON.stringify([{ name: 'app', image: 'wharf/process', memory: 64, portMappings: [{ containerPort: 8080 }] }]);

describe('wharf ecs task definition commands', () => {
  const scope = suiteScope();
  let api: TestController;
  let wharf: (...args: string[]) => ReturnType<typeof runWharf>;
  before(async () => {
    api = await startTestController(scope);
    wharf = (...args) => runWharf(['--endpoint', api.url, ...args]);
  });

  test('register-task-definition --cli-input-json file:// registers the AWS example and warns about kept-but-unused fields', async (t) => {
    const dir = await tempDir(t);
    await writeFile(`${dir}/td.json`, JSON.stringify(AWS_TASK_DEFINITION_EXAMPLE, null, 2));
    const res = await wharf('ecs', 'register-task-definition', '--cli-input-json', `file://${dir}/td.json`);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`^hello_world:1 {2}ACTIVE {2}${TASK_DEFINITION_ARN_PREFIX}hello_world:1$`, 'm'));
    assert.match(res.stdout, /^warning: containerDefinitions\.0\.links is kept but not acted on yet: container links are not created$/m);

    const json = await wharf('--json', 'ecs', 'register-task-definition', '--cli-input-json', `file://${dir}/td.json`);
    assert.equal(json.code, 0, json.stderr);
    const body = JSON.parse(json.stdout);
    assert.equal(body.taskDefinition.revision, 2);
    assert.equal(body.taskDefinition.containerDefinitions[1].environment[0].value, 'password');
    assert.deepEqual(body.unsupportedFields, [{ field: 'containerDefinitions.0.links', reason: 'container links are not created' }]);
  });

  test('--family and --container-definitions flags, overriding --cli-input-json', async () => {
    const res = await wharf(
      '--json',
      'ecs',
      'register-task-definition',
      '--cli-input-json',
      JSON.stringify({ family: 'from-json', containerDefinitions: [{ name: 'x', image: 'x', memory: 8 }], cpu: '256' }),
      '--family',
      'cli-web',
      '--container-definitions',
      CONTAINERS,
      '--memory',
      '0.5 GB',
      '--tags',
      'key=team,value=web',
    );
    assert.equal(res.code, 0, res.stderr);
    const { taskDefinition, tags } = JSON.parse(res.stdout);
    assert.equal(taskDefinition.family, 'cli-web');
    assert.equal(taskDefinition.cpu, '256', 'kept from --cli-input-json');
    assert.equal(taskDefinition.memory, '512');
    assert.deepEqual(taskDefinition.containerDefinitions.map((c: any) => c.name), ['app']);
    assert.deepEqual(tags, [{ key: 'team', value: 'web' }]);
  });

  test('describe-task-definition: readable detail, --json, --include TAGS', async () => {
    const readable = await wharf('ecs', 'describe-task-definition', '--task-definition', 'hello_world');
    assert.equal(readable.code, 0, readable.stderr);
    assert.match(readable.stdout, new RegExp(`^hello_world:2 {2}ACTIVE {2}${TASK_DEFINITION_ARN_PREFIX}hello_world:2$`, 'm'), 'family alone is the latest ACTIVE revision');
    assert.match(readable.stdout, /network mode: bridge/);
    assert.match(readable.stdout, /^CONTAINER +IMAGE +ESSENTIAL +CPU +MEMORY +RESERVATION +PORTS$/m);
    assert.match(readable.stdout, /^wordpress +wordpress +yes +10 +500 +- +80->80\/tcp$/m);
    assert.match(readable.stdout, /^mysql +mysql +yes +10 +500 +- +-$/m);
    assert.match(readable.stdout, /^warning: containerDefinitions\.0\.links/m);

    const byArn = await wharf('--json', 'ecs', 'describe-task-definition', '--task-definition', `${TASK_DEFINITION_ARN_PREFIX}hello_world:1`);
    assert.equal(byArn.code, 0, byArn.stderr);
    const body = JSON.parse(byArn.stdout);
    assert.equal(body.taskDefinition.revision, 1);
    assert.equal(body.tags, undefined);

    const tagged = await wharf('--json', 'ecs', 'describe-task-definition', '--task-definition', 'cli-web:1', '--include', 'TAGS');
    assert.deepEqual(JSON.parse(tagged.stdout).tags, [{ key: 'team', value: 'web' }]);
    const taggedText = await wharf('ecs', 'describe-task-definition', '--task-definition', 'cli-web:1', '--include', 'TAGS');
    assert.match(taggedText.stdout, /^tags: team=web$/m);
    assert.match(taggedText.stdout, /^app +wharf\/process +yes +0 +64 +- +dynamic->8080\/tcp$/m);
  });

  test('list-task-definitions pages with --max-items/--starting-token (and the API\'s --max-results/--next-token); list-task-definition-families filters by status', async () => {
    const first = await wharf('ecs', 'list-task-definitions', '--family-prefix', 'hello', '--sort', 'DESC', '--max-items', '1');
    assert.equal(first.code, 0, first.stderr);
    const [line, more] = first.stdout.trim().split('\n');
    assert.equal(line, `${TASK_DEFINITION_ARN_PREFIX}hello_world:2`);
    const token = /^\(more: --starting-token (\S+)\)$/.exec(more ?? '')?.[1];
    assert.ok(token, first.stdout);
    const second = await wharf('ecs', 'list-task-definitions', '--family-prefix', 'hello', '--sort', 'DESC', '--max-items', '1', '--starting-token', token);
    assert.equal(second.stdout.trim(), `${TASK_DEFINITION_ARN_PREFIX}hello_world:1`);

    const page = await wharf('ecs', 'list-task-definitions', '--family-prefix', 'hello', '--sort', 'DESC', '--max-results', '1');
    const apiToken = /^\(more: --next-token (\S+)\)$/m.exec(page.stdout)?.[1];
    assert.ok(apiToken, page.stdout);
    const next = await wharf('ecs', 'list-task-definitions', '--family-prefix', 'hello', '--sort', 'DESC', '--max-results', '1', '--next-token', apiToken);
    assert.equal(next.stdout.trim(), `${TASK_DEFINITION_ARN_PREFIX}hello_world:1`, `${page.stdout} ${next.stderr}`);
    const mixed = await wharf('ecs', 'list-task-definitions', '--max-results', '1', '--starting-token', token);
    assert.equal(mixed.code, 1);
    assert.match(mixed.stderr, /Cannot specify --no-paginate .* along with pagination arguments: --starting-token/);

    const json = await wharf('--json', 'ecs', 'list-task-definitions');
    assert.deepEqual(JSON.parse(json.stdout).taskDefinitionArns, [`${TASK_DEFINITION_ARN_PREFIX}cli-web:1`, `${TASK_DEFINITION_ARN_PREFIX}hello_world:1`, `${TASK_DEFINITION_ARN_PREFIX}hello_world:2`]);

    const families = await wharf('ecs', 'list-task-definition-families');
    assert.equal(families.stdout, 'cli-web\nhello_world\n');
  });

  test('deregister-task-definition and delete-task-definitions, with failures printed', async () => {
    const deregistered = await wharf('ecs', 'deregister-task-definition', '--task-definition', 'cli-web:1');
    assert.equal(deregistered.code, 0, deregistered.stderr);
    assert.match(deregistered.stdout, /^cli-web:1 {2}INACTIVE {2}/);

    const inactive = await wharf('ecs', 'list-task-definition-families', '--status', 'INACTIVE');
    assert.equal(inactive.stdout, 'cli-web\n');

    const deleted = await wharf('ecs', 'delete-task-definitions', '--task-definitions', 'cli-web:1', 'hello_world:1', 'gone:7');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /^cli-web:1 {2}DELETE_IN_PROGRESS {2}/m);
    assert.match(deleted.stdout, new RegExp(`^failed: ${TASK_DEFINITION_ARN_PREFIX}hello_world:1: ACTIVE \\(.*deregister it first`, 'm'));
    assert.match(deleted.stdout, new RegExp(`^failed: ${TASK_DEFINITION_ARN_PREFIX}gone:7: MISSING`, 'm'));

    const json = await wharf('--json', 'ecs', 'delete-task-definitions', '--task-definitions', 'cli-web:1');
    assert.equal(JSON.parse(json.stdout).taskDefinitions[0].status, 'DELETE_IN_PROGRESS');
  });

  test('user errors: what was wrong and how to fix it, exit 1, no stack', async () => {
    const missing = await wharf('ecs', 'describe-task-definition', '--task-definition', 'never-registered');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^wharf: Task definition "never-registered" was not found: .*wharf ecs list-task-definitions/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack');

    const invalid = await wharf('ecs', 'register-task-definition', '--family', 'bad', '--container-definitions', JSON.stringify([{ name: 'a', image: 'x', memory: 64, essential: false }]), '--network-mode', 'awsvpc');
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /^wharf: The RegisterTaskDefinition request has 2 invalid fields/);
    assert.match(invalid.stderr, /^ {2}- networkMode: networkMode "awsvpc" is not supported yet/m);
    assert.match(invalid.stderr, /^ {2}- containerDefinitions: At least one container must be essential/m);

    const noRevision = await wharf('--json', 'ecs', 'deregister-task-definition', '--task-definition', 'hello_world');
    assert.equal(noRevision.code, 1);
    const { error } = JSON.parse(noRevision.stderr);
    assert.equal(error.code, 'WHARF_E_VALIDATION');
    assert.equal(error.errors[0].field, 'taskDefinition');

    const badJson = await wharf('ecs', 'register-task-definition', '--family', 'x', '--container-definitions', '[{nope');
    assert.equal(badJson.code, 1);
    assert.match(badJson.stderr, /^wharf: Error parsing parameter '--container-definitions': Invalid JSON: .*\nJSON received: \[\{nope/);

    const noFlag = await wharf('ecs', 'describe-task-definition');
    assert.equal(noFlag.code, 1);
    assert.match(noFlag.stderr, /the following arguments are required: --task-definition/);
  });
});
