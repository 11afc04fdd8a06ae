/** `wharf eb config list`: the application's saved configurations, and those downloaded into the project. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { ApplicationView } from '../../../model/api/platform.js';
import { ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { PROJECT_DIR, SAVED_CONFIGS_DIR, requireProject } from './project.js';

interface Result {
  ApplicationName: string;
  SavedConfigurations: string[];
  /** Names of the `.cfg.yml` files in the project. */
  Local: string[];
}

export function register(config: Command): void {
  ebCommand<object, Result>(config, {
    name: 'list',
    description: "List the application's saved configurations",
    run: async (ctx) => {
      const project = await requireProject(ctx.cwd);
      const { Applications } = await ebCall<{ Applications: ApplicationView[] }>(ctx.client, 'DescribeApplications', { ApplicationNames: [project.config.applicationName] });
      const files = await readdir(path.join(project.root, PROJECT_DIR, SAVED_CONFIGS_DIR)).catch(() => [] as string[]);
      return {
        ApplicationName: project.config.applicationName,
        SavedConfigurations: [...(Applications[0]?.ConfigurationTemplates ?? [])].sort(),
        Local: files.filter((f) => f.endsWith('.cfg.yml')).map((f) => f.slice(0, -'.cfg.yml'.length)).sort(),
      };
    },
    render: (r) => {
      const names = [...new Set([...r.SavedConfigurations, ...r.Local])].sort();
      if (names.length === 0) return `Application ${r.ApplicationName} has no saved configurations.`;
      return names.map((n) => `${n}${r.SavedConfigurations.includes(n) ? '' : '  (local file only)'}`).join('\n');
    },
  });
}
