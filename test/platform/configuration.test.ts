/**
 * Option settings and saved configurations through the API, end to end: templates from settings
 * and from an environment, the layers an environment's app sees (API > saved configuration >
 * `.ebextensions` > defaults), OptionsToRemove, the Describe/Validate operations, and what a taken
 * name or CNAME prefix refuses.
 *
 * The tests share one cluster and run in order: application `conf` with version c1, template
 * `base` (SingleInstance), environment `conf-a` made from it, then template `saved` made from
 * `conf-a` and environment `conf-b` made from that.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { TestCluster } from '../support/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, environment, readyOn, waitForEnvironment, writeNodeApp } from './support.js';

const VARS = 'aws:elasticbeanstalk:application:environment';
const variable = (OptionName: string, Value: string) => ({ Namespace: VARS, OptionName, Value });
const SINGLE = { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' };

const EBEXTENSIONS = `option_settings:
  ${VARS}:
    GREETING: from-ebextensions
    LAYER: ebextensions
    FROM_FILE: yes-it-is
    REMOVED: from-ebextensions
`;

describe('configuration', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let urlA: string;
  const call = (op: string, body: unknown) => cluster.controller.call('POST', `${EB}/${op}`, body);
  const env = (url: string, name: string) => fetch(`${url}env/${name}`).then((r) => (r.ok ? r.text() : `(status ${r.status})`), (error: Error) => `(${error.message})`);
  const effective = async (body: Record<string, unknown>): Promise<Map<string, string>> => {
    const { ConfigurationSettings } = await cluster.api('POST', `${EB}/DescribeConfigurationSettings`, { ApplicationName: 'conf', ...body });
    assert.equal(ConfigurationSettings.length, 1);
    return new Map(ConfigurationSettings[0].OptionSettings.map((s: any) => [`${s.Namespace} ${s.OptionName}`, s.Value]));
  };

  before(async () => {
    cluster = await startTestCluster(scope, { serviceSettleMs: 500 });
    await cluster.startAgent({ hostId: 'conf-host' });
    const source = path.join(await tempDir(scope), 'app');
    await writeNodeApp(source, 'c1', { '.ebextensions/01-vars.config': EBEXTENSIONS });
    await createVersion(cluster, scope, 'conf', 'c1', source);
  });

  test('CreateConfigurationTemplate from settings: validated first, then described with its own settings', async () => {
    const bad = await call('CreateConfigurationTemplate', { ApplicationName: 'conf', TemplateName: 'bad', OptionSettings: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '0' }] });
    assert.equal(bad.json.code, 'WHARF_E_INVALID_CONFIGURATION', bad.text);
    assert.match(bad.text, /MaxSize/);

    const created = await cluster.api('POST', `${EB}/CreateConfigurationTemplate`, {
      ApplicationName: 'conf',
      TemplateName: 'base',
      Description: 'single, with variables',
      OptionSettings: [SINGLE, variable('GREETING', 'from-template'), variable('LAYER', 'template'), variable('TEMPLATE_ONLY', 'yes'), variable('REMOVED', 'from-template')],
    });
    assert.equal(created.TemplateName, 'base');
    assert.equal(created.Description, 'single, with variables');
    const again = await call('CreateConfigurationTemplate', { ApplicationName: 'conf', TemplateName: 'base', OptionSettings: [] });
    assert.equal(again.json.code, 'WHARF_E_TEMPLATE_EXISTS');

    const { ConfigurationSettings } = await cluster.api('POST', `${EB}/DescribeConfigurationSettings`, { ApplicationName: 'conf', TemplateName: 'base' });
    assert.equal(ConfigurationSettings[0].TemplateName, 'base');
    assert.deepEqual(
      ConfigurationSettings[0].OptionSettings.map((s: any) => `${s.OptionName}=${s.Value}`).sort(),
      ['EnvironmentType=SingleInstance', 'GREETING=from-template', 'LAYER=template', 'REMOVED=from-template', 'TEMPLATE_ONLY=yes'],
      'a saved configuration shows its own settings',
    );
    const { Applications } = await cluster.api('POST', `${EB}/DescribeApplications`, { ApplicationNames: ['conf'] });
    assert.deepEqual(Applications[0].ConfigurationTemplates, ['base'], 'the refused template was not kept');
  });

  test('an environment made from a template: the API layer wins over the template, the template over .ebextensions, .ebextensions over defaults', async () => {
    const created = await cluster.api('POST', `${EB}/CreateEnvironment`, {
      ApplicationName: 'conf',
      EnvironmentName: 'conf-a',
      VersionLabel: 'c1',
      TemplateName: 'base',
      OptionSettings: [variable('GREETING', 'from-api'), variable('FROM_FILE', 'from-api'), variable('REMOVED', 'from-api')],
    });
    assert.equal(created.TemplateName, 'base');
    const ready = await readyOn(cluster, 'conf-a', 'c1');
    assert.match(ready.URL, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'SingleInstance, from the template');
    urlA = ready.URL;
    await waitFor('conf-a answers', async () => (await env(urlA, 'GREETING')) === 'from-api', { timeoutMs: 30_000 });
    assert.equal(await env(urlA, 'LAYER'), 'template', 'the template wins over .ebextensions');
    assert.equal(await env(urlA, 'TEMPLATE_ONLY'), 'yes');
    assert.equal(await env(urlA, 'FROM_FILE'), 'from-api', 'the API wins over .ebextensions');

    const settings = await effective({ EnvironmentName: 'conf-a' });
    assert.equal(settings.get(`${VARS} GREETING`), 'from-api');
    assert.equal(settings.get(`${VARS} LAYER`), 'template');
    assert.equal(settings.get(`${VARS} TEMPLATE_ONLY`), 'yes');
    assert.equal(settings.get(`${VARS} FROM_FILE`), 'from-api');
    assert.equal(settings.get('aws:elasticbeanstalk:environment EnvironmentType'), 'SingleInstance');
    assert.equal(settings.get('aws:elasticbeanstalk:command Timeout'), '600', 'a default where no layer sets it');
    assert.equal(settings.get('aws:autoscaling:asg MaxSize'), '1', 'a SingleInstance environment has one instance at most');
    const { ConfigurationSettings } = await cluster.api('POST', `${EB}/DescribeConfigurationSettings`, { ApplicationName: 'conf', EnvironmentName: 'conf-a' });
    assert.equal(ConfigurationSettings[0].TemplateName, 'base');
    assert.equal(ConfigurationSettings[0].DeploymentStatus, 'deployed');
  });

  test('DescribeConfigurationOptions lists the catalogue with ranges, values and defaults', async () => {
    const { Options: all } = await cluster.api('POST', `${EB}/DescribeConfigurationOptions`, {});
    assert.ok(all.length > 20, `the whole catalogue: ${all.length}`);
    const type = all.find((o: any) => o.Namespace === 'aws:elasticbeanstalk:environment' && o.Name === 'EnvironmentType');
    assert.deepEqual(type.ValueOptions, ['LoadBalanced', 'SingleInstance']);
    assert.equal(type.DefaultValue, 'LoadBalanced');

    const { Options } = await cluster.api('POST', `${EB}/DescribeConfigurationOptions`, { Options: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize' }] });
    assert.equal(Options.length, 1);
    assert.equal(Options[0].Namespace, 'aws:autoscaling:asg');
    assert.equal(Options[0].Name, 'MinSize');
    assert.equal(Options[0].ValueType, 'Scalar');
    assert.equal(Options[0].MinValue, 1);
    assert.equal(Options[0].MaxValue, 5000, 'Wharf\'s bound (Tasks per service), not EB\'s 10000');
    assert.equal(Options[0].DefaultValue, '1');
    const { Options: asg } = await cluster.api('POST', `${EB}/DescribeConfigurationOptions`, { Options: [{ Namespace: 'aws:autoscaling:asg' }] });
    assert.deepEqual(asg.map((o: any) => o.Name).sort(), ['Cooldown', 'MaxSize', 'MinSize'], 'a namespace alone matches its options');

    const { Options: ofEnvironment, SolutionStackName } = await cluster.api('POST', `${EB}/DescribeConfigurationOptions`, { ApplicationName: 'conf', EnvironmentName: 'conf-a', Options: [{ Namespace: VARS }] });
    assert.equal(SolutionStackName, 'Node.js running on Wharf');
    const greeting = ofEnvironment.find((o: any) => o.Name === 'GREETING');
    assert.equal(greeting?.UserDefined, true, "the environment's own properties are listed");
  });

  test('ValidateConfigurationSettings returns a message for each bad value and changes nothing', async () => {
    const before = await environment(cluster, 'conf-a');
    const settingsBefore = await effective({ EnvironmentName: 'conf-a' });
    const { Messages } = await cluster.api('POST', `${EB}/ValidateConfigurationSettings`, {
      ApplicationName: 'conf',
      EnvironmentName: 'conf-a',
      OptionSettings: [
        { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSise', Value: '2' },
        { Namespace: 'aws:elasticbeanstalk:command', OptionName: 'Timeout', Value: '99999' },
        variable('GREETING', 'never-applied'),
      ],
    });
    const errors = Messages.filter((m: any) => m.Severity === 'error');
    assert.deepEqual(errors.map((m: any) => `${m.Namespace} ${m.OptionName}`).sort(), ['aws:autoscaling:asg MinSise', 'aws:elasticbeanstalk:command Timeout'], JSON.stringify(Messages));
    assert.ok(errors.every((m: any) => m.Message.length > 0));
    const { Messages: fine } = await cluster.api('POST', `${EB}/ValidateConfigurationSettings`, { ApplicationName: 'conf', EnvironmentName: 'conf-a', OptionSettings: [variable('GREETING', 'ok')] });
    assert.deepEqual(fine.filter((m: any) => m.Severity === 'error'), []);
    const { Messages: forTemplate } = await cluster.api('POST', `${EB}/ValidateConfigurationSettings`, {
      ApplicationName: 'conf',
      TemplateName: 'base',
      OptionSettings: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '0' }],
    });
    assert.deepEqual(forTemplate.filter((m: any) => m.Severity === 'error').map((m: any) => m.OptionName), ['MaxSize']);

    const after = await environment(cluster, 'conf-a');
    assert.equal(after.Status, 'Ready');
    assert.deepEqual(after.Operation, before.Operation, 'no operation started');
    assert.deepEqual(await effective({ EnvironmentName: 'conf-a' }), settingsBefore, 'the settings are as they were');
    assert.equal(await env(urlA, 'GREETING'), 'from-api');
  });

  test('CheckDNSAvailability; a taken CNAME prefix or environment name is refused and creates nothing', async () => {
    const taken = await cluster.api('POST', `${EB}/CheckDNSAvailability`, { CNAMEPrefix: 'conf-a' });
    assert.deepEqual(taken, { Available: false, FullyQualifiedCNAME: 'conf-a.localhost' });
    assert.equal((await cluster.api('POST', `${EB}/CheckDNSAvailability`, { CNAMEPrefix: 'CONF-A' })).Available, false, 'host names ignore case');
    const free = await cluster.api('POST', `${EB}/CheckDNSAvailability`, { CNAMEPrefix: 'conf-free' });
    assert.deepEqual(free, { Available: true, FullyQualifiedCNAME: 'conf-free.localhost' });

    const before = (await cluster.api('POST', `${EB}/DescribeEnvironments`, { IncludeDeleted: true })).Environments;
    const cname = await call('CreateEnvironment', { ApplicationName: 'conf', EnvironmentName: 'conf-c', CNAMEPrefix: 'conf-a', VersionLabel: 'c1', OptionSettings: [SINGLE] });
    assert.equal(cname.status, 409, cname.text);
    assert.equal(cname.json.code, 'WHARF_E_CNAME_TAKEN');
    assert.match(cname.text, /conf-a/);
    const name = await call('CreateEnvironment', { ApplicationName: 'conf', EnvironmentName: 'conf-a', CNAMEPrefix: 'conf-free', VersionLabel: 'c1', OptionSettings: [SINGLE] });
    assert.equal(name.status, 409, name.text);
    assert.equal(name.json.code, 'WHARF_E_ENVIRONMENT_EXISTS');

    assert.deepEqual((await cluster.api('POST', `${EB}/DescribeEnvironments`, { IncludeDeleted: true })).Environments, before, 'nothing was created');
    assert.deepEqual((await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'conf-c' })).Events, [], 'and no event was written');
    assert.equal((await cluster.api('POST', `${EB}/CheckDNSAvailability`, { CNAMEPrefix: 'conf-free' })).Available, true, 'the refused request took no CNAME');
  });

  test("CreateConfigurationTemplate from an environment saves its settings (its template's beneath its own), and an environment made from it runs them", async () => {
    const { EnvironmentId } = await environment(cluster, 'conf-a');
    await cluster.api('POST', `${EB}/CreateConfigurationTemplate`, { ApplicationName: 'conf', TemplateName: 'saved', EnvironmentId });
    const saved = await effective({ TemplateName: 'saved' });
    assert.equal(saved.get(`${VARS} GREETING`), 'from-api', "the environment's own settings");
    assert.equal(saved.get(`${VARS} FROM_FILE`), 'from-api');
    assert.equal(saved.get('aws:elasticbeanstalk:environment EnvironmentType'), 'SingleInstance', 'and those it has from its template');
    assert.equal(saved.get(`${VARS} LAYER`), 'template');
    assert.equal(saved.get(`${VARS} TEMPLATE_ONLY`), 'yes');
    assert.ok(!saved.has('aws:elasticbeanstalk:command Timeout'), 'no defaults');

    await cluster.api('POST', `${EB}/CreateEnvironment`, { ApplicationName: 'conf', EnvironmentName: 'conf-b', VersionLabel: 'c1', TemplateName: 'saved' });
    const ready = await readyOn(cluster, 'conf-b', 'c1');
    assert.match(ready.URL, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'SingleInstance, as conf-a');
    await waitFor('conf-b answers', async () => (await env(ready.URL, 'GREETING')) === 'from-api', { timeoutMs: 30_000 });
    assert.equal(await env(ready.URL, 'TEMPLATE_ONLY'), 'yes');
    assert.equal(await env(ready.URL, 'LAYER'), 'template');
  });

  test('UpdateEnvironment with OptionsToRemove re-exposes the layer beneath: the template, else .ebextensions', async () => {
    await cluster.api('POST', `${EB}/UpdateEnvironment`, {
      EnvironmentName: 'conf-a',
      OptionsToRemove: [
        { Namespace: VARS, OptionName: 'GREETING' },
        { Namespace: VARS, OptionName: 'FROM_FILE' },
      ],
    });
    const updated = await waitForEnvironment(cluster, 'conf-a', 'configured', (e) => {
      if (e.Operation?.Failure) throw new Error(`operation failed: ${e.Operation.Failure}`);
      return e.Status === 'Ready' && e.Operation?.Kind === 'configure' && e.Operation.Step === 'done';
    });
    assert.equal(updated.VersionLabel, 'c1');
    await waitFor('the template value answers', async () => (await env(urlA, 'GREETING')) === 'from-template', { timeoutMs: 30_000 });
    assert.equal(await env(urlA, 'FROM_FILE'), 'yes-it-is', 'no template value: .ebextensions shows through');
    assert.equal(await env(urlA, 'REMOVED'), 'from-api', 'what was not removed stays');
    const settings = await effective({ EnvironmentName: 'conf-a' });
    assert.equal(settings.get(`${VARS} GREETING`), 'from-template');
    assert.equal(settings.get(`${VARS} FROM_FILE`), 'yes-it-is');
    assert.equal(settings.get(`${VARS} REMOVED`), 'from-api');
  });

  test('DeleteConfigurationTemplate is refused while a live environment was made from it', async () => {
    for (const template of ['base', 'saved']) {
      const refused = await call('DeleteConfigurationTemplate', { ApplicationName: 'conf', TemplateName: template });
      assert.ok(refused.status >= 400 && refused.status < 500, refused.text);
      assert.match(refused.text, template === 'base' ? /conf-a/ : /conf-b/);
    }
    const { Applications } = await cluster.api('POST', `${EB}/DescribeApplications`, { ApplicationNames: ['conf'] });
    assert.deepEqual([...Applications[0].ConfigurationTemplates].sort(), ['base', 'saved'], 'both are kept');

    await cluster.api('POST', `${EB}/TerminateEnvironment`, { EnvironmentName: 'conf-b' });
    await waitForEnvironment(cluster, 'conf-b', 'Terminated', (e) => e.Status === 'Terminated', 60_000);
    await cluster.api('POST', `${EB}/DeleteConfigurationTemplate`, { ApplicationName: 'conf', TemplateName: 'saved' });
    const after = await cluster.api('POST', `${EB}/DescribeApplications`, { ApplicationNames: ['conf'] });
    assert.deepEqual(after.Applications[0].ConfigurationTemplates, ['base']);
    const missing = await call('DescribeConfigurationSettings', { ApplicationName: 'conf', TemplateName: 'saved' });
    assert.equal(missing.json.code, 'WHARF_E_TEMPLATE_NOT_FOUND');
  });
});
