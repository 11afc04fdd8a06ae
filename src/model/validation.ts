/**
 * Turning zod's findings into Wharf's field errors: every input (API body, query, settings, config
 * file) is parsed once at the edge, and a failure names each offending field and how to fix it.
 */
import type { z } from 'zod';
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

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return `Required: give a ${issue.expected}`;
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
