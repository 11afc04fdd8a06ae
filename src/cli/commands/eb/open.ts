/** `wharf eb open [environment]`: prints the environment's address (Wharf opens no browser). */
import type { Command } from 'commander';
import { describeEnvironment } from './api.js';
import { ebCommand } from './eb-command.js';
import { environmentOf, findProject } from './project.js';

export function register(eb: Command): void {
  ebCommand<object, { EnvironmentName: string; URL: string }>(eb, {
    name: 'open [environment]',
    description: "Print the environment's URL",
    run: async (ctx, [named]) => {
      const { EnvironmentName, URL } = await describeEnvironment(ctx.client, environmentOf(named as string | undefined, await findProject(ctx.cwd)));
      return { EnvironmentName, URL };
    },
    render: (r) => r.URL,
  });
}
