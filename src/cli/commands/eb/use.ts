/** `wharf eb use environment`: makes it the project's default environment (config.yml's branch default). */
import type { Command } from 'commander';
import { wharfError } from '../../../model/errors.js';
import { describeEnvironment } from './api.js';
import { ebCommand } from './eb-command.js';
import { requireProject, writeProjectConfig } from './project.js';

export function register(eb: Command): void {
  ebCommand<object, { EnvironmentName: string; ConfigFile: string }>(eb, {
    name: 'use <environment>',
    description: "Make the environment the project's default",
    run: async (ctx, [name]) => {
      const project = await requireProject(ctx.cwd);
      const environment = await describeEnvironment(ctx.client, name as string);
      if (environment.ApplicationName !== project.config.applicationName) {
        throw wharfError('WHARF_E_USAGE', {
          reason: `Environment ${environment.EnvironmentName} belongs to application ${environment.ApplicationName}, not to this project's ${project.config.applicationName}. Use one of this application's environments (\`wharf eb list\`), or run \`wharf eb init ${environment.ApplicationName}\``,
        });
      }
      const file = await writeProjectConfig(project.root, { defaultEnvironment: environment.EnvironmentName });
      return { EnvironmentName: environment.EnvironmentName, ConfigFile: file };
    },
    render: (r) => `${r.EnvironmentName} is now the default environment (${r.ConfigFile}).`,
  });
}
