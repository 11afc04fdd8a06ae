import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  NS,
  OPTION_SPECS,
  checkEnvironmentProperty,
  checkValue,
  configDocumentRules,
  describeConfigurationOptions,
  findOption,
  normalizeSetting,
  notYetSupportedReason,
  parseDurationSeconds,
  parseHealthcheckUrl,
} from './catalogue.js';

const spec = (namespace: string, name: string) => {
  const found = findOption(namespace, name);
  assert.ok(found, `${namespace} ${name} is in the catalogue`);
  return found;
};
const check = (namespace: string, name: string, value: string) => checkValue(spec(namespace, name), value);

test("defaults are Elastic Beanstalk's (eb-ecs-spec §1, §2.2, §5)", () => {
  const expected: Record<string, Record<string, string | undefined>> = {
    [NS.asg]: { MinSize: '1', MaxSize: '4', Cooldown: '360' },
    [NS.launchConfiguration]: { InstanceType: undefined },
    [NS.ec2Instances]: { InstanceTypes: undefined },
    [NS.trigger]: {
      MeasureName: 'NetworkOut', Statistic: 'Average', Unit: 'Bytes', Period: '5', EvaluationPeriods: '1', BreachDuration: '5',
      UpperThreshold: '6000000', UpperBreachScaleIncrement: '1', LowerThreshold: '2000000', LowerBreachScaleIncrement: '-1',
    },
    [NS.environment]: { EnvironmentType: 'LoadBalanced', LoadBalancerType: 'classic', ServiceRole: undefined, LoadBalancerIsShared: 'false' },
    [NS.process]: {
      HealthCheckPath: '/', Port: '80', Protocol: 'HTTP', MatcherHTTPCode: '200', HealthCheckInterval: '15', HealthCheckTimeout: '5',
      HealthyThresholdCount: '3', UnhealthyThresholdCount: '5', DeregistrationDelay: '20', StickinessEnabled: 'false',
      StickinessLBCookieDuration: '86400', StickinessType: 'lb_cookie',
    },
    [NS.application]: { 'Application Healthcheck URL': undefined },
    [NS.healthReporting]: { SystemType: 'basic', HealthCheckSuccessThreshold: 'Ok', EnhancedHealthAuthEnabled: 'true' },
    [NS.command]: { DeploymentPolicy: 'AllAtOnce', BatchSizeType: 'Percentage', BatchSize: '100', Timeout: '600', IgnoreHealthCheck: 'false', RollbackOnFailure: 'true' },
    [NS.trafficSplitting]: { NewVersionPercent: '10', EvaluationTime: '5' },
    [NS.rollingUpdate]: { RollingUpdateEnabled: 'false', RollingUpdateType: 'Time', MaxBatchSize: undefined, MinInstancesInService: undefined, PauseTime: undefined, Timeout: 'PT30M' },
  };
  for (const [namespace, options] of Object.entries(expected)) {
    for (const [name, value] of Object.entries(options)) assert.equal(spec(namespace, name).default, value, `${namespace} ${name}`);
  }
});

test("Wharf's own options (RollbackOnFailure, TrafficSplitting's margins) are marked and documented as such", () => {
  const own = [spec(NS.command, 'RollbackOnFailure'), spec(NS.trafficSplitting, 'ErrorRateMargin'), spec(NS.trafficSplitting, 'LatencyMargin')];
  for (const option of own) {
    assert.equal(option.wharf, true, option.name);
    assert.match(option.description, /Wharf's own option/, option.name);
  }
  assert.deepEqual(OPTION_SPECS.filter((o) => o.wharf).map((o) => o.name).sort(), own.map((o) => o.name).sort());
});

test('MinSize and MaxSize: past Tasks per service (5,000) and within EB\'s 10000, refused as valid in EB but not in Wharf, with the reason', () => {
  for (const name of ['MinSize', 'MaxSize']) {
    assert.equal(check(NS.asg, name, '5000'), undefined);
    assert.equal(
      check(NS.asg, name, '5001'),
      `${name} '5001' is valid in Elastic Beanstalk (up to 10000), but Wharf takes at most 5000: an environment runs as one ECS service, whose tasks ECS's quota "Tasks per service" bounds at 5,000. Set ${name} from 1 to 5000`,
    );
    assert.match(check(NS.asg, name, '10000') ?? '', /valid in Elastic Beanstalk/);
    assert.equal(check(NS.asg, name, '10001'), `${name} must be a whole number from 1 to 5000; got '10001'`, 'past EB\'s own range: the plain message');
  }
});

test('whole numbers: type and range in one message that names the option and shows the value', () => {
  assert.equal(check(NS.asg, 'MinSize', 'abc'), "MinSize must be a whole number from 1 to 5000; got 'abc'");
  assert.equal(check(NS.asg, 'MinSize', '0'), "MinSize must be a whole number from 1 to 5000; got '0'");
  assert.equal(check(NS.asg, 'MinSize', '2.5'), "MinSize must be a whole number from 1 to 5000; got '2.5'");
  assert.equal(check(NS.asg, 'MinSize', '5000'), undefined);
  assert.equal(check(NS.asg, 'Cooldown', '10001'), "Cooldown must be a whole number of seconds from 0 to 10000; got '10001'");
  assert.equal(check(NS.command, 'Timeout', '3601'), "Timeout must be a whole number of seconds from 1 to 3600; got '3601'");
  assert.equal(check(NS.trigger, 'LowerBreachScaleIncrement', '-2'), undefined);
  assert.match(check(NS.process, 'Port', '65536') ?? '', /^Port must be a whole number from 1 to 65535/);
  assert.match(check(NS.process, 'HealthCheckTimeout', '61') ?? '', /from 1 to 60/);
  assert.match(check(NS.process, 'HealthyThresholdCount', '1') ?? '', /from 2 to 10/);
  assert.match(check(NS.process, 'DeregistrationDelay', '3601') ?? '', /from 0 to 3600/);
  assert.match(check(NS.trigger, 'Period', '601') ?? '', /from 1 to 600/);
  assert.match(check(NS.trafficSplitting, 'NewVersionPercent', '0') ?? '', /from 1 to 100/);
  assert.match(check(NS.rollingUpdate, 'MinInstancesInService', '10000') ?? '', /from 0 to 9999/);
});

test('EvaluationTime takes fractional minutes from 0.05 (3 seconds) to 600, a documented Wharf departure from 3-600', () => {
  for (const ok of ['0.05', '0.5', '3', '4.5', '600']) assert.equal(check(NS.trafficSplitting, 'EvaluationTime', ok), undefined, ok);
  for (const bad of ['0', '0.04', '-1', '601', '600.5', 'abc', '', '.5', '1e2']) {
    assert.equal(
      check(NS.trafficSplitting, 'EvaluationTime', bad),
      `EvaluationTime must be a number of minutes from 0.05 to 600 (fractions allowed, e.g. 0.5); got '${bad}'`,
      bad,
    );
  }
  const option = spec(NS.trafficSplitting, 'EvaluationTime');
  assert.match(option.description, /Wharf departure: Elastic Beanstalk takes 3 to 600/);
  const described = describeConfigurationOptions({ Options: [{ Namespace: NS.trafficSplitting, OptionName: 'EvaluationTime' }] })[0];
  assert.deepEqual([described?.MinValue, described?.MaxValue], [0.05, 600]);
  assert.match(check(NS.trigger, 'UpperThreshold', '-1') ?? '', /from 0 to 20000000/);
  assert.equal(check(NS.trigger, 'UpperThreshold', '70.5'), undefined);
});

test('the deployment options refuse values out of their range, saying the range', () => {
  const hint = "BatchSize must be a whole number from 1 to 100 when BatchSizeType is Percentage, or from 1 to MaxSize (aws:autoscaling:asg) when it is Fixed; got";
  for (const bad of ['0', '-1', '2.5', 'half', '10001']) assert.equal(check(NS.command, 'BatchSize', bad), `${hint} '${bad}'`, bad);
  assert.equal(check(NS.command, 'BatchSize', '1'), undefined);
  for (const bad of ['0', '3601', '60s']) assert.equal(check(NS.command, 'Timeout', bad), `Timeout must be a whole number of seconds from 1 to 3600; got '${bad}'`, bad);
  for (const ok of ['1', '3600']) assert.equal(check(NS.command, 'Timeout', ok), undefined);
  assert.equal(check(NS.command, 'BatchSizeType', 'Count'), "BatchSizeType must be one of Percentage, Fixed; got 'Count'");
  assert.equal(check(NS.command, 'BatchSizeType', 'fixed'), "BatchSizeType must be one of Percentage, Fixed; got 'fixed' (values are case-sensitive: did you mean 'Fixed'?)");
  assert.equal(check(NS.command, 'DeploymentPolicy', 'BlueGreen'), "DeploymentPolicy must be one of AllAtOnce, Rolling, RollingWithAdditionalBatch, Immutable, TrafficSplitting; got 'BlueGreen'");
  for (const bad of ['0', '101', '50.5', 'ten']) {
    assert.equal(check(NS.trafficSplitting, 'NewVersionPercent', bad), `NewVersionPercent must be a whole number of percent from 1 to 100; got '${bad}'`, bad);
  }
  for (const ok of ['1', '100']) assert.equal(check(NS.trafficSplitting, 'NewVersionPercent', ok), undefined);
});

test('booleans are true or false, in any case', () => {
  assert.equal(check(NS.command, 'IgnoreHealthCheck', 'true'), undefined);
  assert.equal(check(NS.command, 'IgnoreHealthCheck', 'False'), undefined);
  assert.equal(check(NS.command, 'IgnoreHealthCheck', 'yes'), "IgnoreHealthCheck must be true or false; got 'yes'");
});

test('value options are case-sensitive, with a hint when only the case is wrong', () => {
  assert.equal(check(NS.command, 'DeploymentPolicy', 'Rolling'), undefined);
  assert.equal(
    check(NS.command, 'DeploymentPolicy', 'rolling'),
    "DeploymentPolicy must be one of AllAtOnce, Rolling, RollingWithAdditionalBatch, Immutable, TrafficSplitting; got 'rolling' (values are case-sensitive: did you mean 'Rolling'?)",
  );
  assert.match(check(NS.healthReporting, 'SystemType', 'advanced') ?? '', /^SystemType must be one of basic, enhanced; got 'advanced'$/);
  assert.match(check(NS.healthReporting, 'HealthCheckSuccessThreshold', 'Good') ?? '', /one of Ok, Warning, Degraded, Severe/);
  assert.match(check(NS.trigger, 'MeasureName', 'Memory') ?? '', /CPUUtilization/);
  assert.match(check(NS.rollingUpdate, 'RollingUpdateType', 'Rolling') ?? '', /one of Time, Health, Immutable/);
});

test('durations are ISO-8601 within their bounds', () => {
  assert.equal(parseDurationSeconds('PT1H5M30S'), 3930);
  assert.equal(parseDurationSeconds('PT'), undefined);
  assert.equal(parseDurationSeconds('30'), undefined);
  assert.equal(check(NS.rollingUpdate, 'Timeout', 'PT30M'), undefined);
  assert.equal(check(NS.rollingUpdate, 'Timeout', 'PT4M'), "Timeout must be an ISO-8601 duration from PT5M to PT1H, such as PT30M; got 'PT4M'");
  assert.match(check(NS.rollingUpdate, 'PauseTime', 'PT1H1S') ?? '', /from PT0S to PT1H/);
  assert.equal(check(NS.rollingUpdate, 'PauseTime', 'PT0S'), undefined);
});

test('text options: health check path, matcher codes, Application Healthcheck URL, ConfigDocument', () => {
  assert.equal(check(NS.process, 'HealthCheckPath', '/health'), undefined);
  assert.match(check(NS.process, 'HealthCheckPath', 'health') ?? '', /starts with \//);
  assert.equal(check(NS.process, 'MatcherHTTPCode', '200-299,302'), undefined);
  assert.match(check(NS.process, 'MatcherHTTPCode', '500') ?? '', /from 200 to 499/);
  assert.equal(check(NS.application, 'Application Healthcheck URL', '/health'), undefined);
  assert.equal(check(NS.application, 'Application Healthcheck URL', 'HTTP:80/health'), undefined);
  assert.equal(check(NS.application, 'Application Healthcheck URL', ''), undefined);
  assert.match(check(NS.application, 'Application Healthcheck URL', 'health') ?? '', /must be a path/);
  assert.match(check(NS.application, 'Application Healthcheck URL', 'TCP') ?? '', /not yet supported by Wharf/);
  assert.match(check(NS.application, 'Application Healthcheck URL', 'HTTPS:443/health') ?? '', /not yet supported by Wharf/);
  assert.equal(check(NS.healthReporting, 'ConfigDocument', '{"Version":1,"Rules":{}}'), undefined);
  assert.match(check(NS.healthReporting, 'ConfigDocument', '{') ?? '', /JSON object/);
  assert.match(check(NS.healthReporting, 'ConfigDocument', '{"CloudWatchMetrics":{"Instance":{"CPUIdle":60}}}') ?? '', /not yet supported by Wharf/);
  assert.match(check(NS.environment, 'ServiceRole', 'has space') ?? '', /role name/);
});

test('Application Healthcheck URL forms', () => {
  assert.deepEqual(parseHealthcheckUrl('/health'), { protocol: 'HTTP', path: '/health' });
  assert.deepEqual(parseHealthcheckUrl('HTTP:8080/ping'), { protocol: 'HTTP', port: 8080, path: '/ping' });
  assert.deepEqual(parseHealthcheckUrl('TCP:80'), { protocol: 'TCP', port: 80 });
  assert.deepEqual(parseHealthcheckUrl('SSL'), { protocol: 'SSL' });
  assert.equal(parseHealthcheckUrl('HTTP'), undefined);
  assert.equal(parseHealthcheckUrl('TCP/x'), undefined);
  assert.equal(parseHealthcheckUrl('HTTP:99999/x'), undefined);
});

test('values Elastic Beanstalk accepts but Wharf does not are refused with the reason', () => {
  assert.match(check(NS.environment, 'LoadBalancerType', 'network') ?? '', /^LoadBalancerType 'network' is valid in Elastic Beanstalk, but not yet supported by Wharf: .*HTTP/);
  assert.equal(check(NS.environment, 'LoadBalancerType', 'application'), undefined);
  assert.match(check(NS.process, 'StickinessEnabled', 'TRUE') ?? '', /not yet supported by Wharf/);
  assert.match(check(NS.process, 'Protocol', 'HTTPS') ?? '', /not yet supported by Wharf/);
  assert.match(check(NS.process, 'Protocol', 'TCP') ?? '', /not yet supported by Wharf/);
});

test("environment properties follow Elastic Beanstalk's character and length rules", () => {
  assert.equal(checkEnvironmentProperty('DATABASE_HOST', 'db.example.com:5432'), undefined);
  assert.equal(checkEnvironmentProperty('my.key:/+\\-@', `it's "quoted" = a b`), undefined);
  assert.match(checkEnvironmentProperty('', 'x') ?? '', /needs a name/);
  assert.match(checkEnvironmentProperty('BAD KEY', 'x') ?? '', /characters Elastic Beanstalk does not allow/);
  assert.match(checkEnvironmentProperty('K$', 'x') ?? '', /characters Elastic Beanstalk does not allow/);
  assert.match(checkEnvironmentProperty('K'.repeat(129), 'x') ?? '', /129 characters; names have at most 128/);
  assert.equal(checkEnvironmentProperty('K'.repeat(128), 'x'), undefined);
  assert.match(checkEnvironmentProperty('K', 'v'.repeat(257)) ?? '', /257 characters; values have at most 256/);
  assert.equal(checkEnvironmentProperty('K', 'v'.repeat(256)), undefined);
  assert.match(checkEnvironmentProperty('URL', 'http://x/?a=1&b=2') ?? '', /does not allow \("\?"\)/);
});

test('HealthCheckSuccessThreshold under aws:elasticbeanstalk:command is kept under healthreporting:system; resource names of plain namespaces are dropped', () => {
  assert.deepEqual(normalizeSetting({ Namespace: NS.command, OptionName: 'HealthCheckSuccessThreshold', Value: 'Warning' }), {
    Namespace: NS.healthReporting,
    OptionName: 'HealthCheckSuccessThreshold',
    Value: 'Warning',
  });
  assert.deepEqual(normalizeSetting({ Namespace: NS.asg, OptionName: 'MinSize', Value: '2', ResourceName: 'AWSEBAutoScalingGroup' }), { Namespace: NS.asg, OptionName: 'MinSize', Value: '2' });
  const scheduled = { Namespace: 'aws:autoscaling:scheduledaction', OptionName: 'MinSize', Value: '2', ResourceName: 'Nightly' };
  assert.deepEqual(normalizeSetting(scheduled), scheduled);
});

test('Elastic Beanstalk namespaces and options Wharf does not act on have a reason; unknown ones do not', () => {
  assert.match(notYetSupportedReason('aws:ec2:vpc') ?? '', /EC2/);
  assert.equal(notYetSupportedReason(NS.launchConfiguration), undefined, 'InstanceType is acted on');
  assert.match(notYetSupportedReason(NS.launchConfiguration, 'ImageId') ?? '', /only InstanceType/);
  assert.match(notYetSupportedReason(NS.ec2Instances, 'SpotMaxPrice') ?? '', /only InstanceTypes/);
  assert.match(notYetSupportedReason('aws:elasticbeanstalk:environment:process:admin') ?? '', /default process/);
  assert.match(notYetSupportedReason(NS.asg, 'Availability Zones') ?? '', /placement/);
  assert.equal(notYetSupportedReason(NS.process), undefined);
  assert.equal(notYetSupportedReason(NS.asg, 'MinSize'), undefined);
  assert.equal(notYetSupportedReason('aws:nothing:here'), undefined);
});

test('ConfigDocument rules: 4xx counts unless a rule disables it', () => {
  assert.deepEqual(configDocumentRules(undefined), { ignoreApplication4xx: false, ignoreLoadBalancer4xx: false });
  assert.deepEqual(configDocumentRules('{"Version":1,"Rules":{"Environment":{"Application":{"ApplicationRequests4xx":{"Enabled":false}}}}}'), { ignoreApplication4xx: true, ignoreLoadBalancer4xx: false });
  assert.deepEqual(configDocumentRules('{"Rules":{"Environment":{"ELB":{"ELBRequests4xx":{"Enabled":false}}}}}'), { ignoreApplication4xx: false, ignoreLoadBalancer4xx: true });
});

test('describeConfigurationOptions: the whole catalogue in EB shape, filtered by namespace and name, with environment properties', () => {
  const all = describeConfigurationOptions();
  assert.equal(all.length, OPTION_SPECS.length);
  const minSize = all.find((o) => o.Namespace === NS.asg && o.Name === 'MinSize');
  assert.deepEqual(minSize, { Namespace: NS.asg, Name: 'MinSize', DefaultValue: '1', ChangeSeverity: 'NoInterruption', UserDefined: false, ValueType: 'Scalar', MinValue: 1, MaxValue: 5000 });
  const policy = all.find((o) => o.Name === 'DeploymentPolicy');
  assert.deepEqual(policy?.ValueOptions, ['AllAtOnce', 'Rolling', 'RollingWithAdditionalBatch', 'Immutable', 'TrafficSplitting']);
  assert.equal(all.find((o) => o.Name === 'IgnoreHealthCheck')?.ValueType, 'Boolean');
  assert.equal(all.find((o) => o.Name === 'ServiceRole')?.DefaultValue, undefined);
  const commandOnly = describeConfigurationOptions({ Options: [{ Namespace: NS.command }] });
  assert.deepEqual(commandOnly.map((o) => o.Name).sort(), ['BatchSize', 'BatchSizeType', 'DeploymentPolicy', 'IgnoreHealthCheck', 'RollbackOnFailure', 'Timeout']);
  assert.deepEqual(describeConfigurationOptions({ Options: [{ Namespace: NS.asg, OptionName: 'MaxSize' }] }).map((o) => o.Name), ['MaxSize']);
  const withProperties = describeConfigurationOptions({ Options: [{ Namespace: NS.environmentProperties }], environmentProperties: ['B', 'A'] });
  assert.deepEqual(withProperties.map((o) => [o.Name, o.UserDefined, o.MaxLength]), [['A', true, 256], ['B', true, 256]]);
});
