/**
 * The option catalogue: every Elastic Beanstalk option setting Wharf acts on, with Elastic
 * Beanstalk's names, defaults, value types and ranges (eb-ecs-spec §1, §2.2, §5, §6). It is the one
 * source for three things: DescribeConfigurationOptions (`describeConfigurationOptions`), the
 * per-value checks of validation (`checkValue`, `checkEnvironmentProperty`), and the defaults that
 * `resolve.ts` fills in below every other layer.
 *
 * Options Elastic Beanstalk has but Wharf does not act on yet are listed too
 * (`notYetSupportedReason`), so a setting for them is refused with a reason instead of being
 * called unknown or, worse, dropped.
 */
import type { OptionSetting } from '../../../model/platform.js';
import { parseMatcherCodes } from '../../../model/routing.js';
import { DEPLOYMENT_POLICIES, MAX_TASKS_PER_SERVICE, ROLLING_UPDATE_TYPES } from '../../../model/service.js';
import { checkInstanceType, checkInstanceTypes } from './instance-types.js';

/** The namespaces of the catalogue. */
export const NS = {
  asg: 'aws:autoscaling:asg',
  launchConfiguration: 'aws:autoscaling:launchconfiguration',
  trigger: 'aws:autoscaling:trigger',
  rollingUpdate: 'aws:autoscaling:updatepolicy:rollingupdate',
  application: 'aws:elasticbeanstalk:application',
  environmentProperties: 'aws:elasticbeanstalk:application:environment',
  command: 'aws:elasticbeanstalk:command',
  environment: 'aws:elasticbeanstalk:environment',
  process: 'aws:elasticbeanstalk:environment:process:default',
  healthReporting: 'aws:elasticbeanstalk:healthreporting:system',
  trafficSplitting: 'aws:elasticbeanstalk:trafficsplitting',
  ec2Instances: 'aws:ec2:instances',
} as const;

/** How a change to the option affects a running environment (EB's `ChangeSeverity`). */
export type ChangeSeverity = 'NoInterruption' | 'RestartApplicationServer' | 'RestartEnvironment' | 'Unknown';

/** EB's `ConfigurationOptionValueType`, plus the `Boolean` its responses use. */
export type ValueType = 'Scalar' | 'List' | 'Boolean';

/** One option as DescribeConfigurationOptions returns it (EB's `ConfigurationOptionDescription`). */
export interface ConfigurationOptionDescription {
  readonly Namespace: string;
  readonly Name: string;
  readonly DefaultValue?: string;
  readonly ChangeSeverity: ChangeSeverity;
  readonly UserDefined: boolean;
  readonly ValueType: ValueType;
  readonly ValueOptions?: readonly string[];
  readonly MinValue?: number;
  readonly MaxValue?: number;
  readonly MaxLength?: number;
  readonly Regex?: { readonly Pattern: string; readonly Label: string };
}

/** What values an option takes. */
export type OptionValueRule =
  | { readonly type: 'integer'; readonly min: number; readonly max: number; readonly unit?: string }
  /** A number that may have a fraction, e.g. `4.5`. */
  | { readonly type: 'decimal'; readonly min: number; readonly max: number; readonly unit?: string }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  /** An ISO-8601 duration of hours, minutes and seconds (`PT1H30M`), bounds in seconds. */
  | { readonly type: 'duration'; readonly min: number; readonly max: number; readonly example: string }
  /** Free text; `check` returns what is wrong with a value, if anything. */
  | { readonly type: 'text'; readonly maxLength?: number; readonly pattern?: RegExp; readonly label: string; readonly check?: (value: string) => string | undefined };

/** One option of the catalogue. */
export interface OptionSpec {
  readonly namespace: string;
  readonly name: string;
  readonly rule: OptionValueRule;
  /** EB's default; absent when there is none or it is computed from other settings (`computedDefault`). */
  readonly default?: string;
  /** How the default is computed when it depends on other settings (resolve.ts computes it). */
  readonly computedDefault?: string;
  readonly severity: ChangeSeverity;
  /** Values Elastic Beanstalk accepts that Wharf refuses for now, each with the reason and the fix. */
  readonly unsupportedValues?: Readonly<Record<string, string>>;
  /**
   * For a number whose Elastic Beanstalk range goes past the rule's: EB's largest value and why
   * Wharf stops lower, so a value in between is refused as valid in EB but not here, with the reason.
   */
  readonly elasticBeanstalkMax?: { readonly max: number; readonly reason: string };
  /**
   * What values the option takes, for messages, when its rule alone says less than the truth (the
   * rule holds on its own; a rule between settings narrows it).
   */
  readonly valuesHint?: string;
  /** True for Wharf's own options (Elastic Beanstalk has no such option). */
  readonly wharf?: true;
  readonly description: string;
}

/** Elastic Beanstalk's limits on environment properties (`aws:elasticbeanstalk:application:environment`). */
export const ENVIRONMENT_PROPERTY_LIMITS = {
  nameLength: 128,
  valueLength: 256,
  /** All `name=value` strings together, UTF-8 bytes. */
  totalBytes: 4096,
  namePattern: /^[\p{L}\p{N}_.:/+\\\-@]+$/u,
  nameLabel: 'letters, digits and _ . : / + \\ - @',
  valuePattern: /^[\p{L}\p{N}\s_.:/=+\\\-@'"]*$/u,
  valueLabel: 'letters, digits, white space and _ . : / = + \\ - @ \' "',
} as const;

const HEALTH_THRESHOLDS = ['Ok', 'Warning', 'Degraded', 'Severe'] as const;
export type HealthThreshold = (typeof HEALTH_THRESHOLDS)[number];
const LOAD_BALANCER_TYPES = ['classic', 'application', 'network'] as const;
export type LoadBalancerType = (typeof LOAD_BALANCER_TYPES)[number];
const MEASURE_NAMES = [
  'CPUUtilization', 'NetworkIn', 'NetworkOut', 'DiskWriteOps', 'DiskReadBytes', 'DiskReadOps', 'DiskWriteBytes',
  'Latency', 'RequestCount', 'HealthyHostCount', 'UnhealthyHostCount', 'TargetResponseTime',
] as const;
export type MeasureName = (typeof MEASURE_NAMES)[number];
const STATISTICS = ['Minimum', 'Maximum', 'Sum', 'Average'] as const;
export type Statistic = (typeof STATISTICS)[number];
const UNITS = ['Seconds', 'Percent', 'Bytes', 'Bits', 'Count', 'Bytes/Second', 'Bits/Second', 'Count/Second', 'None'] as const;
export type MetricUnit = (typeof UNITS)[number];

/** A health check path as the router takes it (src/model/routing.ts). */
const HEALTH_CHECK_PATH = /^\/[^\s#]*$/;

/**
 * `Application Healthcheck URL` taken apart: `/health`, `HTTP:80/health`, `HTTPS:443/health`,
 * `TCP`, `TCP:80` or `SSL`. Undefined when it is none of these.
 */
export function parseHealthcheckUrl(value: string): { protocol: 'HTTP' | 'HTTPS' | 'TCP' | 'SSL'; port?: number; path?: string } | undefined {
  const match = /^(?:(HTTP|HTTPS|TCP|SSL)(?::(\d{1,5}))?)?(\/[^\s#]*)?$/.exec(value);
  if (!match || value === '') return undefined;
  const [, protocol, port, path] = match;
  if (path !== undefined && (protocol === 'TCP' || protocol === 'SSL')) return undefined;
  if (path === undefined && (protocol === undefined || protocol === 'HTTP' || protocol === 'HTTPS')) return undefined;
  const portNumber = port === undefined ? undefined : Number(port);
  if (portNumber !== undefined && (portNumber < 1 || portNumber > 65535)) return undefined;
  return {
    protocol: (protocol ?? 'HTTP') as 'HTTP' | 'HTTPS' | 'TCP' | 'SSL',
    ...(portNumber === undefined ? {} : { port: portNumber }),
    ...(path === undefined ? {} : { path }),
  };
}

/** Seconds in an ISO-8601 duration of hours, minutes and seconds (`PT1H5M30S`); undefined if malformed. */
export function parseDurationSeconds(value: string): number | undefined {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(value);
  if (!match || value === 'PT') return undefined;
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

function checkHealthcheckUrl(value: string): string | undefined {
  if (value === '') return undefined;
  const url = parseHealthcheckUrl(value);
  if (!url) return `Application Healthcheck URL must be a path such as /health (or HTTP:80/health); got '${value}'`;
  if (url.protocol !== 'HTTP') {
    return `Application Healthcheck URL '${value}' is valid in Elastic Beanstalk, but not yet supported by Wharf: the router checks health with HTTP requests. Give a path such as /health`;
  }
  return undefined;
}

function checkConfigDocument(value: string): string | undefined {
  let document: unknown;
  try {
    document = JSON.parse(value);
  } catch {
    return 'ConfigDocument must be a JSON object, e.g. {"Version":1,"Rules":{"Environment":{"Application":{"ApplicationRequests4xx":{"Enabled":false}}}}}';
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return 'ConfigDocument must be a JSON object';
  const { CloudWatchMetrics: metrics, ...rest } = document as Record<string, unknown>;
  const unknown = Object.keys(rest).filter((key) => key !== 'Version' && key !== 'Rules');
  if (unknown.length > 0) return `ConfigDocument has unknown keys (${unknown.join(', ')}); it takes Version, Rules and CloudWatchMetrics`;
  if (metrics !== undefined && !(typeof metrics === 'object' && metrics !== null && Object.keys(metrics).length === 0)) {
    return 'ConfigDocument CloudWatchMetrics are valid in Elastic Beanstalk, but not yet supported by Wharf: it publishes no CloudWatch metrics (its own metrics are on /metrics). Remove CloudWatchMetrics';
  }
  return undefined;
}

/**
 * The rules of a health ConfigDocument Wharf acts on: whether 4xx answers of the application and
 * of the load balancer count as failures (both do unless a rule disables them).
 */
export function configDocumentRules(value: string | undefined): { ignoreApplication4xx: boolean; ignoreLoadBalancer4xx: boolean } {
  let rules: unknown;
  try {
    rules = value === undefined ? undefined : (JSON.parse(value) as { Rules?: unknown }).Rules;
  } catch {
    rules = undefined;
  }
  const enabled = (path: string[]): boolean => {
    let node: unknown = rules;
    for (const key of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    return node !== false;
  };
  return {
    ignoreApplication4xx: !enabled(['Environment', 'Application', 'ApplicationRequests4xx', 'Enabled']),
    ignoreLoadBalancer4xx: !enabled(['Environment', 'ELB', 'ELBRequests4xx', 'Enabled']),
  };
}

const int = (min: number, max: number, unit?: string): OptionValueRule => ({ type: 'integer', min, max, ...(unit ? { unit } : {}) });

/**
 * MinSize and MaxSize: EB allows up to 10000 instances, but an environment runs as one ECS service,
 * whose tasks ECS's quota "Tasks per service" bounds (MAX_TASKS_PER_SERVICE).
 */
const ASG_SIZE_LIMIT = {
  rule: int(1, MAX_TASKS_PER_SERVICE),
  elasticBeanstalkMax: {
    max: 10000,
    reason: `an environment runs as one ECS service, whose tasks ECS's quota "Tasks per service" bounds at ${MAX_TASKS_PER_SERVICE.toLocaleString('en')}`,
  },
} as const;
const bool: OptionValueRule = { type: 'boolean' };
const oneOf = (values: readonly string[]): OptionValueRule => ({ type: 'enum', values });

/** Every option Wharf acts on. Defaults are Elastic Beanstalk's API defaults. */
export const OPTION_SPECS: readonly OptionSpec[] = [
  // aws:autoscaling:asg
  { namespace: NS.asg, name: 'MinSize', ...ASG_SIZE_LIMIT, default: '1', severity: 'NoInterruption', description: 'Fewest copies (tasks) of the environment; a SingleInstance environment always has 1.' },
  { namespace: NS.asg, name: 'MaxSize', ...ASG_SIZE_LIMIT, default: '4', severity: 'NoInterruption', description: 'Most copies (tasks) auto scaling may run.' },
  { namespace: NS.asg, name: 'Cooldown', rule: int(0, 10000, 'seconds'), default: '360', severity: 'NoInterruption', description: 'Seconds between scaling activities.' },

  // aws:autoscaling:launchconfiguration (the other options of the namespace: NOT_YET_SUPPORTED_OPTIONS)
  {
    namespace: NS.launchConfiguration, name: 'InstanceType', severity: 'RestartEnvironment',
    rule: { type: 'text', maxLength: 64, label: 'an EC2 instance type such as t3.micro', check: (value) => checkInstanceType('InstanceType', value) },
    computedDefault: 'unset: each copy reserves 128 MiB of memory and no CPU',
    valuesHint: 'an EC2 instance type Wharf knows: t3 or t4g nano to 2xlarge, m5, m6i, c5 or r5 large to 4xlarge',
    description:
      "The size of each copy: its task reserves the type's vCPUs × 1024 CPU units and its memory on a host (t3.micro: 2048 units, 1024 MiB). A change replaces every copy, " +
      'as aws:autoscaling:updatepolicy:rollingupdate says (not as the deployment policy). aws:ec2:instances InstanceTypes, when set, wins over it.',
  },

  // aws:autoscaling:trigger
  { namespace: NS.trigger, name: 'MeasureName', rule: oneOf(MEASURE_NAMES), default: 'NetworkOut', severity: 'NoInterruption', description: 'The metric the scaling trigger watches.' },
  { namespace: NS.trigger, name: 'Statistic', rule: oneOf(STATISTICS), default: 'Average', severity: 'NoInterruption', description: 'How the metric is aggregated over a period.' },
  { namespace: NS.trigger, name: 'Unit', rule: oneOf(UNITS), default: 'Bytes', severity: 'NoInterruption', description: 'The unit of the thresholds.' },
  { namespace: NS.trigger, name: 'Period', rule: int(1, 600, 'minutes'), default: '5', severity: 'NoInterruption', description: 'Minutes per metric period.' },
  { namespace: NS.trigger, name: 'EvaluationPeriods', rule: int(1, 600), default: '1', severity: 'NoInterruption', description: 'Consecutive periods a breach must last.' },
  {
    namespace: NS.trigger, name: 'BreachDuration', rule: int(1, 600, 'minutes'), default: '5', severity: 'NoInterruption',
    computedDefault: 'Period × EvaluationPeriods; when BreachDuration is set, the one of Period and EvaluationPeriods left at its default is adjusted to keep BreachDuration = Period × EvaluationPeriods',
    description: 'Minutes the metric must be beyond a threshold before the trigger fires; always Period × EvaluationPeriods.',
  },
  { namespace: NS.trigger, name: 'UpperThreshold', rule: { type: 'decimal', min: 0, max: 20_000_000 }, default: '6000000', severity: 'NoInterruption', description: 'Above this, scale out.' },
  { namespace: NS.trigger, name: 'UpperBreachScaleIncrement', rule: int(-10000, 10000), default: '1', severity: 'NoInterruption', description: 'Copies to add when above UpperThreshold.' },
  { namespace: NS.trigger, name: 'LowerThreshold', rule: { type: 'decimal', min: 0, max: 20_000_000 }, default: '2000000', severity: 'NoInterruption', description: 'Below this, scale in.' },
  { namespace: NS.trigger, name: 'LowerBreachScaleIncrement', rule: int(-10000, 10000), default: '-1', severity: 'NoInterruption', description: 'Copies to add (negative: remove) when below LowerThreshold.' },

  // aws:autoscaling:updatepolicy:rollingupdate
  {
    namespace: NS.rollingUpdate, name: 'RollingUpdateEnabled', rule: bool, default: 'false', severity: 'NoInterruption',
    computedDefault: 'true when MaxBatchSize, MinInstancesInService or PauseTime is set',
    description:
      'Replace copies in batches when a configuration change needs new ones (in Wharf: a new instance size, launchconfiguration InstanceType or ec2:instances InstanceTypes, ' +
      'even when a new version brings it); false replaces all at once. A new version or new environment variables alone follow aws:elasticbeanstalk:command DeploymentPolicy.',
  },
  {
    namespace: NS.rollingUpdate, name: 'RollingUpdateType', rule: oneOf(ROLLING_UPDATE_TYPES), default: 'Time', severity: 'NoInterruption',
    description:
      'Time: batches of new copies, each held PauseTime once healthy before the next; Health: the same without the pause; Immutable: a full new set beside the old one, then the old one stops. ' +
      'A SingleInstance environment takes only RollingUpdateEnabled false.',
  },
  {
    namespace: NS.rollingUpdate, name: 'MaxBatchSize', rule: int(1, 10000), computedDefault: 'ceil(MinSize / 3)', severity: 'NoInterruption',
    description: 'Copies replaced per batch (Time and Health): fewer when MinInstancesInService would not otherwise stay in service, and at least one.',
  },
  {
    namespace: NS.rollingUpdate, name: 'MinInstancesInService', rule: int(0, 9999), computedDefault: 'min(MinSize, MaxSize - 1)', severity: 'NoInterruption',
    description: 'Copies kept in service while a batch is replaced; less than MaxSize. When it leaves no room for a batch, the batch starts before its old copies stop.',
  },
  {
    namespace: NS.rollingUpdate, name: 'PauseTime', rule: { type: 'duration', min: 0, max: 3600, example: 'PT1M' }, severity: 'NoInterruption',
    computedDefault: 'Elastic Beanstalk computes it from the instance type and platform; Wharf does not pause unless it is set (PT0S)',
    description: 'Time-based updates: how long each batch of new copies keeps running, once healthy, before the next batch starts.',
  },
  {
    namespace: NS.rollingUpdate, name: 'Timeout', rule: { type: 'duration', min: 300, max: 3600, example: 'PT30M' }, default: 'PT30M', severity: 'NoInterruption',
    description: 'Health-based updates: how long a batch may take to become healthy. Checked, not acted on yet: the whole update must finish within aws:elasticbeanstalk:command Timeout.',
  },

  // aws:ec2:instances (the other options of the namespace: NOT_YET_SUPPORTED_OPTIONS)
  {
    namespace: NS.ec2Instances, name: 'InstanceTypes', severity: 'RestartEnvironment',
    rule: { type: 'text', maxLength: 1024, label: 'instance types separated by commas, such as t3.micro,t3.small', check: checkInstanceTypes },
    description:
      'Instance types, separated by commas (1 to 10). The first is the size of each copy, as launchconfiguration InstanceType (which it wins over); Wharf launches no ' +
      'instances, so the others are only checked. A change of the first replaces every copy, as aws:autoscaling:updatepolicy:rollingupdate says.',
  },

  // aws:elasticbeanstalk:application
  {
    namespace: NS.application, name: 'Application Healthcheck URL', severity: 'NoInterruption',
    rule: {
      type: 'text', maxLength: 1024, label: 'a path such as /health, or HTTP:80/health',
      check: checkHealthcheckUrl,
    },
    description: 'The health check: a path overrides the default process HealthCheckPath. Unset or empty: the process settings apply.',
  },

  // aws:elasticbeanstalk:command
  { namespace: NS.command, name: 'DeploymentPolicy', rule: oneOf(DEPLOYMENT_POLICIES), default: 'AllAtOnce', severity: 'NoInterruption', description: 'How a new version is deployed.' },
  { namespace: NS.command, name: 'Timeout', rule: int(1, 3600, 'seconds'), default: '600', severity: 'NoInterruption', description: 'Seconds a deployment (each batch) may take to become healthy. Elastic Beanstalk adds 240 seconds of its own.' },
  { namespace: NS.command, name: 'BatchSizeType', rule: oneOf(['Percentage', 'Fixed']), default: 'Percentage', severity: 'NoInterruption', description: 'Whether BatchSize is a percentage of the copies or a number of them.' },
  {
    namespace: NS.command, name: 'BatchSize', rule: int(1, 10000), default: '100', severity: 'NoInterruption',
    valuesHint: `a whole number from 1 to 100 when BatchSizeType is Percentage, or from 1 to MaxSize (${NS.asg}) when it is Fixed`,
    description: 'Copies per batch of a Rolling deployment: 1-100 (Percentage) or 1-MaxSize (Fixed).',
  },
  { namespace: NS.command, name: 'IgnoreHealthCheck', rule: bool, default: 'false', severity: 'NoInterruption', description: 'Go on with the next batch even when a batch is not healthy within Timeout.' },
  {
    namespace: NS.command, name: 'RollbackOnFailure', rule: bool, default: 'true', severity: 'NoInterruption', wharf: true,
    description: "Wharf's own option, not Elastic Beanstalk's: when a deployment fails, go back to the previous version everywhere. Set false for Elastic Beanstalk's behaviour (a failed Rolling deployment leaves completed batches on the new version).",
  },

  // aws:elasticbeanstalk:environment
  { namespace: NS.environment, name: 'EnvironmentType', rule: oneOf(['LoadBalanced', 'SingleInstance']), default: 'LoadBalanced', severity: 'RestartEnvironment', description: 'LoadBalanced: copies behind the router; SingleInstance: one copy on a fixed port.' },
  {
    namespace: NS.environment, name: 'LoadBalancerType', rule: oneOf(LOAD_BALANCER_TYPES), default: 'classic', severity: 'RestartEnvironment',
    unsupportedValues: { network: "Wharf's router balances HTTP, not TCP. Use application (or leave the default)" },
    description: "The kind of load balancer; Wharf's router serves classic and application alike.",
  },
  {
    namespace: NS.environment, name: 'ServiceRole', severity: 'NoInterruption',
    rule: { type: 'text', maxLength: 2048, pattern: /^[\w+=,.@/:-]+$/, label: 'a role name, path/name or ARN' },
    description: 'The service role; kept and shown, Wharf has no IAM roles.',
  },
  { namespace: NS.environment, name: 'LoadBalancerIsShared', rule: bool, default: 'false', severity: 'RestartEnvironment', description: 'Use a shared application load balancer (every Wharf environment shares the router).' },

  // aws:elasticbeanstalk:environment:process:default
  { namespace: NS.process, name: 'DeregistrationDelay', rule: int(0, 3600, 'seconds'), default: '20', severity: 'NoInterruption', description: 'Seconds a deregistered copy keeps serving its open requests.' },
  { namespace: NS.process, name: 'HealthCheckInterval', rule: int(5, 300, 'seconds'), default: '15', severity: 'NoInterruption', description: 'Seconds between health checks.' },
  {
    namespace: NS.process, name: 'HealthCheckPath', default: '/', severity: 'NoInterruption',
    rule: { type: 'text', maxLength: 1024, pattern: HEALTH_CHECK_PATH, label: 'a path that starts with / and has no spaces, such as /health' },
    description: 'The path health checks request.',
  },
  { namespace: NS.process, name: 'HealthCheckTimeout', rule: int(1, 60, 'seconds'), default: '5', severity: 'NoInterruption', description: 'Seconds a health check may take; less than HealthCheckInterval.' },
  { namespace: NS.process, name: 'HealthyThresholdCount', rule: int(2, 10), default: '3', severity: 'NoInterruption', description: 'Passing checks in a row before a copy is healthy.' },
  { namespace: NS.process, name: 'UnhealthyThresholdCount', rule: int(2, 10), default: '5', severity: 'NoInterruption', description: 'Failing checks in a row before a copy is unhealthy.' },
  {
    namespace: NS.process, name: 'MatcherHTTPCode', default: '200', severity: 'NoInterruption',
    rule: {
      type: 'text', maxLength: 1024, label: 'status codes from 200 to 499 as "200", "200-299" or "200,302"',
      check: (value) => (parseMatcherCodes(value) ? undefined : `MatcherHTTPCode must be status codes from 200 to 499 as "200", "200-299" or "200,302"; got '${value}'`),
    },
    description: 'The status codes a healthy copy answers health checks with.',
  },
  { namespace: NS.process, name: 'Port', rule: int(1, 65535), default: '80', severity: 'NoInterruption', description: 'The port the process listens on.' },
  {
    namespace: NS.process, name: 'Protocol', rule: oneOf(['TCP', 'HTTP', 'HTTPS']), default: 'HTTP', severity: 'NoInterruption',
    unsupportedValues: {
      HTTPS: "the router speaks plain HTTP to the application (it is on the same hosts). Use HTTP",
      TCP: "TCP needs a network load balancer, and Wharf's router balances HTTP. Use HTTP",
    },
    description: 'The protocol between the load balancer and the process.',
  },
  {
    namespace: NS.process, name: 'StickinessEnabled', rule: bool, default: 'false', severity: 'NoInterruption',
    unsupportedValues: { true: 'the router does not pin clients to a copy. Keep session state outside the process (a database or cache), and leave StickinessEnabled false' },
    description: 'Sticky sessions (a load balancer cookie).',
  },
  { namespace: NS.process, name: 'StickinessLBCookieDuration', rule: int(1, 604800, 'seconds'), default: '86400', severity: 'NoInterruption', description: 'Seconds a stickiness cookie lasts.' },
  { namespace: NS.process, name: 'StickinessType', rule: oneOf(['lb_cookie']), default: 'lb_cookie', severity: 'NoInterruption', description: 'The kind of stickiness cookie.' },

  // aws:elasticbeanstalk:healthreporting:system
  { namespace: NS.healthReporting, name: 'SystemType', rule: oneOf(['basic', 'enhanced']), default: 'basic', severity: 'NoInterruption', description: 'basic: a colour from health checks; enhanced: statuses with causes.' },
  { namespace: NS.healthReporting, name: 'HealthCheckSuccessThreshold', rule: oneOf(HEALTH_THRESHOLDS), default: 'Ok', severity: 'NoInterruption', description: 'The worst health a copy may have and still pass a deployment.' },
  { namespace: NS.healthReporting, name: 'EnhancedHealthAuthEnabled', rule: bool, default: 'true', severity: 'NoInterruption', description: 'Authorise health reports from copies (Wharf agents always authenticate).' },
  {
    namespace: NS.healthReporting, name: 'ConfigDocument', severity: 'NoInterruption',
    rule: { type: 'text', maxLength: 4096, label: 'a JSON object with Version and Rules', check: checkConfigDocument },
    description: 'Enhanced health rules: Rules.Environment.Application.ApplicationRequests4xx.Enabled and Rules.Environment.ELB.ELBRequests4xx.Enabled.',
  },

  // aws:elasticbeanstalk:trafficsplitting
  { namespace: NS.trafficSplitting, name: 'NewVersionPercent', rule: int(1, 100, 'percent'), default: '10', severity: 'NoInterruption', description: 'Share of requests the new version gets while it is evaluated.' },
  {
    namespace: NS.trafficSplitting, name: 'EvaluationTime', rule: { type: 'decimal', min: 0.05, max: 600, unit: 'minutes' }, default: '5', severity: 'NoInterruption',
    description:
      'Minutes to watch the new version before moving all traffic to it, from 0.05 (3 seconds) to 600; fractions allowed. ' +
      'A Wharf departure: Elastic Beanstalk takes 3 to 600 whole minutes; Wharf also takes shorter, fractional times, so that a canary can be short (in tests, say).',
  },
  {
    namespace: NS.trafficSplitting, name: 'ErrorRateMargin', rule: { type: 'decimal', min: 0, max: 100, unit: 'percentage points' }, default: '1', severity: 'NoInterruption', wharf: true,
    description: "Wharf's own option: during the evaluation, the new version's share of 5xx answers may exceed the old version's (same window) by this many points; beyond, traffic returns to the old version and the new instances go.",
  },
  {
    namespace: NS.trafficSplitting, name: 'LatencyMargin', rule: { type: 'decimal', min: 0, max: 10_000, unit: 'percent' }, default: '100', severity: 'NoInterruption', wharf: true,
    description: "Wharf's own option: during the evaluation, the new version's mean latency may exceed the old version's (same window) by this many percent (and by 5 ms at least); beyond, traffic returns to the old version.",
  },
];

const SPECS_BY_KEY = new Map(OPTION_SPECS.map((spec) => [`${spec.namespace}\u0000${spec.name}`, spec]));
const NAMESPACES = new Set<string>([...OPTION_SPECS.map((spec) => spec.namespace), NS.environmentProperties]);

/** The catalogue's entry for an option, if Wharf acts on it. */
export function findOption(namespace: string, name: string): OptionSpec | undefined {
  return SPECS_BY_KEY.get(`${namespace}\u0000${name}`);
}

/** Whether Wharf acts on options of this namespace. */
export function isKnownNamespace(namespace: string): boolean {
  return NAMESPACES.has(namespace);
}

/** The options of a namespace, in catalogue order. */
export function optionsOf(namespace: string): readonly OptionSpec[] {
  return OPTION_SPECS.filter((spec) => spec.namespace === namespace);
}

/** Every namespace Wharf acts on. */
export function knownNamespaces(): readonly string[] {
  return [...NAMESPACES];
}

const CLOUDFORMATION = 'Wharf has no CloudFormation stack to add resources to';
/** Elastic Beanstalk namespaces Wharf does not act on yet, with why; matched in order. */
const NOT_YET_SUPPORTED_NAMESPACES: readonly (readonly [RegExp, string])[] = [
  [/^aws:autoscaling:launchtemplate$/, 'Wharf runs copies as tasks on registered hosts, not on EC2 instances it launches'],
  [/^aws:ec2:vpc$/, 'Wharf runs copies as tasks on registered hosts, not on EC2 instances in a VPC'],
  [/^aws:autoscaling:scheduledaction$/, 'scheduled scaling comes with its own issue'],
  [/^aws:elasticbeanstalk:sqsd$/, 'worker environments come with their own issue'],
  [/^aws:elasticbeanstalk:environment:process:.+$/, 'only the default process is served for now (aws:elasticbeanstalk:environment:process:default)'],
  [/^aws:elasticbeanstalk:environment:proxy(:staticfiles)?$/, "Wharf's router is the proxy; the application serves its own static files"],
  [/^aws:elbv2:.+$/, "the router's listener and rules are managed by Wharf from the environment's CNAME"],
  [/^aws:elb:.+$/, "the router's listener and health checks are managed by Wharf (see aws:elasticbeanstalk:environment:process:default)"],
  [/^aws:rds:dbinstance$/, 'managed databases come with their own issue'],
  [/^aws:elasticbeanstalk:cloudwatch:logs(:health)?$/, 'Wharf keeps task logs on the hosts (wharf ecs logs); it streams none to CloudWatch'],
  [/^aws:elasticbeanstalk:hostmanager$/, 'Wharf publishes no logs to S3'],
  [/^aws:elasticbeanstalk:managedactions(:platformupdate)?$/, 'Wharf has no managed platform updates'],
  [/^aws:elasticbeanstalk:sns:topics$/, 'Wharf sends no notifications; follow the events (wharf elasticbeanstalk describe-events)'],
  [/^aws:elasticbeanstalk:xray$/, 'Wharf runs no X-Ray daemon'],
  [/^aws:elasticbeanstalk:customoption$/, `custom options are read only by Fn::GetOptionSetting in Resources and files, and ${CLOUDFORMATION}`],
  [/^aws:elasticbeanstalk:container:.+$/, 'platform-specific container options belong to platforms Wharf does not run'],
];

/** Elastic Beanstalk options of the catalogue's namespaces that Wharf does not act on yet. */
const NOT_YET_SUPPORTED_OPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [NS.asg]: {
    'Availability Zones': 'Wharf places copies across registered hosts (task placement), not availability zones',
    'Custom Availability Zones': 'Wharf places copies across registered hosts (task placement), not availability zones',
    EnableCapacityRebalancing: 'Wharf runs no Spot instances',
  },
  [NS.launchConfiguration]: Object.fromEntries(
    ['BlockDeviceMappings', 'DisableIMDSv1', 'EC2KeyName', 'IamInstanceProfile', 'ImageId', 'LaunchTemplateTagPropagationEnabled', 'MonitoringInterval', 'RootVolumeIOPS', 'RootVolumeSize', 'RootVolumeThroughput', 'RootVolumeType', 'SecurityGroups', 'SSHSourceRestriction'].map(
      (name) => [name, 'Wharf runs copies as tasks on registered hosts, not on EC2 instances it launches, so only InstanceType (the size of each copy) applies'],
    ),
  ),
  [NS.ec2Instances]: Object.fromEntries(
    ['EnableSpot', 'SpotFleetOnDemandBase', 'SpotFleetOnDemandAboveBasePercentage', 'SpotMaxPrice', 'SupportedArchitectures'].map((name) => [
      name,
      'Wharf runs copies as tasks on registered hosts, not on EC2 or Spot instances it launches, so only InstanceTypes (its first entry: the size of each copy) applies',
    ]),
  ),
  [NS.environment]: {
    ExternalExtensionsS3Bucket: 'Wharf reads .ebextensions from the source bundle only',
    ExternalExtensionsS3Key: 'Wharf reads .ebextensions from the source bundle only',
  },
};

/**
 * Why Wharf does not act on a namespace (or one option of it) that Elastic Beanstalk has; undefined
 * when Wharf acts on it or Elastic Beanstalk does not have it either.
 */
export function notYetSupportedReason(namespace: string, name?: string): string | undefined {
  if (name !== undefined) {
    const reason = NOT_YET_SUPPORTED_OPTIONS[namespace]?.[name];
    if (reason) return reason;
  }
  if (isKnownNamespace(namespace)) return undefined;
  return NOT_YET_SUPPORTED_NAMESPACES.find(([pattern]) => pattern.test(namespace))?.[1];
}

/**
 * Settings Elastic Beanstalk accepts in two places, moved to the one Wharf keeps:
 * `HealthCheckSuccessThreshold` under `aws:elasticbeanstalk:command` (as some EB pages show it)
 * goes to `aws:elasticbeanstalk:healthreporting:system`. A `ResourceName` on a namespace that
 * names no resources (EB's own output carries ones like `AWSEBAutoScalingGroup`) is dropped, so
 * it does not make the setting a different one.
 */
export function normalizeSetting<S extends Pick<OptionSetting, 'Namespace' | 'OptionName' | 'ResourceName'>>(setting: S): S {
  let result = setting;
  if (result.Namespace === NS.command && result.OptionName === 'HealthCheckSuccessThreshold') result = { ...result, Namespace: NS.healthReporting };
  if (result.ResourceName !== undefined && isKnownNamespace(result.Namespace)) {
    const { ResourceName: _dropped, ...rest } = result;
    result = rest as S;
  }
  return result;
}

/** The identity of a setting within a layer: namespace, option name and resource name. */
export function settingKey(setting: Pick<OptionSetting, 'Namespace' | 'OptionName' | 'ResourceName'>): string {
  return `${setting.ResourceName ?? ''}\u0000${setting.Namespace}\u0000${setting.OptionName}`;
}

function describeRule(rule: OptionValueRule): string {
  switch (rule.type) {
    case 'integer':
      return `a whole number${rule.unit ? ` of ${rule.unit}` : ''} from ${rule.min} to ${rule.max}`;
    case 'decimal':
      return `a number${rule.unit ? ` of ${rule.unit}` : ''} from ${rule.min} to ${rule.max} (fractions allowed, e.g. ${Math.floor(rule.min) + 0.5})`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return rule.values.length === 1 ? `'${rule.values[0]}'` : `one of ${rule.values.join(', ')}`;
    case 'duration':
      return `an ISO-8601 duration from ${formatDuration(rule.min)} to ${formatDuration(rule.max)}, such as ${rule.example}`;
    case 'text':
      return rule.label;
  }
}

function formatDuration(seconds: number): string {
  if (seconds === 0) return 'PT0S';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}

/** A whole number written in decimal digits, with an optional minus sign. */
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * What is wrong with `value` for this option, as a message that names the option, says what it
 * takes and shows what it got; undefined when the value is fine. Values Elastic Beanstalk accepts
 * but Wharf does not are refused here too, with the reason.
 */
export function checkValue(spec: OptionSpec, value: string): string | undefined {
  const { rule, name } = spec;
  const wrong = () => `${name} must be ${spec.valuesHint ?? describeRule(rule)}; got '${value}'`;
  switch (rule.type) {
    case 'integer': {
      if (!INTEGER.test(value)) return wrong();
      const n = Number(value);
      const eb = spec.elasticBeanstalkMax;
      if (eb && n > rule.max && n <= eb.max) {
        return `${name} '${value}' is valid in Elastic Beanstalk (up to ${eb.max}), but Wharf takes at most ${rule.max}: ${eb.reason}. Set ${name} from ${rule.min} to ${rule.max}`;
      }
      if (n < rule.min || n > rule.max) return wrong();
      break;
    }
    case 'decimal': {
      if (!DECIMAL.test(value)) return wrong();
      const n = Number(value);
      if (n < rule.min || n > rule.max) return wrong();
      break;
    }
    case 'boolean':
      if (!/^(true|false)$/i.test(value)) return wrong();
      break;
    case 'enum':
      if (!rule.values.includes(value)) {
        const near = rule.values.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
        return wrong() + (near ? ` (values are case-sensitive: did you mean '${near}'?)` : '');
      }
      break;
    case 'duration': {
      const seconds = parseDurationSeconds(value);
      if (seconds === undefined || seconds < rule.min || seconds > rule.max) return wrong();
      break;
    }
    case 'text':
      if (rule.maxLength !== undefined && value.length > rule.maxLength) return `${name} has ${value.length} characters; it may have at most ${rule.maxLength}`;
      if (rule.pattern && !rule.pattern.test(value)) return wrong();
      if (rule.check) {
        const problem = rule.check(value);
        if (problem) return problem;
      }
      break;
  }
  const unsupported = spec.unsupportedValues?.[rule.type === 'boolean' ? value.toLowerCase() : value];
  if (unsupported) return `${name} '${value}' is valid in Elastic Beanstalk, but not yet supported by Wharf: ${unsupported}`;
  return undefined;
}

/** What is wrong with one environment property (name and value), by Elastic Beanstalk's rules. */
export function checkEnvironmentProperty(name: string, value: string): string | undefined {
  const limits = ENVIRONMENT_PROPERTY_LIMITS;
  if (name === '') return 'An environment property needs a name';
  if (name.length > limits.nameLength) return `Environment property name "${name.slice(0, 32)}…" has ${name.length} characters; names have at most ${limits.nameLength}`;
  if (!limits.namePattern.test(name)) return `Environment property name "${name}" has characters Elastic Beanstalk does not allow; use ${limits.nameLabel}`;
  if (value.length > limits.valueLength) return `The value of environment property ${name} has ${value.length} characters; values have at most ${limits.valueLength}`;
  if (!limits.valuePattern.test(value)) {
    const bad = [...value].find((ch) => !limits.valuePattern.test(ch)) ?? '';
    return `The value of environment property ${name} has a character Elastic Beanstalk does not allow (${JSON.stringify(bad)}); values may have ${limits.valueLabel}`;
  }
  return undefined;
}

function describe(spec: OptionSpec): ConfigurationOptionDescription {
  const { rule } = spec;
  const base = {
    Namespace: spec.namespace,
    Name: spec.name,
    ...(spec.default === undefined ? {} : { DefaultValue: spec.default }),
    ChangeSeverity: spec.severity,
    UserDefined: false,
  };
  switch (rule.type) {
    case 'integer':
    case 'decimal':
      return { ...base, ValueType: 'Scalar', MinValue: rule.min, MaxValue: rule.max };
    case 'boolean':
      return { ...base, ValueType: 'Boolean' };
    case 'enum':
      return { ...base, ValueType: 'Scalar', ValueOptions: rule.values };
    case 'duration':
      return { ...base, ValueType: 'Scalar', Regex: { Pattern: '^PT(\\d+H)?(\\d+M)?(\\d+S)?$', Label: describeRule(rule) } };
    case 'text':
      return {
        ...base,
        ValueType: 'Scalar',
        ...(rule.maxLength === undefined ? {} : { MaxLength: rule.maxLength }),
        ...(rule.pattern ? { Regex: { Pattern: rule.pattern.source, Label: rule.label } } : {}),
      };
  }
}

/**
 * The catalogue as DescribeConfigurationOptions returns it. `Options` filters by namespace and
 * option name (an empty `OptionName` matches the whole namespace); `environmentProperties` lists
 * the environment's own properties, which appear as user-defined options of
 * `aws:elasticbeanstalk:application:environment`.
 */
export function describeConfigurationOptions(
  request: { readonly Options?: readonly { readonly Namespace?: string; readonly OptionName?: string }[]; readonly environmentProperties?: readonly string[] } = {},
): ConfigurationOptionDescription[] {
  const limits = ENVIRONMENT_PROPERTY_LIMITS;
  const properties: ConfigurationOptionDescription[] = [...new Set(request.environmentProperties ?? [])].sort().map((name) => ({
    Namespace: NS.environmentProperties,
    Name: name,
    ChangeSeverity: 'RestartApplicationServer',
    UserDefined: true,
    ValueType: 'Scalar',
    MaxLength: limits.valueLength,
    Regex: { Pattern: limits.valuePattern.source, Label: limits.valueLabel },
  }));
  const all = [...OPTION_SPECS.map(describe), ...properties];
  const filters = request.Options ?? [];
  if (filters.length === 0) return all;
  return all.filter((option) =>
    filters.some((filter) => (!filter.Namespace || filter.Namespace === option.Namespace) && (!filter.OptionName || filter.OptionName === option.Name)),
  );
}
