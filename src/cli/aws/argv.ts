/**
 * The command line of an AWS-named command, read as the AWS CLI reads it:
 * `wharf [global options] <group> <operation> [options]` (or `<group> wait <waiter>`), global
 * options anywhere, each operation option named after its model member (`--task-definition`),
 * taking words by its shape (`arguments.ts`): a list takes every word up to the next option, a
 * boolean is `--force` / `--no-force`, anything else one word; `--name=value` also works.
 */
import { wharfError } from '../../model/errors.js';
import type { WharfError } from '../../model/errors.js';
import type { OutputFormat } from './formats.js';
import { OUTPUT_FORMATS } from './formats.js';

/** The global options (the AWS CLI's, plus Wharf's `--endpoint` and `--json`). */
export interface GlobalOptions {
  endpoint?: string;
  profile?: string;
  region?: string;
  output?: OutputFormat;
  query?: string;
  json: boolean;
  paginate: boolean;
  color?: string;
  readTimeoutSeconds?: number;
  connectTimeoutSeconds?: number;
}

/** Global options that take a value; `--endpoint-url` is the AWS CLI's name for `--endpoint`. */
const GLOBAL_VALUES = new Set(['--endpoint', '--endpoint-url', '--profile', '--region', '--output', '--query', '--color', '--cli-read-timeout', '--cli-connect-timeout', '--cli-binary-format', '--ca-bundle']);
/** Global flags: accepted; those with no meaning for Wharf change nothing. */
const GLOBAL_FLAGS = new Set(['--json', '--no-paginate', '--no-cli-pager', '--debug', '--no-verify-ssl', '--no-cli-auto-prompt', '--cli-auto-prompt']);

export const usageError = (reason: string): WharfError => wharfError('WHARF_E_USAGE', { reason });

/** True when `argv` (after `node wharf`) starts with global options and then `word`'s position holds a group. */
export function leadingWords(argv: readonly string[]): { words: string[]; rest: string[]; globals: [string, string | undefined][] } | undefined {
  const globals: [string, string | undefined][] = [];
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('--')) {
    const [name, inline] = splitInline(argv[i]!);
    if (GLOBAL_VALUES.has(name)) {
      if (inline !== undefined) globals.push([name, inline]);
      else {
        globals.push([name, argv[i + 1]]);
        i += 1;
      }
    } else if (GLOBAL_FLAGS.has(name)) globals.push([name, undefined]);
    else return undefined;
    i += 1;
  }
  return { words: argv.slice(i, i + 3).filter((w) => !w.startsWith('-')), rest: argv.slice(i), globals };
}

function splitInline(arg: string): [string, string | undefined] {
  const equals = arg.indexOf('=');
  return equals > 2 ? [arg.slice(0, equals), arg.slice(equals + 1)] : [arg, undefined];
}

/** How many words an operation option takes. */
export type Arity = 'one' | 'many' | 'flag' | 'optional';

export interface ParsedLine {
  readonly globals: GlobalOptions;
  /** The positional words: group, operation (and the waiter's name). */
  readonly words: readonly string[];
  /** Each operation option given, by its flag (`--tags`), with its words; a flag's is `true`/`false`. */
  readonly options: ReadonlyMap<string, readonly string[]>;
  readonly help: boolean;
}

/**
 * Reads the command line. `arity` says how an operation option takes words (undefined: not an
 * option of this command, a usage error naming it). `positionals` is how many words name the
 * command (2, or 3 for `wait <waiter>`).
 */
export function parseLine(argv: readonly string[], positionals: number, arity: (flag: string) => Arity | undefined): ParsedLine {
  const globals: GlobalOptions = { json: false, paginate: true };
  const words: string[] = [];
  const options = new Map<string, string[]>();
  let help = false;
  const need = (flag: string, value: string | undefined): string => {
    if (value === undefined || (value.startsWith('--') && value.length > 2)) throw usageError(`${flag} expects a value`);
    return value;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h' || (arg === 'help' && words.length >= 1)) {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      if (words.length < positionals) {
        words.push(arg);
        continue;
      }
      throw usageError(`Unexpected argument "${arg}" (an option's value must follow its option, e.g. --services web web2)`);
    }
    const [name, inline] = splitInline(arg);
    const next = (): string => {
      if (inline !== undefined) return inline;
      i += 1;
      return need(name, argv[i]);
    };
    if (GLOBAL_FLAGS.has(name)) {
      if (name === '--json') globals.json = true;
      if (name === '--no-paginate') globals.paginate = false;
      continue;
    }
    if (GLOBAL_VALUES.has(name)) {
      const value = next();
      switch (name) {
        case '--endpoint':
        case '--endpoint-url':
          globals.endpoint = value;
          break;
        case '--profile':
          globals.profile = value;
          break;
        case '--region':
          globals.region = value;
          break;
        case '--query':
          globals.query = value;
          break;
        case '--color':
          if (!['on', 'off', 'auto'].includes(value)) throw usageError(`--color takes on, off or auto, not "${value}"`);
          globals.color = value;
          break;
        case '--output':
          if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) throw usageError(`--output takes ${OUTPUT_FORMATS.join(', ')}, not "${value}"`);
          globals.output = value as OutputFormat;
          break;
        case '--cli-read-timeout':
        case '--cli-connect-timeout': {
          const seconds = Number(value);
          if (!Number.isFinite(seconds) || seconds < 0) throw usageError(`${name} takes seconds (0 for no limit), not "${value}"`);
          if (name === '--cli-read-timeout') globals.readTimeoutSeconds = seconds;
          else globals.connectTimeoutSeconds = seconds;
          break;
        }
      }
      continue;
    }
    const kind = arity(name);
    if (kind === undefined) throw usageError(`Unknown option ${name}`);
    if (kind === 'flag') {
      if (inline !== undefined) throw usageError(`${name} takes no value (it is a flag; --no-${name.slice(2)} is its opposite)`);
      options.set(name, ['true']);
      continue;
    }
    if (kind === 'optional') {
      const value = inline ?? (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') ? argv[++i] : undefined);
      options.set(name, value === undefined ? [] : [value]);
      continue;
    }
    if (kind === 'one') {
      options.set(name, [next()]);
      continue;
    }
    // A list: every word up to the next option; a repeated option adds to it.
    const values = [...(options.get(name) ?? [])];
    if (inline !== undefined) values.push(inline);
    else {
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) values.push(argv[++i]!);
      if (values.length === (options.get(name)?.length ?? 0)) throw usageError(`${name} expects one or more values`);
    }
    options.set(name, values);
  }
  return { globals, words, options, help };
}
