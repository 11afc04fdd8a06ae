/**
 * `wharf eb config save [environment] --cfg name`: saves the environment's settings (those given
 * through the API) as a saved configuration of its application (CreateConfigurationTemplate), and
 * in the project as `.elasticbeanstalk/saved_configs/<name>.cfg.yml`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { describeEnvironment, ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { environmentOf, findProject, savedConfigFile } from './project.js';
import type { SavedConfigurationView } from './saved-config.js';
import { savedConfigYaml } from './saved-config.js';

interface Options {
  cfg?: string;
}

export function register(config: Command): void {
  ebCommand<Options, { SavedConfiguration: SavedConfigurationView; File?: string }>(config, {
    name: 'save [environment]',
    description: "Save the environment's settings as a saved configuration",
    options: (c) => c.option('--cfg <name>', 'the saved configuration\'s name (default: the environment\'s)'),
    run: async (ctx, [named], o) => {
      const project = await findProject(ctx.cwd);
      const environment = await describeEnvironment(ctx.client, environmentOf(named as string | undefined, project));
      const saved = await ebCall<SavedConfigurationView>(ctx.client, 'CreateConfigurationTemplate', {
        ApplicationName: environment.ApplicationName,
        TemplateName: o.cfg ?? environment.EnvironmentName,
        EnvironmentId: environment.EnvironmentId,
      });
      if (!project) return { SavedConfiguration: saved };
      const file = savedConfigFile(project.root, saved.TemplateName);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, savedConfigYaml(saved));
      return { SavedConfiguration: saved, File: file };
    },
    render: (r) => `Saved configuration ${r.SavedConfiguration.TemplateName} of application ${r.SavedConfiguration.ApplicationName}${r.File ? `; wrote ${r.File}` : ''}.`,
  });
}
