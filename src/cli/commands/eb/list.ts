/** `wharf eb list [--all]`: the application's environments (every application's with --all); `*` marks the project's default. */
import type { Command } from 'commander';
import type { EnvironmentView } from '../../../model/api/platform.js';
import { ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { findProject, requireProject } from './project.js';
import { listLines } from './render.js';

interface Options {
  all?: boolean;
}

interface Result {
  Environments: EnvironmentView[];
  /** The project's default environment, if set. */
  Default?: string;
  All: boolean;
}

export function register(eb: Command): void {
  ebCommand<Options, Result>(eb, {
    name: 'list',
    description: "List the application's environments; * marks the default",
    options: (c) => c.option('-a, --all', 'every application\'s environments'),
    run: async (ctx, _args, o) => {
      const project = o.all ? await findProject(ctx.cwd) : await requireProject(ctx.cwd);
      const { Environments } = await ebCall<{ Environments: EnvironmentView[] }>(ctx.client, 'DescribeEnvironments', o.all ? {} : { ApplicationName: project?.config.applicationName });
      const sorted = Environments.sort((a, b) => a.ApplicationName.localeCompare(b.ApplicationName) || a.EnvironmentName.localeCompare(b.EnvironmentName));
      return { Environments: sorted, ...(project?.config.defaultEnvironment ? { Default: project.config.defaultEnvironment } : {}), All: o.all === true };
    },
    render: (r) => (r.Environments.length === 0 ? 'No environments.' : listLines(r.Environments, r.Default, r.All)),
  });
}
