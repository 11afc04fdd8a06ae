/**
 * Configuration through the API (Elastic Beanstalk's DescribeConfigurationSettings,
 * DescribeConfigurationOptions, ValidateConfigurationSettings, CreateConfigurationTemplate,
 * DeleteConfigurationTemplate). A saved configuration is a named set of option settings (and a
 * platform) that environments can be created from; it sits below the API layer in precedence.
 */
import { wharfError } from '../../model/errors.js';
import type { ConfigurationTemplateRecord, EnvironmentRecord, OptionSetting } from '../../model/platform.js';
import type { RequestMeta } from '../request.js';
import { requireApplication, requireVersion, tagsOf } from './applications.js';
import type { PlatformContext } from './context.js';
import { applicationEvent } from './context.js';
import { requireEnvironment } from './environments.js';
import { describeConfigurationOptions } from './options/catalogue.js';
import { configurationError } from './options/messages.js';
import { ebSolutionStackName, platformFromSolutionStack } from '../../model/solution-stack.js';
import { layersOf, mergeApiSettings, resolveConfig } from './settings.js';
import { validateOptionSettings } from './options/validate.js';
import { solutionStackNameOf } from '../../model/platform-versions.js';
import type {
  CreateConfigurationTemplateRequest,
  DeleteConfigurationTemplateRequest,
  DescribeConfigurationOptionsRequest,
  DeleteEnvironmentConfigurationRequest,
  DescribeConfigurationSettingsRequest,
  UpdateConfigurationTemplateRequest,
  ValidateConfigurationSettingsRequest,
} from '../../model/api/platform.js';

function templateView(t: ConfigurationTemplateRecord, effective?: readonly OptionSetting[]) {
  return {
    ApplicationName: t.applicationName,
    TemplateName: t.templateName,
    Description: t.description,
    ...(t.platform ? { SolutionStackName: solutionStackNameOf({ platform: t.platform, solutionStackName: t.solutionStackName }) } : {}),
    DateCreated: new Date(t.createdAt).toISOString(),
    DateUpdated: new Date(t.updatedAt).toISOString(),
    OptionSettings: [...(effective ?? t.optionSettings)],
  };
}

/** The version an environment's settings are read with: the one its operation in progress deploys, else the one it runs. */
function settingsVersionLabel(environment: EnvironmentRecord): string {
  const deploying = environment.operation && environment.operation.step !== 'done' ? environment.operation.versionLabel : null;
  return deploying ?? environment.versionLabel ?? environment.operation?.versionLabel ?? '';
}

/**
 * DescribeConfigurationSettings: an environment's effective settings (every option, with its
 * value from the layer that wins), or a saved configuration's own settings.
 */
export async function describeConfigurationSettings(ctx: PlatformContext, request: DescribeConfigurationSettingsRequest) {
  await requireApplication(ctx, request.ApplicationName);
  if (request.TemplateName) {
    const template = await ctx.store.platform.getTemplate(request.ApplicationName, request.TemplateName);
    if (!template) throw wharfError('WHARF_E_TEMPLATE_NOT_FOUND', { application: request.ApplicationName, template: request.TemplateName });
    return { ConfigurationSettings: [templateView(template)] };
  }
  const environment = await requireEnvironment(ctx.store, { EnvironmentName: request.EnvironmentName });
  const version = await requireVersion(ctx, environment.applicationName, settingsVersionLabel(environment));
  const template = environment.templateName ? await ctx.store.platform.getTemplate(environment.applicationName, environment.templateName) : undefined;
  const { effective } = resolveConfig(layersOf(environment, version, template), { tier: environment.tier });
  return {
    ConfigurationSettings: [
      {
        ApplicationName: environment.applicationName,
        EnvironmentName: environment.environmentName,
        SolutionStackName: solutionStackNameOf(environment),
        ...(environment.templateName ? { TemplateName: environment.templateName } : {}),
        DeploymentStatus: environment.status === 'Ready' ? (environment.operation?.failure ? 'failed' : 'deployed') : 'pending',
        DateCreated: new Date(environment.createdAt).toISOString(),
        DateUpdated: new Date(environment.updatedAt).toISOString(),
        OptionSettings: effective,
      },
    ],
  };
}

/** DescribeConfigurationOptions: the catalogue (names, defaults, ranges, value types), with an environment's properties. */
export async function describeConfigurationOptionsView(ctx: PlatformContext, request: DescribeConfigurationOptionsRequest) {
  const environment = request.EnvironmentName ? await requireEnvironment(ctx.store, { EnvironmentName: request.EnvironmentName }) : undefined;
  const properties = environment?.optionSettings.filter((s) => s.Namespace === 'aws:elasticbeanstalk:application:environment').map((s) => s.OptionName) ?? [];
  return {
    ...(environment ? { SolutionStackName: solutionStackNameOf(environment) } : {}),
    Options: describeConfigurationOptions({ ...(request.Options ? { Options: request.Options } : {}), environmentProperties: properties }),
  };
}

/**
 * ValidateConfigurationSettings: the messages for `OptionSettings` as they would apply to the
 * environment (over its current layers) or the saved configuration; changes nothing.
 */
export async function validateConfigurationSettings(ctx: PlatformContext, request: ValidateConfigurationSettingsRequest) {
  await requireApplication(ctx, request.ApplicationName);
  if (request.EnvironmentName) {
    const environment = await requireEnvironment(ctx.store, { EnvironmentName: request.EnvironmentName });
    const version = await requireVersion(ctx, environment.applicationName, settingsVersionLabel(environment));
    const template = environment.templateName ? await ctx.store.platform.getTemplate(environment.applicationName, environment.templateName) : undefined;
    try {
      resolveConfig(layersOf({ optionSettings: mergeApiSettings(environment.optionSettings, request.OptionSettings) }, version, template), { tier: environment.tier });
    } catch (error) {
      const errors = (error as { errors?: { field: string; message: string }[] }).errors;
      if (!errors) throw error;
      return {
        Messages: errors.map((e) => {
          const at = e.field.lastIndexOf(':');
          return { Severity: 'error', Message: e.message, Namespace: e.field.slice(0, at), OptionName: e.field.slice(at + 1) };
        }),
      };
    }
  }
  return { Messages: validateOptionSettings(request.OptionSettings, {}) };
}

/**
 * CreateConfigurationTemplate: settings given, copied from another saved configuration
 * (SourceConfiguration) or from an environment's API layer (EnvironmentId); validated first.
 */
export async function createConfigurationTemplate(ctx: PlatformContext, request: CreateConfigurationTemplateRequest, meta: RequestMeta) {
  await requireApplication(ctx, request.ApplicationName);
  let base: readonly OptionSetting[] = [];
  let platform = request.SolutionStackName ?? request.PlatformArn ? platformFromSolutionStack(request.SolutionStackName ?? request.PlatformArn ?? '') ?? null : null;
  // The stack name goes with the platform: the one given, else the source's it came from.
  const named = platform !== null;
  let solutionStackName = named ? ebSolutionStackName(request.SolutionStackName) : undefined;
  if (request.SourceConfiguration) {
    const source = await ctx.store.platform.getTemplate(request.SourceConfiguration.ApplicationName ?? request.ApplicationName, request.SourceConfiguration.TemplateName);
    if (!source) throw wharfError('WHARF_E_TEMPLATE_NOT_FOUND', { application: request.SourceConfiguration.ApplicationName ?? request.ApplicationName, template: request.SourceConfiguration.TemplateName });
    base = source.optionSettings;
    if (!named) [platform, solutionStackName] = [source.platform, source.solutionStackName];
  } else if (request.EnvironmentId) {
    // As EB saves an environment's configuration: its own settings over those it was made with
    // (its template, its env.yaml); not .ebextensions, not defaults.
    const environment = await requireEnvironment(ctx.store, { EnvironmentId: request.EnvironmentId });
    const template = environment.templateName ? await ctx.store.platform.getTemplate(environment.applicationName, environment.templateName) : undefined;
    const version = await ctx.store.platform.getVersion(environment.applicationName, settingsVersionLabel(environment));
    base = mergeApiSettings([...(version?.manifest?.optionSettings ?? []), ...(template?.optionSettings ?? [])], environment.optionSettings);
    if (!named) [platform, solutionStackName] = [environment.platform, environment.solutionStackName];
  }
  const optionSettings = mergeApiSettings(base, request.OptionSettings);
  const problems = validateOptionSettings(optionSettings, {}).filter((m) => m.Severity === 'error');
  if (problems.length > 0) throw configurationError(problems);
  const record: ConfigurationTemplateRecord = {
    applicationName: request.ApplicationName,
    templateName: request.TemplateName,
    description: request.Description ?? '',
    platform,
    ...(solutionStackName ? { solutionStackName } : {}),
    optionSettings,
    ...tagsOf(request.Tags),
    createdAt: meta.now,
    updatedAt: meta.now,
  };
  await ctx.store.transaction(async (tx) => {
    if (await tx.platform.getTemplate(record.applicationName, record.templateName)) throw wharfError('WHARF_E_TEMPLATE_EXISTS', { application: record.applicationName, template: record.templateName });
    await tx.platform.putTemplate(record);
    await applicationEvent(tx, record.applicationName, `Created configuration template ${record.templateName}.`, meta);
  });
  return templateView(record);
}

/**
 * UpdateConfigurationTemplate: OptionsToRemove leave the saved settings, then OptionSettings go on
 * top, and the result is validated as CreateConfigurationTemplate validates (nothing is written
 * when a setting is wrong). An environment made from the template reads it again on its next
 * operation (see DeleteConfigurationTemplate).
 */
export async function updateConfigurationTemplate(ctx: PlatformContext, request: UpdateConfigurationTemplateRequest, meta: RequestMeta) {
  await requireApplication(ctx, request.ApplicationName);
  const current = await ctx.store.platform.getTemplate(request.ApplicationName, request.TemplateName);
  if (!current) throw wharfError('WHARF_E_TEMPLATE_NOT_FOUND', { application: request.ApplicationName, template: request.TemplateName });
  const optionSettings = mergeApiSettings(current.optionSettings, request.OptionSettings, request.OptionsToRemove);
  const problems = validateOptionSettings(optionSettings, {}).filter((m) => m.Severity === 'error');
  if (problems.length > 0) throw configurationError(problems);
  const next: ConfigurationTemplateRecord = { ...current, description: request.Description ?? current.description, optionSettings, updatedAt: meta.now };
  await ctx.store.transaction(async (tx) => {
    // Deleted meanwhile: not brought back.
    if (!(await tx.platform.getTemplate(next.applicationName, next.templateName))) throw wharfError('WHARF_E_TEMPLATE_NOT_FOUND', { application: next.applicationName, template: next.templateName });
    await tx.platform.putTemplate(next);
    await applicationEvent(tx, next.applicationName, `Updated configuration template ${next.templateName}.`, meta);
  });
  return templateView(next);
}

/**
 * DeleteEnvironmentConfiguration: Elastic Beanstalk deletes the draft configuration a failed or
 * running update left beside the environment's deployed one. Wharf keeps no drafts: an update's
 * settings are the environment's own from the moment UpdateEnvironment accepts them (a failed
 * operation keeps them and says so in its events; AbortEnvironmentUpdate returns to the previous
 * ones). So there is never a draft to delete: the call checks that the application and the live
 * environment exist, and changes nothing.
 */
export async function deleteEnvironmentConfiguration(ctx: PlatformContext, request: DeleteEnvironmentConfigurationRequest): Promise<Record<string, never>> {
  await requireApplication(ctx, request.ApplicationName);
  const environment = await requireEnvironment(ctx.store, { EnvironmentName: request.EnvironmentName });
  if (environment.applicationName !== request.ApplicationName) throw wharfError('WHARF_E_ENVIRONMENT_NOT_FOUND', { environment: `${request.EnvironmentName} (of application ${request.ApplicationName})` });
  return {};
}

/**
 * DeleteConfigurationTemplate: refused while a live environment was made from it, because Wharf
 * reads a template's settings again on every operation of such an environment (Elastic Beanstalk
 * copies them instead and deletes at once).
 */
export async function deleteConfigurationTemplate(ctx: PlatformContext, request: DeleteConfigurationTemplateRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.platform.getTemplate(request.ApplicationName, request.TemplateName))) throw wharfError('WHARF_E_TEMPLATE_NOT_FOUND', { application: request.ApplicationName, template: request.TemplateName });
    const user = (await tx.platform.listEnvironments({ applicationName: request.ApplicationName })).find((e) => e.templateName === request.TemplateName);
    if (user) throw wharfError('WHARF_E_VALIDATION', { summary: `TemplateName: environment ${user.environmentName} was created from ${request.TemplateName}` }, { errors: [{ field: 'TemplateName', message: `in use by environment ${user.environmentName}; update it to another configuration first` }] });
    await tx.platform.deleteTemplate(request.ApplicationName, request.TemplateName);
    await applicationEvent(tx, request.ApplicationName, `Deleted configuration template ${request.TemplateName}.`, meta);
  });
  return {};
}
