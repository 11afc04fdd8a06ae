/**
 * `wharf eb setenv NAME=value [NAME2=value2 …] [-e environment]`: sets environment properties
 * (`NAME=` removes one) with UpdateEnvironment, and waits until the environment is Ready again.
 */
import type { Command } from 'commander';
import type { EnvironmentEventView, EnvironmentView } from '../../../model/api/platform.js';
import { ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { parseSetenv, timeoutMs } from './options.js';
import { environmentOf, findProject } from './project.js';
import { outcomeLine } from './render.js';
import { followOperation } from './wait.js';

interface Options {
  environment?: string;
  timeout?: string;
}

export function register(eb: Command): void {
  ebCommand<Options, { Environment: EnvironmentView; Events: readonly EnvironmentEventView[] }>(eb, {
    name: 'setenv <pairs...>',
    description: 'Set environment properties (NAME=value; NAME= removes one) and wait until the environment is Ready',
    options: (c) =>
      c
        .option('-e, --environment <name>', 'the environment (default: the project\'s)')
        .option('--timeout <minutes>', 'stop waiting after this long (default 30); the update goes on'),
    run: async (ctx, [pairs], o) => {
      const started = Date.now();
      const { set, remove } = parseSetenv(pairs as string[]);
      const waitMs = timeoutMs(o.timeout);
      const environmentName = environmentOf(o.environment, await findProject(ctx.cwd));
      const updated = await ebCall<EnvironmentView>(ctx.client, 'UpdateEnvironment', {
        EnvironmentName: environmentName,
        ...(set.length > 0 ? { OptionSettings: set } : {}),
        ...(remove.length > 0 ? { OptionsToRemove: remove } : {}),
      });
      const { environment, events } = await followOperation(ctx, updated, started, 'Ready', waitMs);
      return { Environment: environment, Events: events };
    },
    render: (r) => outcomeLine(r.Environment),
  });
}
