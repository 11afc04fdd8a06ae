/**
 * The EB CLI's flags turned into Elastic Beanstalk option settings: `--envvars K=V,K2=V2`,
 * `setenv K=V K2=`, `--scale N`, `--single`, and the small number checks the commands share. Each
 * flag is parsed here once; a bad value is a usage error that names the flag and shows the form.
 */
import { wharfError } from '../../../model/errors.js';
import type { OptionSetting, OptionSpecification } from '../../../model/platform.js';

export const ENVIRONMENT_PROPERTIES = 'aws:elasticbeanstalk:application:environment';
export const ENVIRONMENT_NAMESPACE = 'aws:elasticbeanstalk:environment';
export const ASG_NAMESPACE = 'aws:autoscaling:asg';

/** How long create, deploy, setenv, scale and terminate wait by default (the EB CLI's default). */
export const DEFAULT_TIMEOUT_MINUTES = 30;

/** One `NAME=value` (value may hold `=`; empty means "remove" where that is allowed). */
function splitPair(flag: string, text: string): { name: string; value: string } {
  const at = text.indexOf('=');
  if (at <= 0) throw wharfError('WHARF_E_USAGE', { reason: `${flag} takes NAME=value pairs, e.g. GREETING=hi; "${text}" has ${at === 0 ? 'no name' : 'no "="'}` });
  const name = text.slice(0, at).trim();
  if (name === '') throw wharfError('WHARF_E_USAGE', { reason: `${flag} takes NAME=value pairs, e.g. GREETING=hi; "${text}" has no name` });
  return { name, value: text.slice(at + 1) };
}

/** `--envvars GREETING=hi,DEBUG=1` → environment property settings. */
export function parseEnvVars(text: string): OptionSetting[] {
  const pairs = text.split(',').filter((part, index, all) => part !== '' || all.length === 1);
  return pairs.map((part) => {
    const { name, value } = splitPair('--envvars', part);
    return { Namespace: ENVIRONMENT_PROPERTIES, OptionName: name, Value: value };
  });
}

/** `setenv A=1 B=` → A is set, B is removed (EB's OptionsToRemove). */
export function parseSetenv(args: readonly string[]): { set: OptionSetting[]; remove: OptionSpecification[] } {
  if (args.length === 0) throw wharfError('WHARF_E_USAGE', { reason: 'setenv takes at least one NAME=value (NAME= removes the variable)' });
  const set: OptionSetting[] = [];
  const remove: OptionSpecification[] = [];
  for (const arg of args) {
    const { name, value } = splitPair('setenv', arg);
    if (value === '') remove.push({ Namespace: ENVIRONMENT_PROPERTIES, OptionName: name });
    else set.push({ Namespace: ENVIRONMENT_PROPERTIES, OptionName: name, Value: value });
  }
  return { set, remove };
}

/** A whole number of at least `min`, or a usage error naming `what`. */
export function parseWholeNumber(what: string, text: string, min: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw wharfError('WHARF_E_USAGE', { reason: `${what} takes a whole number of at least ${min}, not "${text}"` });
  }
  return Number(text);
}

/** `--scale N` / `scale N`: the Auto Scaling group's MinSize and MaxSize both N. */
export function scaleSettings(count: number): OptionSetting[] {
  return [
    { Namespace: ASG_NAMESPACE, OptionName: 'MinSize', Value: String(count) },
    { Namespace: ASG_NAMESPACE, OptionName: 'MaxSize', Value: String(count) },
  ];
}

/** `--single`: one instance, no load balancer. */
export function singleInstanceSettings(): OptionSetting[] {
  return [{ Namespace: ENVIRONMENT_NAMESPACE, OptionName: 'EnvironmentType', Value: 'SingleInstance' }];
}

/** `--timeout <minutes>` in ms (default DEFAULT_TIMEOUT_MINUTES). */
export function timeoutMs(minutes: string | undefined): number {
  return (minutes === undefined ? DEFAULT_TIMEOUT_MINUTES : parseWholeNumber('--timeout (minutes)', minutes, 1)) * 60_000;
}

export const HEALTH_NAMESPACE = 'aws:elasticbeanstalk:healthreporting:system';
export const LAUNCH_NAMESPACE = 'aws:autoscaling:launchconfiguration';
export const LOAD_BALANCER_TYPES = ['classic', 'application', 'network'] as const;
/** The EB CLI's load balancer when `--elb-type` is not given. */
export const DEFAULT_ELB_TYPE = 'application';

/** `--tags team=web,env=prod` → Elastic Beanstalk tags. */
export function parseTags(text: string): { Key: string; Value: string }[] {
  return text
    .split(',')
    .filter((part) => part !== '')
    .map((part) => {
      const { name, value } = splitPair('--tags', part);
      return { Key: name, Value: value };
    });
}

export interface CreateFlags {
  single?: boolean;
  elbType?: string;
  instanceType?: string;
  minInstances?: string;
  maxInstances?: string;
  scale?: string;
  /** A saved configuration: it decides the load balancer and health reporting unless a flag says otherwise. */
  cfg?: string;
}

/**
 * The option settings of `eb create`'s flags, with the EB CLI's defaults where the API's differ: an
 * application load balancer (`--elb-type`, not for `--single`) and enhanced health reporting, both
 * left to a saved configuration when `--cfg` names one. Every value is checked here, before
 * anything is created.
 */
export function createSettings(flags: CreateFlags): OptionSetting[] {
  const settings: OptionSetting[] = [];
  if (flags.elbType !== undefined && !(LOAD_BALANCER_TYPES as readonly string[]).includes(flags.elbType)) {
    throw wharfError('WHARF_E_USAGE', { reason: `--elb-type takes ${LOAD_BALANCER_TYPES.join(', ')}, not "${flags.elbType}"` });
  }
  if (flags.single && flags.elbType !== undefined) throw wharfError('WHARF_E_USAGE', { reason: '--elb-type needs a load-balanced environment; --single has no load balancer' });
  if (flags.scale !== undefined && (flags.minInstances !== undefined || flags.maxInstances !== undefined)) {
    throw wharfError('WHARF_E_USAGE', { reason: 'Give --scale (a fixed count) or --min-instances/--max-instances (a range), not both' });
  }
  if (flags.single) settings.push(...singleInstanceSettings());
  else if (flags.elbType !== undefined || flags.cfg === undefined) settings.push({ Namespace: ENVIRONMENT_NAMESPACE, OptionName: 'LoadBalancerType', Value: flags.elbType ?? DEFAULT_ELB_TYPE });
  if (flags.cfg === undefined) settings.push({ Namespace: HEALTH_NAMESPACE, OptionName: 'SystemType', Value: 'enhanced' });
  if (flags.instanceType !== undefined) {
    if (flags.instanceType.trim() === '') throw wharfError('WHARF_E_USAGE', { reason: '-i/--instance_type takes an instance type such as t3.micro' });
    settings.push({ Namespace: LAUNCH_NAMESPACE, OptionName: 'InstanceType', Value: flags.instanceType });
  }
  if (flags.scale !== undefined) settings.push(...scaleSettings(parseWholeNumber('--scale', flags.scale, 1)));
  const min = flags.minInstances === undefined ? undefined : parseWholeNumber('-im/--min-instances', flags.minInstances, 1);
  const max = flags.maxInstances === undefined ? undefined : parseWholeNumber('-ix/--max-instances', flags.maxInstances, 1);
  if (min !== undefined && max !== undefined && min > max) throw wharfError('WHARF_E_USAGE', { reason: `-im/--min-instances ${min} is above -ix/--max-instances ${max}` });
  if (min !== undefined) settings.push({ Namespace: ASG_NAMESPACE, OptionName: 'MinSize', Value: String(min) });
  if (max !== undefined) settings.push({ Namespace: ASG_NAMESPACE, OptionName: 'MaxSize', Value: String(max) });
  return settings;
}

/** The EB CLI's two-letter short flags (`-im 2`, `-ix 4`), which commander cannot declare, as their long names. */
export function expandEbShortFlags(argv: readonly string[]): string[] {
  const long: Record<string, string> = { '-im': '--min-instances', '-ix': '--max-instances' };
  return argv.map((arg) => long[arg] ?? arg);
}
