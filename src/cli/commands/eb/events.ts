/**
 * `wharf eb events [environment] [-f]`: the environment's recent events, oldest first, as the EB
 * CLI prints them; `--follow` keeps printing new ones (polled every second) until Ctrl-C.
 */
import type { Command } from 'commander';
import type { EnvironmentEventView } from '../../../model/api/platform.js';
import { describeEnvironment, ebCall } from './api.js';
import { ebCommand, interruption, pause } from './eb-command.js';
import { parseWholeNumber } from './options.js';
import { environmentOf, findProject } from './project.js';
import { eventLine } from './render.js';
import { EventCursor, WAIT_POLL_INTERVAL_MS, pollEvents } from './wait.js';

/** How many recent events are shown by default. */
export const DEFAULT_EVENT_COUNT = 100;

interface Options {
  follow?: boolean;
  maxRecords?: string;
}

export function register(eb: Command): void {
  ebCommand<Options, { Events: EnvironmentEventView[] }>(eb, {
    name: 'events [environment]',
    description: "Show the environment's recent events; -f keeps following them",
    options: (c) =>
      c
        .option('-f, --follow', 'keep printing new events until Ctrl-C')
        .option('--max-records <n>', `how many recent events (default ${DEFAULT_EVENT_COUNT}, at most 1000)`),
    run: async (ctx, [named], o) => {
      const environmentName = environmentOf(named as string | undefined, await findProject(ctx.cwd));
      const max = o.maxRecords === undefined ? DEFAULT_EVENT_COUNT : Math.min(parseWholeNumber('--max-records', o.maxRecords, 1), 1000);
      const { Events } = await ebCall<{ Events: EnvironmentEventView[] }>(ctx.client, 'DescribeEvents', { EnvironmentName: environmentName, MaxRecords: max });
      // No events at all may be a misspelt name: say so rather than print nothing.
      if (Events.length === 0) await describeEnvironment(ctx.client, environmentName);
      if (!o.follow) return { Events };

      const print = (event: EnvironmentEventView) => process.stdout.write((ctx.json ? JSON.stringify(event) : eventLine(event)) + '\n');
      // From the newest event shown on (or from now, when there was none).
      const cursor = new EventCursor(Events.length > 0 ? 0 : Date.now());
      cursor.take(Events).forEach(print);
      const stopped = interruption();
      for (;;) {
        await pause(WAIT_POLL_INTERVAL_MS, stopped);
        if (stopped.aborted) return undefined;
        (await pollEvents(ctx.client, cursor, { EnvironmentName: environmentName })).forEach(print);
      }
    },
    render: ({ Events }) => [...Events].reverse().map(eventLine).join('\n'),
  });
}
