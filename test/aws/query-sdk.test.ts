// The AWS SDK for JavaScript v3 clients of the Query protocol (@aws-sdk/client-elastic-beanstalk,
// client-elastic-load-balancing-v2, client-iam), unmodified, against a controller with an agent
// and a router: every operation Wharf has for each service (read from the route table: none is
// left out), each client's own parsing the judge (Dates, lists, numbers, booleans, nested option
// settings and attributes), bad input answered with the models' error codes and statuses, and a
// request id on every answer, success or error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { InitializeHandler, InitializeHandlerArguments, HandlerExecutionContext, MiddlewareStack } from '@smithy/types';
import {
  AbortEnvironmentUpdateCommand,
  CheckDNSAvailabilityCommand,
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateConfigurationTemplateCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DeleteApplicationCommand,
  DeleteApplicationVersionCommand,
  DeleteConfigurationTemplateCommand,
  DescribeApplicationsCommand,
  DescribeApplicationVersionsCommand,
  DescribeConfigurationOptionsCommand,
  DescribeConfigurationSettingsCommand,
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentResourcesCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  DescribeInstancesHealthCommand,
  ElasticBeanstalkClient,
  OperationInProgressException,
  RebuildEnvironmentCommand,
  RestartAppServerCommand,
  SwapEnvironmentCNAMEsCommand,
  TerminateEnvironmentCommand,
  UpdateApplicationCommand,
  UpdateEnvironmentCommand,
  ValidateConfigurationSettingsCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import type { EnvironmentDescription } from '@aws-sdk/client-elastic-beanstalk';
import {
  CreateListenerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  DuplicateListenerException,
  DuplicateTargetGroupNameException,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  PriorityInUseException,
  RegisterTargetsCommand,
  ResourceInUseException,
  RuleNotFoundException,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteConflictException,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DeletePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachUserPolicyCommand,
  EntityAlreadyExistsException,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListPoliciesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SimulatePrincipalPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { QUERY_OPERATIONS } from '../../src/controller/api/aws/query.js';
import type { AwsQueryService } from '../../src/model/api/aws/query-protocol.js';
import type { TestCluster } from '../support/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { REPO_ROOT } from '../support/paths.js';
import { fails, recentDate, sdkClient } from '../support/sdk.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { uploadBundle, writeFailingNodeApp, writeNodeApp } from '../platform/support.js';

/** Every operation each service's client sent, and the request ids its answers carried. */
const sent: Record<AwsQueryService, Set<string>> = { elasticbeanstalk: new Set(), elasticloadbalancing: new Set(), iam: new Set(), sts: new Set() };

/** Records each command the client sends, and checks each answer carries its request id. */
function recordCommands(client: { middlewareStack: MiddlewareStack<any, any> }, service: AwsQueryService): void {
  client.middlewareStack.add(
    (next: InitializeHandler<any, any>, context: HandlerExecutionContext) => async (args: InitializeHandlerArguments<any>) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      sent[service].add(operation);
      const result = await next(args);
      const metadata = (result.output as { $metadata?: { requestId?: string } }).$metadata;
      assert.match(metadata?.requestId ?? '', /\S/, `${operation} answered with its request id`);
      return result;
    },
    { step: 'initialize', name: 'wharfRecordCommands' },
  );
}

/**
 * The operations Wharf has for a Query service that this file did not call: each must be called
 * by the service's own SDK test (`eb-sdk.test.ts`, `elbv2-sdk.test.ts`, IAM's roles in
 * `../identity/roles.test.ts`), as a `<Operation>Command`
 * there, so that every operation is called through its SDK client somewhere.
 */
function notCalledAnywhere(service: AwsQueryService, sent: ReadonlySet<string>, ownTest: string | undefined): string[] {
  const elsewhere = ownTest === undefined ? '' : readFileSync(path.join(REPO_ROOT, 'test', 'aws', ownTest), 'utf8');
  return wharfOperations(service).filter((operation) => !sent.has(operation) && !elsewhere.includes(`new ${operation}Command(`));
}

/** The operations Wharf has for a Query service: its native routes' names. */
function wharfOperations(service: AwsQueryService): string[] {
  return Object.keys(QUERY_OPERATIONS[service]).sort();
}

const SOLUTION_STACK = '64bit Amazon Linux 2023 v6.1.0 running Node.js 20';

describe('the AWS SDK v3 Query-protocol clients against Wharf', { concurrency: true }, () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let eb: ElasticBeanstalkClient;
  let elb: ElasticLoadBalancingV2Client;
  let iam: IAMClient;

  before(async () => {
    cluster = await startTestCluster(scope, { serviceSettleMs: 200 });
    await cluster.startAgent({ hostId: 'query-sdk-host', cpu: 16_384, memory: 65_536 });
    await startTestRouter(scope, cluster.controller);
    eb = sdkClient(scope, ElasticBeanstalkClient, cluster.controller.url);
    elb = sdkClient(scope, ElasticLoadBalancingV2Client, cluster.controller.url);
    iam = sdkClient(scope, IAMClient, cluster.controller.url);
    recordCommands(eb, 'elasticbeanstalk');
    recordCommands(elb, 'elasticloadbalancing');
    recordCommands(iam, 'iam');
  });

  test('Elastic Beanstalk: every operation, its Dates, lists, numbers, booleans and option settings; its error codes', async () => {
    const { S3Bucket } = await eb.send(new CreateStorageLocationCommand({}));
    assert.match(S3Bucket ?? '', /^elasticbeanstalk-/);

    const { Application } = await eb.send(new CreateApplicationCommand({ ApplicationName: 'sdk-app', Description: 'first', Tags: [{ Key: 'team', Value: 'web' }] }));
    recentDate(Application?.DateCreated, 'Application.DateCreated');
    assert.ok(Array.isArray(Application?.ConfigurationTemplates), 'ConfigurationTemplates is a list');
    await fails(eb.send(new CreateApplicationCommand({ ApplicationName: 'sdk-app' })), { name: 'InvalidParameterValue', message: /sdk-app/ });
    assert.equal((await eb.send(new UpdateApplicationCommand({ ApplicationName: 'sdk-app', Description: 'second' }))).Application?.Description, 'second');
    const applications = (await eb.send(new DescribeApplicationsCommand({ ApplicationNames: ['sdk-app', 'nowhere'] }))).Applications ?? [];
    assert.deepEqual(applications.map((a) => [a.ApplicationName, a.Description]), [['sdk-app', 'second']]);

    const folder = await tempDir(scope);
    // v3 never passes its health check: its deployment stays abortable until it is aborted.
    for (const label of ['v1', 'v2', 'v3']) {
      const source = path.join(folder, label);
      await (label === 'v3' ? writeFailingNodeApp(source, label, 'unhealthy') : writeNodeApp(source, label));
      const SourceBundle = await uploadBundle(cluster, scope, source);
      const { ApplicationVersion } = await eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'sdk-app', VersionLabel: label, SourceBundle, Process: true }));
      assert.deepEqual([ApplicationVersion?.VersionLabel, ApplicationVersion?.Status, ApplicationVersion?.SourceBundle], [label, 'Processed', SourceBundle]);
      recentDate(ApplicationVersion?.DateCreated, 'ApplicationVersion.DateCreated');
    }
    await fails(eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'sdk-app', VersionLabel: 'v4', SourceBundle: { S3Bucket: S3Bucket!, S3Key: 'missing.zip' } })), { name: 'InvalidParameterValue', message: /missing\.zip/ });
    const versions = (await eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: 'sdk-app' }))).ApplicationVersions ?? [];
    assert.deepEqual(versions.map((v) => v.VersionLabel).sort(), ['v1', 'v2', 'v3']);

    const dns = await eb.send(new CheckDNSAvailabilityCommand({ CNAMEPrefix: 'sdk-one' }));
    assert.equal(dns.Available, true, 'Available is a boolean');
    assert.match(dns.FullyQualifiedCNAME ?? '', /^sdk-one\./);

    const options = (await eb.send(new DescribeConfigurationOptionsCommand({ SolutionStackName: SOLUTION_STACK, Options: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize' }] }))).Options ?? [];
    assert.equal(options.length, 1);
    assert.equal(typeof options[0]!.MinValue, 'number', 'MinValue is a number');
    assert.equal(typeof options[0]!.MaxValue, 'number', 'MaxValue is a number');
    assert.equal(options[0]!.UserDefined, false, 'UserDefined is a boolean');
    assert.equal(options[0]!.ValueType, 'Scalar');
    const validation = (await eb.send(new ValidateConfigurationSettingsCommand({ ApplicationName: 'sdk-app', OptionSettings: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '100000' }] }))).Messages ?? [];
    assert.ok(validation.some((m) => m.Severity === 'error' && m.OptionName === 'MinSize'), JSON.stringify(validation));

    const settings = [
      { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'LoadBalanced' },
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '1' },
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '1' },
      { Namespace: 'aws:elasticbeanstalk:environment:process:default', OptionName: 'HealthCheckInterval', Value: '5' },
      { Namespace: 'aws:elasticbeanstalk:environment:process:default', OptionName: 'HealthCheckTimeout', Value: '4' },
      { Namespace: 'aws:elasticbeanstalk:environment:process:default', OptionName: 'HealthyThresholdCount', Value: '2' },
      { Namespace: 'aws:elasticbeanstalk:environment:process:default', OptionName: 'DeregistrationDelay', Value: '1' },
      { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'from the SDK' },
    ];
    const template = await eb.send(new CreateConfigurationTemplateCommand({ ApplicationName: 'sdk-app', TemplateName: 'small', SolutionStackName: SOLUTION_STACK, OptionSettings: settings }));
    recentDate(template.DateCreated, 'template DateCreated');
    assert.equal(template.SolutionStackName, SOLUTION_STACK, 'the stack named, as EB');
    const described = (await eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: 'sdk-app', TemplateName: 'small' }))).ConfigurationSettings?.[0];
    const value = (namespace: string, name: string) => described?.OptionSettings?.find((s) => s.Namespace === namespace && s.OptionName === name)?.Value;
    assert.equal(value('aws:autoscaling:asg', 'MinSize'), '1', 'option settings nested in the settings description');
    assert.equal(value('aws:elasticbeanstalk:application:environment', 'GREETING'), 'from the SDK');
    await fails(eb.send(new CreateEnvironmentCommand({ ApplicationName: 'sdk-app', EnvironmentName: 'sdk-bad', VersionLabel: 'v1', OptionSettings: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: 'many' }] })), {
      name: 'ConfigurationValidationException',
      message: /MinSize/,
    });

    const names = ['sdk-one', 'sdk-two'];
    for (const name of names) {
      const created = await eb.send(new CreateEnvironmentCommand({ ApplicationName: 'sdk-app', EnvironmentName: name, CNAMEPrefix: name, TemplateName: 'small', VersionLabel: 'v1' }));
      assert.deepEqual([created.EnvironmentName, created.Status, created.Tier?.Name, created.Tier?.Type, created.VersionLabel], [name, 'Launching', 'WebServer', 'Standard', 'v1']);
      assert.equal(created.SolutionStackName, SOLUTION_STACK, "the saved configuration's stack");
      assert.match(created.PlatformArn ?? '', /^arn:wharf:elasticbeanstalk:[^:]+::platform\/Node\.js \d+ running on Wharf\//, "Wharf's platform ARN");
      recentDate(created.DateCreated, 'EnvironmentDescription.DateCreated');
      assert.equal(typeof created.AbortableOperationInProgress, 'boolean');
    }
    const environment = async (name: string): Promise<EnvironmentDescription | undefined> => (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [name] }))).Environments?.[0];
    const ready = (name: string, label: string) =>
      waitFor(`${name} Ready on ${label}`, async () => {
        const e = await environment(name);
        return e?.Status === 'Ready' && e.VersionLabel === label ? e : undefined;
      }, { timeoutMs: 60_000, intervalMs: 250 });
    const [one, two] = await Promise.all(names.map((name) => ready(name, 'v1')));
    recentDate(one!.DateUpdated, 'DateUpdated');
    await fails(eb.send(new CreateEnvironmentCommand({ ApplicationName: 'sdk-app', EnvironmentName: 'sdk-three', CNAMEPrefix: 'sdk-one', TemplateName: 'small', VersionLabel: 'v1' })), { name: 'InvalidParameterValue', message: /sdk-one/ });

    const health = await eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: 'sdk-one', AttributeNames: ['All'] }));
    assert.equal(health.EnvironmentName, 'sdk-one');
    recentDate(health.RefreshedAt, 'RefreshedAt');
    assert.equal(typeof health.InstancesHealth?.Ok, 'number', 'InstancesHealth counts are numbers');
    const instances = (await eb.send(new DescribeInstancesHealthCommand({ EnvironmentName: 'sdk-one', AttributeNames: ['All'] }))).InstanceHealthList ?? [];
    assert.equal(instances.length, 1);
    recentDate(instances[0]!.LaunchedAt, 'LaunchedAt');
    const resources = (await eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: 'sdk-one' }))).EnvironmentResources;
    assert.equal(resources?.EnvironmentName, 'sdk-one');
    assert.equal(resources?.Instances?.length, 1);
    await fails(eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: 'nowhere', AttributeNames: ['All'] })), { name: 'InvalidParameterValue', message: /nowhere/ });
    const events = (await eb.send(new DescribeEventsCommand({ EnvironmentName: 'sdk-one', MaxRecords: 3 }))).Events ?? [];
    assert.ok(events.length > 0 && events.length <= 3, `${events.length} events`);
    for (const event of events) recentDate(event.EventDate, 'EventDate');

    // A deployment in progress refuses a second one, and can be aborted once it rolls out.
    assert.equal((await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'sdk-one', VersionLabel: 'v3' }))).Status, 'Updating');
    await fails(eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'sdk-one', VersionLabel: 'v1' })), { name: 'OperationInProgressException', code: 'OperationInProgressFailure', type: OperationInProgressException });
    await waitFor('the deployment of v3 to be abortable', async () => (await environment('sdk-one'))?.AbortableOperationInProgress === true, { timeoutMs: 30_000, intervalMs: 100 });
    await eb.send(new AbortEnvironmentUpdateCommand({ EnvironmentName: 'sdk-one' }));
    await ready('sdk-one', 'v1');
    await fails(eb.send(new AbortEnvironmentUpdateCommand({ EnvironmentName: 'sdk-one' })), { name: 'InvalidParameterValue' });
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'sdk-one', VersionLabel: 'v2' }));
    await ready('sdk-one', 'v2');
    await eb.send(new RestartAppServerCommand({ EnvironmentName: 'sdk-one' }));
    await eb.send(new RebuildEnvironmentCommand({ EnvironmentName: 'sdk-two' }));
    await Promise.all([ready('sdk-one', 'v2'), ready('sdk-two', 'v1')]);

    await eb.send(new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentName: 'sdk-one', DestinationEnvironmentName: 'sdk-two' }));
    await waitFor('the CNAMEs swapped', async () => (await environment('sdk-one'))?.CNAME === two!.CNAME && (await environment('sdk-two'))?.CNAME === one!.CNAME, { timeoutMs: 30_000, intervalMs: 250 });

    for (const name of names) assert.equal((await eb.send(new TerminateEnvironmentCommand({ EnvironmentName: name }))).Status, 'Terminating');
    await waitFor('both environments Terminated', async () => {
      const all = (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: names, IncludeDeleted: true }))).Environments ?? [];
      return all.length === 2 && all.every((e) => e.Status === 'Terminated');
    }, { timeoutMs: 60_000, intervalMs: 250 });
    await eb.send(new DeleteConfigurationTemplateCommand({ ApplicationName: 'sdk-app', TemplateName: 'small' }));
    await eb.send(new DeleteApplicationVersionCommand({ ApplicationName: 'sdk-app', VersionLabel: 'v1' }));
    await fails(eb.send(new DeleteApplicationVersionCommand({ ApplicationName: 'sdk-app', VersionLabel: 'v1' })), { name: 'InvalidParameterValue', message: /v1/ });
    await eb.send(new DeleteApplicationCommand({ ApplicationName: 'sdk-app' }));
    assert.deepEqual((await eb.send(new DescribeApplicationsCommand({}))).Applications, []);

    assert.deepEqual(notCalledAnywhere('elasticbeanstalk', sent.elasticbeanstalk, 'eb-sdk.test.ts'), [], 'every Elastic Beanstalk operation Wharf has was called, here or in eb-sdk.test.ts');
  });

  test('ELBv2: every operation, its numbers, booleans and nested actions; its error codes', async () => {
    const group = (await elb.send(new CreateTargetGroupCommand({ Name: 'sdk-web', Protocol: 'HTTP', Port: 8080, HealthCheckPath: '/health', HealthCheckIntervalSeconds: 10, Matcher: { HttpCode: '200-299' }, Tags: [{ Key: 'team', Value: 'web' }] }))).TargetGroups?.[0];
    assert.equal(group?.Port, 8080, 'Port is a number');
    assert.equal(group?.HealthCheckIntervalSeconds, 10);
    assert.equal(group?.HealthCheckEnabled, true, 'HealthCheckEnabled is a boolean');
    assert.deepEqual(group?.Matcher, { HttpCode: '200-299' });
    assert.deepEqual(group?.LoadBalancerArns, []);
    const arn = group!.TargetGroupArn!;
    await fails(elb.send(new CreateTargetGroupCommand({ Name: 'sdk-web', Protocol: 'HTTP', Port: 8081 })), { name: 'DuplicateTargetGroupNameException', code: 'DuplicateTargetGroupName', type: DuplicateTargetGroupNameException });
    await fails(elb.send(new CreateTargetGroupCommand({ Name: 'bad name!', Protocol: 'HTTP', Port: 80 })), { name: 'ValidationError' });
    await fails(elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn.replace('sdk-web', 'nowhere') })), { name: 'TargetGroupNotFoundException', code: 'TargetGroupNotFound', type: TargetGroupNotFoundException });

    assert.equal((await elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: arn, HealthCheckTimeoutSeconds: 3, HealthyThresholdCount: 2 }))).TargetGroups?.[0]?.HealthCheckTimeoutSeconds, 3);
    const attributes = (await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }] }))).Attributes ?? [];
    assert.deepEqual(attributes.find((a) => a.Key === 'deregistration_delay.timeout_seconds'), { Key: 'deregistration_delay.timeout_seconds', Value: '5' });
    assert.deepEqual(((await elb.send(new DescribeTargetGroupsCommand({ Names: ['sdk-web'] }))).TargetGroups ?? []).map((g) => g.TargetGroupArn), [arn]);

    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: 9 }, { Id: '127.0.0.2' }] }));
    const health = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))).TargetHealthDescriptions ?? [];
    assert.deepEqual(health.map((d) => [d.Target?.Id, d.Target?.Port]).sort(), [['127.0.0.1', 9], ['127.0.0.2', 8080]], 'targets with numeric ports');
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.2' }] }));
    assert.equal((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))).TargetHealthDescriptions?.length, 1);

    // Wharf's one load balancer (the routers): every listener's, named after the account's target groups' ARNs.
    const loadBalancerArn = arn.replace(/targetgroup\/.*$/, 'loadbalancer/app/wharf/0000000000000000');
    const listener = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: 8180, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'none here' } }] }))).Listeners?.[0];
    assert.equal(listener?.Port, 8180);
    assert.equal(listener?.LoadBalancerArn, loadBalancerArn);
    assert.deepEqual(listener?.DefaultActions?.[0]?.FixedResponseConfig, { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'none here' });
    await fails(elb.send(new CreateListenerCommand({ LoadBalancerArn: listener!.LoadBalancerArn!, Protocol: 'HTTP', Port: 8180, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] })), { name: 'DuplicateListenerException', code: 'DuplicateListener', type: DuplicateListenerException });
    assert.ok(((await elb.send(new DescribeListenersCommand({ ListenerArns: [listener!.ListenerArn!] }))).Listeners ?? []).some((l) => l.Port === 8180));

    const rule = (
      await elb.send(new CreateRuleCommand({ ListenerArn: listener!.ListenerArn!, Priority: 10, Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['sdk.test'] } }], Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: arn, Weight: 3 }] } }] }))
    ).Rules?.[0];
    assert.equal(rule?.Priority, '10');
    assert.equal(rule?.IsDefault, false, 'IsDefault is a boolean');
    assert.equal(rule?.Actions?.[0]?.ForwardConfig?.TargetGroups?.[0]?.Weight, 3, 'a weight nested in the forward action is a number');
    await fails(elb.send(new CreateRuleCommand({ ListenerArn: listener!.ListenerArn!, Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }], Actions: [{ Type: 'forward', TargetGroupArn: arn }] })), { name: 'PriorityInUseException', code: 'PriorityInUse', type: PriorityInUseException });
    const modified = (await elb.send(new ModifyRuleCommand({ RuleArn: rule!.RuleArn!, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }] }))).Rules?.[0];
    assert.deepEqual(modified?.Conditions?.[0]?.PathPatternConfig?.Values, ['/api/*']);
    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener!.ListenerArn! }))).Rules ?? [];
    assert.ok(rules.some((r) => r.RuleArn === rule!.RuleArn));
    await fails(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn })), { name: 'ResourceInUseException', code: 'ResourceInUse', type: ResourceInUseException });
    await elb.send(new DeleteRuleCommand({ RuleArn: rule!.RuleArn! }));
    await fails(elb.send(new DeleteRuleCommand({ RuleArn: rule!.RuleArn! })), { name: 'RuleNotFoundException', code: 'RuleNotFound', type: RuleNotFoundException });
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
    assert.deepEqual(((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).filter((g) => g.TargetGroupName === 'sdk-web'), []);

    assert.deepEqual(notCalledAnywhere('elasticloadbalancing', sent.elasticloadbalancing, 'elbv2-sdk.test.ts'), [], 'every ELBv2 operation Wharf has was called, here or in elbv2-sdk.test.ts');
  });

  test('IAM: every operation, its Dates, lists and booleans; its error codes', async () => {
    const user = (await iam.send(new CreateUserCommand({ UserName: 'sdk-user', Path: '/team/', Tags: [{ Key: 'team', Value: 'web' }] }))).User;
    recentDate(user?.CreateDate, 'User.CreateDate');
    assert.match(user?.Arn ?? '', /:user\/team\/sdk-user$/);
    assert.deepEqual(user?.Tags, [{ Key: 'team', Value: 'web' }]);
    await fails(iam.send(new CreateUserCommand({ UserName: 'sdk-user' })), { name: 'EntityAlreadyExistsException', code: 'EntityAlreadyExists', status: 409, type: EntityAlreadyExistsException });
    await fails(iam.send(new GetUserCommand({ UserName: 'nobody' })), { name: 'NoSuchEntityException', code: 'NoSuchEntity', status: 404, type: NoSuchEntityException, message: /nobody/ });
    assert.equal((await iam.send(new GetUserCommand({ UserName: 'sdk-user' }))).User?.UserName, 'sdk-user');
    const users = await iam.send(new ListUsersCommand({ PathPrefix: '/team/' }));
    assert.deepEqual(users.Users?.map((u) => u.UserName), ['sdk-user']);
    assert.equal(users.IsTruncated, false, 'IsTruncated is a boolean');

    const group = (await iam.send(new CreateGroupCommand({ GroupName: 'sdk-group' }))).Group;
    recentDate(group?.CreateDate, 'Group.CreateDate');
    await iam.send(new AddUserToGroupCommand({ GroupName: 'sdk-group', UserName: 'sdk-user' }));
    assert.deepEqual((await iam.send(new GetGroupCommand({ GroupName: 'sdk-group' }))).Users?.map((u) => u.UserName), ['sdk-user']);
    assert.ok((await iam.send(new ListGroupsCommand({}))).Groups?.some((g) => g.GroupName === 'sdk-group'));
    assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'sdk-user' }))).Groups?.map((g) => g.GroupName), ['sdk-group']);
    await fails(iam.send(new DeleteGroupCommand({ GroupName: 'sdk-group' })), { name: 'DeleteConflictException', code: 'DeleteConflict', status: 409, type: DeleteConflictException });

    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'sdk-user' }))).AccessKey;
    assert.equal(key?.Status, 'Active');
    recentDate(key?.CreateDate, 'AccessKey.CreateDate');
    assert.match(key?.SecretAccessKey ?? '', /^\S{20,}$/);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'sdk-user', AccessKeyId: key!.AccessKeyId!, Status: 'Inactive' }));
    const keys = (await iam.send(new ListAccessKeysCommand({ UserName: 'sdk-user' }))).AccessKeyMetadata ?? [];
    assert.deepEqual(keys.map((k) => [k.AccessKeyId, k.Status]), [[key!.AccessKeyId, 'Inactive']]);
    recentDate(keys[0]!.CreateDate, 'AccessKeyMetadata.CreateDate');
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'sdk-user', AccessKeyId: key!.AccessKeyId! }));

    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:List*', Resource: '*' }] });
    await iam.send(new PutUserPolicyCommand({ UserName: 'sdk-user', PolicyName: 'list', PolicyDocument: document }));
    assert.deepEqual((await iam.send(new ListUserPoliciesCommand({ UserName: 'sdk-user' }))).PolicyNames, ['list']);
    const inline = await iam.send(new GetUserPolicyCommand({ UserName: 'sdk-user', PolicyName: 'list' }));
    assert.deepEqual(JSON.parse(decodeURIComponent(inline.PolicyDocument ?? '')), JSON.parse(document), 'the document URL-encoded, as IAM answers it');
    await fails(iam.send(new PutUserPolicyCommand({ UserName: 'sdk-user', PolicyName: 'bad', PolicyDocument: '{"Statement": 5}' })), { name: 'MalformedPolicyDocumentException', code: 'MalformedPolicyDocument', type: MalformedPolicyDocumentException });
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'sdk-group', PolicyName: 'group-list', PolicyDocument: document }));
    assert.deepEqual((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'sdk-group' }))).PolicyNames, ['group-list']);
    assert.equal((await iam.send(new GetGroupPolicyCommand({ GroupName: 'sdk-group', PolicyName: 'group-list' }))).PolicyName, 'group-list');

    const policy = (await iam.send(new CreatePolicyCommand({ PolicyName: 'sdk-managed', PolicyDocument: document, Description: 'managed' }))).Policy;
    recentDate(policy?.CreateDate, 'Policy.CreateDate');
    assert.equal(policy?.IsAttachable, true, 'IsAttachable is a boolean');
    assert.equal(policy?.AttachmentCount, 0, 'AttachmentCount is a number');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'sdk-user', PolicyArn: policy!.Arn! }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'sdk-group', PolicyArn: policy!.Arn! }));
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: policy!.Arn! }))).Policy?.AttachmentCount, 2);
    assert.ok((await iam.send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }))).Policies?.some((p) => p.Arn === policy!.Arn));
    assert.deepEqual((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'sdk-user' }))).AttachedPolicies?.map((p) => p.PolicyName), ['sdk-managed']);
    assert.deepEqual((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'sdk-group' }))).AttachedPolicies?.map((p) => p.PolicyName), ['sdk-managed']);
    await fails(iam.send(new DeletePolicyCommand({ PolicyArn: policy!.Arn! })), { name: 'DeleteConflictException', code: 'DeleteConflict', status: 409 });

    const simulated = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: user!.Arn!, ActionNames: ['ecs:ListClusters', 'ecs:RunTask'] }));
    assert.deepEqual(simulated.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalDecision]), [['ecs:ListClusters', 'allowed'], ['ecs:RunTask', 'implicitDeny']]);
    assert.equal(simulated.IsTruncated, false);

    await iam.send(new DetachUserPolicyCommand({ UserName: 'sdk-user', PolicyArn: policy!.Arn! }));
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'sdk-group', PolicyArn: policy!.Arn! }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: policy!.Arn! }));
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'sdk-group', PolicyName: 'group-list' }));
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'sdk-user', PolicyName: 'list' }));
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'sdk-group', UserName: 'sdk-user' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'sdk-group' }));
    await iam.send(new DeleteUserCommand({ UserName: 'sdk-user' }));
    await fails(iam.send(new DeleteUserCommand({ UserName: 'sdk-user' })), { name: 'NoSuchEntityException', code: 'NoSuchEntity', status: 404 });

    assert.deepEqual(notCalledAnywhere('iam', sent.iam, '../identity/roles.test.ts'), [], 'every IAM operation Wharf has was called, here or (the role operations) in test/identity/roles.test.ts');
  });
});
