import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OptionSetting } from '../../model/platform.js';
import { deploymentConfigurationFor, deploymentPolicyFor, replacesInstances, rollingUpdatePolicyFor, taskDefinitionFor, targetGroupFor } from './compile.js';
import { effectiveSettings, environmentConfig } from './options/resolve.js';

const config = (api: OptionSetting[] = []) => environmentConfig(effectiveSettings({ api }));
const set = (Namespace: string, OptionName: string, Value: string): OptionSetting => ({ Namespace, OptionName, Value });
const COMMAND = 'aws:elasticbeanstalk:command';

test('bounds: AllAtOnce and a single instance replace at once; the other policies keep full capacity; RollbackOnFailure decides the rollback', () => {
  assert.deepEqual(deploymentConfigurationFor(config()), { minimumHealthyPercent: 0, maximumPercent: 100, deploymentCircuitBreaker: { enable: true, rollback: true } });
  assert.equal(deploymentConfigurationFor(config([set(COMMAND, 'DeploymentPolicy', 'Rolling')])).minimumHealthyPercent, 100);
  assert.equal(deploymentConfigurationFor(config([set(COMMAND, 'DeploymentPolicy', 'Rolling'), set(COMMAND, 'RollbackOnFailure', 'false')])).deploymentCircuitBreaker.rollback, false);
  assert.equal(deploymentConfigurationFor(config([set('aws:elasticbeanstalk:environment', 'EnvironmentType', 'SingleInstance')])).maximumPercent, 100);
});

test('the policy: batch from BatchSizeType and BatchSize over MinSize instances; a single instance is always AllAtOnce', () => {
  const rolling = deploymentPolicyFor(config([set('aws:autoscaling:asg', 'MinSize', '4'), set(COMMAND, 'DeploymentPolicy', 'Rolling'), set(COMMAND, 'BatchSize', '50')]));
  assert.equal(rolling.name, 'Rolling');
  assert.equal(rolling.batch, 2);
  assert.equal(deploymentPolicyFor(config([set('aws:elasticbeanstalk:environment', 'EnvironmentType', 'SingleInstance'), set(COMMAND, 'DeploymentPolicy', 'AllAtOnce')])).name, 'AllAtOnce');
});

test('the task definition: the platform variables first, the environment properties winning; PORT for an image; the fixed port for a single instance', () => {
  const c = config([set('aws:elasticbeanstalk:application:environment', 'NODE_ENV', 'staging'), set('aws:elasticbeanstalk:application:environment', 'GREETING', 'hi')]);
  const environment = { environmentId: 'e-abc', environmentName: 'shop', applicationName: 'app' };
  const processTd = taskDefinitionFor({ environment, versionLabel: 'v1', runnable: { kind: 'process', workingDirectory: '/b/app', command: ['npm', 'start'], environment: { NODE_ENV: 'production' } }, config: c, port: 80, hostPort: 4567 });
  const app = processTd.containerDefinitions[0]!;
  assert.deepEqual(app.environment, [{ name: 'GREETING', value: 'hi' }, { name: 'NODE_ENV', value: 'staging' }]);
  assert.equal(app.image, 'wharf/process');
  assert.equal(app.workingDirectory, '/b/app');
  assert.deepEqual(app.portMappings.map((m) => [m.containerPort, m.hostPort]), [[80, 4567]]);
  assert.equal(app.dockerLabels?.['wharf.version-label'], 'v1');
  const imageTd = taskDefinitionFor({ environment, versionLabel: 'v2', runnable: { kind: 'image', image: 'wharf-app/app:v2', containerPort: 3000 }, config: c, port: 3000 });
  assert.ok(imageTd.containerDefinitions[0]!.environment.some((e) => e.name === 'PORT' && e.value === '3000'));
  assert.equal(imageTd.containerDefinitions[0]!.portMappings[0]?.hostPort, 0, 'behind the router the host picks the port');
});

test('the target group: the process health check, with a timeout of at least the router\'s 2 s', () => {
  const group = targetGroupFor('e-abc', config([set('aws:elasticbeanstalk:environment:process:default', 'HealthCheckPath', '/health'), set('aws:elasticbeanstalk:environment:process:default', 'HealthCheckTimeout', '1')]), 8080);
  assert.equal(group.Name, 'eb-e-abc');
  assert.equal(group.HealthCheckPath, '/health');
  assert.equal(group.HealthCheckTimeoutSeconds, 2);
  assert.equal(group.Port, 8080);
});

const ROLLING = 'aws:autoscaling:updatepolicy:rollingupdate';
const processRunnable = { kind: 'process' as const, workingDirectory: '/b/app', command: ['npm', 'start'], environment: {} };
const environmentRef = { environmentId: 'e-abc', environmentName: 'shop', applicationName: 'app' };

test('the task definition: an instance type sets the task cpu and memory (vCPUs x 1024, MiB); unset keeps only the container reservation', () => {
  const unset = taskDefinitionFor({ environment: environmentRef, versionLabel: 'v1', runnable: processRunnable, config: config(), port: 80 });
  assert.equal(unset.cpu, undefined);
  assert.equal(unset.memory, undefined);
  assert.equal(unset.containerDefinitions[0]?.memoryReservation, 128);
  const micro = taskDefinitionFor({ environment: environmentRef, versionLabel: 'v1', runnable: processRunnable, config: config([set('aws:autoscaling:launchconfiguration', 'InstanceType', 't3.micro')]), port: 80 });
  assert.deepEqual([micro.cpu, micro.memory], ['2048', '1024']);
  const big = taskDefinitionFor({ environment: environmentRef, versionLabel: 'v1', runnable: processRunnable, config: config([set('aws:ec2:instances', 'InstanceTypes', 'r5.4xlarge,t3.micro')]), port: 80 });
  assert.deepEqual([big.cpu, big.memory], ['16384', '131072']);
  assert.equal(big.containerDefinitions[0]?.memoryReservation, 128, 'the container is not capped below its task');
});

test('replacesInstances: a different cpu or memory than any task definition still serving; a new version or variables alone do not', () => {
  const td = (api: OptionSetting[], label = 'v1') => taskDefinitionFor({ environment: environmentRef, versionLabel: label, runnable: processRunnable, config: config(api), port: 80 });
  const micro = [set('aws:autoscaling:launchconfiguration', 'InstanceType', 't3.micro')];
  assert.equal(replacesInstances([td(micro)], td([...micro, set('aws:elasticbeanstalk:application:environment', 'A', 'b')], 'v2')), false);
  assert.equal(replacesInstances([td(micro)], td([set('aws:autoscaling:launchconfiguration', 'InstanceType', 't3.small')])), true, 'memory changes');
  assert.equal(replacesInstances([td(micro)], td([set('aws:autoscaling:launchconfiguration', 'InstanceType', 't3.xlarge')])), true, 'cpu and memory change');
  assert.equal(replacesInstances([td([])], td(micro)), true, 'from no instance type to one');
  assert.equal(replacesInstances([td(micro), td([])], td(micro)), true, 'a mixed fleet: one serving set has another size');
  assert.equal(replacesInstances([], td(micro)), false, 'nothing serving, nothing replaced');
});

test('the rolling update policy: the rolling update over the application policy; Disabled when not enabled or single; PauseTime for Time only', () => {
  const health = rollingUpdatePolicyFor(config([set('aws:autoscaling:asg', 'MinSize', '3'), set(ROLLING, 'RollingUpdateType', 'Health'), set(ROLLING, 'MaxBatchSize', '1'), set(ROLLING, 'MinInstancesInService', '2'), set(COMMAND, 'DeploymentPolicy', 'Rolling')]));
  assert.equal(health.name, 'Rolling', 'the application policy stays beneath');
  assert.deepEqual(health.rollingUpdate, { type: 'Health', maxBatchSize: 1, minInstancesInService: 2, pauseMs: 0 });
  const time = rollingUpdatePolicyFor(config([set(ROLLING, 'RollingUpdateEnabled', 'true'), set(ROLLING, 'PauseTime', 'PT1M30S')]));
  assert.deepEqual(time.rollingUpdate, { type: 'Time', maxBatchSize: 1, minInstancesInService: 1, pauseMs: 90_000 });
  assert.equal(rollingUpdatePolicyFor(config()).rollingUpdate?.type, 'Disabled', 'RollingUpdateEnabled false by default');
  assert.equal(rollingUpdatePolicyFor(config([set('aws:elasticbeanstalk:environment', 'EnvironmentType', 'SingleInstance')])).rollingUpdate?.type, 'Disabled');
  assert.equal(deploymentPolicyFor(config()).rollingUpdate, undefined, 'an application deployment has none');
});
