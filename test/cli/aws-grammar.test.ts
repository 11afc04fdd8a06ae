// The AWS CLI's grammar of `wharf`'s AWS-named commands, the real executable against a real
// controller: shorthand typed by the model, lists as words, the --tags mis-parse fixed, input and
// skeleton files, output formats, --query, paging, profiles, waiters, and bad input.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { CliResult } from '../support/cli.js';
import { assertOk, assertUserError } from '../support/cli.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { NO_JMESPATH, startGrammarController } from '../support/wharf-aws.js';

describe('the AWS CLI grammar', () => {
  const scope = suiteScope();
  let wharf: (...args: string[]) => Promise<CliResult>;
  before(async () => {
    ({ wharf } = await startGrammarController(scope));
  });

  test('--tags takes one shorthand structure per word; the old mis-parse is an error and creates nothing', async () => {
    const created = assertOk(await wharf('--json', 'ecs', 'create-cluster', '--cluster-name', 'tagged', '--tags', 'key=team,value=web', 'key=env,value=prod'), 'create-cluster');
    assert.deepEqual(JSON.parse(created.stdout).cluster.tags, [
      { key: 'team', value: 'web' },
      { key: 'env', value: 'prod' },
    ]);
    assertUserError(await wharf('ecs', 'create-cluster', '--cluster-name', 'mis-tagged', '--tags', 'key=team,value=web,x'), /Error parsing parameter '--tags': --tags\[0\]\.value: expected one value, got the list web, x/);
    assertUserError(await wharf('ecs', 'create-cluster', '--cluster-name', 'mis-tagged', '--tags', 'team=web'), /--tags\[0\]: unknown key "team"; valid keys are key, value/);
    const missing = JSON.parse(assertOk(await wharf('--json', 'ecs', 'describe-clusters', '--clusters', 'mis-tagged'), 'describe').stdout);
    assert.equal(missing.failures[0].reason, 'MISSING', 'nothing was created');
    const json = assertOk(await wharf('--json', 'ecs', 'create-cluster', '--cluster-name', 'json-tagged', '--tags', '[{"key":"a","value":"b"}]'), 'JSON tags');
    assert.deepEqual(JSON.parse(json.stdout).cluster.tags, [{ key: 'a', value: 'b' }]);
  });

  test('a structure option in shorthand, lists as repeated words, booleans as flags', async () => {
    const created = assertOk(
      await wharf('--json', 'ecs', 'create-service', '--service-name', 'web', '--task-definition', 'grammar', '--desired-count', '0', '--deployment-configuration', 'maximumPercent=200,minimumHealthyPercent=50,deploymentCircuitBreaker={enable=true,rollback=false}'),
      'create-service',
    );
    assert.deepEqual(JSON.parse(created.stdout).service.deploymentConfiguration, { maximumPercent: 200, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: false } });
    assertOk(await wharf('ecs', 'create-service', '--service-name', 'web2', '--task-definition', 'grammar', '--desired-count', '0'), 'create-service web2');
    const described = JSON.parse(assertOk(await wharf('--json', 'ecs', 'describe-services', '--services', 'web', 'web2', 'nope'), 'describe-services').stdout);
    assert.deepEqual(described.services.map((s: any) => s.serviceName), ['web', 'web2']);
    assert.equal(described.failures[0].reason, 'MISSING');
    const updated = JSON.parse(assertOk(await wharf('--json', 'ecs', 'update-service', '--service', 'web', '--deployment-configuration', '{"maximumPercent":300,"minimumHealthyPercent":50}', '--no-force-new-deployment'), 'update-service').stdout);
    assert.equal(updated.service.deploymentConfiguration.maximumPercent, 300);
  });

  test('--cli-input-json and --cli-input-yaml (inline or file://), options over them; --generate-cli-skeleton', async (t) => {
    const dir = await tempDir(t);
    await writeFile(path.join(dir, 'cluster.yaml'), 'clusterName: from-yaml\ntags:\n  - key: source\n    value: yaml\n');
    const yaml = JSON.parse(assertOk(await wharf('--json', 'ecs', 'create-cluster', '--cli-input-yaml', `file://${path.join(dir, 'cluster.yaml')}`), 'yaml').stdout);
    assert.equal(yaml.cluster.clusterName, 'from-yaml');
    assert.deepEqual(yaml.cluster.tags, [{ key: 'source', value: 'yaml' }]);
    const inline = JSON.parse(assertOk(await wharf('--json', 'ecs', 'create-cluster', '--cli-input-json', '{"clusterName":"from-json"}', '--cluster-name', 'from-flag'), 'json').stdout);
    assert.equal(inline.cluster.clusterName, 'from-flag');
    assertUserError(await wharf('ecs', 'create-cluster', '--cli-input-json', '{"clusterNam":"typo"}'), /--cli-input-json: unknown key "clusterNam"; valid keys are clusterName, tags/);

    const skeleton = JSON.parse(assertOk(await wharf('ecs', 'create-service', '--generate-cli-skeleton'), 'skeleton').stdout);
    assert.equal(skeleton.serviceName, '');
    assert.equal(skeleton.desiredCount, 0);
    assert.deepEqual(skeleton.deploymentConfiguration.deploymentCircuitBreaker, { enable: true, rollback: true });
    // The CLI's shapes are Wharf's requests: an answer's skeleton is refused, saying where to look instead.
    assertUserError(await wharf('ecs', 'list-clusters', '--generate-cli-skeleton', 'output'), /--generate-cli-skeleton output: .*run the command with --output json/);
    assert.match(assertOk(await wharf('ecs', 'create-cluster', '--generate-cli-skeleton', 'yaml-input'), 'yaml skeleton').stdout, /^clusterName: ""$/m);
    // The skeleton, filled in, is a request.
    await writeFile(path.join(dir, 'req.json'), JSON.stringify({ ...JSON.parse(assertOk(await wharf('ecs', 'delete-cluster', '--generate-cli-skeleton'), 'skeleton').stdout), cluster: 'from-yaml' }));
    assertOk(await wharf('ecs', 'delete-cluster', '--cli-input-json', `file://${path.join(dir, 'req.json')}`), 'delete from the skeleton');
  });

  test('--output text, table and yaml on real answers', async () => {
    const text = assertOk(await wharf('ecs', 'list-clusters', '--output', 'text'), 'text').stdout;
    assert.match(text, /^CLUSTERARNS\tarn:wharf:ecs:local:000000000000:cluster\/default$/m);
    assert.ok(text.split('\n').filter(Boolean).every((line) => line.startsWith('CLUSTERARNS\t')), text);
    const services = assertOk(await wharf('ecs', 'describe-services', '--services', 'web', '--output', 'text'), 'services text').stdout;
    assert.match(services, /^SERVICES\t.*\tweb\t/m);
    assert.match(services, /^DEPLOYMENTCONFIGURATION\t300\t50$/m);
    const table = assertOk(await wharf('ecs', 'describe-clusters', '--clusters', 'tagged', '--output', 'table'), 'table').stdout;
    assert.match(table, /^\|\s+DescribeClusters\s+\|$/m);
    assert.match(table, /\|\s+clusterName\s+\|/);
    assert.match(table, /\|\s+tagged\s+\|/);
    const yaml = assertOk(await wharf('ecs', 'list-clusters', '--output', 'yaml'), 'yaml').stdout;
    assert.match(yaml, /^clusterArns:\n {2}- arn:wharf:ecs:/m);
    const json = assertOk(await wharf('ecs', 'list-clusters', '--output', 'json'), 'json').stdout;
    assert.match(json, /^\{\n {4}"clusterArns": \[\n {8}"arn:/);
    assertUserError(await wharf('ecs', 'list-clusters', '--output', 'xml'), /--output takes json, text, table, yaml, not "xml"/);
  });

  test('--query on real answers', { skip: NO_JMESPATH }, async () => {
    const names = assertOk(await wharf('ecs', 'describe-services', '--services', 'web', 'web2', '--query', 'services[].serviceName', '--output', 'text'), 'query').stdout;
    assert.equal(names, 'web\tweb2\n');
    const json = JSON.parse(assertOk(await wharf('ecs', 'describe-clusters', '--clusters', 'tagged', '--query', 'clusters[0].tags[?key==`team`].value | [0]'), 'query json').stdout);
    assert.equal(json, 'web');
    assertUserError(await wharf('ecs', 'list-clusters', '--query', 'clusterArns[?'), /Bad value for --query/);
  });
});
