/**
 * The shape of every `wharf eb` command: `apiCommand`'s (a `run` that calls the API, a readable
 * `render`, `--json` for free) plus what the EB CLI's commands need on top: positional arguments,
 * the project folder the command runs in, and lines printed while it works (events, a progress
 * line) that `--json` keeps off stdout, so stdout stays one JSON document.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from 'commander';
import type { ApiClient } from '../../client.js';
import { clientFor } from '../../client.js';
import type { GlobalOptions } from '../../command.js';
import { printResult } from '../../output.js';

/** What an eb command's `run` gets. */
export interface EbContext {
  readonly client: ApiClient;
  readonly json: boolean;
  /** The folder the command runs in (the project is found from it). */
  readonly cwd: string;
  /** Prints a line now (an event as it happens); nothing with --json. */
  say(line: string): void;
  /** Shows (or with undefined, clears) a one-line status on a terminal's stderr; nothing elsewhere. */
  progress(text: string | undefined): void;
}

export interface EbCommandSpec<O, R> {
  /** The name and its arguments as commander takes them, e.g. `create [environment]`. */
  readonly name: string;
  readonly description: string;
  readonly options?: (command: Command) => void;
  /**
   * `args` are the positional arguments in order (a variadic one as an array). A command that
   * prints as it goes (`--refresh`, `--follow`) returns undefined: there is nothing more to print.
   */
  readonly run: (ctx: EbContext, args: readonly unknown[], options: O & GlobalOptions) => Promise<R | undefined>;
  readonly render: (result: R) => string;
}

/** The terminal output of one command: event lines on stdout, the progress line on stderr's last line. */
function terminalOutput(json: boolean): Pick<EbContext, 'say' | 'progress'> {
  const live = !json && process.stderr.isTTY === true;
  let shown = false;
  const clear = () => {
    if (shown) process.stderr.write('\r\x1b[K');
    shown = false;
  };
  return {
    say(line) {
      if (json) return;
      clear();
      process.stdout.write(line + '\n');
    },
    progress(text) {
      if (!live) return;
      clear();
      if (text === undefined) return;
      process.stderr.write(text.slice(0, Math.max(20, (process.stderr.columns ?? 80) - 1)));
      shown = true;
    },
  };
}

/** Adds an eb command under `parent`. */
export function ebCommand<O, R>(parent: Command, spec: EbCommandSpec<O, R>): Command {
  const command = parent.command(spec.name).description(spec.description);
  spec.options?.(command);
  command.action(async (...params: unknown[]) => {
    const cmd = params[params.length - 1] as Command;
    const options = cmd.optsWithGlobals<O & GlobalOptions>();
    const json = options.json === true;
    const output = terminalOutput(json);
    const ctx: EbContext = { client: clientFor(options), json, cwd: process.cwd(), ...output };
    let result: R | undefined;
    try {
      result = await spec.run(ctx, cmd.processedArgs, options);
    } finally {
      // The result, or the error, goes on a line of its own.
      output.progress(undefined);
    }
    if (result !== undefined) printResult(result, json, spec.render as (result: never) => string);
  });
  return command;
}

/**
 * A signal that aborts on Ctrl-C (or SIGTERM), for the commands that run until then (`health
 * --refresh`, `events --follow`): they stop cleanly and exit 0.
 */
export function interruption(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

/** Sleeps `ms`, or less when `signal` aborts; never throws. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}
