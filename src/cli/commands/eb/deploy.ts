/**
 * `wharf eb deploy [environment]`: packs the project folder into a new application version (or
 * takes an existing one with --version-label), deploys it with UpdateEnvironment, and prints the
 * environment's events until it is Ready again; exit 1 if the deployment fails or --timeout passes.
 */
import type { Command } from 'commander';
import type { ApplicationVersionView, EnvironmentEventView, EnvironmentView } from '../../../model/api/platform.js';
import { wharfError } from '../../../model/errors.js';
import { describeEnvironment, ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { timeoutMs } from './options.js';
import { environmentOf, findProject } from './project.js';
import { outcomeLine } from './render.js';
import { createVersionFromFolder } from './source.js';
import { followOperation } from './wait.js';

interface Options {
  label?: string;
  versionLabel?: string;
  message?: string;
  timeout?: string;
}

interface Result {
  ApplicationVersion?: ApplicationVersionView;
  Environment: EnvironmentView;
  Events: readonly EnvironmentEventView[];
}

export function register(eb: Command): void {
  ebCommand<Options, Result>(eb, {
    name: 'deploy [environment]',
    description: 'Deploy this folder as a new version (or an existing version) and wait until the environment is Ready',
    options: (c) =>
      c
        .option('-l, --label <label>', 'the new version\'s label (default: app-<git id>-<yymmdd_HHMMSS>)')
        .option('--version-label <label>', "deploy this existing version instead of packing the folder (the EB CLI's --version, which names Wharf's own version here)")
        .option('-m, --message <text>', 'the new version\'s description (default: the last commit\'s subject)')
        .option('--timeout <minutes>', 'stop waiting after this long (default 30); the deployment goes on'),
    run: async (ctx, [named], o) => {
      const started = Date.now();
      const project = await findProject(ctx.cwd);
      const environmentName = environmentOf(named as string | undefined, project);
      if (o.versionLabel !== undefined && o.label !== undefined) throw wharfError('WHARF_E_USAGE', { reason: 'Give --label (a new version) or --version-label (an existing one), not both' });
      const waitMs = timeoutMs(o.timeout);
      const current = await describeEnvironment(ctx.client, environmentName);
      // Refused before packing and uploading, not after.
      if (current.Status !== 'Ready') {
        throw wharfError('WHARF_E_OPERATION_IN_PROGRESS', { environment: environmentName, status: current.Status, operation: current.Operation?.Kind ?? 'an operation' });
      }
      const version =
        o.versionLabel === undefined
          ? await createVersionFromFolder({
              client: ctx.client,
              applicationName: current.ApplicationName,
              root: project?.root ?? ctx.cwd,
              label: o.label,
              message: o.message,
              now: new Date(started),
              say: (line) => ctx.say(line),
            })
          : undefined;
      const updated = await ebCall<EnvironmentView>(ctx.client, 'UpdateEnvironment', { EnvironmentName: environmentName, VersionLabel: version?.VersionLabel ?? o.versionLabel });
      const { environment, events } = await followOperation(ctx, updated, started, 'Ready', waitMs);
      return { ...(version ? { ApplicationVersion: version } : {}), Environment: environment, Events: events };
    },
    render: (r) => outcomeLine(r.Environment),
  });
}
