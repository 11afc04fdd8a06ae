/** `wharf eb config delete name`: deletes a saved configuration (DeleteConfigurationTemplate) and its file in the project. */
import { rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { requireProject, savedConfigFile } from './project.js';

export function register(config: Command): void {
  ebCommand<object, { ApplicationName: string; TemplateName: string }>(config, {
    name: 'delete <name>',
    description: 'Delete a saved configuration',
    run: async (ctx, [name]) => {
      const project = await requireProject(ctx.cwd);
      const templateName = name as string;
      await ebCall(ctx.client, 'DeleteConfigurationTemplate', { ApplicationName: project.config.applicationName, TemplateName: templateName });
      await rm(savedConfigFile(project.root, templateName), { force: true });
      return { ApplicationName: project.config.applicationName, TemplateName: templateName };
    },
    render: (r) => `Deleted saved configuration ${r.TemplateName} of application ${r.ApplicationName}.`,
  });
}
