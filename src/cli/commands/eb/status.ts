/** `wharf eb status [environment]`: the environment's details (DescribeEnvironments). */
import type { Command } from 'commander';
import type { EnvironmentView } from '../../../model/api/platform.js';
import { describeEnvironment } from './api.js';
import { ebCommand } from './eb-command.js';
import { environmentOf, findProject } from './project.js';
import { statusLines } from './render.js';

export function register(eb: Command): void {
  ebCommand<object, EnvironmentView>(eb, {
    name: 'status [environment]',
    description: "Show the environment's version, address, status and health",
    run: async (ctx, [named]) => describeEnvironment(ctx.client, environmentOf(named as string | undefined, await findProject(ctx.cwd))),
    render: statusLines,
  });
}
