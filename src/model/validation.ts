/**
 * Turning zod's findings into Wharf's field errors: every input (API body, query, settings, config
 * file) is parsed once at the edge, and a failure names each offending field and how to fix it.
 */
import { z } from 'zod';
import type { FieldError } from './errors.js';
import { wharfError } from './errors.js';

/** Dotted path of an issue, e.g. `containerDefinitions.0.memory`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** One field error per problem zod found; unknown keys become one error each, named by their path. */
export function zodFieldErrors(error: z.ZodError): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({ field: fieldPath([...issue.path, key]), message: 'Unknown field: remove it or check its spelling' });
      }
      continue;
    }
    errors.push({ field: fieldPath(issue.path), message: describeIssue(issue) });
  }
  return errors;
}

/**
 * Whether an issue is about a value that is not there. zod reports the input only when asked
 * (`reportInput`); otherwise its own message ends "received undefined" (a schema's custom message
 * hides that, and is then kept as it is).
 */
function isMissing(issue: z.core.$ZodIssue): boolean {
  return 'input' in issue ? issue.input === undefined : /received undefined$/.test(issue.message);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && isMissing(issue)) return `Required: give ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
  return issue.message;
}

/**
 * Parses `input` with `schema`, or throws WHARF_E_VALIDATION listing every offending field.
 * `what` names the input in the summary, e.g. "CreateCluster request".
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = zodFieldErrors(result.error);
  const first = errors[0];
  const summary = `The ${what} has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}` + (first ? ` (first: ${first.field || 'body'}: ${first.message})` : '');
  throw wharfError('WHARF_E_VALIDATION', { summary }, { errors });
}

/** How deep a value kept as given may nest (arrays and objects), by default: far beyond any AWS shape. */
export const DEFAULT_MAX_JSON_DEPTH = 32;
/** How large a value kept as given may be, as JSON, by default. */
export const DEFAULT_MAX_JSON_BYTES = 16 * 1024;

/**
 * What is wrong with `value` as a bounded JSON value: nested deeper than `maxDepth` arrays and
 * objects, or more than `maxBytes` of JSON; undefined when it is within both. It walks the value
 * with a stack of its own and stops at the first bound passed, so a hostile value can neither
 * overflow the call stack nor cost more than `maxBytes` of work.
 */
export function jsonBoundsProblem(value: unknown, maxDepth: number, maxBytes: number): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let bytes = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: item, depth } = next;
    if (item !== null && typeof item === 'object') {
      if (depth + 1 > maxDepth) return `Nested deeper than ${maxDepth} levels of arrays and objects: flatten it`;
      const entries = Array.isArray(item) ? item.map((element) => ['', element] as const) : Object.entries(item);
      bytes += 2 + Math.max(0, entries.length - 1); // brackets and commas
      for (const [key, element] of entries) {
        if (!Array.isArray(item)) bytes += Buffer.byteLength(JSON.stringify(key)) + 1; // "key":
        pending.push({ value: element, depth: depth + 1 });
      }
    } else if (typeof item === 'string') bytes += Buffer.byteLength(JSON.stringify(item));
    else bytes += String(item).length; // number, boolean, null
    if (bytes > maxBytes) return `Larger than ${maxBytes} bytes of JSON: send a smaller value`;
  }
  return undefined;
}

/**
 * A value Wharf accepts and keeps as given without a shape of its own (a valid AWS field it does
 * not act on yet), bounded in depth and size so that keeping, storing and answering it is safe.
 * Use it wherever a request schema would otherwise say `z.unknown()`; an offending value gets a
 * field error at its own path (e.g. `volumes.0`).
 */
/**
 * A field of an AWS model that Wharf does not support yet: the schema takes it (so an AWS client
 * never meets "unknown field"), and refuses it by name with `reason` when it is given.
 */
export function notYetField(reason: string) {
  return boundedJson()
    .optional()
    .refine((value) => value === undefined, { message: `Not supported by Wharf yet: ${reason}. Remove the field` });
}

export function boundedJson(options: { maxDepth?: number; maxBytes?: number } = {}): z.ZodType<unknown> {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_JSON_BYTES;
  return z.unknown().superRefine((value, ctx) => {
    const problem = jsonBoundsProblem(value, maxDepth, maxBytes);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}
