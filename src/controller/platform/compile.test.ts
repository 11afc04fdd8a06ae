import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OptionSetting } from '../../model/platform.js';
import { deploymentConfigurationFor, deploymentPolicyFor, taskDefinitionFor, targetGroupFor } from './compile.js';
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
