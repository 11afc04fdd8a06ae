import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WharfError } from '../../../model/errors.js';
import type { OptionSetting } from '../../../model/platform.js';
import { NS } from './catalogue.js';
import type { ValidationContext } from './validate.js';
import { optionSettingSchema, optionSpecificationSchema } from '../../../model/api/platform.js';
import { configurationError, validateOptionSettings, validateSettingsLayer } from './validate.js';

const set = (Namespace: string, OptionName: string, Value: string): OptionSetting => ({ Namespace, OptionName, Value });
const errorsOf = (settings: OptionSetting[], context: ValidationContext = {}) =>
  validateOptionSettings(settings, context)
    .filter((m) => m.Severity === 'error')
    .map((m) => `${m.Namespace} ${m.OptionName}: ${m.Message}`);
const warningsOf = (settings: OptionSetting[], context: ValidationContext = {}) =>
  validateOptionSettings(settings, context)
    .filter((m) => m.Severity === 'warning')
    .map((m) => `${m.Namespace} ${m.OptionName}: ${m.Message}`);

test('the defaults alone are valid, for every environment type and tier', () => {
  assert.deepEqual(validateOptionSettings([]), []);
  assert.deepEqual(validateOptionSettings([], { environmentType: 'SingleInstance' }), []);
  assert.deepEqual(validateOptionSettings([], { tier: 'Worker' }), []);
});

test('messages have ValidateConfigurationSettings shape', () => {
  assert.deepEqual(validateOptionSettings([set(NS.asg, 'MinSize', 'abc')]), [
    { Severity: 'error', Namespace: NS.asg, OptionName: 'MinSize', Message: "MinSize must be a whole number from 1 to 5000; got 'abc'" },
  ]);
});

test('an unknown namespace is refused, with the closest known one', () => {
  const [message] = errorsOf([set('aws:autoscaling:asgg', 'MinSize', '2')]);
  assert.match(message ?? '', /^aws:autoscaling:asgg MinSize: Unknown namespace "aws:autoscaling:asgg" \(did you mean "aws:autoscaling:asg"\?\)\. Wharf acts on: /);
  assert.match(errorsOf([set('custom:stuff', 'X', '1')])[0] ?? '', /Unknown namespace "custom:stuff"\. Wharf acts on/);
});

test('an unknown option is refused, with the closest known one and the list', () => {
  assert.match(errorsOf([set(NS.asg, 'MinSise', '2')])[0] ?? '', /Unknown option "MinSise" in aws:autoscaling:asg \(did you mean "MinSize"\?\)\. Its options are: MinSize, MaxSize, Cooldown$/);
  assert.match(errorsOf([set(NS.asg, 'minsize', '2')])[0] ?? '', /did you mean "MinSize"/);
});

test('namespaces and options of Elastic Beanstalk Wharf does not act on yet are refused as such', () => {
  assert.match(errorsOf([set('aws:ec2:vpc', 'Subnets', 'subnet-1')])[0] ?? '', /The namespace aws:ec2:vpc is valid in Elastic Beanstalk, but not yet supported by Wharf: .*Remove its settings/);
  assert.match(
    errorsOf([set(NS.launchConfiguration, 'EC2KeyName', 'mine')])[0] ?? '',
    /^aws:autoscaling:launchconfiguration EC2KeyName: EC2KeyName is an option of aws:autoscaling:launchconfiguration in Elastic Beanstalk, but not yet supported by Wharf: .*only InstanceType \(the size of each copy\) applies\. Remove it$/,
  );
  assert.match(errorsOf([set(NS.ec2Instances, 'EnableSpot', 'true')])[0] ?? '', /EnableSpot is an option of aws:ec2:instances in Elastic Beanstalk, but not yet supported by Wharf: .*only InstanceTypes/);
  assert.match(errorsOf([set(NS.asg, 'Availability Zones', 'Any 2')])[0] ?? '', /Availability Zones is an option of aws:autoscaling:asg in Elastic Beanstalk, but not yet supported by Wharf/);
});

test('wrong type, out of range and not in ValueOptions are each refused by name', () => {
  const errors = errorsOf([set(NS.asg, 'MaxSize', 'many'), set(NS.asg, 'Cooldown', '-1'), set(NS.command, 'BatchSizeType', 'Percent'), set(NS.command, 'IgnoreHealthCheck', '1')]);
  assert.equal(errors.length, 4);
  assert.match(errors[0] ?? '', /MaxSize must be a whole number from 1 to 5000; got 'many'/);
  assert.match(errors[1] ?? '', /Cooldown must be a whole number of seconds from 0 to 10000; got '-1'/);
  assert.match(errors[2] ?? '', /BatchSizeType must be one of Percentage, Fixed; got 'Percent'/);
  assert.match(errors[3] ?? '', /IgnoreHealthCheck must be true or false; got '1'/);
});

test('an option set twice in one layer is refused; the alias of HealthCheckSuccessThreshold counts as the same option', () => {
  assert.deepEqual(errorsOf([set(NS.asg, 'MinSize', '2'), set(NS.asg, 'MinSize', '3')]), [`${NS.asg} MinSize: MinSize of ${NS.asg} is set twice ('2' and '3'); keep one`]);
  assert.equal(errorsOf([set(NS.command, 'HealthCheckSuccessThreshold', 'Ok'), set(NS.healthReporting, 'HealthCheckSuccessThreshold', 'Warning')]).length, 1);
  assert.deepEqual(errorsOf([set(NS.environmentProperties, 'A', '1'), set(NS.environmentProperties, 'a', '2')]), [], 'property names are case-sensitive');
});

test('HealthCheckSuccessThreshold is accepted under aws:elasticbeanstalk:command too', () => {
  assert.deepEqual(validateOptionSettings([set(NS.command, 'HealthCheckSuccessThreshold', 'Warning')]), []);
  assert.match(errorsOf([set(NS.command, 'HealthCheckSuccessThreshold', 'Fine')])[0] ?? '', /^aws:elasticbeanstalk:healthreporting:system HealthCheckSuccessThreshold: /);
});

test('CloudFormation functions in backticks are refused as not yet supported', () => {
  assert.match(errorsOf([set(NS.environmentProperties, 'QUEUE', '`{"Fn::ImportValue":"q"}`')])[0] ?? '', /CloudFormation function .* not yet supported by Wharf/);
});

test('environment properties: character and length rules, and 4096 bytes in all on the effective settings', () => {
  assert.match(errorsOf([set(NS.environmentProperties, 'A B', 'x')])[0] ?? '', /characters Elastic Beanstalk does not allow/);
  const big = (i: number) => set(NS.environmentProperties, `K${i}`, 'v'.repeat(250));
  const fifteen = Array.from({ length: 15 }, (_, i) => big(i + 10)); // 15 × (3 + 1 + 250) = 3810 bytes
  assert.deepEqual(errorsOf(fifteen), []);
  const seventeen = Array.from({ length: 17 }, (_, i) => big(i + 10)); // 4318 bytes
  assert.match(errorsOf(seventeen)[0] ?? '', /take 4318 bytes as name=value strings; Elastic Beanstalk allows 4096 in all/);
  assert.match(errorsOf(fifteen, { lowerLayers: { ebextensions: [big(90), big(91)] } })[0] ?? '', /take 4318 bytes/, 'lower layers count too');
});

test('MinSize must not be above MaxSize, on the effective settings', () => {
  assert.match(errorsOf([set(NS.asg, 'MinSize', '5')])[0] ?? '', /^aws:autoscaling:asg MinSize: MinSize \(5, set through the API\) must not be more than MaxSize \(4, the default\)/);
  assert.deepEqual(errorsOf([set(NS.asg, 'MinSize', '5'), set(NS.asg, 'MaxSize', '5')]), []);
  assert.deepEqual(errorsOf([set(NS.asg, 'MinSize', '5')], { lowerLayers: { saved: [set(NS.asg, 'MaxSize', '8')] } }), [], 'MaxSize from the saved configuration');
  assert.match(
    errorsOf([set(NS.asg, 'MaxSize', '2')], { lowerLayers: { ebextensions: [{ ...set(NS.asg, 'MinSize', '3'), file: '.ebextensions/01.config' }] } })[0] ?? '',
    /MinSize \(3, from \.ebextensions\/01\.config\) must not be more than MaxSize \(2, set through the API\)/,
  );
});

test('SingleInstance: MinSize and MaxSize other than 1 are ignored with a warning', () => {
  const settings = [set(NS.environment, 'EnvironmentType', 'SingleInstance'), set(NS.asg, 'MinSize', '3'), set(NS.asg, 'MaxSize', '2')];
  assert.deepEqual(errorsOf(settings), []);
  assert.equal(warningsOf(settings).length, 2);
  assert.match(warningsOf(settings)[0] ?? '', /MinSize \(3, set through the API\) is ignored: a SingleInstance environment always runs one copy/);
});

test('HealthCheckTimeout must be less than HealthCheckInterval', () => {
  assert.match(errorsOf([set(NS.process, 'HealthCheckTimeout', '15')])[0] ?? '', /HealthCheckTimeout \(15, set through the API\) must be less than HealthCheckInterval \(15, the default\)/);
  assert.deepEqual(errorsOf([set(NS.process, 'HealthCheckTimeout', '14')]), []);
  assert.deepEqual(errorsOf([set(NS.process, 'HealthCheckTimeout', '30'), set(NS.process, 'HealthCheckInterval', '60')]), []);
});

test('BreachDuration = Period × EvaluationPeriods: set all three, they must agree', () => {
  const trigger = (period: string, evaluations: string, breach: string) => [set(NS.trigger, 'Period', period), set(NS.trigger, 'EvaluationPeriods', evaluations), set(NS.trigger, 'BreachDuration', breach)];
  assert.deepEqual(errorsOf(trigger('2', '3', '6')), []);
  assert.match(errorsOf(trigger('2', '3', '5'))[0] ?? '', /^aws:autoscaling:trigger BreachDuration: BreachDuration \(5, set through the API\) must equal Period × EvaluationPeriods \(2 × 3 = 6 minutes\)/);
});

test('BreachDuration = Period × EvaluationPeriods: one left at its default is adjusted when it can be', () => {
  assert.deepEqual(errorsOf([set(NS.trigger, 'BreachDuration', '10')]), [], 'EvaluationPeriods becomes 2');
  assert.deepEqual(errorsOf([set(NS.trigger, 'BreachDuration', '7')]), [], 'Period becomes 7');
  assert.deepEqual(errorsOf([set(NS.trigger, 'Period', '1')]), [], 'BreachDuration becomes 1');
  assert.deepEqual(errorsOf([set(NS.trigger, 'BreachDuration', '9'), set(NS.trigger, 'EvaluationPeriods', '3')]), [], 'Period becomes 3');
  assert.match(errorsOf([set(NS.trigger, 'BreachDuration', '7'), set(NS.trigger, 'Period', '2')])[0] ?? '', /BreachDuration \(7, set through the API\) must equal Period × EvaluationPeriods \(2 × 1 = 2 minutes\)/);
  assert.match(errorsOf([set(NS.trigger, 'Period', '60'), set(NS.trigger, 'EvaluationPeriods', '20')])[0] ?? '', /60 × 20 = 1200 minutes, but BreachDuration \(which must equal it\) is at most 600/);
});

test('LowerThreshold above UpperThreshold is a warning', () => {
  assert.match(warningsOf([set(NS.trigger, 'LowerThreshold', '90'), set(NS.trigger, 'UpperThreshold', '80')])[0] ?? '', /LowerThreshold \(90\) is above UpperThreshold \(80\)/);
});

test('BatchSize: at most 100 as a Percentage, at most MaxSize when Fixed', () => {
  assert.deepEqual(errorsOf([set(NS.command, 'BatchSize', '150')]), [
    `${NS.command} BatchSize: BatchSize (150, set through the API) must be from 1 to 100 when BatchSizeType is Percentage (Percentage, the default); lower it, or set BatchSizeType to Fixed for a number of copies`,
  ]);
  assert.match(errorsOf([set(NS.command, 'BatchSize', '101'), set(NS.command, 'BatchSizeType', 'Percentage')])[0] ?? '', /BatchSize \(101, set through the API\) must be from 1 to 100/);
  assert.deepEqual(errorsOf([set(NS.command, 'BatchSize', '100')]), []);
  assert.deepEqual(errorsOf([set(NS.command, 'BatchSizeType', 'Fixed'), set(NS.command, 'BatchSize', '4')]), []);
  assert.deepEqual(errorsOf([set(NS.command, 'BatchSizeType', 'Fixed'), set(NS.command, 'BatchSize', '5')]), [
    `${NS.command} BatchSize: BatchSize (5, set through the API) must not be more than ${NS.asg} MaxSize (4, the default) when BatchSizeType is Fixed; lower BatchSize or raise MaxSize`,
  ]);
  assert.deepEqual(errorsOf([set(NS.command, 'BatchSizeType', 'Fixed'), set(NS.command, 'BatchSize', '150'), set(NS.asg, 'MaxSize', '200')]), []);
  assert.deepEqual(errorsOf([set(NS.command, 'BatchSizeType', 'Fixed'), set(NS.command, 'BatchSize', '3')], { lowerLayers: { saved: [set(NS.asg, 'MaxSize', '2')] } }).length, 1, 'MaxSize from a lower layer');
  assert.deepEqual(errorsOf([set(NS.command, 'BatchSizeType', 'Fixed'), set(NS.command, 'BatchSize', '3'), set(NS.environment, 'EnvironmentType', 'SingleInstance')]), [], 'a single instance has no batches');
});

test('BatchSize 0 and the deployment options out of range are refused on their own, each naming its namespace and option', () => {
  const cases: [string, string, string, RegExp][] = [
    [NS.command, 'BatchSize', '0', /BatchSize must be a whole number from 1 to 100 when BatchSizeType is Percentage, or from 1 to MaxSize \(aws:autoscaling:asg\) when it is Fixed; got '0'/],
    [NS.command, 'Timeout', '0', /Timeout must be a whole number of seconds from 1 to 3600; got '0'/],
    [NS.command, 'Timeout', '3601', /from 1 to 3600; got '3601'/],
    [NS.command, 'BatchSizeType', 'Count', /BatchSizeType must be one of Percentage, Fixed; got 'Count'/],
    [NS.command, 'DeploymentPolicy', 'BlueGreen', /DeploymentPolicy must be one of AllAtOnce, Rolling, RollingWithAdditionalBatch, Immutable, TrafficSplitting; got 'BlueGreen'/],
    [NS.trafficSplitting, 'NewVersionPercent', '0', /NewVersionPercent must be a whole number of percent from 1 to 100; got '0'/],
    [NS.trafficSplitting, 'NewVersionPercent', '101', /got '101'/],
    [NS.trafficSplitting, 'EvaluationTime', '0', /EvaluationTime must be a number of minutes from 0.05 to 600/],
    [NS.trafficSplitting, 'EvaluationTime', '601', /got '601'/],
  ];
  for (const [namespace, name, value, message] of cases) {
    const found = validateOptionSettings([set(namespace, name, value)]);
    assert.equal(found.length, 1, `${name} ${value}: ${JSON.stringify(found)}`);
    assert.equal(found[0]?.Severity, 'error');
    assert.equal(found[0]?.Namespace, namespace);
    assert.equal(found[0]?.OptionName, name);
    assert.match(found[0]?.Message ?? '', message, `${name} ${value}`);
    assert.equal(configurationError(found).errors[0]?.field, `${namespace}:${name}`, 'the API error names the namespace and option');
  }
  assert.deepEqual(errorsOf([set(NS.trafficSplitting, 'EvaluationTime', '0.05')]), [], '3 seconds');
});

test('deployment policies per environment type (eb-ecs-spec §1.4)', () => {
  const allowed: Record<string, { LoadBalanced: boolean; SingleInstance: boolean }> = {
    AllAtOnce: { LoadBalanced: true, SingleInstance: true },
    Rolling: { LoadBalanced: true, SingleInstance: false },
    RollingWithAdditionalBatch: { LoadBalanced: true, SingleInstance: false },
    Immutable: { LoadBalanced: true, SingleInstance: true },
    TrafficSplitting: { LoadBalanced: true, SingleInstance: false },
  };
  // What the policies need besides the type: enhanced health (Immutable) and an ALB (TrafficSplitting).
  const needs = [set(NS.healthReporting, 'SystemType', 'enhanced'), set(NS.environment, 'LoadBalancerType', 'application')];
  for (const [policy, types] of Object.entries(allowed)) {
    for (const type of ['LoadBalanced', 'SingleInstance'] as const) {
      const errors = errorsOf([...needs, set(NS.command, 'DeploymentPolicy', policy), set(NS.environment, 'EnvironmentType', type)]);
      if (types[type]) assert.deepEqual(errors, [], `${policy} on ${type}`);
      else {
        assert.deepEqual(
          errors,
          [
            `${NS.command} DeploymentPolicy: DeploymentPolicy ${policy} (set through the API) needs a load-balanced environment, and this one is SingleInstance; ` +
              'a SingleInstance environment deploys AllAtOnce or Immutable. Set DeploymentPolicy to one of those, or use a LoadBalanced environment',
          ],
          `${policy} on ${type}`,
        );
      }
    }
  }
});

test('a policy from a version\'s .ebextensions is refused naming the file', () => {
  const fromFile = { ...set(NS.command, 'DeploymentPolicy', 'RollingWithAdditionalBatch'), file: '.ebextensions/20-deploy.config' };
  assert.match(
    errorsOf([], { environmentType: 'SingleInstance', lowerLayers: { ebextensions: [fromFile] } })[0] ?? '',
    /DeploymentPolicy RollingWithAdditionalBatch \(from \.ebextensions\/20-deploy\.config\) needs a load-balanced environment/,
  );
  const batch = { ...set(NS.command, 'BatchSize', '150'), file: '.ebextensions/20-deploy.config' };
  assert.match(errorsOf([], { lowerLayers: { ebextensions: [batch] } })[0] ?? '', /BatchSize \(150, from \.ebextensions\/20-deploy\.config\) must be from 1 to 100/);
  assert.deepEqual(errorsOf([set(NS.command, 'BatchSizeType', 'Fixed'), set(NS.asg, 'MaxSize', '200')], { lowerLayers: { ebextensions: [batch] } }), [], 'the API layer can make it valid');
});

test('the environment type comes from the context when the settings do not set it', () => {
  assert.match(errorsOf([set(NS.command, 'DeploymentPolicy', 'Rolling')], { environmentType: 'SingleInstance' })[0] ?? '', /needs a load-balanced environment, and this one is SingleInstance/);
  assert.deepEqual(errorsOf([set(NS.command, 'DeploymentPolicy', 'Rolling'), set(NS.environment, 'EnvironmentType', 'LoadBalanced')], { environmentType: 'SingleInstance' }), []);
});

test('TrafficSplitting needs an Application Load Balancer, and a web server', () => {
  assert.deepEqual(errorsOf([set(NS.command, 'DeploymentPolicy', 'TrafficSplitting')]), [
    `${NS.command} DeploymentPolicy: DeploymentPolicy TrafficSplitting (set through the API) needs an Application Load Balancer: set ${NS.environment} LoadBalancerType to application (it is classic, the default), or choose another DeploymentPolicy`,
  ]);
  assert.match(errorsOf([set(NS.command, 'DeploymentPolicy', 'TrafficSplitting'), set(NS.environment, 'LoadBalancerType', 'classic')])[0] ?? '', /\(it is classic, set through the API\)/);
  assert.deepEqual(errorsOf([set(NS.command, 'DeploymentPolicy', 'TrafficSplitting'), set(NS.environment, 'LoadBalancerType', 'application')]), []);
  assert.deepEqual(
    errorsOf([set(NS.command, 'DeploymentPolicy', 'TrafficSplitting')], { lowerLayers: { saved: [set(NS.environment, 'LoadBalancerType', 'application')] } }),
    [],
    'the load balancer type from a lower layer',
  );
  assert.match(
    errorsOf([set(NS.command, 'DeploymentPolicy', 'TrafficSplitting'), set(NS.environment, 'LoadBalancerType', 'application')], { tier: 'Worker' })[0] ?? '',
    /a Worker environment has none/,
  );
});

test('Immutable deployments and updates need enhanced health', () => {
  assert.deepEqual(errorsOf([set(NS.command, 'DeploymentPolicy', 'Immutable')]), [
    `${NS.command} DeploymentPolicy: DeploymentPolicy Immutable (set through the API) needs enhanced health reporting: set ${NS.healthReporting} SystemType to enhanced (it is basic, the default), or choose another DeploymentPolicy`,
  ]);
  assert.deepEqual(errorsOf([set(NS.command, 'DeploymentPolicy', 'Immutable'), set(NS.healthReporting, 'SystemType', 'enhanced')]), []);
  assert.deepEqual(errorsOf([set(NS.command, 'DeploymentPolicy', 'Immutable'), set(NS.healthReporting, 'SystemType', 'enhanced'), set(NS.environment, 'EnvironmentType', 'SingleInstance')]), []);
  assert.match(
    errorsOf([set(NS.rollingUpdate, 'RollingUpdateEnabled', 'true'), set(NS.rollingUpdate, 'RollingUpdateType', 'Immutable')])[0] ?? '',
    /RollingUpdateType Immutable needs enhanced health reporting/,
  );
});

test('rolling updates: Time and Health need a load balancer; MinInstancesInService below MaxSize', () => {
  const single = set(NS.environment, 'EnvironmentType', 'SingleInstance');
  assert.deepEqual(errorsOf([single, set(NS.rollingUpdate, 'RollingUpdateEnabled', 'true')]), [
    `${NS.rollingUpdate} RollingUpdateType: RollingUpdateType Time (the default, with RollingUpdateEnabled true, set through the API) needs a load-balanced environment, and this one is SingleInstance: ` +
      'Elastic Beanstalk replaces a single instance only with RollingUpdateEnabled false or RollingUpdateType Immutable. Set RollingUpdateEnabled to false, or use a LoadBalanced environment',
  ]);
  assert.match(
    errorsOf([single, set(NS.rollingUpdate, 'MaxBatchSize', '1'), set(NS.rollingUpdate, 'RollingUpdateType', 'Health')])[0] ?? '',
    /RollingUpdateType Health \(set through the API, with RollingUpdateEnabled true, the default\) needs a load-balanced environment, and this one is SingleInstance/,
    'MaxBatchSize enables rolling updates',
  );
  assert.match(errorsOf([set(NS.rollingUpdate, 'RollingUpdateType', 'Health'), set(NS.rollingUpdate, 'RollingUpdateEnabled', 'true')], { environmentType: 'SingleInstance' })[0] ?? '', /needs a load-balanced environment/, 'an existing SingleInstance environment');
  assert.deepEqual(errorsOf([single, set(NS.rollingUpdate, 'RollingUpdateType', 'Health')]), [], 'rolling updates disabled: the type does not apply');
  assert.deepEqual(errorsOf([set(NS.rollingUpdate, 'RollingUpdateType', 'Health'), set(NS.rollingUpdate, 'RollingUpdateEnabled', 'true')]), [], 'LoadBalanced takes Health');
  assert.match(
    errorsOf([single, set(NS.rollingUpdate, 'RollingUpdateEnabled', 'true'), set(NS.rollingUpdate, 'RollingUpdateType', 'Immutable'), set(NS.healthReporting, 'SystemType', 'enhanced')])[0] ?? '',
    /RollingUpdateType Immutable .* on a SingleInstance environment is valid in Elastic Beanstalk, but not yet supported by Wharf: .*Set RollingUpdateEnabled to false/,
  );
  assert.deepEqual(errorsOf([set(NS.rollingUpdate, 'MinInstancesInService', '4')]), [
    `${NS.rollingUpdate} MinInstancesInService: MinInstancesInService (4, set through the API) must be less than ${NS.asg} MaxSize (4, the default), so that a batch can be replaced; lower MinInstancesInService or raise MaxSize`,
  ]);
  assert.match(errorsOf([set(NS.rollingUpdate, 'MinInstancesInService', '6'), set(NS.asg, 'MaxSize', '6'), set(NS.asg, 'MinSize', '3')])[0] ?? '', /MinInstancesInService \(6, set through the API\) must be less than .*MaxSize \(6, set through the API\)/);
  assert.deepEqual(errorsOf([set(NS.rollingUpdate, 'MinInstancesInService', '3')]), []);
});

test('instance types: InstanceType and InstanceTypes take known EC2 types; the first of InstanceTypes wins', () => {
  assert.deepEqual(errorsOf([set(NS.launchConfiguration, 'InstanceType', 't3.micro')]), []);
  assert.deepEqual(errorsOf([set(NS.ec2Instances, 'InstanceTypes', 't3.small, t3.medium')]), []);
  assert.deepEqual(errorsOf([set(NS.launchConfiguration, 'InstanceType', 't3.huge')]), [
    `${NS.launchConfiguration} InstanceType: InstanceType 't3.huge' is not an instance type Wharf knows; use one of the t3, t4g (nano to 2xlarge), m5, m6i, c5 or r5 (large to 4xlarge) types, such as t3.micro, t3.small, t4g.medium, m5.large, c5.xlarge, r5.large`,
  ]);
  assert.match(errorsOf([set(NS.launchConfiguration, 'InstanceType', 'T3.Micro')])[0] ?? '', /did you mean 't3\.micro'\?/);
  assert.match(errorsOf([set(NS.ec2Instances, 'InstanceTypes', 't3.micro,x1.mega')])[0] ?? '', /^aws:ec2:instances InstanceTypes: InstanceTypes 'x1\.mega' is not an instance type Wharf knows/);
  assert.match(errorsOf([set(NS.ec2Instances, 'InstanceTypes', ' , ')])[0] ?? '', /InstanceTypes must list 1 to 10 instance types/);
  assert.match(warningsOf([set(NS.launchConfiguration, 'InstanceType', 't3.micro'), set(NS.ec2Instances, 'InstanceTypes', 'c5.large,t3.micro')])[0] ?? '', /InstanceType \(t3\.micro, set through the API\) is ignored: .*first entry, c5\.large/);
  assert.deepEqual(warningsOf([set(NS.launchConfiguration, 'InstanceType', 't3.micro'), set(NS.ec2Instances, 'InstanceTypes', 't3.micro')]), []);
});

test('LoadBalancerIsShared needs an application load balancer', () => {
  assert.match(errorsOf([set(NS.environment, 'LoadBalancerIsShared', 'true')])[0] ?? '', /LoadBalancerIsShared needs a load-balanced environment with LoadBalancerType application/);
  assert.deepEqual(errorsOf([set(NS.environment, 'LoadBalancerIsShared', 'true'), set(NS.environment, 'LoadBalancerType', 'application')]), []);
});

test('Application Healthcheck URL may name port 80 or the process port only', () => {
  assert.deepEqual(errorsOf([set(NS.application, 'Application Healthcheck URL', 'HTTP:80/health')]), []);
  assert.deepEqual(errorsOf([set(NS.application, 'Application Healthcheck URL', 'HTTP:8080/health'), set(NS.process, 'Port', '8080')]), []);
  assert.match(errorsOf([set(NS.application, 'Application Healthcheck URL', 'HTTP:8081/health')])[0] ?? '', /names port 8081, but health checks go to the process's port/);
});

test('a Worker environment warns about load balancer settings', () => {
  assert.match(warningsOf([set(NS.process, 'HealthCheckPath', '/health')], { tier: 'Worker' })[0] ?? '', /HealthCheckPath is ignored: a Worker environment has no load balancer/);
  assert.deepEqual(warningsOf([set(NS.process, 'HealthCheckPath', '/health')]), []);
});

test('validateSettingsLayer checks settings on their own only', () => {
  assert.deepEqual(validateSettingsLayer([set(NS.asg, 'MinSize', '9')]), [], 'MinSize above the default MaxSize is for the effective check');
  assert.equal(validateSettingsLayer([set(NS.asg, 'MinSize', 'x')]).length, 1);
});

test('optionSettingSchema: Value is a string on the wire; numbers and booleans are taken as text', () => {
  assert.deepEqual(optionSettingSchema.parse({ Namespace: NS.asg, OptionName: 'MinSize', Value: 2 }), { Namespace: NS.asg, OptionName: 'MinSize', Value: '2' });
  assert.equal(optionSettingSchema.parse({ Namespace: NS.command, OptionName: 'IgnoreHealthCheck', Value: true }).Value, 'true');
  assert.equal(optionSettingSchema.parse({ Namespace: NS.environmentProperties, OptionName: 'EMPTY' }).Value, '');
  assert.equal(optionSettingSchema.safeParse({ Namespace: NS.asg, OptionName: 'MinSize', Value: [1] }).success, false);
  assert.equal(optionSettingSchema.safeParse({ Namespace: '', OptionName: 'MinSize', Value: '1' }).success, false);
  assert.equal(optionSettingSchema.safeParse({ Namespace: NS.asg, OptionName: 'MinSize', Value: '1', Extra: 1 }).success, false);
  assert.deepEqual(optionSpecificationSchema.parse({ Namespace: NS.environmentProperties, OptionName: 'A' }), { Namespace: NS.environmentProperties, OptionName: 'A' });
});

test('configurationError: WHARF_E_INVALID_CONFIGURATION with each error in `errors`, warnings left out', () => {
  const messages = [
    ...validateOptionSettings([set(NS.asg, 'MinSize', 'abc'), set(NS.environment, 'EnvironmentType', 'SingleInstance'), set(NS.asg, 'MaxSize', '3')]),
    { file: '.ebextensions/01.config', message: 'line 2: unknown top-level key "foo"' },
  ];
  const error = configurationError(messages);
  assert.ok(error instanceof WharfError);
  assert.equal(error.code, 'WHARF_E_INVALID_CONFIGURATION');
  assert.equal(error.status, 400);
  assert.equal(error.kind, 'user');
  assert.deepEqual(error.errors, [
    { field: 'aws:autoscaling:asg:MinSize', message: "MinSize must be a whole number from 1 to 5000; got 'abc'" },
    { field: '.ebextensions/01.config', message: 'line 2: unknown top-level key "foo"' },
  ]);
  assert.equal(
    error.message,
    "The configuration is not valid: 2 problems (first: aws:autoscaling:asg:MinSize: MinSize must be a whole number from 1 to 5000; got 'abc'). Fix the settings listed in `errors` and try again; nothing was changed.",
  );
});
