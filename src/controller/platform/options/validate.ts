/**
 * Validation of option settings, as Elastic Beanstalk's ValidateConfigurationSettings: it returns
 * messages (errors refuse, warnings inform) instead of throwing, each naming the namespace and
 * option and saying how to fix it. Two steps, which callers may also run apart:
 *
 * - `validateSettingsLayer`: each setting of one layer on its own (known namespace and option, type,
 *   range, allowed values, values Wharf does not support yet) and duplicates within the layer;
 * - `validateEffectiveSettings`: rules between settings, on the effective settings of all layers
 *   (MinSize ≤ MaxSize, HealthCheckTimeout < HealthCheckInterval, BreachDuration = Period ×
 *   EvaluationPeriods, BatchSize, the deployment policies an environment type allows, …).
 *
 * `validateOptionSettings` runs both for settings given through the API.
 */
import type { EnvironmentTierName, EnvironmentType, OptionSetting } from '../../../model/platform.js';
import { ENVIRONMENT_PROPERTY_LIMITS, NS, checkEnvironmentProperty, checkValue, findOption, isKnownNamespace, knownNamespaces, normalizeSetting, notYetSupportedReason, optionsOf, parseHealthcheckUrl, settingKey } from './catalogue.js';
import type { ValidationMessage } from './messages.js';

export { configurationError } from './messages.js';
export type { ValidationMessage } from './messages.js';
import type { EffectiveSetting, EffectiveSettings, SettingLayers } from './resolve.js';
import { effectiveSettings, findEffective } from './resolve.js';

export type { OptionSetting, OptionSpecification } from '../../../model/platform.js';

/** What the rules between settings need to know about the environment beyond its settings. */
export interface ValidationContext {
  /** The environment's type when the settings do not set EnvironmentType (e.g. an existing environment). */
  readonly environmentType?: EnvironmentType;
  readonly tier?: EnvironmentTierName;
  /** Layers beneath the settings being validated, which the rules between settings see through. */
  readonly lowerLayers?: Pick<SettingLayers, 'saved' | 'ebextensions'>;
}

const CLOUDFORMATION_FUNCTION = /^`[\s\S]*`$/;

/**
 * Validates settings given through the API: each setting, duplicates among them, and the rules
 * between settings on the effective settings (these over `context.lowerLayers` over defaults).
 */
export function validateOptionSettings(settings: readonly OptionSetting[], context: ValidationContext = {}): ValidationMessage[] {
  const effective = effectiveSettings({
    api: { OptionSettings: settings },
    ...(context.lowerLayers?.saved ? { saved: context.lowerLayers.saved } : {}),
    ...(context.lowerLayers?.ebextensions ? { ebextensions: context.lowerLayers.ebextensions } : {}),
  });
  return [...validateSettingsLayer(settings), ...validateEffectiveSettings(effective, context)];
}

/** Checks each setting of one layer on its own, and that no option is set twice in it. */
export function validateSettingsLayer(settings: readonly OptionSetting[]): ValidationMessage[] {
  const messages: ValidationMessage[] = [];
  const seen = new Map<string, OptionSetting>();
  for (const raw of settings) {
    const setting = normalizeSetting(raw);
    const problem = checkSetting(setting);
    if (problem) messages.push({ Severity: 'error', Namespace: setting.Namespace, OptionName: setting.OptionName, Message: problem });
    const key = settingKey(setting);
    const earlier = seen.get(key);
    if (earlier) {
      messages.push({
        Severity: 'error',
        Namespace: setting.Namespace,
        OptionName: setting.OptionName,
        Message: `${setting.OptionName} of ${setting.Namespace} is set twice ('${earlier.Value}' and '${setting.Value}'); keep one`,
      });
    } else {
      seen.set(key, setting);
    }
  }
  return messages;
}

/** What is wrong with one setting on its own, if anything. */
function checkSetting(setting: OptionSetting): string | undefined {
  const { Namespace: namespace, OptionName: name, Value: value } = setting;
  if (namespace === '') return 'A setting needs a Namespace, e.g. "aws:autoscaling:asg"';
  if (name === '') return `A setting of ${namespace} needs an OptionName`;
  if (value.length >= 2 && CLOUDFORMATION_FUNCTION.test(value)) {
    return `${name}: a value in backticks is a CloudFormation function (such as Fn::GetOptionSetting or Fn::ImportValue), valid in Elastic Beanstalk but not yet supported by Wharf, which has no CloudFormation stack. Give the value itself`;
  }
  if (namespace === NS.environmentProperties) return checkEnvironmentProperty(name, value);
  const spec = findOption(namespace, name);
  if (spec) return checkValue(spec, value);
  const reason = notYetSupportedReason(namespace, name);
  if (reason && isKnownNamespace(namespace)) return `${name} is an option of ${namespace} in Elastic Beanstalk, but not yet supported by Wharf: ${reason}. Remove it`;
  if (reason) return `The namespace ${namespace} is valid in Elastic Beanstalk, but not yet supported by Wharf: ${reason}. Remove its settings`;
  if (isKnownNamespace(namespace)) {
    const names = optionsOf(namespace).map((spec) => spec.name);
    return `Unknown option "${name}" in ${namespace}${didYouMean(name, names)}. Its options are: ${names.join(', ')}`;
  }
  return `Unknown namespace "${namespace}"${didYouMean(namespace, knownNamespaces())}. Wharf acts on: ${knownNamespaces().join(', ')}`;
}

/** ` (did you mean "X"?)` for the closest candidate within a few edits, else ''. */
function didYouMean(value: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === value.toLowerCase() ? 0 : editDistance(value, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(value.length / 5)) ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Where an effective value came from, e.g. `from .ebextensions/01.config`. */
function where(setting: EffectiveSetting | undefined): string {
  if (!setting) return 'unset';
  return { api: 'set through the API', saved: 'from the saved configuration', ebextensions: `from ${setting.file ?? '.ebextensions'}`, default: 'the default' }[setting.source];
}

/** How a message shows an effective value and where it came from, e.g. `4, the default`. */
function shown(setting: EffectiveSetting | undefined): string {
  if (!setting) return 'unset';
  return `${setting.Value === '' ? 'unset' : setting.Value}, ${where(setting)}`;
}

/**
 * The rules between settings, checked on the effective settings. Values that fail their own
 * checks are skipped here (validateSettingsLayer reports them).
 */
export function validateEffectiveSettings(effective: EffectiveSettings, context: ValidationContext = {}): ValidationMessage[] {
  const messages: ValidationMessage[] = [];
  const error = (namespace: string, name: string, message: string) => messages.push({ Severity: 'error', Namespace: namespace, OptionName: name, Message: message });
  const warning = (namespace: string, name: string, message: string) => messages.push({ Severity: 'warning', Namespace: namespace, OptionName: name, Message: message });
  const get = (namespace: string, name: string) => findEffective(effective, namespace, name);
  /** The value when it passes its own checks, else undefined. */
  const valid = (namespace: string, name: string): string | undefined => {
    const setting = get(namespace, name);
    const spec = findOption(namespace, name);
    if (setting === undefined || setting.Value === '' || spec === undefined || checkValue(spec, setting.Value) !== undefined) return undefined;
    return setting.Value;
  };
  const num = (namespace: string, name: string): number | undefined => {
    const value = valid(namespace, name);
    return value === undefined ? undefined : Number(value);
  };
  const isSet = (namespace: string, name: string) => {
    const setting = get(namespace, name);
    return setting !== undefined && setting.source !== 'default';
  };

  const typeSetting = get(NS.environment, 'EnvironmentType');
  const environmentType = typeSetting?.source === 'default' ? (context.environmentType ?? valid(NS.environment, 'EnvironmentType')) : valid(NS.environment, 'EnvironmentType');
  const single = environmentType === 'SingleInstance';
  const worker = context.tier === 'Worker';
  const loadBalancerType = valid(NS.environment, 'LoadBalancerType');
  const enhanced = valid(NS.healthReporting, 'SystemType') === 'enhanced';

  // Capacity.
  const minSize = num(NS.asg, 'MinSize');
  const maxSize = num(NS.asg, 'MaxSize');
  if (single) {
    for (const name of ['MinSize', 'MaxSize']) {
      if (isSet(NS.asg, name) && get(NS.asg, name)?.Value !== '1') {
        warning(NS.asg, name, `${name} (${shown(get(NS.asg, name))}) is ignored: a SingleInstance environment always runs one copy. Remove it, or set EnvironmentType to LoadBalanced`);
      }
    }
  } else if (minSize !== undefined && maxSize !== undefined && minSize > maxSize) {
    error(NS.asg, 'MinSize', `MinSize (${shown(get(NS.asg, 'MinSize'))}) must not be more than MaxSize (${shown(get(NS.asg, 'MaxSize'))}); lower MinSize or raise MaxSize`);
  }

  // Health checks.
  const timeout = num(NS.process, 'HealthCheckTimeout');
  const interval = num(NS.process, 'HealthCheckInterval');
  if (timeout !== undefined && interval !== undefined && timeout >= interval) {
    error(NS.process, 'HealthCheckTimeout', `HealthCheckTimeout (${shown(get(NS.process, 'HealthCheckTimeout'))}) must be less than HealthCheckInterval (${shown(get(NS.process, 'HealthCheckInterval'))}); lower the timeout or raise the interval`);
  }
  const healthcheckUrl = valid(NS.application, 'Application Healthcheck URL');
  const port = num(NS.process, 'Port');
  const urlPort = healthcheckUrl ? parseHealthcheckUrl(healthcheckUrl)?.port : undefined;
  if (urlPort !== undefined && urlPort !== 80 && urlPort !== port) {
    error(NS.application, 'Application Healthcheck URL', `Application Healthcheck URL '${healthcheckUrl}' names port ${urlPort}, but health checks go to the process's port (${NS.process} Port, ${port ?? 80}). Leave the port out, e.g. /health`);
  }

  // Scaling trigger: BreachDuration = Period × EvaluationPeriods.
  const period = num(NS.trigger, 'Period');
  const evaluations = num(NS.trigger, 'EvaluationPeriods');
  const breachSetting = get(NS.trigger, 'BreachDuration');
  const breach = breachSetting && /^\d+$/.test(breachSetting.Value) ? Number(breachSetting.Value) : undefined;
  if (period !== undefined && evaluations !== undefined && breach !== undefined) {
    const product = period * evaluations;
    if (breachSetting?.source === 'default' && product > 600) {
      error(NS.trigger, 'BreachDuration', `Period × EvaluationPeriods is ${period} × ${evaluations} = ${product} minutes, but BreachDuration (which must equal it) is at most 600; lower Period or EvaluationPeriods`);
    } else if (breach !== product && num(NS.trigger, 'BreachDuration') !== undefined) {
      error(
        NS.trigger,
        'BreachDuration',
        `BreachDuration (${shown(breachSetting)}) must equal Period × EvaluationPeriods (${period} × ${evaluations} = ${product} minutes); change one of them so that they agree, or leave BreachDuration out`,
      );
    }
  }
  const lower = num(NS.trigger, 'LowerThreshold');
  const upper = num(NS.trigger, 'UpperThreshold');
  if (lower !== undefined && upper !== undefined && lower > upper) {
    warning(NS.trigger, 'LowerThreshold', `LowerThreshold (${lower}) is above UpperThreshold (${upper}): the environment would scale in and out on the same values. Keep LowerThreshold below UpperThreshold`);
  }

  // Deployments (eb-ecs-spec §1.2 to §1.4). Each message says where the offending value came from,
  // so one from a version's .ebextensions names its file.
  const batchSize = num(NS.command, 'BatchSize');
  const batchSizeType = valid(NS.command, 'BatchSizeType');
  if (batchSize !== undefined && batchSizeType === 'Percentage' && batchSize > 100) {
    error(
      NS.command,
      'BatchSize',
      `BatchSize (${shown(get(NS.command, 'BatchSize'))}) must be from 1 to 100 when BatchSizeType is Percentage (${shown(get(NS.command, 'BatchSizeType'))}); lower it, or set BatchSizeType to Fixed for a number of copies`,
    );
  }
  if (batchSize !== undefined && batchSizeType === 'Fixed' && !single && maxSize !== undefined && batchSize > maxSize) {
    error(
      NS.command,
      'BatchSize',
      `BatchSize (${shown(get(NS.command, 'BatchSize'))}) must not be more than ${NS.asg} MaxSize (${shown(get(NS.asg, 'MaxSize'))}) when BatchSizeType is Fixed; lower BatchSize or raise MaxSize`,
    );
  }
  const policy = valid(NS.command, 'DeploymentPolicy');
  const policyShown = `DeploymentPolicy ${policy} (${where(get(NS.command, 'DeploymentPolicy'))})`;
  if (single && (policy === 'Rolling' || policy === 'RollingWithAdditionalBatch' || policy === 'TrafficSplitting')) {
    error(
      NS.command,
      'DeploymentPolicy',
      `${policyShown} needs a load-balanced environment, and this one is SingleInstance; a SingleInstance environment deploys AllAtOnce or Immutable. Set DeploymentPolicy to one of those, or use a LoadBalanced environment`,
    );
  } else if (policy === 'TrafficSplitting' && worker) {
    error(NS.command, 'DeploymentPolicy', `${policyShown} needs a load balancer, and a Worker environment has none. Choose AllAtOnce, Rolling, RollingWithAdditionalBatch or Immutable`);
  } else if (policy === 'TrafficSplitting' && loadBalancerType !== undefined && loadBalancerType !== 'application') {
    error(
      NS.command,
      'DeploymentPolicy',
      `${policyShown} needs an Application Load Balancer: set ${NS.environment} LoadBalancerType to application (it is ${shown(get(NS.environment, 'LoadBalancerType'))}), or choose another DeploymentPolicy`,
    );
  }
  if (policy === 'Immutable' && !enhanced) {
    error(
      NS.command,
      'DeploymentPolicy',
      `${policyShown} needs enhanced health reporting: set ${NS.healthReporting} SystemType to enhanced (it is ${shown(get(NS.healthReporting, 'SystemType'))}), or choose another DeploymentPolicy`,
    );
  }

  // Rolling configuration updates.
  const rollingEnabled = valid(NS.rollingUpdate, 'RollingUpdateEnabled')?.toLowerCase() === 'true';
  const rollingType = valid(NS.rollingUpdate, 'RollingUpdateType');
  const rollingShown = `RollingUpdateType ${rollingType} (${where(get(NS.rollingUpdate, 'RollingUpdateType'))}, with RollingUpdateEnabled ${shown(get(NS.rollingUpdate, 'RollingUpdateEnabled'))})`;
  if (rollingEnabled && single && (rollingType === 'Time' || rollingType === 'Health')) {
    error(
      NS.rollingUpdate,
      'RollingUpdateType',
      `${rollingShown} needs a load-balanced environment, and this one is SingleInstance: Elastic Beanstalk replaces a single instance only with RollingUpdateEnabled false or RollingUpdateType Immutable. Set RollingUpdateEnabled to false, or use a LoadBalanced environment`,
    );
  } else if (rollingEnabled && single && rollingType === 'Immutable') {
    error(
      NS.rollingUpdate,
      'RollingUpdateType',
      `${rollingShown} on a SingleInstance environment is valid in Elastic Beanstalk, but not yet supported by Wharf: a single instance keeps one fixed port, so a second copy cannot start beside it. Set RollingUpdateEnabled to false (the copy is replaced at once)`,
    );
  }
  if (rollingEnabled && rollingType === 'Immutable' && !enhanced) {
    error(NS.rollingUpdate, 'RollingUpdateType', `RollingUpdateType Immutable needs enhanced health reporting: set ${NS.healthReporting} SystemType to enhanced`);
  }
  const minInService = num(NS.rollingUpdate, 'MinInstancesInService');
  if (!single && isSet(NS.rollingUpdate, 'MinInstancesInService') && minInService !== undefined && maxSize !== undefined && minInService >= maxSize) {
    error(
      NS.rollingUpdate,
      'MinInstancesInService',
      `MinInstancesInService (${shown(get(NS.rollingUpdate, 'MinInstancesInService'))}) must be less than ${NS.asg} MaxSize (${shown(get(NS.asg, 'MaxSize'))}), so that a batch can be replaced; lower MinInstancesInService or raise MaxSize`,
    );
  }

  // Instance size: InstanceTypes' first entry wins over the older InstanceType.
  const instanceTypes = valid(NS.ec2Instances, 'InstanceTypes');
  const instanceType = valid(NS.launchConfiguration, 'InstanceType');
  const firstType = instanceTypes?.split(',')[0]?.trim();
  if (instanceType !== undefined && firstType !== undefined && firstType !== instanceType) {
    warning(
      NS.launchConfiguration,
      'InstanceType',
      `InstanceType (${shown(get(NS.launchConfiguration, 'InstanceType'))}) is ignored: ${NS.ec2Instances} InstanceTypes (${shown(get(NS.ec2Instances, 'InstanceTypes'))}) sets the size of each copy with its first entry, ${firstType}. Remove one of them`,
    );
  }

  // Load balancer.
  if (valid(NS.environment, 'LoadBalancerIsShared')?.toLowerCase() === 'true' && (single || loadBalancerType !== 'application')) {
    error(NS.environment, 'LoadBalancerIsShared', `LoadBalancerIsShared needs a load-balanced environment with LoadBalancerType application (it is ${single ? 'SingleInstance' : shown(get(NS.environment, 'LoadBalancerType'))})`);
  }
  if (worker) {
    for (const setting of effective) {
      const aboutLoadBalancer =
        setting.Namespace === NS.process ||
        (setting.Namespace === NS.application && setting.OptionName === 'Application Healthcheck URL') ||
        (setting.Namespace === NS.environment && (setting.OptionName === 'LoadBalancerType' || setting.OptionName === 'LoadBalancerIsShared'));
      if (aboutLoadBalancer && setting.source !== 'default') {
        warning(setting.Namespace, setting.OptionName, `${setting.OptionName} is ignored: a Worker environment has no load balancer. Remove it`);
      }
    }
  }

  // Environment properties: all name=value strings together.
  const properties = effective.filter((setting) => setting.Namespace === NS.environmentProperties);
  const bytes = (setting: EffectiveSetting) => Buffer.byteLength(`${setting.OptionName}=${setting.Value}`, 'utf8');
  const total = properties.reduce((sum, setting) => sum + bytes(setting), 0);
  if (total > ENVIRONMENT_PROPERTY_LIMITS.totalBytes) {
    const largest = properties.reduce((a, b) => (bytes(b) > bytes(a) ? b : a));
    error(
      NS.environmentProperties,
      largest.OptionName,
      `The environment properties take ${total} bytes as name=value strings; Elastic Beanstalk allows ${ENVIRONMENT_PROPERTY_LIMITS.totalBytes} in all. Shorten or remove some (the largest is ${largest.OptionName}, ${bytes(largest)} bytes)`,
    );
  }
  return messages;
}
