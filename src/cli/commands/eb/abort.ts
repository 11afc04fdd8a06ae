/**
 * `wharf eb abort [environment]`: stops the environment's deployment or configuration update in
 * progress (AbortEnvironmentUpdate) and prints its events until it is Ready again on its previous
 * version and settings; exit 1 if nothing can be aborted, the rollback fails or --timeout passes.
 */
import type { Command } from 'commander';
import type { EnvironmentEventView, EnvironmentView } from '../../../model/api/platform.js';
import { describeEnvironment, ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { timeoutMs } from './options.js';
import { environmentOf, findProject } from './project.js';
import { outcomeLine } from './render.js';
import { followOperation } from './wait.js';

interface Options {
  timeout?: string;
}

interface Result {
  Environment: EnvironmentView;
  Events: readonly EnvironmentEventView[];
}

export function register(eb: Command): void {
  ebCommand<Options, Result>(eb, {
    name: 'abort [environment]',
    description: 'Abort the deployment or configuration update in progress and wait until the environment is Ready on its previous version',
    options: (c) => c.option('--timeout <minutes>', 'stop waiting after this long (default 30); the rollback goes on'),
    run: async (ctx, [named], o) => {
      const started = Date.now();
      const waitMs = timeoutMs(o.timeout);
      const environmentName = environmentOf(named as string | undefined, await findProject(ctx.cwd));
      const current = await describeEnvironment(ctx.client, environmentName);
      // The API says why when nothing can be aborted (WHARF_E_NO_ABORTABLE_OPERATION).
      await ebCall(ctx.client, 'AbortEnvironmentUpdate', { EnvironmentId: current.EnvironmentId });
      ctx.say(`Aborting the ${current.Operation?.Kind ?? 'update'} of environment ${environmentName}${current.Operation?.VersionLabel ? ` (version ${current.Operation.VersionLabel})` : ''}.`);
      const { environment, events } = await followOperation(ctx, current, started, 'Ready', waitMs, { abortAwaited: true });
      return { Environment: environment, Events: events };
    },
    render: (r) => `${outcomeLine(r.Environment)}\nThe update was aborted.`,
  });
}
