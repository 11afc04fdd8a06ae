// AWS's Elastic Beanstalk getting-started flow with the AWS CLI, as a script of `/usr/bin/aws`
// calls only, against a controller, two agents (process driver) and a router: `aws s3 cp` a bundle
// to the bucket CreateStorageLocation answers, the application and its version from
// S3Bucket/S3Key, a load-balanced environment with a small, fast health check, `aws
// elasticbeanstalk wait environment-updated`, curl through its CNAME on the router, a second
// version deployed with a rolling policy, events and health, a clone from the first's
// configuration, CNAMEs swapped, both terminated. The CLI's waiters poll every second (fastWaiters).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { before, describe, test } from 'node:test';
import { packFolder } from '../../src/bundle/pack.js';
import type { AwsCli } from '../support/aws.js';
import { awsCli, fastWaiters } from '../support/aws.js';
import type { TestCluster } from '../support/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { credentialsFor } from '../support/signing.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { writeNodeApp } from '../platform/support.js';

const run = promisify(execFile);

const SOLUTION_STACK = '64bit Amazon Linux 2023 v6.1.0 running Node.js 20';

/** A load-balanced environment of 2 instances with a health check every 5 s (0.5 s with the test router's time scale). */
const OPTION_SETTINGS = [
  'Namespace=aws:elasticbeanstalk:environment,OptionName=EnvironmentType,Value=LoadBalanced',
  'Namespace=aws:elasticbeanstalk:environment,OptionName=LoadBalancerType,Value=application',
  'Namespace=aws:autoscaling:asg,OptionName=MinSize,Value=2',
  'Namespace=aws:autoscaling:asg,OptionName=MaxSize,Value=2',
  'Namespace=aws:elasticbeanstalk:healthreporting:system,OptionName=SystemType,Value=enhanced',
  'Namespace=aws:elasticbeanstalk:environment:process:default,OptionName=HealthCheckPath,Value=/',
  'Namespace=aws:elasticbeanstalk:environment:process:default,OptionName=HealthCheckInterval,Value=5',
  'Namespace=aws:elasticbeanstalk:environment:process:default,OptionName=HealthCheckTimeout,Value=4',
  'Namespace=aws:elasticbeanstalk:environment:process:default,OptionName=HealthyThresholdCount,Value=2',
  'Namespace=aws:elasticbeanstalk:environment:process:default,OptionName=DeregistrationDelay,Value=1',
];

describe("AWS's Elastic Beanstalk getting-started flow through the AWS CLI", () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let aws: AwsCli;
  let waiters: Record<string, string>;
  let routerPort: () => number | undefined;
  let folder: string;

  before(async () => {
    cluster = await startTestCluster(scope, { serviceSettleMs: 200 });
    await Promise.all(['eb-a', 'eb-b'].map((hostId) => cluster.startAgent({ hostId, cpu: 16_384, memory: 65_536 })));
    const router = await startTestRouter(scope, cluster.controller);
    routerPort = () => router.address(80)?.port;
    aws = await awsCli(scope, cluster.controller.url, credentialsFor(cluster.controller.url)!);
    waiters = await fastWaiters(scope, ['elasticbeanstalk'], 90);
    folder = await tempDir(scope);
  });

  /** A call that must succeed: its parsed JSON output. */
  async function ok(args: readonly string[], env?: Record<string, string>): Promise<any> {
    const res = await aws.run(args, { env, timeoutMs: 110_000 });
    assert.equal(res.code, 0, `aws ${args.join(' ')}: ${res.stderr}`);
    return res.json;
  }

  /** `curl -s http://<cname>/` with the name resolved to the router's listener on port 80: the app's first word. */
  async function curl(cname: string): Promise<string> {
    const port = routerPort();
    if (port === undefined) return '';
    const { stdout } = await run('/usr/bin/curl', ['-s', '--max-time', '5', '--connect-to', `${cname}:80:127.0.0.1:${port}`, `http://${cname}/`]);
    return stdout.split(' ')[0] ?? '';
  }

  /** Packs the app answering `version` and copies it to the bucket with `aws s3 cp`. */
  async function upload(bucket: string, version: string): Promise<string> {
    const source = path.join(folder, version);
    await writeNodeApp(source, version);
    const zip = path.join(folder, `${version}.zip`);
    await packFolder(source, zip);
    const key = `getting-started/${version}.zip`;
    await ok(['s3', 'cp', zip, `s3://${bucket}/${key}`]);
    return key;
  }

  test('S3 bundle, application, version, environment, waits, curl, rolling deploy, events and health, clone, swap, terminate', async () => {
    // Independent calls side by side: each is a second or more of the CLI's start-up.
    const [bucket, application]: [string, any] = await Promise.all([
      ok(['elasticbeanstalk', 'create-storage-location']).then((r) => r.S3Bucket),
      ok(['elasticbeanstalk', 'create-application', '--application-name', 'getting-started', '--description', 'AWS CLI walkthrough']).then((r) => r.Application),
    ]);
    assert.match(bucket, /^elasticbeanstalk-[a-z0-9-]+-\d{12}$/);
    assert.equal(application.ApplicationName, 'getting-started');
    await Promise.all(
      ['v1', 'v2'].map(async (label) => {
        const key = await upload(bucket, label);
        const version = (await ok(['elasticbeanstalk', 'create-application-version', '--application-name', 'getting-started', '--version-label', label, '--source-bundle', `S3Bucket=${bucket},S3Key=${key}`, '--process'])).ApplicationVersion;
        assert.deepEqual([version.VersionLabel, version.Status, version.SourceBundle], [label, 'Processed', { S3Bucket: bucket, S3Key: key }]);
      }),
    );

    const created = await ok([
      'elasticbeanstalk', 'create-environment', '--application-name', 'getting-started', '--environment-name', 'gs-blue', '--cname-prefix', 'gs-blue',
      '--solution-stack-name', SOLUTION_STACK, '--version-label', 'v1', '--option-settings', ...OPTION_SETTINGS,
    ]);
    // As EB: the version being launched at once, and the stack named (the platform ARN Wharf's).
    assert.deepEqual([created.EnvironmentName, created.Status, created.Tier.Name, created.VersionLabel, created.SolutionStackName], ['gs-blue', 'Launching', 'WebServer', 'v1', SOLUTION_STACK]);
    assert.match(created.PlatformArn, /::platform\/Node\.js \d+ running on Wharf\//);
    const blueCname: string = created.CNAME;
    assert.match(blueCname, /^gs-blue\./);
    // The waiter returns once the environment is Ready; the app answering v1 shows the version.
    await ok(['elasticbeanstalk', 'wait', 'environment-updated', '--environment-names', 'gs-blue'], waiters);
    await waitFor('v1 to answer at gs-blue\'s CNAME', async () => (await curl(blueCname)) === 'v1', { timeoutMs: 30_000 });

    // The second version, rolling one instance at a time.
    const updating = await ok([
      'elasticbeanstalk', 'update-environment', '--environment-name', 'gs-blue', '--version-label', 'v2', '--option-settings',
      'Namespace=aws:elasticbeanstalk:command,OptionName=DeploymentPolicy,Value=Rolling',
      'Namespace=aws:elasticbeanstalk:command,OptionName=BatchSizeType,Value=Fixed',
      'Namespace=aws:elasticbeanstalk:command,OptionName=BatchSize,Value=1',
    ]);
    assert.equal(updating.Status, 'Updating');
    await ok(['elasticbeanstalk', 'wait', 'environment-updated', '--environment-names', 'gs-blue'], waiters);
    await waitFor('only v2 to answer at gs-blue\'s CNAME', async () => (await Promise.all([1, 2, 3, 4].map(() => curl(blueCname)))).every((v) => v === 'v2'), { timeoutMs: 30_000 });

    const [events, health, blueSettings] = await Promise.all([
      ok(['elasticbeanstalk', 'describe-events', '--environment-name', 'gs-blue']).then((r) => r.Events),
      ok(['elasticbeanstalk', 'describe-environment-health', '--environment-name', 'gs-blue', '--attribute-names', 'All']),
      ok(['elasticbeanstalk', 'describe-configuration-settings', '--application-name', 'getting-started', '--environment-name', 'gs-blue']).then((r) => r.ConfigurationSettings[0]),
    ]);
    assert.ok(events.length > 0);
    assert.ok(events.every((e: any) => Number.isFinite(Date.parse(e.EventDate)) && e.EnvironmentName === 'gs-blue'), 'every event dated, of the environment');
    const messages = events.filter((e: any) => e.VersionLabel === 'v2').map((e: any) => e.Message as string);
    assert.ok(messages.some((m: string) => /update completed successfully/.test(m)), messages.join(' | '));
    assert.equal(health.EnvironmentName, 'gs-blue');
    assert.equal(health.Status, 'Ready');
    assert.ok(['Green', 'Yellow', 'Grey'].includes(health.Color), `color ${health.Color}`);
    assert.ok(Number.isFinite(Date.parse(health.RefreshedAt)), 'RefreshedAt a time');
    assert.equal(health.InstancesHealth.Ok + health.InstancesHealth.Pending + health.InstancesHealth.Info, 2, JSON.stringify(health.InstancesHealth));

    assert.equal(blueSettings.SolutionStackName, SOLUTION_STACK);
    const blueOption = (name: string) => blueSettings.OptionSettings.find((s: any) => s.Namespace === 'aws:elasticbeanstalk:command' && s.OptionName === name)?.Value;
    assert.deepEqual([blueOption('DeploymentPolicy'), blueOption('BatchSizeType'), blueOption('BatchSize')], ['Rolling', 'Fixed', '1']);

    // A clone from blue's configuration (a template saved from it), running v1.
    await ok(['elasticbeanstalk', 'create-configuration-template', '--application-name', 'getting-started', '--template-name', 'gs-blue-saved', '--environment-id', created.EnvironmentId]);
    const clone = await ok(['elasticbeanstalk', 'create-environment', '--application-name', 'getting-started', '--environment-name', 'gs-green', '--cname-prefix', 'gs-green', '--template-name', 'gs-blue-saved', '--version-label', 'v1']);
    // The clone has the stack of the configuration saved from blue.
    assert.deepEqual([clone.Status, clone.VersionLabel, clone.SolutionStackName], ['Launching', 'v1', SOLUTION_STACK]);
    const greenCname: string = clone.CNAME;
    await ok(['elasticbeanstalk', 'wait', 'environment-exists', '--environment-names', 'gs-green'], waiters);
    const settings = (await ok(['elasticbeanstalk', 'describe-configuration-settings', '--application-name', 'getting-started', '--environment-name', 'gs-green'])).ConfigurationSettings[0];
    const option = (namespace: string, name: string) => settings.OptionSettings.find((s: any) => s.Namespace === namespace && s.OptionName === name)?.Value;
    assert.equal(option('aws:autoscaling:asg', 'MinSize'), '2', 'the clone has blue\'s configuration');
    assert.equal(option('aws:elasticbeanstalk:environment:process:default', 'HealthCheckInterval'), '5');
    await waitFor('v1 to answer at gs-green\'s CNAME', async () => (await curl(greenCname)) === 'v1', { timeoutMs: 30_000 });

    // Swap: blue's name now reaches green's v1, green's name blue's v2.
    await ok(['elasticbeanstalk', 'swap-environment-cnames', '--source-environment-name', 'gs-blue', '--destination-environment-name', 'gs-green']);
    const swapped = (await ok(['elasticbeanstalk', 'describe-environments', '--environment-names', 'gs-blue', 'gs-green'])).Environments;
    const cnameOf = (name: string) => swapped.find((e: any) => e.EnvironmentName === name)?.CNAME;
    assert.deepEqual([cnameOf('gs-blue'), cnameOf('gs-green')], [greenCname, blueCname]);
    assert.deepEqual(swapped.map((e: any) => [e.Status, e.SolutionStackName]), [['Ready', SOLUTION_STACK], ['Ready', SOLUTION_STACK]]);
    await waitFor('the swapped names to reach the other environments', async () => (await curl(blueCname)) === 'v1' && (await curl(greenCname)) === 'v2', { timeoutMs: 30_000 });

    const terminating = await Promise.all(['gs-blue', 'gs-green'].map((name) => ok(['elasticbeanstalk', 'terminate-environment', '--environment-name', name])));
    assert.deepEqual(terminating.map((e) => e.Status), ['Terminating', 'Terminating']);
    // The CLI's waiter sends no IncludeDeleted: the Query protocol's default (EB's) answers the environments terminated within the hour.
    await ok(['elasticbeanstalk', 'wait', 'environment-terminated', '--environment-names', 'gs-blue', 'gs-green'], waiters);
    const terminated = (await ok(['elasticbeanstalk', 'describe-environments', '--environment-names', 'gs-blue', 'gs-green'])).Environments;
    assert.deepEqual(terminated.map((e: any) => e.Status), ['Terminated', 'Terminated']);
    await waitFor('neither name to answer', async () => (await curl(blueCname)) !== 'v1' && (await curl(greenCname)) !== 'v2', { timeoutMs: 30_000 });
    await ok(['elasticbeanstalk', 'delete-application', '--application-name', 'getting-started']);
  });
});
