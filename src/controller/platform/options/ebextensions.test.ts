import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { test } from 'node:test';
import { tempDir } from '../../../../test/support/temp.js';
import { NS } from './catalogue.js';
import type { EbextensionsResult } from './ebextensions.js';
import { parseEbextensionsFile, readEbextensions } from './ebextensions.js';

/** A source folder with these files under `.ebextensions/`. */
async function bundle(t: TestContext, files: Record<string, string>): Promise<string> {
  const dir = await tempDir(t, 'wharf-ebextensions-');
  await mkdir(path.join(dir, '.ebextensions'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, '.ebextensions', name), text);
  return dir;
}

const parse = (text: string): EbextensionsResult => parseEbextensionsFile(text, '.ebextensions/test.config');
const settingsOf = (result: EbextensionsResult) => result.optionSettings.map(({ Namespace, OptionName, Value, ResourceName }) => [Namespace, OptionName, Value, ...(ResourceName ? [ResourceName] : [])]);
const messagesOf = (result: EbextensionsResult) => result.errors.map((e) => e.message);

test('option_settings, standard list form', () => {
  const result = parse(`
option_settings:
  - namespace: aws:autoscaling:asg
    option_name: MinSize
    value: 2
  - namespace: aws:elasticbeanstalk:command
    option_name: DeploymentPolicy
    value: Rolling
`);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(settingsOf(result), [
    [NS.asg, 'MinSize', '2'],
    [NS.command, 'DeploymentPolicy', 'Rolling'],
  ]);
  assert.equal(result.optionSettings[0]?.file, '.ebextensions/test.config');
});

test('option_settings, list form without namespace: environment properties', () => {
  const result = parse('option_settings:\n  - option_name: MY_VAR\n    value: foo\n');
  assert.deepEqual(settingsOf(result), [[NS.environmentProperties, 'MY_VAR', 'foo']]);
});

test('option_settings, shorthand map form', () => {
  const result = parse('option_settings:\n  aws:autoscaling:asg:\n    MinSize: 2\n    MaxSize: 6\n  aws:elasticbeanstalk:application:environment:\n    NODE_ENV: production\n');
  assert.deepEqual(result.errors, []);
  assert.deepEqual(settingsOf(result), [
    [NS.asg, 'MinSize', '2'],
    [NS.asg, 'MaxSize', '6'],
    [NS.environmentProperties, 'NODE_ENV', 'production'],
  ]);
});

test('option_settings, JSON list form (tabs are fine in JSON)', () => {
  const result = parse('{\n\t"option_settings": [\n\t\t{ "namespace": "aws:autoscaling:asg", "option_name": "MaxSize", "value": "8" },\n\t\t{ "option_name": "FLAG", "value": true }\n\t]\n}\n');
  assert.deepEqual(result.errors, []);
  assert.deepEqual(settingsOf(result), [
    [NS.asg, 'MaxSize', '8'],
    [NS.environmentProperties, 'FLAG', 'true'],
  ]);
});

test('resource_name is kept for namespaces that name resources', () => {
  const result = parse('option_settings:\n  - namespace: aws:autoscaling:scheduledaction\n    resource_name: Nightly\n    option_name: MinSize\n    value: 1\n');
  assert.deepEqual(result.optionSettings.map((s) => s.ResourceName), ['Nightly']);
  assert.match(messagesOf(result)[0] ?? '', /aws:autoscaling:scheduledaction is valid in Elastic Beanstalk, but not yet supported by Wharf/);
});

test('YAML 1.1 as Elastic Beanstalk reads it: yes/on/off are booleans, y stays text, numbers are read as numbers', () => {
  const result = parse(`option_settings:
  aws:elasticbeanstalk:application:environment:
    A: yes
    B: on
    C: Off
    D: y
    E: 1.10
    F: "1.10"
    G: 010
    H:
    I: 2024-01-02
`);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(
    result.optionSettings.map((s) => [s.OptionName, s.Value]),
    [['A', 'true'], ['B', 'true'], ['C', 'false'], ['D', 'y'], ['E', '1.1'], ['F', '1.10'], ['G', '8'], ['H', ''], ['I', '2024-01-02']],
  );
  assert.deepEqual(settingsOf(parse('option_settings:\n  aws:elasticbeanstalk:command:\n    IgnoreHealthCheck: yes\n')), [[NS.command, 'IgnoreHealthCheck', 'true']]);
});

test('keys are taken as written, even YAML 1.1 booleans', () => {
  assert.deepEqual(settingsOf(parse('option_settings:\n  aws:elasticbeanstalk:application:environment:\n    on: 1\n    y: 2\n')), [
    [NS.environmentProperties, 'on', '1'],
    [NS.environmentProperties, 'y', '2'],
  ]);
});

test('anchors, aliases and merge keys work', () => {
  const result = parse(`base: &base
  A: '1'
option_settings:
  aws:elasticbeanstalk:application:environment:
    <<: *base
    B: '2'
`);
  assert.deepEqual(messagesOf(result), ['line 1: unknown top-level key "base"; a config file has option_settings, packages, groups, users, sources, files, commands, services, container_commands, Resources, Parameters, Outputs, Mappings']);
  assert.deepEqual(settingsOf(parse("option_settings:\n  aws:elasticbeanstalk:application:environment: &e\n    A: '1'\n    <<: {A: '0', B: '2'}\n")), [
    [NS.environmentProperties, 'A', '1'],
    [NS.environmentProperties, 'B', '2'],
  ]);
});

test('tabs in indentation are refused with line and column', () => {
  assert.deepEqual(messagesOf(parse('option_settings:\n\taws:autoscaling:asg:\n    MinSize: 2\n')), ['line 2, column 1: a tab is used for indentation; indent with spaces only']);
});

test('parse errors name line and column', () => {
  const [message] = messagesOf(parse('option_settings:\n  aws:autoscaling:asg: [MinSize\nfoo: 1\n'));
  assert.match(message ?? '', /^line \d+, column \d+: /);
  assert.match(messagesOf(parse('a: 1\n---\nb: 2\n'))[0] ?? '', /^line 2, column 1: the file has more than one YAML document/);
  assert.match(messagesOf(parse('Resources:\n  Q:\n    Type: !Ref X\n'))[0] ?? '', /line 3, column \d+: unknown YAML tag/);
});

test('a top-level key repeated is refused, naming the key and both lines', () => {
  const result = parse('option_settings:\n  aws:autoscaling:asg:\n    MinSize: 2\noption_settings:\n  aws:autoscaling:asg:\n    MaxSize: 3\n');
  assert.deepEqual(messagesOf(result), ['line 4, column 1: the top-level key "option_settings" appears twice (first on line 1); keep one']);
  assert.equal(result.errors[0]?.file, '.ebextensions/test.config');
  assert.match(messagesOf(parse('option_settings:\n  aws:autoscaling:asg:\n    MinSize: 2\n    MinSize: 3\n'))[0] ?? '', /the key "MinSize" appears twice in option_settings\.aws:autoscaling:asg/);
});

test('unknown top-level keys are refused by name', () => {
  assert.match(messagesOf(parse('option_setting:\n  aws:autoscaling:asg:\n    MinSize: 2\n'))[0] ?? '', /^line 1: unknown top-level key "option_setting"; a config file has option_settings, /);
  assert.match(messagesOf(parse('- a\n- b\n'))[0] ?? '', /a config file is a map of keys .* not a list/);
});

test('settings are checked on their own, with the line they are on', () => {
  const result = parse('option_settings:\n  aws:autoscaling:asg:\n    MinSize: many\n  aws:nope:\n    X: 1\n');
  assert.deepEqual(messagesOf(result), [
    "line 3: aws:autoscaling:asg: MinSize must be a whole number from 1 to 5000; got 'many'",
    'line 5: aws:nope: Unknown namespace "aws:nope". Wharf acts on: ' + messagesOf(result)[1]?.split('Wharf acts on: ')[1],
  ]);
});

test('option_settings items: missing and unknown keys, lists as values', () => {
  const messages = messagesOf(parse('option_settings:\n  - namespace: aws:autoscaling:asg\n    value: 2\n  - option_name: A\n  - option_name: B\n    value: [1, 2]\n  - option_name: C\n    value: x\n    values: y\n'));
  assert.deepEqual(messages, [
    'line 2: option_settings[0].option_name: option_name is required: the option (or environment property) to set',
    'line 4: option_settings[1]: value is required (use value: "" for an empty one)',
    'line 6: option_settings[2].value: value must be text, a number or true/false, not a list or map (give a list as comma-separated text)',
    'line 9: option_settings[3].values: unknown key "values"; an item has namespace, option_name, value and resource_name',
  ]);
  assert.match(messagesOf(parse('option_settings:\n  aws:elasticbeanstalk:application:environment:\n    A: [1]\n'))[0] ?? '', /the value of A must be text, a number or true\/false, not a list/);
  assert.match(messagesOf(parse('option_settings: 5\n'))[0] ?? '', /option_settings is a list of/);
});

test('the same option twice in one file is refused; across files the later file wins', async (t) => {
  assert.match(
    messagesOf(parse('option_settings:\n  - namespace: aws:autoscaling:asg\n    option_name: MinSize\n    value: 2\n  - namespace: aws:autoscaling:asg\n    option_name: MinSize\n    value: 3\n'))[0] ?? '',
    /^line 5: MinSize of aws:autoscaling:asg is set twice in this file \(also at line 2\); keep one$/,
  );
  const dir = await bundle(t, { 'a.config': 'option_settings:\n  aws:autoscaling:asg:\n    MinSize: 2\n', 'b.config': 'option_settings:\n  aws:autoscaling:asg:\n    MinSize: 3\n' });
  const result = await readEbextensions(dir);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.optionSettings.map((s) => [s.file, s.Value]), [['.ebextensions/a.config', '2'], ['.ebextensions/b.config', '3']]);
});

test('files are read in lexicographic order of their names; other files are skipped', async (t) => {
  const env = (value: string) => `option_settings:\n  - option_name: ORDER\n    value: "${value}"\n`;
  const dir = await bundle(t, { '2-two.config': env('2'), '10-ten.config': env('10'), 'B.config': env('B'), 'a.config': env('a'), 'notes.txt': 'not a config', 'x.config.bak': env('bak') });
  await mkdir(path.join(dir, '.ebextensions', 'dir.config'));
  const result = await readEbextensions(dir);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.optionSettings.map((s) => s.file), ['.ebextensions/10-ten.config', '.ebextensions/2-two.config', '.ebextensions/B.config', '.ebextensions/a.config']);
});

test('no .ebextensions folder, or an empty file: nothing, no errors', async (t) => {
  const dir = await tempDir(t, 'wharf-ebextensions-');
  assert.deepEqual(await readEbextensions(dir), { optionSettings: [], errors: [] });
  assert.deepEqual(await readEbextensions(await bundle(t, { 'empty.config': '# nothing yet\n' })), { optionSettings: [], errors: [] });
});

test('errors name their file', async (t) => {
  const dir = await bundle(t, { '01.config': 'option_settings:\n  aws:autoscaling:asg:\n    MinSize: 2\n', '02.config': 'commands:\n  hi:\n    command: echo hi\n' });
  const result = await readEbextensions(dir);
  assert.equal(result.optionSettings.length, 1);
  assert.deepEqual(result.errors.map((e) => e.file), ['.ebextensions/02.config']);
  assert.match(result.errors[0]?.message ?? '', /Remove the commands section from \.ebextensions\/02\.config$/);
});

test('deployment options out of range are refused with their file, line and namespace', async (t) => {
  const dir = await bundle(t, {
    '10-deploy.config': [
      'option_settings:',
      '  aws:elasticbeanstalk:command:',
      '    DeploymentPolicy: Canary',
      '    BatchSizeType: Count',
      '    BatchSize: 0',
      '    Timeout: 3601',
      '  aws:elasticbeanstalk:trafficsplitting:',
      '    NewVersionPercent: 101',
      '    EvaluationTime: 0',
      '',
    ].join('\n'),
  });
  const result = await readEbextensions(dir);
  assert.deepEqual(result.optionSettings.map((s) => s.OptionName), ['DeploymentPolicy', 'BatchSizeType', 'BatchSize', 'Timeout', 'NewVersionPercent', 'EvaluationTime']);
  assert.deepEqual(result.errors.map((e) => e.file), Array(6).fill('.ebextensions/10-deploy.config'));
  assert.deepEqual(messagesOf(result), [
    "line 3: aws:elasticbeanstalk:command: DeploymentPolicy must be one of AllAtOnce, Rolling, RollingWithAdditionalBatch, Immutable, TrafficSplitting; got 'Canary'",
    "line 4: aws:elasticbeanstalk:command: BatchSizeType must be one of Percentage, Fixed; got 'Count'",
    "line 5: aws:elasticbeanstalk:command: BatchSize must be a whole number from 1 to 100 when BatchSizeType is Percentage, or from 1 to MaxSize (aws:autoscaling:asg) when it is Fixed; got '0'",
    "line 6: aws:elasticbeanstalk:command: Timeout must be a whole number of seconds from 1 to 3600; got '3601'",
    "line 8: aws:elasticbeanstalk:trafficsplitting: NewVersionPercent must be a whole number of percent from 1 to 100; got '101'",
    "line 9: aws:elasticbeanstalk:trafficsplitting: EvaluationTime must be a number of minutes from 0.05 to 600 (fractions allowed, e.g. 0.5); got '0'",
  ]);
  assert.deepEqual(parse('option_settings:\n  aws:elasticbeanstalk:trafficsplitting:\n    EvaluationTime: 0.05\n').errors, [], '3 seconds is fine');
});

const VALID_SECTIONS: Record<string, string> = {
  packages: 'packages:\n  yum:\n    git: []\n    libmemcached: "0.31"\n',
  groups: 'groups:\n  groupOne: {}\n  groupTwo:\n    gid: "45"\n',
  users: 'users:\n  myuser:\n    groups: [groupOne]\n    uid: "50"\n    homeDir: /tmp\n',
  sources: 'sources:\n  /etc/myapp: https://example.com/myapp.tar.gz\n',
  files: 'files:\n  "/etc/myapp.conf":\n    mode: "000644"\n    owner: root\n    group: root\n    content: |\n      key=value\n',
  commands: 'commands:\n  01_hello:\n    command: echo hello\n    cwd: /tmp\n    env:\n      A: "1"\n    ignoreErrors: true\n  02_argv:\n    command: [ls, -l]\n',
  services: 'services:\n  sysvinit:\n    nginx:\n      enabled: true\n      ensureRunning: true\n      files: [/etc/nginx/nginx.conf]\n',
  container_commands: 'container_commands:\n  01_migrate:\n    command: npm run migrate\n    leader_only: true\n',
  Resources: 'Resources:\n  MyQueue:\n    Type: AWS::SQS::Queue\n',
  Parameters: 'Parameters:\n  Size:\n    Type: Number\n',
  Outputs: 'Outputs:\n  QueueURL:\n    Value: { Ref: MyQueue }\n',
  Mappings: 'Mappings:\n  Region:\n    us-east-1:\n      Ami: ami-1\n',
};

test('every key Wharf does not act on yet is refused, naming the key and the file (never ignored)', () => {
  for (const [key, text] of Object.entries(VALID_SECTIONS)) {
    const result = parseEbextensionsFile(text, '.ebextensions/x.config');
    assert.equal(result.errors.length, 1, key);
    assert.equal(result.errors[0]?.file, '.ebextensions/x.config');
    const message = result.errors[0]?.message ?? '';
    assert.ok(message.startsWith(`line 1: "${key}" is valid in an Elastic Beanstalk config file, but not yet supported by Wharf: `), message);
    assert.ok(message.endsWith(`Remove the ${key} section from .ebextensions/x.config`), message);
  }
  assert.deepEqual(parse('commands: {}\nResources:\n').errors, [], 'empty sections do nothing and are accepted');
});

test('the shapes of refused keys are checked too', () => {
  const shapeErrors = (text: string) => messagesOf(parse(text)).filter((m) => !m.includes('not yet supported by Wharf'));
  assert.deepEqual(shapeErrors('commands:\n  01_x:\n    command: 5\n'), [
    'line 3: commands.01_x.command: command is a string (run by a shell) or a non-empty list of strings (one program and its arguments)',
  ]);
  assert.deepEqual(shapeErrors('commands:\n  01_x:\n    cmd: ls\n'), [
    'line 2: commands.01_x.command: command is a string (run by a shell) or a non-empty list of strings (one program and its arguments)',
    'line 3: commands.01_x.cmd: unknown key; remove it or check its spelling',
  ]);
  assert.deepEqual(shapeErrors('container_commands:\n  01_x:\n    command: ls\n    leader_only: maybe\n'), ['line 4: container_commands.01_x.leader_only: leader_only must be true or false']);
  assert.deepEqual(shapeErrors('container_commands:\n  01_x:\n    command: ls\n    leader_only: yes\n'), [], 'yes is a YAML 1.1 boolean');
  assert.deepEqual(shapeErrors('files:\n  /etc/x.conf:\n    mode: 000644\n    content: x\n'), [
    'line 3: files./etc/x.conf.mode: mode is six octal digits in quotes, e.g. "000644" (unquoted, YAML reads it as a number)',
  ]);
  assert.deepEqual(shapeErrors('files:\n  /etc/x.conf:\n    content: x\n    source: http://x\n'), ['line 2: files./etc/x.conf: give either content or source, not both and not neither']);
  assert.deepEqual(shapeErrors('packages:\n  apt:\n    git: []\n'), ['line 2: packages.apt: unknown key; remove it or check its spelling']);
  assert.deepEqual(shapeErrors('Resources:\n  Q:\n    Type: Queue\n'), ['line 3: Resources.Q.Type: Type is a CloudFormation resource type, e.g. AWS::SQS::Queue']);
});

test('bounds: values nested more than 32 levels deep are refused, naming the file and the line', () => {
  const nested = (lists: number) => `Resources: ${'['.repeat(lists)}${']'.repeat(lists)}\n`;
  const deep = (result: EbextensionsResult) => result.errors.filter((e) => /nested more than 32 levels deep/.test(e.message));
  assert.deepEqual(deep(parse(nested(31))), [], 'the top-level map and 31 lists: 32 levels');
  assert.deepEqual(deep(parse(nested(32))), [
    { file: '.ebextensions/test.config', message: 'line 1, column 43: values are nested more than 32 levels deep (in Resources[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]); a config file needs far fewer: flatten it' },
  ]);
  let block = '';
  for (let level = 0; level < 40; level++) block += `${'  '.repeat(level)}k${level}:\n`;
  assert.equal(deep(parse(`Resources:\n${block.replace(/^/gm, '  ')}    leaf: 1\n`)).length, 1, 'block style too');
  // Deeper than the YAML reader's stack: refused with the same words, quickly.
  const started = Date.now();
  const [message] = messagesOf(parse(nested(3_000)));
  assert.match(message ?? '', /nested more than 32 levels deep/);
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
});

test('bounds: a file over 256 KiB is refused, naming the file, before it is read', async (t) => {
  const big = `# ${'x'.repeat(256 * 1024)}\noption_settings: {}\n`;
  assert.deepEqual(parse(big).errors, [{ file: '.ebextensions/test.config', message: 'the file has 262,167 bytes; a config file has at most 262,144 (256 KiB): make it smaller, or split it into several files' }]);
  assert.deepEqual(parse(`# ${'x'.repeat(256 * 1024 - 100)}\noption_settings: {}\n`).errors, [], 'just under the bound reads');
  const dir = await bundle(t, { '01-big.config': big, '02-fine.config': "option_settings:\n  aws:autoscaling:asg:\n    MinSize: '2'\n" });
  const result = await readEbextensions(dir);
  assert.deepEqual(result.errors.map((e) => e.file), ['.ebextensions/01-big.config']);
  assert.match(result.errors[0]?.message ?? '', /262,167 bytes; a config file has at most 262,144/);
});

test('bounds: an alias bomb is refused after 100 aliases', () => {
  let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 9; i++) text += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
  const started = Date.now();
  const messages = messagesOf(parse(text));
  assert.ok(messages.some((m) => /more than 100 aliases; write the values out/.test(m)), JSON.stringify(messages));
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
});
