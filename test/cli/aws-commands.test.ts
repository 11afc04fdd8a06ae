// The AWS CLI's grammar of `wharf`'s AWS-named commands, continued (aws-grammar.test.ts has
// shorthand, --tags, input and skeleton files, output formats and --query): paging, profiles and
// regions, bad input, and waiters on real services.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { CliResult } from '../support/cli.js';
import { assertOk, assertUserError, runWharf } from '../support/cli.js';
import type { TestController } from '../support/controller.js';
import { credentialsFor } from '../support/signing.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { NO_JMESPATH, startGrammarController } from '../support/wharf-aws.js';

describe('the AWS CLI grammar: paging, profiles, bad input, waiters', () => {
  const scope = suiteScope();
  let api: TestController;
  let wharf: (...args: string[]) => Promise<CliResult>;
  before(async () => {
    ({ api, wharf } = await startGrammarController(scope));
    // Clusters to page through, services to wait for.
    for (const name of ['page-a', 'page-b']) assertOk(await wharf('ecs', 'create-cluster', '--cluster-name', name), 'create-cluster');
    for (const name of ['web', 'web2']) assertOk(await wharf('ecs', 'create-service', '--service-name', name, '--task-definition', 'grammar', '--desired-count', '0'), 'create-service');
  });

  test('paging: --max-items and --starting-token, --page-size, --no-paginate', async () => {
    const all = JSON.parse(assertOk(await wharf('--json', 'ecs', 'list-clusters', '--page-size', '1'), 'page size 1').stdout).clusterArns as string[];
    assert.ok(all.length >= 3, 'every page followed');
    const first = JSON.parse(assertOk(await wharf('--json', 'ecs', 'list-clusters', '--max-items', '2', '--page-size', '1'), 'first').stdout);
    assert.deepEqual(first.clusterArns, all.slice(0, 2));
    assert.ok(first.NextToken);
    const rest = JSON.parse(assertOk(await wharf('--json', 'ecs', 'list-clusters', '--starting-token', first.NextToken), 'rest').stdout);
    assert.deepEqual(rest.clusterArns, all.slice(2));
    assert.equal(rest.NextToken, undefined);
    const one = JSON.parse(assertOk(await wharf('--json', '--no-paginate', 'ecs', 'list-clusters', '--max-results', '1'), 'no-paginate').stdout);
    assert.equal(one.clusterArns.length, 1);
    assert.ok(one.nextToken, "one call: the API's own token");
    assertUserError(await wharf('--no-paginate', 'ecs', 'list-clusters', '--max-items', '1'), /Cannot specify --no-paginate .*--max-items/);
  });

  test('--endpoint-url, --region and --profile from the AWS CLI config file', async (t) => {
    const dir = await tempDir(t);
    const key = credentialsFor(api.url)!;
    await writeFile(path.join(dir, 'config'), `[profile team]\nregion = eu-west-3\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`);
    const env = { HOME: dir, AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') };
    const res = await runWharf(['ecs', 'list-clusters', '--endpoint-url', api.url, '--profile', 'team', '--output', 'text'], { env: { ...env, AWS_PROFILE: 'team' } });
    assertOk(res, '--profile from the config file');
    assertOk(await runWharf(['ecs', 'list-clusters', '--endpoint-url', api.url, '--region', 'ap-south-1'], { env: { ...env, AWS_PROFILE: 'team' } }), '--region');
    const noProfile = await runWharf(['ecs', 'list-clusters', '--endpoint-url', api.url, '--profile', 'absent'], { env: { ...env, AWS_PROFILE: 'absent' } });
    assert.equal(noProfile.code, 1);
    assert.match(noProfile.stderr, /No credentials to sign the request with\. Looked in the profile "absent"/);
    assertOk(await wharf('ecs', 'list-clusters', '--color', 'off', '--no-cli-pager'), '--color and --no-cli-pager are accepted');
  });

  test('bad input: the option and the form it takes, exit 1, nothing sent', async () => {
    assertUserError(await wharf('ecs', 'create-service', '--service-name', 'x', '--task-definition', 'grammar', '--desired-count', 'three'), /Error parsing parameter '--desired-count': --desired-count: expected a number, got the string "three"/);
    assertUserError(await wharf('ecs', 'update-service', '--service', 'web', '--deployment-configuration', 'maximumPercent=lots'), /--deployment-configuration\.maximumPercent: expected a number/);
    assertUserError(await wharf('ecs', 'update-service', '--service', 'web', '--deployment-configuration', 'maximumPercent'), /Expected: '=', received: 'EOF' for input:\nmaximumPercent\n {14}\^/);
    assertUserError(await wharf('ecs', 'describe-services', '--services'), /--services expects one or more values/);
    assertUserError(await wharf('ecs', 'delete-cluster', '--cluster', 'a', 'b'), /Unexpected argument "b"/);
    assertUserError(await wharf('ecs', 'no-such-command'), /Unknown command "ecs no-such-command"/);
    assertUserError(await wharf('ecs', 'delete-service', '--force=yes', '--service', 'web'), /--force takes no value/);
    assertUserError(await wharf('elbv2', 'register-targets', '--target-group-arn', 'arn:x', '--targets', 'Port=80'), /--targets\[0\]: missing required key Id/);
    const help = assertOk(await wharf('ecs', 'update-service', 'help'), 'help');
    assert.match(help.stdout, /--deployment-configuration <minimumHealthyPercent=number,maximumPercent=number,deploymentCircuitBreaker=\{enable=boolean,rollback=boolean\}/);
  });

  test('wait services-stable on a real service, and a waiter failure', { skip: NO_JMESPATH }, async () => {
    const env = { WHARF_WAIT_DELAY_SECONDS: '0.2' };
    assertOk(await runWharf(['--endpoint', api.url, 'ecs', 'wait', 'services-stable', '--services', 'web', 'web2'], { env }), 'services-stable');
    const missing = await runWharf(['--endpoint', api.url, 'ecs', 'wait', 'services-stable', '--services', 'never'], { env });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Waiter ServicesStable failed: Waiter encountered a terminal failure state: For expression "failures\[\]\.reason" we matched expected path: "MISSING" at least once/);
    assertOk(await wharf('ecs', 'delete-service', '--service', 'web2', '--force'), 'delete');
    assertOk(await runWharf(['--endpoint', api.url, 'ecs', 'wait', 'services-inactive', '--services', 'web2'], { env }), 'services-inactive');
  });
});
