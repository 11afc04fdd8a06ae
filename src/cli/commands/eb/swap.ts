/**
 * `wharf eb swap [environment] [-n destination]`: swaps the CNAMEs of two environments of the
 * application (SwapEnvironmentCNAMEs), the last step of a blue/green deployment: each host name
 * moves to the other environment at once on the router. Without -n, the application's one other
 * environment is the destination; with several, the command says to name one.
 */
import type { Command } from 'commander';
import type { EnvironmentEventView, EnvironmentView } from '../../../model/api/platform.js';
import { wharfError } from '../../../model/errors.js';
import { describeEnvironment, ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { environmentOf, findProject } from './project.js';
import { eventLine } from './render.js';
import { EventCursor, pollEvents } from './wait.js';

interface Options {
  destinationName?: string;
}

interface Result {
  Source: EnvironmentView;
  Destination: EnvironmentView;
  Events: readonly EnvironmentEventView[];
}

/** The environment to swap with: the one named, else the application's only other live environment. */
async function destinationOf(ctx: { client: Parameters<typeof ebCall>[0] }, source: EnvironmentView, named: string | undefined): Promise<string> {
  if (named !== undefined) return named;
  const { Environments } = await ebCall<{ Environments: EnvironmentView[] }>(ctx.client, 'DescribeEnvironments', { ApplicationName: source.ApplicationName });
  const others = Environments.filter((e) => e.EnvironmentId !== source.EnvironmentId && e.Status !== 'Terminated').map((e) => e.EnvironmentName);
  if (others.length === 1) return others[0]!;
  throw wharfError('WHARF_E_USAGE', {
    reason:
      others.length === 0
        ? `Application ${source.ApplicationName} has no other environment to swap ${source.EnvironmentName} with. Make one with \`wharf eb clone ${source.EnvironmentName}\`, deploy to it, then swap`
        : `Name the environment to swap ${source.EnvironmentName} with: -n <environment> (one of ${others.join(', ')})`,
  });
}

export function register(eb: Command): void {
  ebCommand<Options, Result>(eb, {
    name: 'swap [environment]',
    description: "Swap the environment's CNAME with another environment's (blue/green deployment)",
    options: (c) => c.option('-n, --destination-name <environment>', 'the environment to swap with (default: the application\'s only other environment)'),
    run: async (ctx, [named], o) => {
      const started = Date.now();
      const source = await describeEnvironment(ctx.client, environmentOf(named as string | undefined, await findProject(ctx.cwd)));
      const destinationName = await destinationOf(ctx, source, o.destinationName);
      await ebCall(ctx.client, 'SwapEnvironmentCNAMEs', { SourceEnvironmentName: source.EnvironmentName, DestinationEnvironmentName: destinationName });
      const events = await pollEvents(ctx.client, new EventCursor(started - 1000), { EnvironmentId: source.EnvironmentId });
      for (const event of events) ctx.say(eventLine(event));
      const [after, destination] = await Promise.all([describeEnvironment(ctx.client, source.EnvironmentName), describeEnvironment(ctx.client, destinationName)]);
      return { Source: after, Destination: destination, Events: events };
    },
    render: (r) =>
      [`Environment ${r.Source.EnvironmentName} now answers at ${r.Source.CNAME} (${r.Source.URL}).`, `Environment ${r.Destination.EnvironmentName} now answers at ${r.Destination.CNAME} (${r.Destination.URL}).`].join('\n'),
  });
}
