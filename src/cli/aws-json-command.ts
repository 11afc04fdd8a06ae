/**
 * The shape of the `wharf elbv2` and `wharf application-autoscaling` commands: AWS CLI flags mapped
 * onto the AWS request (PascalCase JSON, as the AWS CLI sends it), `--cli-input-json` for the whole
 * request, POST to the operation's route, and the response printed as JSON (these answers are
 * small documents already).
 */
import type { Command } from 'commander';
import { wharfError } from '../model/errors.js';
import { apiCommand, collect, readCliInputJson } from './command.js';
import { parseJsonFlag } from './json-flag.js';

/** How a flag's text becomes a request field. */
export type FlagKind = 'string' | 'number' | 'json' | 'list' | 'targets';

export interface FlagSpec {
  /** The AWS CLI flag without dashes, e.g. `target-group-arn`. */
  readonly flag: string;
  /** The request field, e.g. `TargetGroupArn`. */
  readonly key: string;
  readonly kind: FlagKind;
  readonly help: string;
}

/** `Id=10.0.0.1,Port=80` (the AWS CLI's shorthand for a target). */
function target(value: string): { Id: string; Port?: number } {
  const fields = Object.fromEntries(value.split(',').map((part) => part.split('=') as [string, string]));
  if (!fields.Id) throw wharfError('WHARF_E_USAGE', { reason: `--targets takes Id=<address>,Port=<port>, not "${value}"` });
  return { Id: fields.Id, ...(fields.Port ? { Port: Number(fields.Port) } : {}) };
}

/** Adds `name` under `parent`, posting to `route` (e.g. `/v1/elbv2/CreateTargetGroup`). */
export function awsJsonCommand(parent: Command, name: string, route: string, description: string, flags: readonly FlagSpec[]): void {
  apiCommand<Record<string, unknown>, unknown>(parent, {
    name,
    description,
    options: (c) => {
      for (const f of flags) {
        const kindHint = f.kind === 'json' ? ' (JSON)' : f.kind === 'targets' ? ' (Id=...,Port=...; repeat for more)' : f.kind === 'list' ? ' (repeat for more)' : '';
        if (f.kind === 'list' || f.kind === 'targets') c.option(`--${f.flag} <value>`, f.help + kindHint, collect);
        else c.option(`--${f.flag} <value>`, f.help + kindHint);
      }
      c.option('--cli-input-json <json|file://path>', 'the whole request as JSON');
    },
    run: async ({ client }, o) => {
      const body = await readCliInputJson(o.cliInputJson as string | undefined);
      for (const f of flags) {
        const optionName = f.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
        const value = o[optionName];
        if (value === undefined) continue;
        if (f.kind === 'number') body[f.key] = Number(value);
        else if (f.kind === 'json') body[f.key] = await parseJsonFlag(`--${f.flag}`, value as string);
        else if (f.kind === 'targets') body[f.key] = (value as string[]).map(target);
        else body[f.key] = value;
      }
      return client.request('POST', route, { body });
    },
    render: (result) => JSON.stringify(result, null, 2),
  });
}
