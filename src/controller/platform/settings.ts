/**
 * An environment's option settings in their layers (API > saved configuration > `.ebextensions` >
 * defaults, as Elastic Beanstalk), validated together before anything is written, and resolved
 * into the typed EnvironmentConfig the runner compiles from.
 */
import type { ApplicationVersionRecord, ConfigurationTemplateRecord, EnvironmentRecord, OptionSetting, OptionSpecification } from '../../model/platform.js';
import { wharfError } from '../../model/errors.js';
import { configurationError } from './options/messages.js';
import type { EnvironmentConfig } from './options/resolve.js';
import { applyOptionUpdates, effectiveSettings, environmentConfig } from './options/resolve.js';
import { validateEffectiveSettings, validateSettingsLayer } from './options/validate.js';

/** The API layer after an UpdateEnvironment: the old settings, minus OptionsToRemove, then the new ones on top. */
export function mergeApiSettings(current: readonly OptionSetting[], add: readonly OptionSetting[] = [], remove: readonly OptionSpecification[] = []): OptionSetting[] {
  return applyOptionUpdates(current, { OptionSettings: add, OptionsToRemove: remove });
}

export interface SettingsLayers {
  readonly api: readonly OptionSetting[];
  readonly saved: readonly OptionSetting[];
  readonly ebextensions: readonly OptionSetting[];
}

/** The layers of an environment running `version` (its env.yaml counts as saved configuration beneath a template). */
export function layersOf(environment: Pick<EnvironmentRecord, 'optionSettings'>, version: ApplicationVersionRecord, template: ConfigurationTemplateRecord | undefined): SettingsLayers {
  return {
    api: environment.optionSettings,
    saved: [...(version.manifest?.optionSettings ?? []), ...(template?.optionSettings ?? [])],
    ebextensions: version.ebextensions,
  };
}

/**
 * Validates every layer and the effective result (ValidateConfigurationSettings' rules) and
 * returns the typed configuration; throws WHARF_E_INVALID_CONFIGURATION naming each problem.
 */
export function resolveConfig(layers: SettingsLayers, context: { tier?: 'WebServer' | 'Worker' } = {}): { config: EnvironmentConfig; effective: OptionSetting[] } {
  const effective = effectiveSettings(layers);
  const list: OptionSetting[] = effective.map((e) => ({ Namespace: e.Namespace, OptionName: e.OptionName, Value: e.Value, ...(e.ResourceName ? { ResourceName: e.ResourceName } : {}) }));
  // Each layer's settings on their own (the ebextensions were checked when the version was made), then the rules between settings.
  const messages = [...validateSettingsLayer(layers.api), ...validateSettingsLayer(layers.saved), ...validateEffectiveSettings(effective, { ...context, environmentType: typeFrom(list) })].filter(
    (m) => m.Severity === 'error',
  );
  if (messages.length > 0) throw configurationError(messages);
  const config = environmentConfig(effective);
  const policy = config.command.deploymentPolicy;
  if (policy === 'Immutable' && config.environmentType === 'SingleInstance') {
    throw wharfError('WHARF_E_NOT_YET_SUPPORTED', {
      field: 'aws:elasticbeanstalk:command DeploymentPolicy',
      format: 'Elastic Beanstalk option settings',
      reason: 'a single instance keeps one fixed port, so a second instance cannot start beside it yet; use AllAtOnce',
    });
  }
  return { config, effective: list };
}

function typeFrom(settings: readonly OptionSetting[]): 'LoadBalanced' | 'SingleInstance' {
  const value = settings.find((s) => s.Namespace === 'aws:elasticbeanstalk:environment' && s.OptionName === 'EnvironmentType')?.Value;
  return value === 'SingleInstance' ? 'SingleInstance' : 'LoadBalanced';
}
