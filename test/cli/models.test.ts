// The CLI's models against the AWS CLI's own (botocore's data, as Debian's awscli installs it): the
// commands, options, paginators and waiters Wharf's CLI builds from its own tables have AWS's names.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as autoscalingSdk from '@aws-sdk/client-application-auto-scaling';
import * as ecsSdk from '@aws-sdk/client-ecs';
import * as ebSdk from '@aws-sdk/client-elastic-beanstalk';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing-v2';
import * as iamSdk from '@aws-sdk/client-iam';
import * as stsSdk from '@aws-sdk/client-sts';
import type { GroupCommands } from '../../src/cli/aws/command.js';
import { AWS_SERVICES } from '../../src/cli/aws/services.js';
import { cliName, loadModel, modelFile, plainOperations } from '../../src/cli/aws/model.js';
import { awsModel, awsPaginators, awsWaiters } from '../support/aws.js';
import { REPO_ROOT } from '../support/paths.js';

/** The SDK v3 clients, by command group: their exports name the current models' operations (`<Operation>Command`). */
const SDK: Readonly<Record<string, object>> = { ecs: ecsSdk, 'application-autoscaling': autoscalingSdk, elasticbeanstalk: ebSdk, elbv2: elbSdk, iam: iamSdk, sts: stsSdk };

/** The SDK v3 clients' packages, by command group. */
const SDK_PACKAGE: Readonly<Record<string, string>> = {
  ecs: 'client-ecs',
  'application-autoscaling': 'client-application-auto-scaling',
  elasticbeanstalk: 'client-elastic-beanstalk',
  elbv2: 'client-elastic-load-balancing-v2',
  iam: 'client-iam',
  sts: 'client-sts',
};

/**
 * The members of an operation's request in the SDK v3 client's current model, read from its type
 * declarations (`<Op>CommandInput extends <Request>`, then `interface <Request> { member?: … }`):
 * the AWS CLI 2.9.19's models predate some of them.
 */
function sdkRequestMembers(group: string, operation: string): string[] {
  const root = path.join(REPO_ROOT, 'node_modules', '@aws-sdk', SDK_PACKAGE[group] ?? '', 'dist-types');
  const command = readFileSync(path.join(root, 'commands', `${operation}Command.d.ts`), 'utf8');
  const request = new RegExp(`interface ${operation}CommandInput extends (\\w+)`).exec(command)?.[1];
  if (!request) return [];
  for (const file of readdirSync(path.join(root, 'models')).filter((name) => name.endsWith('.d.ts'))) {
    const text = readFileSync(path.join(root, 'models', file), 'utf8');
    const body = new RegExp(`export interface ${request} \\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1];
    if (body !== undefined) return [...body.matchAll(/^ {4}(\w+)\??:/gm)].map((m) => m[1]!);
  }
  return [];
}

for (const service of AWS_SERVICES) {
  test(`wharf ${service.group}: every command, option, paginator and waiter is the AWS CLI's`, async () => {
    const model = await loadModel(service);
    const group = service.group as Parameters<typeof awsModel>[0];
    const aws = awsModel(group);
    const paginators = awsPaginators(group);
    const waiters = awsWaiters(group);
    const unknown: string[] = [];
    const newer: string[] = [];
    for (const [name, op] of Object.entries(model.operations)) {
      const awsOp = aws.operations[name];
      if (!awsOp) {
        assert.ok(`${name}Command` in (SDK[group] ?? {}), `${service.group} ${name} is an operation of the AWS CLI's model or the SDK v3 client's`);
        newer.push(`${service.group} ${name}`);
        const current = sdkRequestMembers(service.group, name);
        for (const member of Object.keys(op.input.members)) if (!current.includes(member)) unknown.push(`${service.group} ${name}.${member}`);
        continue;
      }
      const awsMembers = Object.keys(aws.shapes[awsOp.input?.shape ?? '']?.members ?? {});
      const members = Object.keys(op.input.members);
      const current = members.some((member) => !awsMembers.includes(member)) ? sdkRequestMembers(service.group, name) : [];
      for (const member of members) if (!awsMembers.includes(member) && !current.includes(member)) unknown.push(`${service.group} ${name}.${member}`);
      const paginator = paginators[name];
      assert.deepEqual(
        op.paginator && { ...op.paginator },
        paginator && { inputToken: paginator.input_token, outputToken: paginator.output_token, limitKey: paginator.limit_key, resultKeys: [paginator.result_key].flat(), ...(paginator.more_results ? { moreResults: paginator.more_results } : {}) },
        `${service.group} ${name}: the AWS CLI's paginator`,
      );
    }
    assert.deepEqual(unknown, [], "options that are neither the AWS CLI's nor the SDK v3 client's");
    if (newer.length > 0) console.log(`# operations newer than the AWS CLI's model (in the SDK v3 client's): ${newer.join(', ')}`);
    for (const [name, waiter] of Object.entries(model.waiters)) {
      const awsName = Object.keys(waiters).find((w) => cliName(w) === name);
      assert.ok(awsName, `${service.group} wait ${name} is a waiter of the AWS CLI`);
      const expected = waiters[awsName]!;
      assert.equal(waiter.operation, expected.operation);
      assert.equal(waiter.delay, expected.delay, `${name}: delay`);
      assert.equal(waiter.maxAttempts, expected.maxAttempts, `${name}: attempts`);
      assert.deepEqual(waiter.acceptors.map((a) => ({ ...a })), expected.acceptors.map((a) => ({ ...a })), `${name}: acceptors in order`);
    }
    for (const [awsName, waiter] of Object.entries(waiters)) {
      if (model.operations[waiter.operation]) assert.ok(model.waiters[cliName(awsName)], `${service.group}: the AWS CLI's waiter ${cliName(awsName)} (its operation is served) is Wharf's too`);
    }
  });
}

test("option names are the AWS CLI's (botocore's xform_name)", () => {
  const cases: Record<string, string> = {
    TargetGroupArn: 'target-group-arn',
    deploymentConfiguration: 'deployment-configuration',
    ResourceARNs: 'resource-arns',
    HealthCheckIntervalSeconds: 'health-check-interval-seconds',
    CNAMEPrefix: 'cname-prefix',
    SwapEnvironmentCNAMEs: 'swap-environment-cnames',
    DescribeDNSName: 'describe-dns-name',
    MaxItems: 'max-items',
  };
  for (const [name, expected] of Object.entries(cases)) assert.equal(cliName(name), expected, name);
});

test("the build's models (npm run build) are the request schemas' shapes, read now", async () => {
  for (const service of AWS_SERVICES) {
    const built: unknown = JSON.parse(readFileSync(modelFile(service.group), 'utf8'));
    assert.deepEqual(built, JSON.parse(JSON.stringify(await plainOperations(service))), `${service.group}: rebuild with npm run build`);
  }
});

test('every command of every AWS-named group has a description for --help', async () => {
  for (const service of AWS_SERVICES) {
    const [model, commands] = await Promise.all([loadModel(service), service.commands?.() ?? Promise.resolve<GroupCommands>({})]);
    const undescribed = Object.keys(model.operations).filter((name) => !commands[name]?.description);
    assert.deepEqual(undescribed, [], `${service.group}: src/cli/commands/${service.group}/index.ts`);
  }
});
