/**
 * The shape of every API-calling CLI command: options parsed by commander, an API call, a readable
 * rendering, and `--json` for free. Each command lives in its own file under `commands/`.
 */
import type { Command } from 'commander';
import { wharfError } from '../model/errors.js';
import type { ApiClient } from './client.js';
import { clientFor } from './client.js';
import { printResult } from './output.js';

/** What a command's `run` gets. */
export interface CliContext {
  readonly client: ApiClient;
  readonly json: boolean;
}

/** Options every command has, set on the root program. */
export interface GlobalOptions {
  endpoint?: string;
  profile?: string;
  region?: string;
  json?: boolean;
}

export interface ApiCommandSpec<O, R> {
  readonly name: string;
  readonly description: string;
  /** Declares the command's own options on it. */
  readonly options?: (command: Command) => void;
  readonly run: (ctx: CliContext, options: O) => Promise<R>;
  readonly render: (result: R) => string;
}

/** Adds an API-calling command under `parent`. */
export function apiCommand<O, R>(parent: Command, spec: ApiCommandSpec<O, R>): Command {
  const command = parent.command(spec.name).description(spec.description);
  spec.options?.(command);
  command.action(async (_args: unknown, cmd: Command) => {
    const options = cmd.optsWithGlobals<O & GlobalOptions>();
    const ctx: CliContext = { client: clientFor(options), json: options.json === true };
    const result = await spec.run(ctx, options);
    printResult(result, ctx.json, spec.render as (result: never) => string);
  });
  return command;
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses `key=value` (a repeatable `--attribute` of `wharf agent`). */
export function keyValue(value: string, previous: { key: string; value: string }[] = []): { key: string; value: string }[] {
  const at = value.indexOf('=');
  if (at <= 0) throw wharfError('WHARF_E_USAGE', { reason: `Expected key=value, got "${value}"` });
  return [...previous, { key: value.slice(0, at), value: value.slice(at + 1) }];
}
