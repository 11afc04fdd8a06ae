import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnvironmentManifest } from '../../../model/platform.js';
import { NS } from './catalogue.js';
import type { EnvYamlResult } from './env-yaml.js';
import { platformFromSolutionStack } from '../../../model/solution-stack.js';
import { parseEnvYaml } from './env-yaml.js';

const HEADER = 'AWSConfigurationTemplateVersion: 1.1.0.0\n';

function manifestOf(result: EnvYamlResult): EnvironmentManifest {
  assert.ok('manifest' in result, `expected a manifest, got ${JSON.stringify(result)}`);
  return result.manifest;
}
function errorsOf(result: EnvYamlResult): readonly string[] {
  assert.ok('errors' in result, `expected errors, got ${JSON.stringify(result)}`);
  return result.errors;
}

test('a full manifest', () => {
  const manifest = manifestOf(
    parseEnvYaml(`${HEADER}EnvironmentName: front-end
CName: front-end-app
SolutionStack: 64bit Amazon Linux 2023 v6.1.0 running Node.js 20
EnvironmentTier:
  Name: WebServer
  Type: Standard
OptionSettings:
  aws:autoscaling:asg:
    MinSize: 2
  aws:elasticbeanstalk:application:environment:
    DEBUG: off
Tags:
  team: web
  cost-center: 42
`),
  );
  assert.deepEqual(manifest, {
    environmentName: 'front-end',
    cname: 'front-end-app',
    tier: 'WebServer',
    platform: 'nodejs',
    optionSettings: [
      { Namespace: NS.asg, OptionName: 'MinSize', Value: '2' },
      { Namespace: NS.environmentProperties, OptionName: 'DEBUG', Value: 'false' },
    ],
    tags: { team: 'web', 'cost-center': '42' },
  });
  assert.deepEqual(manifestOf(parseEnvYaml(HEADER)), { optionSettings: [], tags: {} });
});

test('AWSConfigurationTemplateVersion is required and must be 1.1.0.0', () => {
  assert.deepEqual(errorsOf(parseEnvYaml('EnvironmentName: front-end\n')), ['line 1: AWSConfigurationTemplateVersion is required: add "AWSConfigurationTemplateVersion: 1.1.0.0"']);
  assert.deepEqual(errorsOf(parseEnvYaml('AWSConfigurationTemplateVersion: 1.1\n')), ["line 1: AWSConfigurationTemplateVersion must be 1.1.0.0; got '1.1'"]);
  assert.match(errorsOf(parseEnvYaml(''))[0] ?? '', /the file is empty/);
});

test('a trailing + appends the group name', () => {
  const manifest = manifestOf(parseEnvYaml(`${HEADER}EnvironmentName: front+\nCName: shop-front+\n`, { groupName: 'dev' }));
  assert.equal(manifest.environmentName, 'front-dev');
  assert.equal(manifest.cname, 'shop-front-dev');
  assert.equal(manifestOf(parseEnvYaml(`${HEADER}EnvironmentName: front-end\n`, { groupName: 'dev' })).environmentName, 'front-end', 'no + , no change');
});

test('a trailing + without a group name is an error', () => {
  const errors = errorsOf(parseEnvYaml(`${HEADER}EnvironmentName: front+\nCName: shop+\n`));
  assert.deepEqual(errors, [
    'line 2: EnvironmentName "front+" ends with "+", which appends the environment group\'s name, but no group name was given. Give one (GroupName, --group-name), or remove the "+"',
    'line 3: CName "shop+" ends with "+", which appends the environment group\'s name, but no group name was given. Give one (GroupName, --group-name), or remove the "+"',
  ]);
});

test('names are checked after the group is appended; the group name too', () => {
  assert.match(errorsOf(parseEnvYaml(`${HEADER}EnvironmentName: a+\n`, { groupName: 'b' }))[0] ?? '', /EnvironmentName "a-b" must have 4 to 40 letters/);
  assert.match(errorsOf(parseEnvYaml(HEADER, { groupName: 'x'.repeat(20) }))[0] ?? '', /group name .* 1 to 19/);
});

test('unknown keys are refused by name', () => {
  assert.deepEqual(errorsOf(parseEnvYaml(`${HEADER}EnvironmentNmae: front\n`)), [
    'line 2: unknown key "EnvironmentNmae"; env.yaml has AWSConfigurationTemplateVersion, Platform, SolutionStack, OptionSettings, Tags, EnvironmentTier, CName, EnvironmentName, EnvironmentLinks',
  ]);
  assert.match(errorsOf(parseEnvYaml(`${HEADER}EnvironmentTier:\n  Name: WebServer\n  Size: big\n`))[0] ?? '', /unknown key "Size" in EnvironmentTier/);
  assert.match(errorsOf(parseEnvYaml(`${HEADER}Platform:\n  PlatformArn: arn:aws:elasticbeanstalk:us-east-1::platform/Docker running on 64bit Amazon Linux 2023/4.3.0\n  Name: x\n`))[0] ?? '', /unknown key "Name" in Platform/);
});

test('EnvironmentTier: Name and a matching Type', () => {
  assert.equal(manifestOf(parseEnvYaml(`${HEADER}EnvironmentTier:\n  Name: Worker\n  Type: SQS/HTTP\n`)).tier, 'Worker');
  assert.match(errorsOf(parseEnvYaml(`${HEADER}EnvironmentTier:\n  Name: Worker\n  Type: Standard\n`))[0] ?? '', /Type for Worker is SQS\/HTTP/);
  assert.match(errorsOf(parseEnvYaml(`${HEADER}EnvironmentTier:\n  Name: Web\n`))[0] ?? '', /Name must be WebServer or Worker/);
});

test('Platform.PlatformArn or SolutionStack, mapped to Wharf platforms', () => {
  const arn = 'arn:aws:elasticbeanstalk:us-east-1::platform/Python 3.11 running on 64bit Amazon Linux 2023/4.0.1';
  assert.equal(manifestOf(parseEnvYaml(`${HEADER}Platform:\n  PlatformArn: ${arn}\n`)).platform, 'python');
  assert.match(errorsOf(parseEnvYaml(`${HEADER}Platform:\n  PlatformArn: ${arn}\nSolutionStack: docker\n`))[0] ?? '', /either Platform \(PlatformArn\) or SolutionStack, not both/);
  assert.match(errorsOf(parseEnvYaml(`${HEADER}SolutionStack: 64bit Amazon Linux 2 v3.5.0 running Corretto 17\n`))[0] ?? '', /is not a platform Wharf runs; Wharf runs nodejs, python, docker/);
  assert.match(errorsOf(parseEnvYaml(`${HEADER}Platform:\n  PlatformArn: nodejs\n`))[0] ?? '', /is not a platform ARN/);
});

test('platformFromSolutionStack', () => {
  const cases: [string, string | undefined][] = [
    ['64bit Amazon Linux 2023 v6.1.0 running Node.js 20', 'nodejs'],
    ['Node.js 20 running on 64bit Amazon Linux 2023', 'nodejs'],
    ['64bit Amazon Linux 2 v5.8.0 running Node.js 18', 'nodejs'],
    ['Python 3.11 running on 64bit Amazon Linux 2023', 'python'],
    ['64bit Amazon Linux 2023 v4.1.0 running Python 3.11', 'python'],
    ['Docker running on 64bit Amazon Linux 2023', 'docker'],
    ['64bit Amazon Linux 2023 v4.3.0 running Docker', 'docker'],
    ['arn:aws:elasticbeanstalk:us-east-1::platform/Node.js 20 running on 64bit Amazon Linux 2023/6.1.0', 'nodejs'],
    ['arn:wharf:elasticbeanstalk:local::platform/docker/1', 'docker'],
    ['Node.js running on Wharf', 'nodejs'],
    ['Python 3 running on Wharf', 'python'],
    ['Docker running on Wharf', 'docker'],
    ['arn:wharf:elasticbeanstalk:local::platform/Docker 28 running on Wharf/28.2.2', 'docker'],
    ['arn:wharf:elasticbeanstalk:local::platform/Node.js 20 running on Wharf/20.20.2', 'nodejs'],
    ['Go 1 running on Wharf', undefined],
    ['nodejs', 'nodejs'],
    ['node.js-20', 'nodejs'],
    ['python', 'python'],
    ['python-3.11', 'python'],
    ['docker', 'docker'],
    ['ECS running on 64bit Amazon Linux 2023', undefined],
    ['Multi-container Docker running on 64bit Amazon Linux', undefined],
    ['64bit Amazon Linux 2023 v4.0.0 running Go 1', undefined],
    ['ruby', undefined],
    ['', undefined],
  ];
  for (const [name, platform] of cases) assert.equal(platformFromSolutionStack(name), platform, name);
});

test('Tags: at most 47, keys and values checked', () => {
  const tags = (n: number) => Array.from({ length: n }, (_, i) => `  t${i}: v`).join('\n');
  assert.equal(Object.keys(manifestOf(parseEnvYaml(`${HEADER}Tags:\n${tags(47)}\n`)).tags).length, 47);
  assert.match(errorsOf(parseEnvYaml(`${HEADER}Tags:\n${tags(48)}\n`))[0] ?? '', /Tags has 48 tags; an environment has at most 47/);
  assert.match(errorsOf(parseEnvYaml(`${HEADER}Tags:\n  aws:owner: x\n`))[0] ?? '', /starts with "aws:", which is reserved/);
  assert.match(errorsOf(parseEnvYaml(`${HEADER}Tags:\n  team: [a]\n`))[0] ?? '', /the value of tag "team"/);
});

test('OptionSettings: shorthand map, each setting checked, with its line', () => {
  assert.deepEqual(errorsOf(parseEnvYaml(`${HEADER}OptionSettings:\n  aws:autoscaling:asg:\n    MinSize: none\n`)), [
    "line 4: aws:autoscaling:asg: MinSize must be a whole number from 1 to 5000; got 'none'",
  ]);
  assert.match(errorsOf(parseEnvYaml(`${HEADER}OptionSettings:\n  - namespace: aws:autoscaling:asg\n`))[0] ?? '', /OptionSettings is a map of namespaces/);
  assert.match(errorsOf(parseEnvYaml(`${HEADER}OptionSettings:\n  aws:elasticbeanstalk:command:\n    HealthCheckSuccessThreshold: Ok\n  aws:elasticbeanstalk:healthreporting:system:\n    HealthCheckSuccessThreshold: Warning\n`))[0] ?? '', /set twice/);
});

test('EnvironmentLinks are parsed, then refused as not yet supported', () => {
  assert.deepEqual(errorsOf(parseEnvYaml(`${HEADER}EnvironmentLinks:\n  WORKERQUEUE: worker+\n`, { groupName: 'dev' })), [
    "line 2: EnvironmentLinks is valid in env.yaml, but not yet supported by Wharf: linked environments come with ComposeEnvironments. For now set the property yourself under OptionSettings, aws:elasticbeanstalk:application:environment (the linked environment's CNAME), and remove EnvironmentLinks",
  ]);
  const errors = errorsOf(parseEnvYaml(`${HEADER}EnvironmentLinks:\n  BAD NAME: worker+\n`));
  assert.equal(errors.length, 3);
  assert.match(errors[0] ?? '', /characters Elastic Beanstalk does not allow/);
  assert.match(errors[1] ?? '', /ends with "\+", but no group name was given/);
});

test('YAML problems are reported with line and column', () => {
  assert.deepEqual(errorsOf(parseEnvYaml(`${HEADER}Tags:\n\tteam: web\n`)), ['line 3, column 1: a tab is used for indentation; indent with spaces only']);
  assert.match(errorsOf(parseEnvYaml(`${HEADER}CName: a\nCName: b\n`))[0] ?? '', /the top-level key "CName" appears twice/);
});
