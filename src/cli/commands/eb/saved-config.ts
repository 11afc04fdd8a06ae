/**
 * Saved configurations as files: `.elasticbeanstalk/saved_configs/<name>.cfg.yml`, in the EB CLI's
 * layout (metadata, platform, option settings grouped by namespace, tier, format version).
 */
import { stringify } from 'yaml';
import type { OptionSetting } from '../../../model/platform.js';

/** A saved configuration as DescribeConfigurationSettings answers for a TemplateName. */
export interface SavedConfigurationView {
  ApplicationName: string;
  TemplateName: string;
  Description?: string;
  SolutionStackName?: string;
  DateCreated?: string;
  DateUpdated?: string;
  OptionSettings: OptionSetting[];
}

/** The only saved configuration format version there is. */
const TEMPLATE_VERSION = '1.1.0.0';

/** The `.cfg.yml` text of a saved configuration. A setting for one resource goes under `<ResourceName>.<Namespace>`. */
export function savedConfigYaml(template: SavedConfigurationView): string {
  const settings: Record<string, Record<string, string>> = {};
  for (const s of template.OptionSettings) {
    const key = s.ResourceName ? `${s.ResourceName}.${s.Namespace}` : s.Namespace;
    (settings[key] ??= {})[s.OptionName] = s.Value;
  }
  const document = {
    EnvironmentConfigurationMetadata: {
      ...(template.Description ? { Description: template.Description } : {}),
      ...(template.DateCreated ? { DateCreated: template.DateCreated } : {}),
      ...(template.DateUpdated ? { DateModified: template.DateUpdated } : {}),
    },
    ...(template.SolutionStackName ? { SolutionStack: template.SolutionStackName } : {}),
    OptionSettings: settings,
    EnvironmentTier: { Type: 'Standard', Name: 'WebServer' },
    AWSConfigurationTemplateVersion: TEMPLATE_VERSION,
  };
  return stringify(document);
}
