/**
 * The shape of the `wharf iam …` commands: the AWS CLI's flags mapped onto the IAM request
 * (PascalCase JSON), POST to `/v1/iam/<Operation>`, and a readable rendering (`--json` prints the
 * answer as it came). Policy documents are sent as the text given (inline JSON or `file://path`),
 * so the controller's parser can say at which line and column a broken one breaks.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { wharfError } from '../../../model/errors.js';
import type { UserView } from '../../../model/api/iam.js';
import { apiCommand } from '../../command.js';
import { table } from '../../output.js';

/** How a flag's text becomes a request field: as is, a number, a space-separated list, or a policy document. */
export type IamFlagKind = 'string' | 'number' | 'list' | 'document';

export interface IamFlag {
  /** The AWS CLI flag without dashes, e.g. `user-name`. */
  readonly flag: string;
  /** The request field, e.g. `UserName`. */
  readonly key: string;
  readonly kind?: IamFlagKind;
  readonly help: string;
  readonly required?: boolean;
}

export interface IamCommandSpec<R> {
  readonly name: string;
  readonly operation: string;
  readonly description: string;
  readonly flags: readonly IamFlag[];
  readonly render: (result: R) => string;
}

/** A policy document flag's text: the file's for `file://path`, else the value itself. */
export async function documentText(flag: string, value: string): Promise<string> {
  if (!value.startsWith('file://')) return value;
  const file = value.slice('file://'.length);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw wharfError('WHARF_E_USAGE', { reason: `Cannot read --${flag} file ${file}: ${(error as Error).message}` });
  }
}

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Adds `spec.name` under `parent` (the `iam` command). */
export function iamCommand<R>(parent: Command, spec: IamCommandSpec<R>): void {
  apiCommand<Record<string, unknown>, R>(parent, {
    name: spec.name,
    description: spec.description,
    options: (c) => {
      for (const f of spec.flags) {
        const value = f.kind === 'list' ? '<values...>' : f.kind === 'document' ? '<json|file://path>' : '<value>';
        const help = f.help + (f.kind === 'list' ? ' (space-separated)' : '');
        if (f.required) c.requiredOption(`--${f.flag} ${value}`, help);
        else c.option(`--${f.flag} ${value}`, help);
      }
    },
    run: async ({ client }, o) => {
      const body: Record<string, unknown> = {};
      for (const f of spec.flags) {
        const value = o[camel(f.flag)];
        if (value === undefined) continue;
        if (f.kind === 'number') body[f.key] = Number(value);
        else if (f.kind === 'document') body[f.key] = await documentText(f.flag, value as string);
        else body[f.key] = value;
      }
      return client.request<R>('POST', `/v1/iam/${spec.operation}`, { body });
    },
    render: spec.render,
  });
}

/** The flags of a list operation's paging, as the AWS CLI names them. */
export const PAGE_FLAGS: readonly IamFlag[] = [
  { flag: 'max-items', key: 'MaxItems', kind: 'number', help: 'at most this many' },
  { flag: 'starting-token', key: 'Marker', help: 'the Marker of the previous page' },
];

/** The line that says more remain, when they do. */
export function moreLine(page: { IsTruncated: boolean; Marker?: string }): string[] {
  return page.IsTruncated && page.Marker ? [`(more: --starting-token ${page.Marker})`] : [];
}

/** Users as a table: name, ARN, created. */
export function userTable(users: readonly UserView[]): string {
  return table([['NAME', 'ARN', 'CREATED'], ...users.map((u) => [u.UserName, u.Arn, u.CreateDate])]);
}
