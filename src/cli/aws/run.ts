/**
 * Runs an AWS-named command (`wharf ecs create-cluster …`) as the AWS CLI would: the options read
 * by the operation's model (`argv.ts`, `arguments.ts`), `--cli-input-json`/`--cli-input-yaml` as
 * the base of the request, `--generate-cli-skeleton`, the native route called (`services.ts`),
 * every page fetched unless `--no-paginate` (`--max-items`, `--starting-token`, `--page-size`),
 * `wait <waiter>` by the model's waiter, and the answer printed by `--query` and `--output`, or
 * Wharf's readable rendering when neither is given.
 */
import type { ApiClient } from '../client.js';
import { clientFor } from '../client.js';
import { printError } from '../output.js';
import type { Arity, GlobalOptions, ParsedLine } from './argv.js';
import { parseLine, usageError } from './argv.js';
import { conform, parameterError, readParamFile, unpackArgument } from './arguments.js';
import type { AwsCommandSpec } from './command.js';
import type { OutputFormat } from './formats.js';
import { formatOutput } from './formats.js';
import type { OperationModel, Paginator, RequestShape, ServiceModel, StructureShape } from './model.js';
import { cliName, loadModel } from './model.js';
import { placeRequest } from '../../model/api/operation.js';
import type { Waiter } from './waiters.js';
import type { AwsService } from './services.js';
import { search } from './query.js';
import { skeleton } from './skeleton.js';
import { runWaiter } from './waiter.js';
import { helpText } from './help.js';

/** The options every operation has besides its members; the paging ones only where the operation pages. */
const OPERATION_OPTIONS: Readonly<Record<string, Arity>> = { '--cli-input-json': 'one', '--cli-input-yaml': 'one', '--generate-cli-skeleton': 'optional' };
const PAGING_OPTIONS: Readonly<Record<string, Arity>> = { '--max-items': 'one', '--starting-token': 'one', '--page-size': 'one' };

/** The command a line names: the operation (or the waiter) and its model. */
export interface ResolvedCommand {
  readonly service: AwsService;
  readonly model: ServiceModel;
  readonly operation: string;
  readonly op: OperationModel;
  readonly waiter?: { readonly name: string; readonly waiter: Waiter };
}

/** The member of the input an option names (`--task-definition` → `taskDefinition`), and whether it is the `--no-` form of a boolean. */
function memberOf(input: StructureShape, flag: string): { name: string; shape: RequestShape; negated: boolean } | undefined {
  for (const [name, member] of Object.entries(input.members)) {
    if (flag === `--${cliName(name)}`) return { name, shape: member(), negated: false };
    if (flag === `--no-${cliName(name)}`) {
      const shape = member();
      if (shape.kind === 'boolean') return { name, shape, negated: true };
    }
  }
  return undefined;
}

/** Runs the AWS-named command `argv` (without `node wharf`) names; returns the exit code. */
export async function runAwsCommand(service: AwsService, argv: readonly string[], words: readonly string[]): Promise<number> {
  let json = argv.includes('--json');
  try {
    const model = await loadModel(service);
    const [, commandWord, waiterWord] = words;
    const commands = (await service.commands?.()) ?? {};
    const wantsHelp = argv.includes('--help') || argv.includes('-h') || argv.includes('help');
    if (commandWord === undefined || commandWord === 'help' || (commandWord === 'wait' && (waiterWord === undefined || wantsHelp) && !model.waiters[waiterWord ?? ''])) {
      if (commandWord !== undefined && commandWord !== 'wait' && commandWord !== 'help') throw usageError(`Unknown command "${commandWord}"`);
      process.stdout.write(helpText(service, model, commands, commandWord === 'wait' ? 'waiters' : 'group'));
      return wantsHelp || commandWord === 'wait' || commandWord === 'help' ? 0 : 1;
    }
    const resolved = resolveCommand(service, model, commandWord, waiterWord);
    const input = resolved.op.input;
    const arity = (flag: string): Arity | undefined => {
      if (OPERATION_OPTIONS[flag] && !resolved.waiter) return OPERATION_OPTIONS[flag];
      if (flag === '--cli-input-json' || flag === '--cli-input-yaml') return 'one';
      if (PAGING_OPTIONS[flag] && resolved.op.paginator && !resolved.waiter) return PAGING_OPTIONS[flag];
      const member = memberOf(input, flag);
      if (!member) return undefined;
      // A value taken as it is (a field not acted on) may be a list: it takes every word, as a list does.
      return member.shape.kind === 'boolean' ? 'flag' : member.shape.kind === 'list' || member.shape.kind === 'any' ? 'many' : 'one';
    };
    const line = parseLine(argv, resolved.waiter ? 3 : 2, arity);
    json = line.globals.json;
    const description = commands[resolved.operation]?.description;
    if (line.help) {
      process.stdout.write(helpText(service, model, commands, 'command', resolved, description));
      return 0;
    }
    const skeletonKind = line.options.get('--generate-cli-skeleton');
    if (skeletonKind !== undefined) {
      process.stdout.write(await skeleton(resolved.op, skeletonKind[0] ?? 'input'));
      return 0;
    }
    const request = await buildRequest(resolved, line);
    const client = clientFor(line.globals);
    if (resolved.waiter) {
      await runWaiter(resolved.waiter.name, resolved.waiter.waiter, () => callOperation(client, resolved, request), search);
      return 0;
    }
    const result = await callPaged(client, resolved, request, line);
    const spec = resolved.waiter ? undefined : ((await commands[resolved.operation]?.load?.())?.command as AwsCommandSpec<unknown> | undefined);
    await printAnswer(resolved.operation, result, line.globals, spec?.render);
    return 0;
  } catch (error) {
    return printError(error, json);
  }
}

function resolveCommand(service: AwsService, model: ServiceModel, commandWord: string, waiterWord: string | undefined): ResolvedCommand {
  if (commandWord === 'wait') {
    const waiter = model.waiters[waiterWord ?? ''];
    if (!waiter) throw usageError(`Unknown waiter "${waiterWord ?? ''}"; the ${service.group} waiters are ${Object.keys(model.waiters).join(', ') || 'none'}`);
    const op = model.operations[waiter.operation];
    if (!op) throw new Error(`The waiter ${waiterWord ?? ''} calls ${waiter.operation}, which the CLI model lacks`);
    return { service, model, operation: waiter.operation, op, waiter: { name: waiterWord ?? '', waiter } };
  }
  const operation = Object.keys(model.operations).find((name) => cliName(name) === commandWord);
  const op = operation ? model.operations[operation] : undefined;
  if (!operation || !op) throw usageError(`Unknown command "${service.group} ${commandWord}"; run \`wharf ${service.group} help\` for the commands Wharf serves`);
  return { service, model, operation, op };
}

/** `--cli-input-json` / `--cli-input-yaml` as the base, each option given over it, checked against the input shape. */
async function buildRequest(resolved: ResolvedCommand, line: ParsedLine): Promise<Record<string, unknown>> {
  const input = resolved.op.input;
  let request: Record<string, unknown> = {};
  const inputJson = line.options.get('--cli-input-json')?.[0];
  const inputYaml = line.options.get('--cli-input-yaml')?.[0];
  if (inputJson !== undefined && inputYaml !== undefined) throw usageError('Give --cli-input-json or --cli-input-yaml, not both');
  if (inputJson !== undefined || inputYaml !== undefined) {
    const flag = inputJson !== undefined ? '--cli-input-json' : '--cli-input-yaml';
    const text = readParamFile(flag, (inputJson ?? inputYaml)!);
    let parsed: unknown;
    try {
      parsed = inputJson !== undefined ? JSON.parse(text) : (await import('yaml')).parse(text);
    } catch (error) {
      throw parameterError(flag, `${inputJson !== undefined ? 'Invalid JSON' : 'Invalid YAML'}: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw parameterError(flag, `expected a ${inputJson !== undefined ? 'JSON' : 'YAML'} object of the request's fields, inline or as file://path`);
    request = conform(input, parsed, flag, 'json') as Record<string, unknown>;
  }
  for (const [flag, words] of line.options) {
    if (flag.startsWith('--cli-') || flag === '--generate-cli-skeleton' || flag in PAGING_OPTIONS) continue;
    const member = memberOf(input, flag);
    if (!member) continue;
    request[member.name] = member.shape.kind === 'boolean' ? !member.negated : unpackArgument(member.shape, flag, words);
  }
  const missing = input.required.filter((name) => request[name] === undefined);
  if (missing.length > 0) throw usageError(`the following arguments are required: ${missing.map((name) => `--${cliName(name)}`).join(', ')}`);
  return request;
}

/** One call of the operation's native route, the request placed where the route takes it. */
export async function callOperation(client: ApiClient, resolved: ResolvedCommand, request: Record<string, unknown>): Promise<unknown> {
  const placed = placeRequest(resolved.op.api, request);
  return client.request(placed.method as 'GET' | 'POST' | 'DELETE', placed.path, placed.body !== undefined ? { body: placed.body } : { query: (placed.query ?? {}) as Record<string, string> });
}

interface StartingToken {
  readonly token?: unknown;
  /** How many of the next page's results the previous call already showed. */
  readonly skip: number;
}

/** The AWS CLI's starting token: base64 of `{"<input token>": …, "boto_truncate_amount": n}`; a raw API token is taken too. */
function decodeToken(paginator: Paginator, text: string): StartingToken {
  try {
    const decoded = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Record<string, unknown>;
    if (decoded && typeof decoded === 'object' && (paginator.inputToken in decoded || 'boto_truncate_amount' in decoded)) {
      return { token: decoded[paginator.inputToken] ?? undefined, skip: Number(decoded.boto_truncate_amount ?? 0) };
    }
  } catch {
    // not one of ours: the API's own token
  }
  return { token: text, skip: 0 };
}

function encodeToken(paginator: Paginator, token: unknown, skip: number): string {
  return Buffer.from(JSON.stringify({ [paginator.inputToken]: token ?? null, boto_truncate_amount: skip })).toString('base64');
}

const positiveInteger = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw parameterError(flag, `expected a whole number of 1 or more, got "${value}"`);
  return n;
};

/**
 * The answer of a paged operation as the AWS CLI gives it: every page's results joined (up to
 * `--max-items`, then `NextToken` to resume with `--starting-token`), the API's own token
 * removed. With `--no-paginate`, or when the API's own token or limit is given, one call as is.
 */
async function callPaged(client: ApiClient, resolved: ResolvedCommand, request: Record<string, unknown>, line: ParsedLine): Promise<unknown> {
  const paginator = resolved.op.paginator;
  const userPaged = paginator && (request[paginator.inputToken] !== undefined || (paginator.limitKey !== undefined && request[paginator.limitKey] !== undefined && !line.options.has('--page-size')));
  if (paginator && (!line.globals.paginate || userPaged)) {
    // As the AWS CLI: the API's own token or limit turns paging off, and paging options cannot go with that.
    const used = Object.keys(PAGING_OPTIONS).filter((flag) => line.options.has(flag));
    if (used.length > 0) throw usageError(`Cannot specify --no-paginate (or the API's own ${paginator.limitKey ? `--${cliName(paginator.limitKey)}, ` : ''}--${cliName(paginator.inputToken)}) along with pagination arguments: ${used.join(', ')}`);
  }
  if (!paginator || !line.globals.paginate || userPaged) return callOperation(client, resolved, request);
  const maxItems = positiveInteger('--max-items', line.options.get('--max-items')?.[0]);
  const pageSize = positiveInteger('--page-size', line.options.get('--page-size')?.[0]);
  const startText = line.options.get('--starting-token')?.[0];
  let { token, skip } = startText ? decodeToken(paginator, startText) : { token: undefined, skip: 0 };
  const merged: Record<string, unknown> = {};
  const results: Record<string, unknown[]> = Object.fromEntries(paginator.resultKeys.map((key) => [key, []]));
  let count = 0;
  for (;;) {
    const page = (await callOperation(client, resolved, { ...request, ...(token !== undefined ? { [paginator.inputToken]: token } : {}), ...(pageSize && paginator.limitKey ? { [paginator.limitKey]: pageSize } : {}) })) as Record<string, unknown>;
    for (const [key, value] of Object.entries(page ?? {})) if (!(key in results) && key !== paginator.outputToken && key !== paginator.moreResults) merged[key] ??= value;
    const next = paginator.moreResults === undefined || page?.[paginator.moreResults] === true ? page?.[paginator.outputToken] : undefined;
    const pageItems = paginator.resultKeys.map((key) => (Array.isArray(page?.[key]) ? (page[key] as unknown[]) : []));
    const available = Math.max(...pageItems.map((items) => items.length), 0) - skip;
    if (maxItems !== undefined && count + available > maxItems) {
      const take = maxItems - count;
      pageItems.forEach((items, i) => results[paginator.resultKeys[i]!]!.push(...items.slice(skip, skip + take)));
      return { ...merged, ...results, NextToken: encodeToken(paginator, token, skip + take) };
    }
    pageItems.forEach((items, i) => results[paginator.resultKeys[i]!]!.push(...items.slice(skip)));
    count += available;
    skip = 0;
    if (next === undefined || next === null || next === '') return { ...merged, ...results };
    token = next;
    if (maxItems !== undefined && count >= maxItems) return { ...merged, ...results, NextToken: encodeToken(paginator, token, 0) };
  }
}

/** Prints the answer: `--query` then `--output`; else `--json`; else the readable rendering, or JSON where the command has none. */
async function printAnswer(operation: string, result: unknown, globals: GlobalOptions, render: ((result: unknown) => string) | undefined): Promise<void> {
  if (globals.query !== undefined || globals.output !== undefined) {
    const data = globals.query !== undefined ? await search(result, globals.query) : result;
    const format: OutputFormat = globals.output ?? (globals.json ? 'json' : 'json');
    process.stdout.write(await formatOutput(format, operation, data));
    return;
  }
  if (globals.json || !render) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const text = render(result);
  if (text !== '') process.stdout.write(text + '\n');
}
