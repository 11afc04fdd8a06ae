// Elastic Beanstalk's operations of issue 13's third point through the AWS SDK v3 client
// (@aws-sdk/client-elastic-beanstalk, the Query protocol), unmodified, against a controller with an
// agent running one SingleInstance environment: the platforms with this host's runtime versions
// and EB's filters, UpdateApplicationVersion, UpdateConfigurationTemplate,
// DeleteEnvironmentConfiguration, tags on the four kinds, Request/RetrieveEnvironmentInfo with
// presigned links fetched by curl, managed actions; bad input as the model's error codes. The
// client's parsing is the judge (Dates, exception names).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { before, describe, test } from 'node:test';
import {
  CreateApplicationCommand,
  CreateConfigurationTemplateCommand,
  CreateEnvironmentCommand,
  DeleteEnvironmentConfigurationCommand,
  DescribeApplicationVersionsCommand,
  DescribeConfigurationSettingsCommand,
  DescribeEnvironmentManagedActionHistoryCommand,
  DescribeEnvironmentManagedActionsCommand,
  DescribeEnvironmentsCommand,
  DescribePlatformVersionCommand,
  ElasticBeanstalkClient,
  ListAvailableSolutionStacksCommand,
  ListPlatformBranchesCommand,
  ListPlatformVersionsCommand,
  ListTagsForResourceCommand,
  RequestEnvironmentInfoCommand,
  RetrieveEnvironmentInfoCommand,
  UpdateApplicationVersionCommand,
  UpdateConfigurationTemplateCommand,
  UpdateTagsForResourceCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import type { TestCluster } from '../support/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import { failure, sdkClient } from '../support/sdk.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { createVersion, readyOn, writeNodeApp } from '../platform/support.js';

const run = promisify(execFile);

/** An app that writes 150 numbered lines at start and one per request. */
const LOGGING_SERVER = `const http = require('http');
for (let i = 1; i <= 150; i++) console.log('log line ' + i);
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { console.log('served ' + req.url); res.end('ok\\n'); });
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const versionOf = async (command: string) => /(\d+(?:\.\d+)+)/.exec((await run(command, ['--version'])).stdout + '')?.[1];

describe('Elastic Beanstalk through the SDK v3 client: platforms, tags, templates, environment info', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let eb: ElasticBeanstalkClient;
  let environmentId: string;
  let environmentArn: string;
  let applicationArn: string;

  before(async () => {
    cluster = await startTestCluster(scope, { serviceSettleMs: 500 });
    await cluster.startAgent({ hostId: 'eb-sdk-host' });
    eb = sdkClient(scope, ElasticBeanstalkClient, cluster.controller.url);
    const created = await eb.send(new CreateApplicationCommand({ ApplicationName: 'sdk-app', Tags: [{ Key: 'team', Value: 'web' }] }));
    applicationArn = created.Application!.ApplicationArn!;
    const source = path.join(await tempDir(scope), 'app');
    await writeNodeApp(source, 'v1', { 'server.js': LOGGING_SERVER });
    await createVersion(cluster, scope, 'sdk-app', 'v1', source);
    const env = await eb.send(
      new CreateEnvironmentCommand({
        ApplicationName: 'sdk-app',
        EnvironmentName: 'sdk-env',
        VersionLabel: 'v1',
        SolutionStackName: 'Node.js running on Wharf',
        OptionSettings: [{ Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' }],
        Tags: [{ Key: 'stage', Value: 'test' }],
      }),
    );
    // EB names the version being launched at once, before it serves.
    assert.deepEqual([env.Status, env.VersionLabel], ['Launching', 'v1']);
    environmentId = env.EnvironmentId!;
    environmentArn = env.EnvironmentArn!;
    await readyOn(cluster, 'sdk-env', 'v1');
  });

  test("ListPlatformVersions answers this host's Node.js and Python with their real versions, filtered as EB's; DescribePlatformVersion and the environment's PlatformArn agree", async () => {
    const [node, python] = [await versionOf('node'), await versionOf('python3')];
    const all = (await eb.send(new ListPlatformVersionsCommand({}))).PlatformSummaryList!;
    const nodeSummary = all.find((p) => p.PlatformCategory === 'Node.js');
    assert.ok(nodeSummary, JSON.stringify(all));
    assert.equal(nodeSummary.PlatformVersion, node);
    assert.equal(nodeSummary.PlatformArn, `arn:wharf:elasticbeanstalk:local::platform/Node.js ${node!.split('.')[0]} running on Wharf/${node}`);
    assert.equal(nodeSummary.PlatformStatus, 'Ready');
    assert.deepEqual(nodeSummary.SupportedTierList, ['WebServer/Standard']);
    assert.equal(all.find((p) => p.PlatformCategory === 'Python')?.PlatformVersion, python);

    const filtered = async (Filters: { Type: string; Operator: string; Values: string[] }[]) => (await eb.send(new ListPlatformVersionsCommand({ Filters }))).PlatformSummaryList!.map((p) => p.PlatformCategory);
    assert.deepEqual(await filtered([{ Type: 'PlatformName', Operator: 'begins_with', Values: ['Node.js'] }]), ['Node.js']);
    assert.deepEqual(await filtered([{ Type: 'ProgrammingLanguageName', Operator: '=', Values: ['Python'] }, { Type: 'PlatformVersion', Operator: '>=', Values: ['3.0'] }]), ['Python']);
    assert.deepEqual(await filtered([{ Type: 'PlatformVersion', Operator: '>', Values: [python!] }, { Type: 'ProgrammingLanguageName', Operator: '=', Values: ['Python'] }]), []);
    assert.deepEqual(await filtered([{ Type: 'PlatformLifecycleState', Operator: '=', Values: ['recommended'] }, { Type: 'PlatformOwner', Operator: '!=', Values: ['AWSElasticBeanstalk'] }]), []);
    assert.ok((await filtered([{ Type: 'SupportedAddon', Operator: '=', Values: ['Log/S3'] }])).includes('Python'));
    const first = await eb.send(new ListPlatformVersionsCommand({ MaxRecords: 1 }));
    assert.equal(first.PlatformSummaryList!.length, 1);
    const second = await eb.send(new ListPlatformVersionsCommand({ MaxRecords: 1, NextToken: first.NextToken! }));
    assert.notEqual(second.PlatformSummaryList![0]!.PlatformArn, first.PlatformSummaryList![0]!.PlatformArn);

    const { PlatformDescription } = await eb.send(new DescribePlatformVersionCommand({ PlatformArn: nodeSummary.PlatformArn! }));
    assert.equal(PlatformDescription!.SolutionStackName, 'Node.js running on Wharf');
    assert.deepEqual(PlatformDescription!.ProgrammingLanguages, [{ Name: 'Node.js', Version: node }]);
    const { Environments } = await eb.send(new DescribeEnvironmentsCommand({ EnvironmentIds: [environmentId] }));
    assert.equal(Environments![0]!.PlatformArn, nodeSummary.PlatformArn, "the environment names its platform version's ARN");

    const bad = await failure(eb.send(new ListPlatformVersionsCommand({ Filters: [{ Type: 'Colour', Operator: '=', Values: ['red'] }] })));
    assert.equal(bad.name, 'InvalidParameterValue');
    assert.match(bad.message, /Filters\.0\.Type|Type is one of/);
    assert.equal((await failure(eb.send(new ListPlatformVersionsCommand({ Filters: [{ Type: 'PlatformName', Operator: '=', Values: ['a', 'b'] }] })))).name, 'InvalidParameterValue');
    const unknown = await failure(eb.send(new DescribePlatformVersionCommand({ PlatformArn: 'arn:wharf:elasticbeanstalk:local::platform/Ruby 3 running on Wharf/3.2.0' })));
    assert.equal(unknown.name, 'InvalidParameterValue');
    assert.match(unknown.message, /PlatformArn/);
  });

  test('ListPlatformBranches and ListAvailableSolutionStacks', async () => {
    const node = await versionOf('node');
    const branches = (await eb.send(new ListPlatformBranchesCommand({}))).PlatformBranchSummaryList!;
    const nodeBranch = branches.find((b) => b.PlatformName === 'Node.js');
    assert.equal(nodeBranch?.BranchName, `Node.js ${node!.split('.')[0]} running on Wharf`);
    assert.equal(nodeBranch?.LifecycleState, 'Supported');
    const only = await eb.send(new ListPlatformBranchesCommand({ Filters: [{ Attribute: 'LifecycleState', Operator: 'in', Values: ['supported', 'beta'] }, { Attribute: 'PlatformName', Operator: '=', Values: ['Python'] }] }));
    assert.deepEqual(only.PlatformBranchSummaryList!.map((b) => b.PlatformName), ['Python']);
    assert.deepEqual((await eb.send(new ListPlatformBranchesCommand({ Filters: [{ Attribute: 'TierType', Operator: '=', Values: ['Worker/SQS/HTTP'] }] }))).PlatformBranchSummaryList, []);
    const bad = await failure(eb.send(new ListPlatformBranchesCommand({ Filters: [{ Attribute: 'BranchName', Operator: '<', Values: ['x'] }] })));
    assert.equal(bad.name, 'InvalidParameterValue');
    assert.match(bad.message, /Operator for BranchName/);

    const stacks = await eb.send(new ListAvailableSolutionStacksCommand({}));
    assert.deepEqual(stacks.SolutionStacks, ['Node.js running on Wharf', 'Python running on Wharf', 'Docker running on Wharf']);
    assert.ok(stacks.SolutionStackDetails![0]!.PermittedFileTypes!.includes('zip'));
  });

  test('UpdateApplicationVersion, UpdateConfigurationTemplate (validated as Create), DeleteEnvironmentConfiguration', async () => {
    const updated = await eb.send(new UpdateApplicationVersionCommand({ ApplicationName: 'sdk-app', VersionLabel: 'v1', Description: 'the first' }));
    assert.equal(updated.ApplicationVersion!.Description, 'the first');
    assert.ok(updated.ApplicationVersion!.DateUpdated instanceof Date);
    assert.equal((await eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: 'sdk-app', VersionLabels: ['v1'] }))).ApplicationVersions![0]!.Description, 'the first');
    assert.equal((await failure(eb.send(new UpdateApplicationVersionCommand({ ApplicationName: 'sdk-app', VersionLabel: 'nope', Description: 'x' })))).name, 'InvalidParameterValue');

    await eb.send(
      new CreateConfigurationTemplateCommand({
        ApplicationName: 'sdk-app',
        TemplateName: 'base',
        OptionSettings: [
          { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'hi' },
          { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'OLD', Value: 'x' },
        ],
      }),
    );
    const template = await eb.send(
      new UpdateConfigurationTemplateCommand({
        ApplicationName: 'sdk-app',
        TemplateName: 'base',
        Description: 'changed',
        OptionSettings: [{ Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'hello' }],
        OptionsToRemove: [{ Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'OLD' }],
      }),
    );
    assert.equal(template.Description, 'changed');
    const settings = (await eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: 'sdk-app', TemplateName: 'base' }))).ConfigurationSettings![0]!.OptionSettings!;
    assert.deepEqual(settings.map((s) => `${s.OptionName}=${s.Value}`), ['GREETING=hello']);
    const invalid = await failure(
      eb.send(new UpdateConfigurationTemplateCommand({ ApplicationName: 'sdk-app', TemplateName: 'base', OptionSettings: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: 'many' }] })),
    );
    assert.equal(invalid.name, 'ConfigurationValidationException');
    assert.match(invalid.message, /MinSize/);
    const after = (await eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: 'sdk-app', TemplateName: 'base' }))).ConfigurationSettings![0]!.OptionSettings!;
    assert.deepEqual(after, settings, 'nothing was written');
    assert.equal((await failure(eb.send(new UpdateConfigurationTemplateCommand({ ApplicationName: 'sdk-app', TemplateName: 'none' })))).name, 'InvalidParameterValue');

    await eb.send(new DeleteEnvironmentConfigurationCommand({ ApplicationName: 'sdk-app', EnvironmentName: 'sdk-env' }));
    assert.equal((await failure(eb.send(new DeleteEnvironmentConfigurationCommand({ ApplicationName: 'sdk-app', EnvironmentName: 'no-such-env' })))).name, 'InvalidParameterValue');
  });

  test('tags on applications, versions, environments and saved configurations; the models\' errors', async () => {
    const tagsOf = async (ResourceArn: string) => (await eb.send(new ListTagsForResourceCommand({ ResourceArn }))).ResourceTags!.map((t) => `${t.Key}=${t.Value}`);
    assert.deepEqual(await tagsOf(applicationArn), ['team=web'], "CreateApplication's tags are kept");
    assert.deepEqual(await tagsOf(environmentArn), ['stage=test']);
    await eb.send(new UpdateTagsForResourceCommand({ ResourceArn: applicationArn, TagsToAdd: [{ Key: 'owner', Value: 'ops' }, { Key: 'team', Value: 'api' }] }));
    assert.deepEqual(await tagsOf(applicationArn), ['owner=ops', 'team=api']);
    await eb.send(new UpdateTagsForResourceCommand({ ResourceArn: applicationArn, TagsToRemove: ['owner'] }));
    assert.deepEqual(await tagsOf(applicationArn), ['team=api']);
    await eb.send(new UpdateTagsForResourceCommand({ ResourceArn: environmentArn, TagsToAdd: [{ Key: 'cost', Value: '1' }], TagsToRemove: ['stage'] }));
    assert.deepEqual(await tagsOf(environmentArn), ['cost=1']);
    const versionArn = (await eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: 'sdk-app' }))).ApplicationVersions![0]!.ApplicationVersionArn!;
    await eb.send(new UpdateTagsForResourceCommand({ ResourceArn: versionArn, TagsToAdd: [{ Key: 'release', Value: '1.0' }] }));
    assert.deepEqual(await tagsOf(versionArn), ['release=1.0']);
    const templateArn = applicationArn.replace(':application/sdk-app', ':configurationtemplate/sdk-app/tagged');
    await eb.send(new CreateConfigurationTemplateCommand({ ApplicationName: 'sdk-app', TemplateName: 'tagged', Tags: [{ Key: 'kind', Value: 'saved' }] }));
    assert.deepEqual(await tagsOf(templateArn), ['kind=saved']);

    const platformArn = (await eb.send(new ListPlatformVersionsCommand({}))).PlatformSummaryList![0]!.PlatformArn!;
    assert.equal((await failure(eb.send(new ListTagsForResourceCommand({ ResourceArn: platformArn })))).name, 'ResourceTypeNotSupportedException');
    assert.equal((await failure(eb.send(new ListTagsForResourceCommand({ ResourceArn: applicationArn.replace('sdk-app', 'missing-app') })))).name, 'ResourceNotFoundException');
    assert.equal((await failure(eb.send(new ListTagsForResourceCommand({ ResourceArn: 'not-an-arn' })))).name, 'InvalidParameterValue');
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const tooMany = await failure(eb.send(new UpdateTagsForResourceCommand({ ResourceArn: applicationArn, TagsToAdd: many })));
    assert.equal(tooMany.name, 'TooManyTagsException');
    assert.deepEqual(await tagsOf(applicationArn), ['team=api'], 'nothing was changed');
    const reserved = await failure(eb.send(new UpdateTagsForResourceCommand({ ResourceArn: applicationArn, TagsToAdd: [{ Key: 'aws:owner', Value: 'x' }] })));
    assert.equal(reserved.name, 'InvalidParameterValue');
    assert.match(reserved.message, /reserved/);
  });

  test('RequestEnvironmentInfo and RetrieveEnvironmentInfo: tail and bundle as presigned links curl fetches; a changed link is refused', async () => {
    assert.deepEqual((await eb.send(new RetrieveEnvironmentInfoCommand({ EnvironmentName: 'sdk-env', InfoType: 'tail' }))).EnvironmentInfo, [], 'nothing before a request');
    await eb.send(new RequestEnvironmentInfoCommand({ EnvironmentName: 'sdk-env', InfoType: 'tail' }));
    const { EnvironmentInfo } = await eb.send(new RetrieveEnvironmentInfoCommand({ EnvironmentId: environmentId, InfoType: 'tail' }));
    assert.equal(EnvironmentInfo!.length, 1, JSON.stringify(EnvironmentInfo));
    const info = EnvironmentInfo![0]!;
    assert.equal(info.InfoType, 'tail');
    assert.ok(info.SampleTimestamp instanceof Date);
    assert.match(info.Message!, /^http:\/\/127\.0\.0\.1:\d+\/elasticbeanstalk-local-\d{12}\/resources\/environments\/logs\/tail\/e-\w+\/.+X-Amz-Signature=/);
    const tail = (await run('curl', ['-sS', '--fail', info.Message!])).stdout;
    assert.match(tail, /log line 150\n/);
    assert.doesNotMatch(tail, /log line 50\n/, 'a tail has the last 100 lines');
    assert.equal(tail.trim().split('\n').length, 100);
    const tampered = info.Message!.replace('TailLogs', 'TailLogz');
    assert.equal((await fetch(tampered)).status, 403);

    await eb.send(new RequestEnvironmentInfoCommand({ EnvironmentName: 'sdk-env', InfoType: 'bundle' }));
    const bundle = (await eb.send(new RetrieveEnvironmentInfoCommand({ EnvironmentName: 'sdk-env', InfoType: 'bundle' }))).EnvironmentInfo!;
    assert.equal(bundle.length, 1);
    const zip = Buffer.from(await (await fetch(bundle[0]!.Message!)).arrayBuffer());
    assert.equal(zip.subarray(0, 2).toString(), 'PK', 'a zip');
    assert.ok(zip.includes(Buffer.from('var/log/web.stdout.log')), 'named as on an instance');

    assert.equal((await failure(eb.send(new RequestEnvironmentInfoCommand({ EnvironmentName: 'no-such-env', InfoType: 'tail' })))).name, 'InvalidParameterValue');
    const badType = await failure(eb.send(new RequestEnvironmentInfoCommand({ EnvironmentName: 'sdk-env', InfoType: 'everything' as never })));
    assert.equal(badType.name, 'InvalidParameterValue');
    assert.match(badType.message, /InfoType/);
  });

  test('managed actions: none, for an environment that exists', async () => {
    assert.deepEqual((await eb.send(new DescribeEnvironmentManagedActionsCommand({ EnvironmentName: 'sdk-env' }))).ManagedActions, []);
    assert.deepEqual((await eb.send(new DescribeEnvironmentManagedActionHistoryCommand({ EnvironmentId: environmentId, MaxItems: 10 }))).ManagedActionHistoryItems, []);
    assert.equal((await failure(eb.send(new DescribeEnvironmentManagedActionsCommand({ EnvironmentName: 'no-such-env' })))).name, 'InvalidParameterValue');
    assert.equal((await failure(eb.send(new DescribeEnvironmentManagedActionHistoryCommand({ EnvironmentName: 'sdk-env', MaxItems: 0 })))).name, 'InvalidParameterValue');
  });
});
