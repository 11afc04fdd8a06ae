/**
 * `wharf eb scale N [environment]`: runs N instances (Auto Scaling MinSize = MaxSize = N) and
 * waits until the environment is Ready again.
 */
import type { Command } from 'commander';
import type { EnvironmentEventView, EnvironmentView } from '../../../model/api/platform.js';
import { ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { parseWholeNumber, scaleSettings, timeoutMs } from './options.js';
import { environmentOf, findProject } from './project.js';
import { outcomeLine } from './render.js';
import { followOperation } from './wait.js';

interface Options {
  timeout?: string;
}

export function register(eb: Command): void {
  ebCommand<Options, { Environment: EnvironmentView; Events: readonly EnvironmentEventView[] }>(eb, {
    name: 'scale <number> [environment]',
    description: 'Run this many instances and wait until the environment is Ready',
    options: (c) => c.option('--timeout <minutes>', 'stop waiting after this long (default 30); the update goes on'),
    run: async (ctx, [number, named], o) => {
      const started = Date.now();
      const count = parseWholeNumber('scale', number as string, 1);
      const waitMs = timeoutMs(o.timeout);
      const environmentName = environmentOf(named as string | undefined, await findProject(ctx.cwd));
      const updated = await ebCall<EnvironmentView>(ctx.client, 'UpdateEnvironment', { EnvironmentName: environmentName, OptionSettings: scaleSettings(count) });
      const { environment, events } = await followOperation(ctx, updated, started, 'Ready', waitMs);
      return { Environment: environment, Events: events };
    },
    render: (r) => outcomeLine(r.Environment),
  });
}
