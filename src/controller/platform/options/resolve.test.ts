import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WharfError } from '../../../model/errors.js';
import type { OptionSetting } from '../../../model/platform.js';
import { NS, OPTION_SPECS } from './catalogue.js';
import type { EffectiveSettings } from './resolve.js';
import { applyOptionUpdates, effectiveSettings, environmentConfig, findEffective } from './resolve.js';

const set = (Namespace: string, OptionName: string, Value: string): OptionSetting => ({ Namespace, OptionName, Value });
const pick = (effective: EffectiveSettings, namespace: string, name: string) => {
  const found = findEffective(effective, namespace, name);
  return found && { Value: found.Value, source: found.source, ...(found.file ? { file: found.file } : {}) };
};

test('with no layers, every option of the catalogue has its default', () => {
  const effective = effectiveSettings({});
  assert.equal(effective.length, OPTION_SPECS.length);
  assert.ok(effective.every((s) => s.source === 'default'));
  assert.deepEqual(pick(effective, NS.asg, 'MaxSize'), { Value: '4', source: 'default' });
  assert.deepEqual(pick(effective, NS.environment, 'ServiceRole'), { Value: '', source: 'default' });
  assert.ok(Object.isFrozen(effective) && Object.isFrozen(effective[0]));
});

test('precedence: api over saved over .ebextensions over defaults, each value with its source', () => {
  const effective = effectiveSettings({
    api: [set(NS.asg, 'MinSize', '4')],
    saved: [set(NS.asg, 'MinSize', '3'), set(NS.asg, 'MaxSize', '6')],
    ebextensions: [
      { ...set(NS.asg, 'MinSize', '2'), file: '.ebextensions/a.config' },
      { ...set(NS.asg, 'MaxSize', '5'), file: '.ebextensions/a.config' },
      { ...set(NS.asg, 'Cooldown', '60'), file: '.ebextensions/a.config' },
    ],
  });
  assert.deepEqual(pick(effective, NS.asg, 'MinSize'), { Value: '4', source: 'api' });
  assert.deepEqual(pick(effective, NS.asg, 'MaxSize'), { Value: '6', source: 'saved' });
  assert.deepEqual(pick(effective, NS.asg, 'Cooldown'), { Value: '60', source: 'ebextensions', file: '.ebextensions/a.config' });
  assert.deepEqual(pick(effective, NS.command, 'Timeout'), { Value: '600', source: 'default' });
});

test('.ebextensions: a later file wins', () => {
  const effective = effectiveSettings({
    ebextensions: [
      { ...set(NS.environmentProperties, 'MODE', 'first'), file: '.ebextensions/01.config' },
      { ...set(NS.environmentProperties, 'MODE', 'second'), file: '.ebextensions/02.config' },
    ],
  });
  assert.deepEqual(pick(effective, NS.environmentProperties, 'MODE'), { Value: 'second', source: 'ebextensions', file: '.ebextensions/02.config' });
});

test('OptionsToRemove takes a setting off the API layer and re-exposes the layers below', () => {
  const layers = {
    saved: [set(NS.asg, 'MaxSize', '6')],
    ebextensions: [{ ...set(NS.environmentProperties, 'MODE', 'from-file'), file: '.ebextensions/01.config' }],
  };
  const api = [set(NS.environmentProperties, 'MODE', 'from-api'), set(NS.asg, 'MaxSize', '9'), set(NS.asg, 'Cooldown', '30'), set(NS.environmentProperties, 'ONLY_API', 'x')];
  const before = effectiveSettings({ ...layers, api: { OptionSettings: api } });
  assert.deepEqual(pick(before, NS.environmentProperties, 'MODE'), { Value: 'from-api', source: 'api' });
  const remove = [
    { Namespace: NS.environmentProperties, OptionName: 'MODE' },
    { Namespace: NS.asg, OptionName: 'MaxSize' },
    { Namespace: NS.asg, OptionName: 'Cooldown' },
    { Namespace: NS.environmentProperties, OptionName: 'ONLY_API' },
  ];
  const after = effectiveSettings({ ...layers, api: { OptionSettings: api, OptionsToRemove: remove } });
  assert.deepEqual(pick(after, NS.environmentProperties, 'MODE'), { Value: 'from-file', source: 'ebextensions', file: '.ebextensions/01.config' });
  assert.deepEqual(pick(after, NS.asg, 'MaxSize'), { Value: '6', source: 'saved' });
  assert.deepEqual(pick(after, NS.asg, 'Cooldown'), { Value: '360', source: 'default' });
  assert.equal(pick(after, NS.environmentProperties, 'ONLY_API'), undefined);
});

test('OptionsToRemove does not reach below the API layer', () => {
  const effective = effectiveSettings({
    api: { OptionsToRemove: [{ Namespace: NS.environmentProperties, OptionName: 'MODE' }] },
    saved: [set(NS.environmentProperties, 'MODE', 'saved')],
  });
  assert.deepEqual(pick(effective, NS.environmentProperties, 'MODE'), { Value: 'saved', source: 'saved' });
});

test('applyOptionUpdates: the API layer after an UpdateEnvironment', () => {
  const current = [set(NS.asg, 'MinSize', '2'), set(NS.environmentProperties, 'A', '1'), set(NS.environmentProperties, 'B', '2')];
  const next = applyOptionUpdates(current, {
    OptionSettings: [set(NS.asg, 'MinSize', '3'), set(NS.environmentProperties, 'C', '3')],
    OptionsToRemove: [{ Namespace: NS.environmentProperties, OptionName: 'B' }],
  });
  assert.deepEqual(next, [set(NS.environmentProperties, 'A', '1'), set(NS.asg, 'MinSize', '3'), set(NS.environmentProperties, 'C', '3')]);
});

test('HealthCheckSuccessThreshold under aws:elasticbeanstalk:command lands in healthreporting:system, and layers still apply', () => {
  const effective = effectiveSettings({
    api: [set(NS.command, 'HealthCheckSuccessThreshold', 'Degraded')],
    saved: [set(NS.healthReporting, 'HealthCheckSuccessThreshold', 'Warning')],
  });
  assert.deepEqual(pick(effective, NS.healthReporting, 'HealthCheckSuccessThreshold'), { Value: 'Degraded', source: 'api' });
  assert.equal(findEffective(effective, NS.command, 'HealthCheckSuccessThreshold'), undefined);
});

test('computed defaults: rolling update batch sizes from MinSize and MaxSize; enabled once tuned', () => {
  const plain = effectiveSettings({ api: [set(NS.asg, 'MinSize', '7'), set(NS.asg, 'MaxSize', '10')] });
  assert.deepEqual(pick(plain, NS.rollingUpdate, 'MaxBatchSize'), { Value: '3', source: 'default' });
  assert.deepEqual(pick(plain, NS.rollingUpdate, 'MinInstancesInService'), { Value: '7', source: 'default' });
  assert.deepEqual(pick(plain, NS.rollingUpdate, 'RollingUpdateEnabled'), { Value: 'false', source: 'default' });
  const capped = effectiveSettings({ api: [set(NS.asg, 'MinSize', '4'), set(NS.asg, 'MaxSize', '4')] });
  assert.deepEqual(pick(capped, NS.rollingUpdate, 'MinInstancesInService'), { Value: '3', source: 'default' }, 'min(MinSize, MaxSize - 1)');
  for (const name of ['MaxBatchSize', 'MinInstancesInService', 'PauseTime']) {
    const tuned = effectiveSettings({ saved: [set(NS.rollingUpdate, name, name === 'PauseTime' ? 'PT1M' : '1')] });
    assert.deepEqual(pick(tuned, NS.rollingUpdate, 'RollingUpdateEnabled'), { Value: 'true', source: 'default' }, name);
  }
  const off = effectiveSettings({ api: [set(NS.rollingUpdate, 'RollingUpdateEnabled', 'false')], saved: [set(NS.rollingUpdate, 'MaxBatchSize', '1')] });
  assert.deepEqual(pick(off, NS.rollingUpdate, 'RollingUpdateEnabled'), { Value: 'false', source: 'api' }, 'an explicit setting wins');
});

test('computed defaults: a SingleInstance environment has MinSize = MaxSize = 1', () => {
  const effective = effectiveSettings({ api: [set(NS.environment, 'EnvironmentType', 'SingleInstance')] });
  assert.deepEqual(pick(effective, NS.asg, 'MinSize'), { Value: '1', source: 'default' });
  assert.deepEqual(pick(effective, NS.asg, 'MaxSize'), { Value: '1', source: 'default' });
  assert.deepEqual(pick(effective, NS.rollingUpdate, 'MinInstancesInService'), { Value: '0', source: 'default' });
});

test('computed defaults: BreachDuration follows Period × EvaluationPeriods, or adjusts the one left at its default', () => {
  const value = (settings: OptionSetting[], name: string) => findEffective(effectiveSettings({ api: settings }), NS.trigger, name)?.Value;
  assert.equal(value([set(NS.trigger, 'Period', '2'), set(NS.trigger, 'EvaluationPeriods', '3')], 'BreachDuration'), '6');
  assert.equal(value([set(NS.trigger, 'BreachDuration', '15')], 'EvaluationPeriods'), '3');
  assert.equal(value([set(NS.trigger, 'BreachDuration', '15')], 'Period'), '5');
  assert.equal(value([set(NS.trigger, 'BreachDuration', '8'), set(NS.trigger, 'EvaluationPeriods', '4')], 'Period'), '2');
  assert.equal(value([set(NS.trigger, 'BreachDuration', '7')], 'Period'), '7');
});

test('environmentConfig of the defaults', () => {
  const config = environmentConfig(effectiveSettings({}));
  assert.deepEqual(config, {
    environmentVariables: {},
    minSize: 1,
    maxSize: 4,
    cooldownSeconds: 360,
    trigger: {
      measureName: 'NetworkOut', statistic: 'Average', unit: 'Bytes', periodMinutes: 5, evaluationPeriods: 1, breachDurationMinutes: 5,
      upperThreshold: 6000000, upperBreachScaleIncrement: 1, lowerThreshold: 2000000, lowerBreachScaleIncrement: -1,
    },
    environmentType: 'LoadBalanced',
    loadBalancerType: 'classic',
    loadBalancerIsShared: false,
    process: {
      healthCheckPath: '/', port: 80, matcherHttpCode: '200', healthCheckIntervalSeconds: 15, healthCheckTimeoutSeconds: 5,
      healthyThresholdCount: 3, unhealthyThresholdCount: 5, deregistrationDelaySeconds: 20,
    },
    healthReporting: { systemType: 'basic', healthCheckSuccessThreshold: 'Ok', ignoreApplication4xx: false, ignoreLoadBalancer4xx: false },
    command: { deploymentPolicy: 'AllAtOnce', batchSizeType: 'Percentage', batchSize: 100, timeoutSeconds: 600, ignoreHealthCheck: false, rollbackOnFailure: true },
    trafficSplitting: { newVersionPercent: 10, evaluationTimeMinutes: 5, errorRateMarginPoints: 1, latencyMarginPercent: 100 },
    rollingUpdate: { enabled: false, type: 'Time', maxBatchSize: 1, minInstancesInService: 1, pauseTimeSeconds: 0, timeoutSeconds: 1800 },
  });
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.process) && Object.isFrozen(config.environmentVariables));
});

test('environmentConfig reads every layer and converts the values', () => {
  const config = environmentConfig(
    effectiveSettings({
      api: [
        set(NS.environmentProperties, 'DB_HOST', 'db.local'),
        set(NS.command, 'DeploymentPolicy', 'TrafficSplitting'),
        set(NS.command, 'RollbackOnFailure', 'FALSE'),
        set(NS.trafficSplitting, 'EvaluationTime', '3.5'),
        set(NS.rollingUpdate, 'PauseTime', 'PT1M30S'),
        set(NS.environment, 'ServiceRole', 'aws-elasticbeanstalk-service-role'),
      ],
      saved: [set(NS.environment, 'LoadBalancerType', 'application'), set(NS.healthReporting, 'ConfigDocument', '{"Rules":{"Environment":{"ELB":{"ELBRequests4xx":{"Enabled":false}}}}}')],
      ebextensions: [{ ...set(NS.asg, 'MinSize', '2'), file: '.ebextensions/01.config' }, { ...set(NS.process, 'HealthCheckPath', '/ready'), file: '.ebextensions/01.config' }],
    }),
  );
  assert.deepEqual(config.environmentVariables, { DB_HOST: 'db.local' });
  assert.equal(config.command.deploymentPolicy, 'TrafficSplitting');
  assert.equal(config.command.rollbackOnFailure, false);
  assert.equal(config.trafficSplitting.evaluationTimeMinutes, 3.5);
  assert.equal(config.rollingUpdate.pauseTimeSeconds, 90);
  assert.equal(config.rollingUpdate.enabled, true);
  assert.equal(config.serviceRole, 'aws-elasticbeanstalk-service-role');
  assert.equal(config.loadBalancerType, 'application');
  assert.equal(config.healthReporting.ignoreLoadBalancer4xx, true);
  assert.equal(config.minSize, 2);
  assert.equal(config.process.healthCheckPath, '/ready');
  assert.equal(config.applicationHealthcheckUrl, undefined);
});

test('environmentConfig: Application Healthcheck URL overrides the process HealthCheckPath when it has a path', () => {
  const withUrl = (url: string) => environmentConfig(effectiveSettings({ api: [set(NS.process, 'HealthCheckPath', '/ready'), set(NS.application, 'Application Healthcheck URL', url)] }));
  assert.equal(withUrl('/health').process.healthCheckPath, '/health');
  assert.equal(withUrl('/health').applicationHealthcheckUrl, '/health');
  assert.equal(withUrl('HTTP:80/status').process.healthCheckPath, '/status');
  assert.equal(withUrl('').process.healthCheckPath, '/ready', 'empty means unset');
  assert.equal(withUrl('').applicationHealthcheckUrl, undefined);
});

test('environmentConfig: a SingleInstance environment runs exactly one copy', () => {
  const config = environmentConfig(effectiveSettings({ api: [set(NS.environment, 'EnvironmentType', 'SingleInstance'), set(NS.asg, 'MinSize', '3'), set(NS.asg, 'MaxSize', '5')] }));
  assert.equal(config.environmentType, 'SingleInstance');
  assert.deepEqual([config.minSize, config.maxSize], [1, 1]);
});

test('environmentConfig refuses settings that are not valid, naming each', () => {
  assert.throws(
    () => environmentConfig(effectiveSettings({ saved: [set(NS.asg, 'MaxSize', 'lots'), set(NS.process, 'Port', '0')] })),
    (error: unknown) =>
      error instanceof WharfError &&
      error.code === 'WHARF_E_INVALID_CONFIGURATION' &&
      error.errors.some((e) => e.field === 'aws:autoscaling:asg:MaxSize') &&
      error.errors.some((e) => e.field === `${NS.process}:Port`),
  );
});

test('environmentConfig: the instance type is the first of InstanceTypes, else InstanceType; unset by default', () => {
  const typeOf = (api: OptionSetting[]) => environmentConfig(effectiveSettings({ api })).instanceType;
  assert.equal(typeOf([]), undefined);
  assert.equal(typeOf([set(NS.launchConfiguration, 'InstanceType', 't3.micro')]), 't3.micro');
  assert.equal(typeOf([set(NS.launchConfiguration, 'InstanceType', 't3.micro'), set(NS.ec2Instances, 'InstanceTypes', ' c5.large , t3.micro')]), 'c5.large');
  assert.equal(environmentConfig(effectiveSettings({ ebextensions: [{ ...set(NS.launchConfiguration, 'InstanceType', 'm5.large'), file: '.ebextensions/size.config' }] })).instanceType, 'm5.large');
});
