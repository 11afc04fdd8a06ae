/**
 * `wharf eb printenv [environment]`: the environment properties in effect (from the API, the saved
 * configuration and `.ebextensions`), from DescribeConfigurationSettings.
 */
import type { Command } from 'commander';
import type { OptionSetting } from '../../../model/platform.js';
import { describeEnvironment, ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { ENVIRONMENT_PROPERTIES } from './options.js';
import { environmentOf, findProject } from './project.js';
import { printenvLines } from './render.js';

interface Result {
  EnvironmentName: string;
  EnvironmentVariables: Record<string, string>;
}

export function register(eb: Command): void {
  ebCommand<object, Result>(eb, {
    name: 'printenv [environment]',
    description: "Print the environment's properties (its environment variables)",
    run: async (ctx, [named]) => {
      const environment = await describeEnvironment(ctx.client, environmentOf(named as string | undefined, await findProject(ctx.cwd)));
      const { ConfigurationSettings } = await ebCall<{ ConfigurationSettings: { OptionSettings: OptionSetting[] }[] }>(ctx.client, 'DescribeConfigurationSettings', {
        ApplicationName: environment.ApplicationName,
        EnvironmentName: environment.EnvironmentName,
      });
      const variables: Record<string, string> = {};
      for (const s of ConfigurationSettings[0]?.OptionSettings ?? []) if (s.Namespace === ENVIRONMENT_PROPERTIES) variables[s.OptionName] = s.Value;
      return { EnvironmentName: environment.EnvironmentName, EnvironmentVariables: variables };
    },
    render: (r) => printenvLines(r.EnvironmentVariables),
  });
}
