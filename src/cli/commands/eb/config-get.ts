/** `wharf eb config get name`: downloads a saved configuration to `.elasticbeanstalk/saved_configs/<name>.cfg.yml`. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { requireProject, savedConfigFile } from './project.js';
import type { SavedConfigurationView } from './saved-config.js';
import { savedConfigYaml } from './saved-config.js';

export function register(config: Command): void {
  ebCommand<object, { SavedConfiguration: SavedConfigurationView; File: string }>(config, {
    name: 'get <name>',
    description: 'Download a saved configuration into the project',
    run: async (ctx, [name]) => {
      const project = await requireProject(ctx.cwd);
      const { ConfigurationSettings } = await ebCall<{ ConfigurationSettings: SavedConfigurationView[] }>(ctx.client, 'DescribeConfigurationSettings', {
        ApplicationName: project.config.applicationName,
        TemplateName: name as string,
      });
      const saved = ConfigurationSettings[0]!;
      const file = savedConfigFile(project.root, saved.TemplateName);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, savedConfigYaml(saved));
      return { SavedConfiguration: saved, File: file };
    },
    render: (r) => `Wrote ${r.File}.`,
  });
}
