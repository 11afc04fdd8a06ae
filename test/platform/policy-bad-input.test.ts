/**
 * Bad deployment-policy input (Wharf issue 6), end to end: every bad value of
 * aws:elasticbeanstalk:command and aws:elasticbeanstalk:trafficsplitting, and every policy the
 * environment type does not allow, is refused by UpdateEnvironment, CreateEnvironment,
 * ValidateConfigurationSettings and a version's .ebextensions, with an error naming the namespace,
 * the option (or the file) and the fix; and nothing changes: the environment keeps its version,
 * settings, status and events, and a refused version is not created. A second deployment while a
 * Rolling one runs is refused, and the first completes.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, FAST_HEALTH, createVersion, environment, httpGet, readyOn, uploadBundle, writeNodeApp } from './support.js';

const APP = 'pbad';
const COMMAND = 'aws:elasticbeanstalk:command';
const SPLIT = 'aws:elasticbeanstalk:trafficsplitting';
const ENVIRONMENT = 'aws:elasticbeanstalk:environment';

interface Setting {
  readonly Namespace: string;
  readonly OptionName: string;
  readonly Value: string;
}
const set = (Namespace: string, OptionName: string, Value: string): Setting => ({ Namespace, OptionName, Value });

/** A bad set of settings, the field the error names and what its message says. */
interface BadCase {
  readonly settings: readonly Setting[];
  readonly field: string;
  readonly message: RegExp;
}

/** Refused on any environment, each setting on its own or against the defaults (MaxSize 2 on the load-balanced one). */
const ANYWHERE: readonly BadCase[] = [
  { settings: [set(COMMAND, 'BatchSize', '0')], field: `${COMMAND}:BatchSize`, message: /BatchSize must be a whole number from 1 to 100 when BatchSizeType is Percentage, or from 1 to MaxSize \(aws:autoscaling:asg\) when it is Fixed; got '0'/ },
  { settings: [set(COMMAND, 'Timeout', '0')], field: `${COMMAND}:Timeout`, message: /Timeout must be a whole number of seconds from 1 to 3600; got '0'/ },
  { settings: [set(COMMAND, 'Timeout', '3601')], field: `${COMMAND}:Timeout`, message: /from 1 to 3600; got '3601'/ },
  { settings: [set(COMMAND, 'BatchSizeType', 'Percent')], field: `${COMMAND}:BatchSizeType`, message: /BatchSizeType must be one of Percentage, Fixed; got 'Percent'/ },
  { settings: [set(COMMAND, 'DeploymentPolicy', 'BlueGreen')], field: `${COMMAND}:DeploymentPolicy`, message: /DeploymentPolicy must be one of AllAtOnce, Rolling, RollingWithAdditionalBatch, Immutable, TrafficSplitting; got 'BlueGreen'/ },
  { settings: [set(SPLIT, 'NewVersionPercent', '0')], field: `${SPLIT}:NewVersionPercent`, message: /NewVersionPercent must be a whole number of percent from 1 to 100; got '0'/ },
  { settings: [set(SPLIT, 'NewVersionPercent', '101')], field: `${SPLIT}:NewVersionPercent`, message: /got '101'/ },
  { settings: [set(SPLIT, 'NewVersionPercent', '12.5')], field: `${SPLIT}:NewVersionPercent`, message: /whole number .* got '12\.5'/ },
  { settings: [set(SPLIT, 'EvaluationTime', '0')], field: `${SPLIT}:EvaluationTime`, message: /EvaluationTime must be a number of minutes from 0\.05 to 600 .* got '0'/ },
  { settings: [set(SPLIT, 'EvaluationTime', '601')], field: `${SPLIT}:EvaluationTime`, message: /got '601'/ },
  {
    settings: [set(COMMAND, 'BatchSize', '101')],
    field: `${COMMAND}:BatchSize`,
    message: /BatchSize \(101, set through the API\) must be from 1 to 100 when BatchSizeType is Percentage \(Percentage, the default\); lower it, or set BatchSizeType to Fixed/,
  },
  {
    settings: [set(COMMAND, 'DeploymentPolicy', 'Immutable')],
    field: `${COMMAND}:DeploymentPolicy`,
    message: /DeploymentPolicy Immutable \(set through the API\) needs enhanced health reporting: set aws:elasticbeanstalk:healthreporting:system SystemType to enhanced \(it is basic, the default\)/,
  },
];

/** Refused on the load-balanced environment (MaxSize 2, the default classic load balancer). */
const LOAD_BALANCED: readonly BadCase[] = [
  {
    settings: [set(COMMAND, 'BatchSizeType', 'Fixed'), set(COMMAND, 'BatchSize', '3')],
    field: `${COMMAND}:BatchSize`,
    message: /BatchSize \(3, set through the API\) must not be more than aws:autoscaling:asg MaxSize \(2, set through the API\) when BatchSizeType is Fixed; lower BatchSize or raise MaxSize/,
  },
  {
    settings: [set(COMMAND, 'DeploymentPolicy', 'TrafficSplitting')],
    field: `${COMMAND}:DeploymentPolicy`,
    message: /DeploymentPolicy TrafficSplitting \(set through the API\) needs an Application Load Balancer: set aws:elasticbeanstalk:environment LoadBalancerType to application \(it is classic, the default\)/,
  },
];

/** Refused on the SingleInstance environment: the policies that need a load balancer (eb-ecs-spec §1.4). */
const SINGLE_INSTANCE: readonly BadCase[] = ['Rolling', 'RollingWithAdditionalBatch', 'TrafficSplitting'].map((policy) => ({
  settings: [set(COMMAND, 'DeploymentPolicy', policy), ...(policy === 'TrafficSplitting' ? [set(ENVIRONMENT, 'LoadBalancerType', 'application')] : [])],
  field: `${COMMAND}:DeploymentPolicy`,
  message: new RegExp(`DeploymentPolicy ${policy} \\(set through the API\\) needs a load-balanced environment, and this one is SingleInstance; a SingleInstance environment deploys AllAtOnce or Immutable`),
}));

test('bad deployment-policy settings are refused through the API and .ebextensions, naming the option and the fix, and change nothing; a second deployment waits for the first', async (t) => {
  const started = Date.now();
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  await cluster.startAgent({ hostId: 'pbad-host' });
  const router = await startTestRouter(t, cluster.controller);
  const call = (op: string, body: unknown) => cluster.controller.call('POST', `${EB}/${op}`, body);

  const version = async (label: string, extra: Record<string, string> = {}) => {
    const dir = path.join(await tempDir(t), label);
    await writeNodeApp(dir, label, { '.ebextensions/01-health.config': FAST_HEALTH, ...extra });
    return dir;
  };
  for (const label of ['v1', 'v2', 'v3']) await createVersion(cluster, t, APP, label, await version(label));
  // Versions valid on their own whose .ebextensions break a rule between settings on some environments.
  const deployConfig = (lines: string) => ({ '.ebextensions/20-deploy.config': `option_settings:\n  aws:elasticbeanstalk:command:\n${lines}` });
  await createVersion(cluster, t, APP, 'v-rolling', await version('v-rolling', deployConfig('    DeploymentPolicy: Rolling\n')));
  await createVersion(cluster, t, APP, 'v-batch', await version('v-batch', deployConfig('    BatchSize: 150\n')));

  await Promise.all([
    cluster.api('POST', `${EB}/CreateEnvironment`, {
      ApplicationName: APP,
      EnvironmentName: 'pbad-lb',
      VersionLabel: 'v1',
      OptionSettings: [set('aws:autoscaling:asg', 'MinSize', '2'), set('aws:autoscaling:asg', 'MaxSize', '2'), set(COMMAND, 'DeploymentPolicy', 'AllAtOnce')],
    }),
    cluster.api('POST', `${EB}/CreateEnvironment`, {
      ApplicationName: APP,
      EnvironmentName: 'pbad-solo',
      VersionLabel: 'v1',
      // AllAtOnce by default: a DeploymentPolicy set through the API would win over v-rolling's .ebextensions.
      OptionSettings: [set(ENVIRONMENT, 'EnvironmentType', 'SingleInstance')],
    }),
  ]);
  await Promise.all([readyOn(cluster, 'pbad-lb', 'v1'), readyOn(cluster, 'pbad-solo', 'v1')]);
  t.diagnostic(`two environments Ready in ${Date.now() - started} ms`);

  /** What must not change: version, status, operation, every effective setting, the events. */
  const state = async (name: string) => {
    const e = await environment(cluster, name);
    const settings = await cluster.api('POST', `${EB}/DescribeConfigurationSettings`, { ApplicationName: APP, EnvironmentName: name });
    const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: name });
    return { VersionLabel: e.VersionLabel, Status: e.Status, Operation: e.Operation, DateUpdated: e.DateUpdated, OptionSettings: settings.ConfigurationSettings[0].OptionSettings, events: Events.length };
  };
  const environmentNames = async () => (await cluster.api('POST', `${EB}/DescribeEnvironments`, { IncludeDeleted: true })).Environments.map((e: any) => e.EnvironmentName).sort();
  const versionLabels = async () => (await cluster.api('POST', `${EB}/DescribeApplicationVersions`, { ApplicationName: APP })).ApplicationVersions.map((v: any) => v.VersionLabel).sort();
  const refused = (what: string, res: { status: number; text: string; json: any }, field: string, message: RegExp) => {
    assert.equal(res.status, 400, `${what}: ${res.text}`);
    assert.equal(res.json.code, 'WHARF_E_INVALID_CONFIGURATION', `${what}: ${res.text}`);
    assert.match(res.json.detail, /nothing was changed/, what);
    const named = (res.json.errors ?? []).find((e: any) => e.field === field);
    assert.ok(named, `${what}: an error names ${field}: ${res.text}`);
    assert.match(named.message, message, what);
  };

  const before = { lb: await state('pbad-lb'), solo: await state('pbad-solo'), environments: await environmentNames(), versions: await versionLabels() };
  let attempts = 0;
  for (const [name, cases] of [
    ['pbad-lb', [...ANYWHERE, ...LOAD_BALANCED]],
    ['pbad-solo', [...ANYWHERE, ...SINGLE_INSTANCE]],
  ] as const) {
    for (const bad of cases) {
      const what = `${name} ${bad.settings.map((s) => `${s.OptionName}=${s.Value}`).join(' ')}`;
      // UpdateEnvironment: with a new version (a deployment), and settings alone (a configuration update).
      refused(`UpdateEnvironment ${what} with v2`, await call('UpdateEnvironment', { EnvironmentName: name, VersionLabel: 'v2', OptionSettings: bad.settings }), bad.field, bad.message);
      refused(`UpdateEnvironment ${what}`, await call('UpdateEnvironment', { EnvironmentName: name, OptionSettings: bad.settings }), bad.field, bad.message);
      // ValidateConfigurationSettings answers the same finding as a message, against the environment.
      const validated = await cluster.api('POST', `${EB}/ValidateConfigurationSettings`, { ApplicationName: APP, EnvironmentName: name, OptionSettings: bad.settings });
      const [namespace, option] = [bad.field.slice(0, bad.field.lastIndexOf(':')), bad.field.slice(bad.field.lastIndexOf(':') + 1)];
      const finding = validated.Messages.find((m: any) => m.Namespace === namespace && m.OptionName === option);
      assert.ok(finding, `ValidateConfigurationSettings ${what}: ${JSON.stringify(validated)}`);
      assert.equal(finding.Severity, 'error');
      assert.match(finding.Message, bad.message);
      // CreateEnvironment of the same type with the same settings.
      const typeSettings = name === 'pbad-solo' ? [set(ENVIRONMENT, 'EnvironmentType', 'SingleInstance')] : [set('aws:autoscaling:asg', 'MaxSize', '2')];
      refused(`CreateEnvironment ${what}`, await call('CreateEnvironment', { ApplicationName: APP, EnvironmentName: 'pbad-new', VersionLabel: 'v2', OptionSettings: [...typeSettings, ...bad.settings] }), bad.field, bad.message);
      attempts += 4;
    }
  }

  // A version whose .ebextensions breaks a rule on this environment: the deployment is refused, naming the file.
  refused(
    'v-rolling on the single instance',
    await call('UpdateEnvironment', { EnvironmentName: 'pbad-solo', VersionLabel: 'v-rolling' }),
    `${COMMAND}:DeploymentPolicy`,
    /DeploymentPolicy Rolling \(from \.ebextensions\/20-deploy\.config\) needs a load-balanced environment, and this one is SingleInstance; a SingleInstance environment deploys AllAtOnce or Immutable/,
  );
  refused(
    'v-batch on the load-balanced environment',
    await call('UpdateEnvironment', { EnvironmentName: 'pbad-lb', VersionLabel: 'v-batch' }),
    `${COMMAND}:BatchSize`,
    /BatchSize \(150, from \.ebextensions\/20-deploy\.config\) must be from 1 to 100 when BatchSizeType is Percentage/,
  );
  attempts += 2;

  // A version with a bad deployment option in its .ebextensions is refused, naming the file, and not created.
  const fileCases: [string, string][] = [
    [COMMAND, '    BatchSize: 0\n'],
    [COMMAND, '    Timeout: 3601\n'],
    [COMMAND, '    BatchSizeType: Percent\n'],
    [COMMAND, '    DeploymentPolicy: BlueGreen\n'],
    [SPLIT, '    NewVersionPercent: 101\n'],
    [SPLIT, '    EvaluationTime: 0\n'],
  ];
  for (const [i, [namespace, line]] of fileCases.entries()) {
    const dir = await version(`bad-${i}`, { '.ebextensions/30-policy.config': `option_settings:\n  ${namespace}:\n${line}` });
    const SourceBundle = await uploadBundle(cluster, t, dir);
    const res = await call('CreateApplicationVersion', { ApplicationName: APP, VersionLabel: `bad-${i}`, SourceBundle });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.code, 'WHARF_E_INVALID_CONFIGURATION', res.text);
    const fileError = (res.json.errors ?? []).find((e: any) => e.field === '.ebextensions/30-policy.config');
    assert.ok(fileError, `the error names the file: ${res.text}`);
    assert.match(fileError.message, new RegExp(`^line 3: ${namespace}: ${line.trim().split(':')[0]} must be `), res.text);
    attempts += 1;
  }

  const after = { lb: await state('pbad-lb'), solo: await state('pbad-solo'), environments: await environmentNames(), versions: await versionLabels() };
  assert.deepEqual(after, before, 'nothing changed: versions, status, operations, settings, events, no environment or version created');
  assert.deepEqual(after.versions, ['v-batch', 'v-rolling', 'v1', 'v2', 'v3']);
  t.diagnostic(`${attempts} bad requests refused, nothing changed (${Date.now() - started} ms in)`);

  // A second deployment while a Rolling one runs: refused; the first completes; the second never deploys.
  const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port);
  const answers = () => httpGet(port, '/', 'pbad-lb.localhost');
  await waitFor('v1 answers through the router', async () => (await answers()).text.startsWith('v1 '), { timeoutMs: 30_000 });
  const first = await cluster.api('POST', `${EB}/UpdateEnvironment`, {
    EnvironmentName: 'pbad-lb',
    VersionLabel: 'v2',
    OptionSettings: [set(COMMAND, 'DeploymentPolicy', 'Rolling'), set(COMMAND, 'BatchSizeType', 'Fixed'), set(COMMAND, 'BatchSize', '1')],
  });
  assert.equal(first.Status, 'Updating');
  const busy = await call('UpdateEnvironment', { EnvironmentName: 'pbad-lb', VersionLabel: 'v3', OptionSettings: [set('aws:elasticbeanstalk:application:environment', 'GREETING', 'second')] });
  assert.equal(busy.status, 409, busy.text);
  assert.equal(busy.json.code, 'WHARF_E_OPERATION_IN_PROGRESS');
  assert.match(busy.json.detail, /pbad-lb is Updating: deploy is in progress/);
  const during = await environment(cluster, 'pbad-lb');
  assert.equal(during.Status, 'Updating', 'the refusal came while the Rolling deployment ran');
  assert.equal(during.Operation.VersionLabel, 'v2');

  const done = await readyOn(cluster, 'pbad-lb', 'v2');
  assert.equal(done.Operation.Id, first.Operation.Id, 'no other operation ran');
  assert.equal(done.Operation.Failure, undefined);
  const settings = (await cluster.api('POST', `${EB}/DescribeConfigurationSettings`, { ApplicationName: APP, EnvironmentName: 'pbad-lb' })).ConfigurationSettings[0].OptionSettings;
  const value = (namespace: string, name: string) => settings.find((s: any) => s.Namespace === namespace && s.OptionName === name)?.Value;
  assert.equal(value(COMMAND, 'DeploymentPolicy'), 'Rolling', "the first deployment's settings");
  assert.equal(value('aws:elasticbeanstalk:application:environment', 'GREETING'), 'from-ebextensions', "not the second's");
  await waitFor('every copy answers v2', async () => {
    const texts = await Promise.all(Array.from({ length: 8 }, () => answers().then((r) => r.text)));
    return texts.every((text) => text === 'v2 from-ebextensions\n');
  }, { timeoutMs: 30_000 });
  const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'pbad-lb' });
  assert.ok(!Events.some((e: any) => e.VersionLabel === 'v3' || /\bv3\b/.test(e.Message)), `v3 was never deployed: ${JSON.stringify(Events.map((e: any) => e.Message))}`);
  assert.equal((await environment(cluster, 'pbad-lb')).VersionLabel, 'v2');
  t.diagnostic(`done in ${Date.now() - started} ms`);
});
