/**
 * IAM identity-based policy documents: the JSON a user or group is given (inline, or as a managed
 * policy), read once into a frozen, normalised `PolicyDocument` that `evaluate.ts` decides
 * requests with. Use `parsePolicyDocument` wherever a document comes in (PutUserPolicy,
 * CreatePolicy, a policy file): it refuses, with a catalogue error that names each offending field,
 * whatever IAM would refuse, so nothing malformed is ever stored or evaluated.
 *
 *   text ─▶ size (characters, whitespace not counted) ─▶ JSON.parse (where it breaks)
 *        ─▶ schema (fields, operators, values, variables) ─▶ PolicyDocument (arrays everywhere)
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import { wharfError } from '../errors.js';
import { locateJsonError } from '../json-error.js';
import { zodFieldErrors } from '../validation.js';
import { conditionValueProblem, parseConditionOperator } from './conditions.js';
import { hasVariable, parseTemplate } from './variables.js';

/** AWS's limit on a managed policy document, in characters without whitespace. */
export const MAX_MANAGED_POLICY_CHARS = 6_144;
/** AWS's limit on all of one user's inline policies together, in characters without whitespace. */
export const MAX_USER_INLINE_POLICY_CHARS = 2_048;
/** AWS's limit on all of one group's inline policies together, in characters without whitespace. */
export const MAX_GROUP_INLINE_POLICY_CHARS = 5_120;

/** AWS's limit on all of one role's inline policies together, in characters without whitespace. */
export const MAX_ROLE_INLINE_POLICY_CHARS = 10_240;

/** The policy language versions; `2008-10-17` (the default) has no policy variables. */
export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;
export type PolicyVersion = (typeof POLICY_VERSIONS)[number];
/** The version a document without `Version` is read as. */
export const DEFAULT_POLICY_VERSION: PolicyVersion = '2008-10-17';

export type Effect = 'Allow' | 'Deny';

/** Operator → condition key → the values (numbers and booleans as their text), as written. */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/** One statement, with every string-or-array field as an array. Exactly one of each pair is set. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: Effect;
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource?: readonly string[];
  readonly NotResource?: readonly string[];
  readonly Condition?: ConditionBlock;
}

/** A parsed policy document: frozen, `Version` filled in, `Statement` always an array. */
export interface PolicyDocument {
  readonly Version: PolicyVersion;
  readonly Id?: string;
  readonly Statement: readonly PolicyStatement[];
}

/** JSON's whitespace, which IAM does not count in a policy's size. */
function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * A document's size as IAM counts it against its limits: characters (code points) other than
 * whitespace. Stops counting past `stopAfter`, so a huge text costs no more than the limit.
 * Use it to check an aggregate limit (all of a user's inline policies) before storing.
 */
export function policyDocumentSize(text: string, stopAfter = Number.POSITIVE_INFINITY): number {
  let size = 0;
  for (let i = 0; i < text.length && size <= stopAfter; i++) {
    const code = text.charCodeAt(i);
    if (isJsonWhitespace(code)) continue;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) i++; // a surrogate pair is one character
    size++;
  }
  return size;
}

const ACTION = /^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/;
const ARN_PREFIX = /^arn:[^:]*:([^:]+):/;
const SID = /^[A-Za-z0-9]*$/;

function actionProblem(action: string): string | undefined {
  if (action === '*' || ACTION.test(action)) return undefined;
  const colon = action.indexOf(':');
  if (colon > 0 && /[*?]/.test(action.slice(0, colon))) {
    return `"${action}": a wildcard may not stand in the service prefix; name the service, e.g. "ecs:Describe*", or use "*" alone for every action`;
  }
  return `"${action}" is not an action: write service:Action (e.g. "ecs:RunTask", "ecs:Describe*"), or "*" for every action`;
}

function resourceProblem(resource: string, variables: boolean): string | undefined {
  if (resource !== '*') {
    const arn = ARN_PREFIX.exec(resource);
    if (!arn) return `"${resource}" is not a resource: write an ARN (e.g. "arn:wharf:ecs:local:000000000000:cluster/*") or "*"`;
    if (/[*?]/.test(arn[1] as string)) return `"${resource}": a wildcard may not stand in the service segment of an ARN; name the service`;
  }
  const template = parseTemplate(resource, variables);
  return 'problem' in template ? template.problem : undefined;
}

/**
 * A field that takes one item or a non-empty array of them; always an array once parsed. Errors
 * keep their own path (`Action` for a lone string, `Action.2` for an array's third item).
 */
export function oneOrMany<T>(item: z.ZodType<T>, what: string): z.ZodType<T[]> {
  const list = z.array(item).min(1, `Give at least one ${what}, or leave the field out`);
  return z.unknown().transform((value, ctx) => {
    const many = Array.isArray(value);
    const result = (many ? list : item).safeParse(value, { reportInput: true });
    if (result.success) return (many ? result.data : [result.data]) as T[];
    for (const issue of result.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  }) as unknown as z.ZodType<T[]>;
}

/** A string field checked by `problemOf`; a wrong type says what the field holds. */
export function checkedString(problemOf: (value: string) => string | undefined, typeMessage: string): z.ZodType<string> {
  return z.string({ error: typeMessage }).superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}

type ConditionValue = string | number | boolean;

function isConditionValue(value: unknown): value is ConditionValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** The Condition block, checked operator by operator and value by value, each problem at its path. */
export function conditionSchema(variables: boolean): z.ZodType<ConditionBlock> {
  return z.unknown().transform((raw, ctx) => {
    const issue = (message: string, path: (string | number)[]): void => ctx.addIssue({ code: 'custom', message, path });
    if (!isPlainObject(raw)) {
      issue('Condition maps condition operators to condition keys, e.g. {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}', []);
      return z.NEVER;
    }
    const block: Record<string, Record<string, string[]>> = {};
    for (const [name, keys] of Object.entries(raw)) {
      const operator = parseConditionOperator(name);
      if ('problem' in operator) {
        issue(operator.problem, [name]);
        continue;
      }
      if (!isPlainObject(keys)) {
        issue(`${name} maps condition keys to values, e.g. {"aws:username": "alice"}`, [name]);
        continue;
      }
      const entries: Record<string, string[]> = {};
      for (const [key, given] of Object.entries(keys)) {
        if (key.length === 0) {
          issue('A condition key has a name, e.g. "aws:SourceIp"', [name, key]);
          continue;
        }
        const list: unknown[] = Array.isArray(given) ? given : [given];
        if (list.length === 0) issue('Give at least one value', [name, key]);
        const values: string[] = [];
        list.forEach((value, index) => {
          const path = Array.isArray(given) ? [name, key, index] : [name, key];
          if (!isConditionValue(value)) {
            issue('A condition value is a string, a number or a boolean', path);
            return;
          }
          const text = String(value);
          const template = parseTemplate(text, variables && operator.spec.variables);
          const problem = 'problem' in template ? template.problem : hasVariable(template) ? undefined : conditionValueProblem(operator.spec.values, text, operator.base);
          if (problem !== undefined) issue(problem, path);
          values.push(text);
        });
        setOwn(entries, key, values);
      }
      setOwn(block, name, entries);
    }
    return block;
  }) as unknown as z.ZodType<ConditionBlock>;
}

/** Sets a key as an own property, even `__proto__` (a key JSON.parse can give), which `=` would not. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const REFUSED_PRINCIPAL =
  'An identity-based policy has no Principal or NotPrincipal: it applies to the user or group it is attached to. Remove the field (Principal belongs to resource-based policies)';

function statementSchema(variables: boolean) {
  const actions = oneOrMany(checkedString(actionProblem, 'An action is a string such as "ecs:RunTask"'), 'action');
  const resources = oneOrMany(
    checkedString((r) => resourceProblem(r, variables), 'A resource is a string: an ARN or "*"'),
    'resource',
  );
  return z
    .strictObject(
      {
        Sid: z.string({ error: 'Sid is a string' }).regex(SID, 'A Sid has only letters (A-Z, a-z) and digits').optional(),
        Effect: z.enum(['Allow', 'Deny'], { error: 'Effect is "Allow" or "Deny", capitalised so' }),
        Action: actions.optional(),
        NotAction: actions.optional(),
        Resource: resources.optional(),
        NotResource: resources.optional(),
        Condition: conditionSchema(variables).optional(),
        Principal: z.never({ error: REFUSED_PRINCIPAL }).optional(),
        NotPrincipal: z.never({ error: REFUSED_PRINCIPAL }).optional(),
      },
      { error: (issue) => (issue.code === 'invalid_type' ? 'A statement is an object with Effect, Action (or NotAction) and Resource (or NotResource)' : undefined) },
    )
    .superRefine((statement, ctx) => {
      for (const [field, not] of [
        ['Action', 'NotAction'],
        ['Resource', 'NotResource'],
      ] as const) {
        if (statement[field] !== undefined && statement[not] !== undefined) {
          ctx.addIssue({ code: 'custom', message: `A statement has ${field} or ${not}, not both: remove one`, path: [not] });
        } else if (statement[field] === undefined && statement[not] === undefined) {
          ctx.addIssue({ code: 'custom', message: `Required: a statement needs ${field} (or ${not})`, path: [field] });
        }
      }
    });
}

/**
 * A policy document of `statement`s (an identity policy's or a trust policy's): Version, Id,
 * Statement (one or a list), each Sid unique. `what` names the document in its type error.
 */
export function policyDocumentSchema<T extends { readonly Sid?: string | undefined }>(statement: z.ZodType<T>, what: string) {
  return z
    .strictObject(
      {
        Version: z.enum(POLICY_VERSIONS, { error: 'Version is "2012-10-17" (policy variables work) or "2008-10-17" (the default, without them)' }).optional(),
        Id: z.string({ error: 'Id is a string' }).optional(),
        Statement: oneOrMany(statement, 'statement'),
      },
      { error: (issue) => (issue.code === 'invalid_type' ? `${what} is a JSON object with Version and Statement` : undefined) },
    )
    .superRefine((document, ctx) => {
      const seen = new Set<string>();
      document.Statement.forEach((item: T, index: number) => {
        if (item.Sid === undefined || item.Sid === '') return;
        if (seen.has(item.Sid)) ctx.addIssue({ code: 'custom', message: `Sid "${item.Sid}" is used by an earlier statement: each Sid is unique in a document`, path: ['Statement', index, 'Sid'] });
        seen.add(item.Sid);
      });
    });
}

const documentSchema = (variables: boolean) => policyDocumentSchema(statementSchema(variables), 'A policy document');

/** The schemas of both language versions, built once: with and without policy variables. */
const SCHEMAS = { withVariables: documentSchema(true), withoutVariables: documentSchema(false) };

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Reads a policy document from its JSON text, or throws: WHARF_E_POLICY_TOO_LARGE when it has more
 * than `maxChars` characters other than whitespace (pass one of the MAX_*_CHARS limits, or what is
 * left of an aggregate limit), WHARF_E_MALFORMED_POLICY_DOCUMENT when it is not JSON (with the line
 * and column) or not a valid identity-based policy (with a field error per problem). `what` names
 * the document in the message, e.g. "PolicyDocument of PutUserPolicy".
 */
export function parsePolicyDocument(text: string, what: string, maxChars: number): PolicyDocument {
  const { Version, Id, Statement } = readDocument(text, what, maxChars, (variables) => (variables ? SCHEMAS.withVariables : SCHEMAS.withoutVariables));
  const document: PolicyDocument = { Version: Version ?? DEFAULT_POLICY_VERSION, ...(Id === undefined ? {} : { Id }), Statement };
  return deepFreeze(document);
}

/**
 * The steps every policy document goes through, whatever its grammar (identity-based here, a
 * role's trust policy in `trust.ts`): its size, then JSON (where it breaks), then `schemaFor` the
 * document's version (`variables`: it is `2012-10-17`), each problem a field error; the result frozen.
 */
export function readDocument<T>(text: string, what: string, maxChars: number, schemaFor: (variables: boolean) => z.ZodType<T>): T {
  const size = policyDocumentSize(text, maxChars);
  if (size > maxChars) {
    // Count it all for the message only when it is not absurdly large.
    const shown = text.length <= 16 * maxChars ? policyDocumentSize(text) : `more than ${maxChars}`;
    throw wharfError('WHARF_E_POLICY_TOO_LARGE', { what, size: shown, limit: maxChars }, { context: { maxChars } });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const where = locateJsonError(text);
    const reason = where ? `it is not valid JSON: ${where.reason} (line ${where.line}, column ${where.column})` : 'it is not valid JSON';
    throw wharfError('WHARF_E_MALFORMED_POLICY_DOCUMENT', { what, reason }, { cause: error });
  }
  const variables = isPlainObject(raw) && raw.Version === '2012-10-17';
  // reportInput: so that a field given with the wrong type is not reported as missing ("Required").
  const result = schemaFor(variables).safeParse(raw, { reportInput: true });
  if (!result.success) {
    const errors: FieldError[] = zodFieldErrors(result.error);
    const first = errors[0];
    const reason = `${errors.length} invalid field${errors.length === 1 ? '' : 's'}` + (first ? ` (first: ${first.field || 'the document'}: ${first.message}); \`errors\` lists each` : '');
    throw wharfError('WHARF_E_MALFORMED_POLICY_DOCUMENT', { what, reason }, { errors });
  }
  return deepFreeze(result.data);
}
