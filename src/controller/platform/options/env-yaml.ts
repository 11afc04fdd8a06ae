/**
 * `env.yaml`, the environment manifest at a source bundle's root (eb-ecs-spec §4): the
 * environment's name, CNAME, tier, platform, option settings and tags. A trailing `+` on
 * EnvironmentName or CName asks for the environment group's name to be appended (`front+` in
 * group `dev` is `front-dev`). Unknown keys are refused by name; EnvironmentLinks is parsed and
 * refused as not yet supported.
 */
import type { EnvironmentManifest, EnvironmentTierName, OptionSetting, PlatformName } from '../../../model/platform.js';
import { CNAME_PATTERN, ENVIRONMENT_NAME_PATTERN, PLATFORMS } from '../../../model/platform.js';
import { platformFromSolutionStack } from '../../../model/solution-stack.js';
import { checkEnvironmentProperty, normalizeSetting, settingKey } from './catalogue.js';
import type { LoadedConfig, ValuePath } from './config-file.js';
import { formatPath, isPlainMap, loadConfig, settingText, shorthandSettings } from './config-file.js';
import { validateSettingsLayer } from './validate.js';

/** The parsed manifest, or every problem found (each a message naming the key and, where known, the line). */
export type EnvYamlResult = { readonly manifest: EnvironmentManifest } | { readonly errors: readonly string[] };

/** The only manifest format version there is. */
const TEMPLATE_VERSION = '1.1.0.0';
/** Elastic Beanstalk's limit on an environment's tags. */
const MAX_TAGS = 47;
/** Elastic Beanstalk's group names (GroupName): 1 to 19 characters; Wharf allows those valid in names. */
const GROUP_NAME = /^[A-Za-z0-9-]{1,19}$/;
/** Characters of tag keys and values (AWS tagging rules). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const KEYS = ['AWSConfigurationTemplateVersion', 'Platform', 'SolutionStack', 'OptionSettings', 'Tags', 'EnvironmentTier', 'CName', 'EnvironmentName', 'EnvironmentLinks'] as const;

/**
 * Reads an `env.yaml`. `groupName` is the environment group (CreateEnvironment's GroupName), which
 * a trailing `+` on EnvironmentName, CName or a link target appends as `-<group>`.
 */
export function parseEnvYaml(text: string, options: { readonly groupName?: string } = {}): EnvYamlResult {
  const loaded = loadConfig(text);
  if (loaded.errors.length > 0) return { errors: loaded.errors };
  const errors: string[] = [];
  const fail = (at: ValuePath, message: string) => errors.push(located(loaded, at, message));
  const manifest = isPlainMap(loaded.value) ? loaded.value : undefined;
  if (!manifest) {
    return { errors: [loaded.value === undefined || loaded.value === null ? `the file is empty; it needs at least AWSConfigurationTemplateVersion: ${TEMPLATE_VERSION}` : 'env.yaml is a map of keys, not a list or a single value'] };
  }
  const { groupName } = options;
  if (groupName !== undefined && !GROUP_NAME.test(groupName)) errors.push(`the group name "${groupName}" must have 1 to 19 letters, digits and hyphens`);

  for (const key of Object.keys(manifest)) {
    if (!(KEYS as readonly string[]).includes(key)) fail([key], `unknown key "${key}"; env.yaml has ${KEYS.join(', ')}`);
  }

  const version = manifest.AWSConfigurationTemplateVersion;
  if (version === undefined) fail([], `AWSConfigurationTemplateVersion is required: add "AWSConfigurationTemplateVersion: ${TEMPLATE_VERSION}"`);
  else if (settingText(version) !== TEMPLATE_VERSION) fail(['AWSConfigurationTemplateVersion'], `AWSConfigurationTemplateVersion must be ${TEMPLATE_VERSION}; got '${String(settingText(version) ?? version)}'`);

  /** Applies the `+` rule to a name and checks the result against `pattern`. */
  const grouped = (key: string, pattern: RegExp, rule: string): string | undefined => {
    const raw = manifest[key];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'string') {
      fail([key], `${key} must be text`);
      return undefined;
    }
    const name = expandGroup(raw, groupName);
    if (name === undefined) {
      fail([key], `${key} "${raw}" ends with "+", which appends the environment group's name, but no group name was given. Give one (GroupName, --group-name), or remove the "+"`);
      return undefined;
    }
    if (!pattern.test(name)) {
      fail([key], `${key} "${name}" must have ${rule}`);
      return undefined;
    }
    return name;
  };
  const environmentName = grouped('EnvironmentName', ENVIRONMENT_NAME_PATTERN, '4 to 40 letters, digits and hyphens, and not start or end with a hyphen');
  const cname = grouped('CName', CNAME_PATTERN, '4 to 63 letters, digits and hyphens, and not start or end with a hyphen');

  const tier = readTier(manifest.EnvironmentTier, fail);
  const platform = readPlatform(manifest.Platform, manifest.SolutionStack, fail);
  const optionSettings = readOptionSettings(manifest.OptionSettings, loaded, fail);
  const tags = readTags(manifest.Tags, fail);

  const links = manifest.EnvironmentLinks;
  if (links !== undefined && links !== null) {
    if (!isPlainMap(links)) {
      fail(['EnvironmentLinks'], 'EnvironmentLinks is a map of environment property names to environment names, e.g. "WORKERQUEUE: worker+"');
    } else if (Object.keys(links).length > 0) {
      for (const [variable, target] of Object.entries(links)) {
        const problem = checkEnvironmentProperty(variable, '');
        if (problem) fail(['EnvironmentLinks', variable], problem);
        if (typeof target !== 'string' || target === '') fail(['EnvironmentLinks', variable], `the link ${variable} must name an environment`);
        else if (expandGroup(target, groupName) === undefined) fail(['EnvironmentLinks', variable], `the link ${variable} to "${target}" ends with "+", but no group name was given`);
      }
      fail(
        ['EnvironmentLinks'],
        'EnvironmentLinks is valid in env.yaml, but not yet supported by Wharf: linked environments come with ComposeEnvironments. For now set the property yourself under OptionSettings, aws:elasticbeanstalk:application:environment (the linked environment\'s CNAME), and remove EnvironmentLinks',
      );
    }
  }

  if (errors.length > 0) return { errors };
  return {
    manifest: {
      ...(environmentName === undefined ? {} : { environmentName }),
      ...(cname === undefined ? {} : { cname }),
      ...(tier === undefined ? {} : { tier }),
      ...(platform === undefined ? {} : { platform }),
      optionSettings,
      tags,
    },
  };
}

/** `name+` → `name-<group>`; undefined when there is a `+` and no group. */
function expandGroup(name: string, groupName: string | undefined): string | undefined {
  if (!name.endsWith('+')) return name;
  return groupName === undefined ? undefined : `${name.slice(0, -1)}-${groupName}`;
}

function located(loaded: LoadedConfig, at: ValuePath, message: string): string {
  const where = loaded.at(at);
  return where ? `${where}: ${message}` : message;
}

type Fail = (at: ValuePath, message: string) => void;

function readTier(value: unknown, fail: Fail): EnvironmentTierName | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainMap(value)) {
    fail(['EnvironmentTier'], 'EnvironmentTier is a map, e.g. { Name: Worker, Type: SQS/HTTP }; leave it out for a web server');
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!['Name', 'Type', 'Version'].includes(key)) fail(['EnvironmentTier', key], `unknown key "${key}" in EnvironmentTier; it has Name, Type and Version`);
  }
  const types: Record<EnvironmentTierName, string> = { WebServer: 'Standard', Worker: 'SQS/HTTP' };
  const { Name: name, Type: type, Version: version } = value;
  if (name !== 'WebServer' && name !== 'Worker') {
    fail(['EnvironmentTier', 'Name'], `EnvironmentTier Name must be WebServer or Worker; got '${String(name)}'`);
    return undefined;
  }
  if (type !== undefined && type !== types[name]) fail(['EnvironmentTier', 'Type'], `EnvironmentTier Type for ${name} is ${types[name]}; got '${String(type)}'`);
  if (version !== undefined && version !== null && typeof version !== 'string') fail(['EnvironmentTier', 'Version'], 'EnvironmentTier Version is text (it is deprecated: leave it out)');
  return name;
}

function readPlatform(platformValue: unknown, solutionStack: unknown, fail: Fail): PlatformName | undefined {
  if (platformValue !== undefined && solutionStack !== undefined) {
    fail(['SolutionStack'], 'give either Platform (PlatformArn) or SolutionStack, not both');
    return undefined;
  }
  const wharfRuns = `Wharf runs ${PLATFORMS.join(', ')}, e.g. "Node.js 20 running on 64bit Amazon Linux 2023" or "nodejs"`;
  if (solutionStack !== undefined) {
    if (typeof solutionStack !== 'string') {
      fail(['SolutionStack'], 'SolutionStack must be text, e.g. "64bit Amazon Linux 2023 v6.1.0 running Node.js 20"');
      return undefined;
    }
    const platform = platformFromSolutionStack(solutionStack);
    if (!platform) fail(['SolutionStack'], `SolutionStack "${solutionStack}" is not a platform Wharf runs; ${wharfRuns}`);
    return platform;
  }
  if (platformValue === undefined || platformValue === null) return undefined;
  if (!isPlainMap(platformValue) || typeof platformValue.PlatformArn !== 'string') {
    fail(['Platform'], 'Platform is a map with PlatformArn, e.g. { PlatformArn: "arn:aws:elasticbeanstalk:us-east-1::platform/Node.js 20 running on 64bit Amazon Linux 2023/6.1.0" }');
    return undefined;
  }
  for (const key of Object.keys(platformValue)) {
    if (key !== 'PlatformArn') fail(['Platform', key], `unknown key "${key}" in Platform; it has PlatformArn`);
  }
  const arn = platformValue.PlatformArn;
  if (!/^arn:[^:]+:elasticbeanstalk:[^:]*:[^:]*:platform\/.+\/[^/]+$/.test(arn)) {
    fail(['Platform', 'PlatformArn'], `PlatformArn "${arn}" is not a platform ARN (arn:aws:elasticbeanstalk:<region>::platform/<name>/<version>)`);
    return undefined;
  }
  const platform = platformFromSolutionStack(arn);
  if (!platform) fail(['Platform', 'PlatformArn'], `PlatformArn "${arn}" is not a platform Wharf runs; ${wharfRuns}`);
  return platform;
}

function readOptionSettings(value: unknown, loaded: LoadedConfig, fail: Fail): OptionSetting[] {
  if (value === undefined || value === null) return [];
  if (!isPlainMap(value)) {
    fail(['OptionSettings'], 'OptionSettings is a map of namespaces to { option: value }, e.g. "aws:autoscaling:asg: { MinSize: 2 }"');
    return [];
  }
  const { settings, problems } = shorthandSettings(value, ['OptionSettings']);
  for (const problem of problems) fail(problem.path, `${formatPath(problem.path)}: ${problem.message}`);
  const seen = new Set<string>();
  for (const { setting, path } of settings) {
    const normal = normalizeSetting(setting);
    for (const message of validateSettingsLayer([normal])) fail(path, `${normal.Namespace}: ${message.Message}`);
    if (seen.has(settingKey(normal))) fail(path, `${normal.OptionName} of ${normal.Namespace} is set twice; keep one`);
    seen.add(settingKey(normal));
  }
  return settings.map(({ setting }) => setting);
}

function readTags(value: unknown, fail: Fail): Record<string, string> {
  const tags: Record<string, string> = {};
  if (value === undefined || value === null) return tags;
  if (!isPlainMap(value)) {
    fail(['Tags'], 'Tags is a map of tag keys to values, e.g. "team: web"');
    return tags;
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_TAGS) fail(['Tags'], `Tags has ${entries.length} tags; an environment has at most ${MAX_TAGS}`);
  for (const [key, raw] of entries) {
    const text = settingText(raw);
    if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) fail(['Tags', key], `the tag key "${key}" must have 1 to 128 letters, digits, spaces and _ . : / = + - @`);
    else if (key.toLowerCase().startsWith('aws:')) fail(['Tags', key], `the tag key "${key}" starts with "aws:", which is reserved`);
    if (text === undefined || text.length > 256 || !TAG_TEXT.test(text)) fail(['Tags', key], `the value of tag "${key}" must be text of at most 256 letters, digits, spaces and _ . : / = + - @`);
    else Object.defineProperty(tags, key, { value: text, enumerable: true, writable: true, configurable: true });
  }
  return tags;
}
