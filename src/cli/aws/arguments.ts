/**
 * One command-line option's words → the request value, typed by the option's shape (read from
 * Wharf's request schema, `model.ts`), as the AWS CLI v2 does it (awscli/argprocess.py):
 *
 * - a scalar takes one word: a number where the shape is a number, the text for a string;
 *   booleans are flags (`--force` / `--no-force`), handled by the command line (`argv.ts`);
 * - a list of scalars takes its words (`--services web web2`), or one JSON array;
 * - a structure or map takes one shorthand word (`maximumPercent=200,minimumHealthyPercent=100`)
 *   or JSON; a list of structures takes one shorthand word per element (`--tags key=a,value=b
 *   key=c,value=d`) or one JSON array;
 * - a value starting with `{` or `[` is JSON; `file://path` is replaced by the file's text first.
 *
 * - a value the schema takes as it is (a document, a field Wharf does not act on) takes JSON, or
 *   its word as text; several words are a list of them.
 *
 * The result is then checked against the shape (as botocore validates): unknown keys, wrong types
 * and a list where one value belongs are errors naming the option and the path in it, never sent
 * in another shape. The controller checks the rest (ranges, patterns) when it parses the request.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { wharfError } from '../../model/errors.js';
import type { WharfError } from '../../model/errors.js';
import type { RequestShape } from './model.js';
import type { ShorthandValue } from './shorthand.js';
import { parseShorthand, ShorthandSyntaxError } from './shorthand.js';

/** An option's value the CLI cannot take: names the option and says what form it expects. */
export function parameterError(flag: string, message: string): WharfError {
  return wharfError('WHARF_E_USAGE', { reason: `Error parsing parameter '${flag}': ${message}` });
}

/** `file://path` (and `fileb://path`) → the file's text, as the AWS CLI reads parameter files; any other value unchanged. */
export function readParamFile(flag: string, value: string): string {
  const prefix = value.startsWith('file://') ? 'file://' : value.startsWith('fileb://') ? 'fileb://' : undefined;
  if (!prefix) return value;
  const file = value.slice(prefix.length).replace(/^~(?=\/|$)/, os.homedir());
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw parameterError(flag, `Unable to load paramfile ${value}: ${(error as Error).message}`);
  }
}

const looksLikeJson = (value: string): boolean => /^\s*[[{]/.test(value);

function parseJson(flag: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw parameterError(flag, `Invalid JSON: ${(error as Error).message}\nJSON received: ${text}`);
  }
}

function shorthand(flag: string, text: string): ShorthandValue {
  try {
    return parseShorthand(text);
  } catch (error) {
    if (error instanceof ShorthandSyntaxError) throw parameterError(flag, error.message);
    throw error;
  }
}

/** True when the shape takes shorthand (a structure, a map, or a list of those). */
export function takesShorthand(shape: RequestShape): boolean {
  if (shape.kind === 'structure' || shape.kind === 'map') return true;
  if (shape.kind === 'list') return ['structure', 'map', 'list'].includes(shape.element.kind);
  return false;
}

/**
 * The request value of option `flag` (shape `shape`) from its words on the command line: one word
 * for a scalar, structure or map, one or more for a list.
 */
export function unpackArgument(shape: RequestShape, flag: string, words: readonly string[]): unknown {
  const loaded = words.map((word) => readParamFile(flag, word));
  const [first = ''] = loaded;
  if (shape.kind === 'list') {
    if (looksLikeJson(first)) {
      // One JSON array, or (as the AWS CLI takes it) one JSON value per word.
      if (loaded.length === 1 && first.trimStart().startsWith('[')) return conform(shape, parseJson(flag, first), flag, 'json');
      return loaded.map((word, i) => conform(shape.element, parseJson(flag, word), `${flag}[${i}]`, 'json'));
    }
    if (takesShorthand(shape)) return loaded.map((word, i) => conform(shape.element, shorthandElement(shape.element, flag, word), `${flag}[${i}]`, 'shorthand'));
    return loaded.map((word, i) => conform(shape.element, word, `${flag}[${i}]`, 'shorthand'));
  }
  if (shape.kind === 'any') {
    const values = loaded.map((word) => (looksLikeJson(word) ? parseJson(flag, word) : word));
    return values.length === 1 ? values[0] : values;
  }
  if (loaded.length !== 1) throw parameterError(flag, `expected one value, got ${loaded.length} (${loaded.join(' ')}); quote a value that holds spaces`);
  if (shape.kind === 'structure' || shape.kind === 'map') {
    if (looksLikeJson(first)) return conform(shape, parseJson(flag, first), flag, 'json');
    return conform(shape, valueSpecialCase(shape, first) ?? shorthand(flag, first), flag, 'shorthand');
  }
  return conform(shape, first, flag, 'shorthand');
}

/** A list element in shorthand: a structure's `k=v,...`; a map's the same. */
function shorthandElement(shape: RequestShape, flag: string, word: string): ShorthandValue {
  return valueSpecialCase(shape, word) ?? shorthand(flag, word);
}

/** The AWS CLI's one special case: a structure whose only member is a string `Value` takes the bare text. */
function valueSpecialCase(shape: RequestShape, word: string): ShorthandValue | undefined {
  if (shape.kind !== 'structure') return undefined;
  const names = Object.keys(shape.members);
  if (names.length === 1 && names[0] === 'Value' && shape.members.Value?.().kind === 'string' && !word.includes('=')) return { Value: word };
  return undefined;
}

type Origin = 'shorthand' | 'json';

const kind = (value: unknown): string => (Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'a structure' : `the ${typeof value} ${JSON.stringify(value)}`);

/**
 * The value checked and typed by its shape. From shorthand every scalar is text and becomes the
 * shape's type (numbers, `true`/`false`), and a lone value where a list belongs becomes a list of
 * one; from JSON the types must already be right. Either way an unknown key or a wrong type is an
 * error naming `path`.
 */
export function conform(shape: RequestShape, value: unknown, path: string, origin: Origin): unknown {
  const fail = (message: string): never => {
    throw parameterError(path.replace(/[.[].*$/, ''), `${path}: ${message}`);
  };
  switch (shape.kind) {
    case 'any':
      return value;
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail(`expected a structure (key=value,... or JSON {...}), got ${kind(value)}`);
      const members = shape.members;
      const out: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
        const memberShape = Object.hasOwn(members, key) ? members[key] : undefined;
        if (memberShape === undefined) return fail(`unknown key "${key}"; valid keys are ${Object.keys(members).join(', ')}`);
        out[key] = conform(memberShape(), member, `${path}.${key}`, origin);
      }
      const missing = shape.required.filter((name) => !(name in out));
      if (missing.length > 0) return fail(`missing required key${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
      return out;
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail(`expected a map (key=value,... or JSON {...}), got ${kind(value)}`);
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, v]) => [key, conform(shape.value, v, `${path}.${key}`, origin)]));
    }
    case 'list': {
      const items = Array.isArray(value) ? value : origin === 'shorthand' && value !== undefined ? [value] : fail(`expected a list, got ${kind(value)}`);
      return items.map((item, i) => conform(shape.element, item, `${path}[${i}]`, origin));
    }
    case 'number': {
      if (origin === 'shorthand' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      if (typeof value === 'number') return value;
      return fail(`expected a number, got ${kind(value)}`);
    }
    case 'boolean': {
      if (origin === 'shorthand' && typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      if (typeof value === 'boolean') return value;
      return fail(`expected true or false, got ${kind(value)}`);
    }
    case 'string': {
      if (typeof value === 'string') return value;
      if (Array.isArray(value) && origin === 'shorthand') return fail(`expected one value, got the list ${value.map((v) => String(v)).join(', ')}; quote a value that holds commas ('a,b') or escape them (a\\,b)`);
      return fail(`expected a string, got ${kind(value)}`);
    }
  }
}
