/**
 * The effective option settings of an environment, layered as Elastic Beanstalk does (eb-ecs-spec
 * §3.2), highest first:
 *
 *   api           settings applied directly (CreateEnvironment / UpdateEnvironment), less the
 *                 ones OptionsToRemove takes away, which re-exposes the layers below
 *   saved         the saved configuration (template) the environment was made from
 *   ebextensions  `.ebextensions/*.config` of the version, in file order (a later file wins)
 *   default       the catalogue's defaults, some computed from other settings
 *
 * `effectiveSettings` merges the layers and says where each value came from (what
 * DescribeConfigurationSettings shows); `environmentConfig` turns the result into the one frozen,
 * typed object the rest of Wharf reads. Both are pure.
 */
import type { EnvironmentType, OptionSetting, OptionSpecification } from '../../../model/platform.js';
import type { DeploymentPolicyName, RollingUpdateType } from '../../../model/service.js';
import type { HealthThreshold, LoadBalancerType, MeasureName, MetricUnit, Statistic } from './catalogue.js';
import {
  NS,
  OPTION_SPECS,
  checkEnvironmentProperty,
  checkValue,
  configDocumentRules,
  findOption,
  normalizeSetting,
  parseDurationSeconds,
  parseHealthcheckUrl,
  settingKey,
} from './catalogue.js';
import { parseInstanceTypes } from './instance-types.js';
import type { ValidationMessage } from './messages.js';
import { configurationError } from './messages.js';

/** Which layer a value came from. */
export type SettingSource = 'api' | 'saved' | 'ebextensions' | 'default';

/** One option with its effective value. */
export interface EffectiveSetting {
  readonly Namespace: string;
  readonly OptionName: string;
  readonly ResourceName?: string;
  /** '' when no layer set the option and it has no default (e.g. ServiceRole). */
  readonly Value: string;
  readonly source: SettingSource;
  /** For `ebextensions`: the config file it came from, e.g. `.ebextensions/01-scale.config`. */
  readonly file?: string;
}

/** Every option of the catalogue and every setting of any layer, sorted by namespace and name. */
export type EffectiveSettings = readonly EffectiveSetting[];

/** The settings applied directly through the API, and the ones an update takes away. */
export interface ApiLayer {
  readonly OptionSettings?: readonly OptionSetting[];
  readonly OptionsToRemove?: readonly OptionSpecification[];
}

export interface SettingLayers {
  /** The API layer: its settings, or its settings with the OptionsToRemove of an update. */
  readonly api?: readonly OptionSetting[] | ApiLayer;
  readonly saved?: readonly OptionSetting[];
  /** In file order, as `readEbextensions` returns them. */
  readonly ebextensions?: readonly (OptionSetting & { readonly file?: string })[];
}

/**
 * The settings an environment keeps as its API layer after an UpdateEnvironment: the current ones,
 * less `OptionsToRemove`, with `OptionSettings` put over them.
 */
export function applyOptionUpdates(current: readonly OptionSetting[], update: ApiLayer): OptionSetting[] {
  const removed = new Set((update.OptionsToRemove ?? []).map((option) => settingKey(normalizeSetting(option))));
  const result = new Map<string, OptionSetting>();
  for (const setting of current) {
    const normal = normalizeSetting(setting);
    if (!removed.has(settingKey(normal))) result.set(settingKey(normal), normal);
  }
  for (const setting of update.OptionSettings ?? []) {
    const normal = normalizeSetting(setting);
    result.delete(settingKey(normal));
    result.set(settingKey(normal), normal);
  }
  return [...result.values()];
}

/**
 * Merges the layers into the effective settings, each with the layer it came from. Within one
 * layer a later setting of the same option wins (validation refuses such duplicates where they
 * are mistakes). Defaults that depend on other settings are computed here (see `deriveDefaults`).
 */
export function effectiveSettings(layers: SettingLayers): EffectiveSettings {
  const byKey = new Map<string, EffectiveSetting>();
  for (const spec of OPTION_SPECS) {
    const setting: EffectiveSetting = { Namespace: spec.namespace, OptionName: spec.name, Value: spec.default ?? '', source: 'default' };
    byKey.set(settingKey(setting), setting);
  }
  const put = (raw: OptionSetting, source: SettingSource, file?: string) => {
    const setting = normalizeSetting(raw);
    byKey.set(settingKey(setting), {
      Namespace: setting.Namespace,
      OptionName: setting.OptionName,
      ...(setting.ResourceName === undefined ? {} : { ResourceName: setting.ResourceName }),
      Value: setting.Value,
      source,
      ...(file === undefined ? {} : { file }),
    });
  };
  for (const setting of layers.ebextensions ?? []) put(setting, 'ebextensions', setting.file);
  for (const setting of layers.saved ?? []) put(setting, 'saved');
  const api: ApiLayer = isApiLayer(layers.api) ? layers.api : { OptionSettings: layers.api ?? [] };
  const removed = new Set((api.OptionsToRemove ?? []).map((option) => settingKey(normalizeSetting(option))));
  for (const setting of api.OptionSettings ?? []) {
    if (!removed.has(settingKey(normalizeSetting(setting)))) put(setting, 'api');
  }
  deriveDefaults(byKey);
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return Object.freeze(
    [...byKey.values()]
      .sort((a, b) => compare(a.Namespace, b.Namespace) || compare(a.OptionName, b.OptionName) || compare(a.ResourceName ?? '', b.ResourceName ?? ''))
      .map((setting) => Object.freeze(setting)),
  );
}

function isApiLayer(api: SettingLayers['api']): api is ApiLayer {
  return api !== undefined && !Array.isArray(api);
}

/** The effective setting of one option. */
export function findEffective(effective: EffectiveSettings, namespace: string, optionName: string): EffectiveSetting | undefined {
  return effective.find((setting) => setting.Namespace === namespace && setting.OptionName === optionName && setting.ResourceName === undefined);
}

const wholeNumber = (setting: EffectiveSetting | undefined): number | undefined => (setting && /^-?\d+$/.test(setting.Value) ? Number(setting.Value) : undefined);

/**
 * Defaults Elastic Beanstalk computes from other settings, filled in where no layer set the option:
 * - a SingleInstance environment has MinSize = MaxSize = 1;
 * - rolling updates: MaxBatchSize = ceil(MinSize / 3), MinInstancesInService = min(MinSize,
 *   MaxSize - 1), and RollingUpdateEnabled = true once MaxBatchSize, MinInstancesInService or
 *   PauseTime is set;
 * - the trigger keeps BreachDuration = Period × EvaluationPeriods: unset BreachDuration is the
 *   product; a set one adjusts EvaluationPeriods (or else Period) when that one was left at its
 *   default and the division is exact. What cannot be reconciled, validation reports.
 */
function deriveDefaults(byKey: Map<string, EffectiveSetting>): void {
  const key = (namespace: string, name: string) => settingKey({ Namespace: namespace, OptionName: name });
  const get = (namespace: string, name: string) => byKey.get(key(namespace, name));
  const derive = (namespace: string, name: string, value: string) => {
    const current = get(namespace, name);
    if (current?.source === 'default') byKey.set(key(namespace, name), { ...current, Value: value });
  };

  const single = get(NS.environment, 'EnvironmentType')?.Value === 'SingleInstance';
  if (single) {
    derive(NS.asg, 'MinSize', '1');
    derive(NS.asg, 'MaxSize', '1');
  }
  const minSize = single ? 1 : wholeNumber(get(NS.asg, 'MinSize'));
  const maxSize = single ? 1 : wholeNumber(get(NS.asg, 'MaxSize'));
  if (minSize !== undefined && minSize >= 1) derive(NS.rollingUpdate, 'MaxBatchSize', String(Math.ceil(minSize / 3)));
  if (minSize !== undefined && maxSize !== undefined) derive(NS.rollingUpdate, 'MinInstancesInService', String(Math.max(0, Math.min(minSize, maxSize - 1))));
  if (['MaxBatchSize', 'MinInstancesInService', 'PauseTime'].some((name) => get(NS.rollingUpdate, name)?.source !== 'default')) {
    derive(NS.rollingUpdate, 'RollingUpdateEnabled', 'true');
  }

  const periodSetting = get(NS.trigger, 'Period');
  const evaluationSetting = get(NS.trigger, 'EvaluationPeriods');
  const breachSetting = get(NS.trigger, 'BreachDuration');
  const period = wholeNumber(periodSetting);
  const evaluations = wholeNumber(evaluationSetting);
  const breach = wholeNumber(breachSetting);
  if (breachSetting?.source === 'default') {
    if (period !== undefined && evaluations !== undefined) derive(NS.trigger, 'BreachDuration', String(period * evaluations));
  } else if (breach !== undefined) {
    if (evaluationSetting?.source === 'default' && period !== undefined && period > 0 && breach % period === 0) {
      derive(NS.trigger, 'EvaluationPeriods', String(breach / period));
    } else if (periodSetting?.source === 'default' && evaluations !== undefined && evaluations > 0 && breach % evaluations === 0) {
      derive(NS.trigger, 'Period', String(breach / evaluations));
    }
  }
}

/** Everything the rest of Wharf needs from an environment's option settings, typed and frozen. */
export interface EnvironmentConfig {
  /** `aws:elasticbeanstalk:application:environment`: the application's environment variables. */
  readonly environmentVariables: Readonly<Record<string, string>>;
  /**
   * The size of each copy (instance-types.ts): the first of `aws:ec2:instances InstanceTypes`, else
   * `aws:autoscaling:launchconfiguration InstanceType`; undefined when neither is set.
   */
  readonly instanceType?: string;
  /** Copies to run at least and at most (both 1 for a SingleInstance environment). */
  readonly minSize: number;
  readonly maxSize: number;
  readonly cooldownSeconds: number;
  readonly trigger: {
    readonly measureName: MeasureName;
    readonly statistic: Statistic;
    readonly unit: MetricUnit;
    readonly periodMinutes: number;
    readonly evaluationPeriods: number;
    /** Always periodMinutes × evaluationPeriods. */
    readonly breachDurationMinutes: number;
    readonly upperThreshold: number;
    readonly upperBreachScaleIncrement: number;
    readonly lowerThreshold: number;
    readonly lowerBreachScaleIncrement: number;
  };
  readonly environmentType: EnvironmentType;
  readonly loadBalancerType: LoadBalancerType;
  readonly loadBalancerIsShared: boolean;
  readonly serviceRole?: string;
  /** The default process's target group: health checks and draining. */
  readonly process: {
    /** The process HealthCheckPath, or the path of `Application Healthcheck URL` when it has one. */
    readonly healthCheckPath: string;
    readonly port: number;
    readonly matcherHttpCode: string;
    readonly healthCheckIntervalSeconds: number;
    readonly healthCheckTimeoutSeconds: number;
    readonly healthyThresholdCount: number;
    readonly unhealthyThresholdCount: number;
    readonly deregistrationDelaySeconds: number;
  };
  /** `aws:elasticbeanstalk:application Application Healthcheck URL` as given, when set. */
  readonly applicationHealthcheckUrl?: string;
  readonly healthReporting: {
    readonly systemType: 'basic' | 'enhanced';
    readonly healthCheckSuccessThreshold: HealthThreshold;
    /** From ConfigDocument rules: whether application / load balancer 4xx answers are not failures. */
    readonly ignoreApplication4xx: boolean;
    readonly ignoreLoadBalancer4xx: boolean;
  };
  readonly command: {
    readonly deploymentPolicy: DeploymentPolicyName;
    readonly batchSizeType: 'Percentage' | 'Fixed';
    readonly batchSize: number;
    /** As set (default 600); Elastic Beanstalk itself waits 240 seconds more. */
    readonly timeoutSeconds: number;
    readonly ignoreHealthCheck: boolean;
    /** Wharf's own option (default true): a failed deployment goes back to the previous version. */
    readonly rollbackOnFailure: boolean;
  };
  readonly trafficSplitting: {
    readonly newVersionPercent: number;
    /** May have a fraction. */
    readonly evaluationTimeMinutes: number;
    /** Wharf's options: how much worse than the old version the new one may do while evaluated. */
    readonly errorRateMarginPoints: number;
    readonly latencyMarginPercent: number;
  };
  readonly rollingUpdate: {
    readonly enabled: boolean;
    readonly type: Exclude<RollingUpdateType, 'Disabled'>;
    readonly maxBatchSize: number;
    readonly minInstancesInService: number;
    /** Time-based updates; 0 when PauseTime is unset (EB computes one from the instance type and platform; Wharf does not pause). */
    readonly pauseTimeSeconds: number;
    readonly timeoutSeconds: number;
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The typed configuration of effective settings. Settings are validated before they are kept, so
 * this finds nothing wrong; if it does (a record older than a rule), it throws
 * WHARF_E_INVALID_CONFIGURATION naming each bad setting rather than guess.
 */
export function environmentConfig(effective: EffectiveSettings): EnvironmentConfig {
  const problems: ValidationMessage[] = [];
  const text = (namespace: string, name: string): string => {
    const spec = findOption(namespace, name);
    const value = findEffective(effective, namespace, name)?.Value ?? spec?.default ?? '';
    if (spec === undefined) throw new Error(`environmentConfig: ${namespace} ${name} is not in the catalogue`);
    if (value === '' && spec.rule.type !== 'text') {
      problems.push({ Severity: 'error', Namespace: namespace, OptionName: name, Message: `${name} has no value; set it` });
      return '';
    }
    const problem = checkValue(spec, value);
    if (problem) problems.push({ Severity: 'error', Namespace: namespace, OptionName: name, Message: problem });
    return value;
  };
  const optionalText = (namespace: string, name: string): string | undefined => {
    const value = findEffective(effective, namespace, name)?.Value ?? '';
    return value === '' ? undefined : text(namespace, name);
  };
  const number = (namespace: string, name: string): number => Number(text(namespace, name));
  const flag = (namespace: string, name: string): boolean => text(namespace, name).toLowerCase() === 'true';
  const duration = (namespace: string, name: string): number => parseDurationSeconds(text(namespace, name)) ?? 0;

  const environmentVariables: Record<string, string> = {};
  for (const setting of effective) {
    if (setting.Namespace !== NS.environmentProperties) continue;
    const problem = checkEnvironmentProperty(setting.OptionName, setting.Value);
    if (problem) problems.push({ Severity: 'error', Namespace: setting.Namespace, OptionName: setting.OptionName, Message: problem });
    Object.defineProperty(environmentVariables, setting.OptionName, { value: setting.Value, enumerable: true });
  }

  const environmentType = text(NS.environment, 'EnvironmentType') as EnvironmentType;
  const single = environmentType === 'SingleInstance';
  const healthcheckUrl = optionalText(NS.application, 'Application Healthcheck URL');
  const healthcheckPath = healthcheckUrl === undefined ? undefined : parseHealthcheckUrl(healthcheckUrl)?.path;
  const serviceRole = optionalText(NS.environment, 'ServiceRole');
  const pauseTime = optionalText(NS.rollingUpdate, 'PauseTime');
  const configDocument = optionalText(NS.healthReporting, 'ConfigDocument');
  const instanceType = parseInstanceTypes(optionalText(NS.ec2Instances, 'InstanceTypes') ?? '')[0] ?? optionalText(NS.launchConfiguration, 'InstanceType');

  const config: EnvironmentConfig = {
    environmentVariables,
    ...(instanceType === undefined ? {} : { instanceType }),
    minSize: single ? 1 : number(NS.asg, 'MinSize'),
    maxSize: single ? 1 : number(NS.asg, 'MaxSize'),
    cooldownSeconds: number(NS.asg, 'Cooldown'),
    trigger: {
      measureName: text(NS.trigger, 'MeasureName') as MeasureName,
      statistic: text(NS.trigger, 'Statistic') as Statistic,
      unit: text(NS.trigger, 'Unit') as MetricUnit,
      periodMinutes: number(NS.trigger, 'Period'),
      evaluationPeriods: number(NS.trigger, 'EvaluationPeriods'),
      breachDurationMinutes: number(NS.trigger, 'BreachDuration'),
      upperThreshold: number(NS.trigger, 'UpperThreshold'),
      upperBreachScaleIncrement: number(NS.trigger, 'UpperBreachScaleIncrement'),
      lowerThreshold: number(NS.trigger, 'LowerThreshold'),
      lowerBreachScaleIncrement: number(NS.trigger, 'LowerBreachScaleIncrement'),
    },
    environmentType,
    loadBalancerType: text(NS.environment, 'LoadBalancerType') as LoadBalancerType,
    loadBalancerIsShared: flag(NS.environment, 'LoadBalancerIsShared'),
    ...(serviceRole === undefined ? {} : { serviceRole }),
    process: {
      healthCheckPath: healthcheckPath ?? text(NS.process, 'HealthCheckPath'),
      port: number(NS.process, 'Port'),
      matcherHttpCode: text(NS.process, 'MatcherHTTPCode'),
      healthCheckIntervalSeconds: number(NS.process, 'HealthCheckInterval'),
      healthCheckTimeoutSeconds: number(NS.process, 'HealthCheckTimeout'),
      healthyThresholdCount: number(NS.process, 'HealthyThresholdCount'),
      unhealthyThresholdCount: number(NS.process, 'UnhealthyThresholdCount'),
      deregistrationDelaySeconds: number(NS.process, 'DeregistrationDelay'),
    },
    ...(healthcheckUrl === undefined ? {} : { applicationHealthcheckUrl: healthcheckUrl }),
    healthReporting: {
      systemType: text(NS.healthReporting, 'SystemType') as 'basic' | 'enhanced',
      healthCheckSuccessThreshold: text(NS.healthReporting, 'HealthCheckSuccessThreshold') as HealthThreshold,
      ...configDocumentRules(configDocument),
    },
    command: {
      deploymentPolicy: text(NS.command, 'DeploymentPolicy') as DeploymentPolicyName,
      batchSizeType: text(NS.command, 'BatchSizeType') as 'Percentage' | 'Fixed',
      batchSize: number(NS.command, 'BatchSize'),
      timeoutSeconds: number(NS.command, 'Timeout'),
      ignoreHealthCheck: flag(NS.command, 'IgnoreHealthCheck'),
      rollbackOnFailure: flag(NS.command, 'RollbackOnFailure'),
    },
    trafficSplitting: {
      newVersionPercent: number(NS.trafficSplitting, 'NewVersionPercent'),
      evaluationTimeMinutes: number(NS.trafficSplitting, 'EvaluationTime'),
      errorRateMarginPoints: number(NS.trafficSplitting, 'ErrorRateMargin'),
      latencyMarginPercent: number(NS.trafficSplitting, 'LatencyMargin'),
    },
    rollingUpdate: {
      enabled: flag(NS.rollingUpdate, 'RollingUpdateEnabled'),
      type: text(NS.rollingUpdate, 'RollingUpdateType') as Exclude<RollingUpdateType, 'Disabled'>,
      maxBatchSize: number(NS.rollingUpdate, 'MaxBatchSize'),
      minInstancesInService: number(NS.rollingUpdate, 'MinInstancesInService'),
      pauseTimeSeconds: pauseTime === undefined ? 0 : (parseDurationSeconds(pauseTime) ?? 0),
      timeoutSeconds: duration(NS.rollingUpdate, 'Timeout'),
    },
  };
  if (problems.length > 0) throw configurationError(problems);
  return deepFreeze(config);
}
