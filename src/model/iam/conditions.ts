/**
 * The condition operators of the IAM policy language: their names, what each compares, and which
 * values each takes. `policy.ts` uses it to refuse a document with an unknown operator or an
 * unsuitable value; `evaluate.ts` to decide a condition.
 *
 * An operator's name is a base (`StringEquals`), optionally suffixed `IfExists` (a missing key
 * then counts as a match) and prefixed with a set qualifier, `ForAnyValue:` or `ForAllValues:`
 * (for multivalued keys such as `aws:TagKeys`). `Null` takes neither.
 */
import { parseIpNetwork } from './ip.js';

/** What a base operator compares. */
export type ConditionTest =
  | 'string'
  | 'stringIgnoreCase'
  | 'stringLike'
  | 'numericEquals'
  | 'numericLessThan'
  | 'numericLessThanEquals'
  | 'numericGreaterThan'
  | 'numericGreaterThanEquals'
  | 'dateEquals'
  | 'dateLessThan'
  | 'dateLessThanEquals'
  | 'dateGreaterThan'
  | 'dateGreaterThanEquals'
  | 'bool'
  | 'binary'
  | 'ip'
  | 'arn'
  | 'null';

/** The kind of value an operator takes, for the document's checks. */
export type ValueKind = 'string' | 'arn' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'null';

export interface BaseOperator {
  readonly test: ConditionTest;
  readonly values: ValueKind;
  /**
   * A negated operator (`StringNotEquals`, `NotIpAddress`, …) holds when its positive form does
   * not: no value of the policy matches (NOR), and a missing key matches.
   */
  readonly negated: boolean;
  /** Whether its values may hold policy variables (Version 2012-10-17). */
  readonly variables: boolean;
}

const op = (test: ConditionTest, values: ValueKind, negated = false): BaseOperator => ({
  test,
  values,
  negated,
  variables: values === 'string' || values === 'arn' || values === 'bool',
});

/** Every base operator, by its exact name. */
export const BASE_OPERATORS: Readonly<Record<string, BaseOperator>> = {
  StringEquals: op('string', 'string'),
  StringNotEquals: op('string', 'string', true),
  StringEqualsIgnoreCase: op('stringIgnoreCase', 'string'),
  StringNotEqualsIgnoreCase: op('stringIgnoreCase', 'string', true),
  StringLike: op('stringLike', 'string'),
  StringNotLike: op('stringLike', 'string', true),
  NumericEquals: op('numericEquals', 'numeric'),
  NumericNotEquals: op('numericEquals', 'numeric', true),
  NumericLessThan: op('numericLessThan', 'numeric'),
  NumericLessThanEquals: op('numericLessThanEquals', 'numeric'),
  NumericGreaterThan: op('numericGreaterThan', 'numeric'),
  NumericGreaterThanEquals: op('numericGreaterThanEquals', 'numeric'),
  DateEquals: op('dateEquals', 'date'),
  DateNotEquals: op('dateEquals', 'date', true),
  DateLessThan: op('dateLessThan', 'date'),
  DateLessThanEquals: op('dateLessThanEquals', 'date'),
  DateGreaterThan: op('dateGreaterThan', 'date'),
  DateGreaterThanEquals: op('dateGreaterThanEquals', 'date'),
  Bool: op('bool', 'bool'),
  BinaryEquals: op('binary', 'binary'),
  IpAddress: op('ip', 'ip'),
  NotIpAddress: op('ip', 'ip', true),
  ArnEquals: op('arn', 'arn'),
  ArnLike: op('arn', 'arn'),
  ArnNotEquals: op('arn', 'arn', true),
  ArnNotLike: op('arn', 'arn', true),
  Null: op('null', 'null'),
};

/** A set qualifier, for keys that can hold several values. */
export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

/** An operator name read: its base, `IfExists`, and its set qualifier. */
export interface ConditionOperator {
  readonly name: string;
  readonly base: string;
  readonly spec: BaseOperator;
  readonly ifExists: boolean;
  readonly qualifier?: SetQualifier;
}

/** Reads an operator name, or says (as a sentence for a field error) why it is not one. */
export function parseConditionOperator(name: string): ConditionOperator | { readonly problem: string } {
  let base = name;
  let qualifier: SetQualifier | undefined;
  const prefix = /^(ForAnyValue|ForAllValues):/.exec(base);
  if (prefix) {
    qualifier = prefix[1] as SetQualifier;
    base = base.slice(prefix[0].length);
  }
  const ifExists = base.endsWith('IfExists') && base !== 'IfExists';
  if (ifExists) base = base.slice(0, -'IfExists'.length);
  const spec = BASE_OPERATORS[base];
  if (spec === undefined) {
    const near = Object.keys(BASE_OPERATORS).find((known) => known.toLowerCase() === base.toLowerCase());
    const hint = near !== undefined ? `did you mean ${near}? Operator names are case-sensitive` : `use one of ${Object.keys(BASE_OPERATORS).join(', ')}`;
    return { problem: `"${name}" is not a condition operator: ${hint} (optionally with the IfExists suffix and a ForAnyValue: or ForAllValues: prefix)` };
  }
  if (base === 'Null' && (ifExists || qualifier !== undefined)) {
    return { problem: `"${name}": Null takes neither IfExists nor a set qualifier; write Null with "true" (the key is absent) or "false" (it is present)` };
  }
  return qualifier === undefined ? { name, base, spec, ifExists } : { name, base, spec, ifExists, qualifier };
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const EPOCH_SECONDS = /^\d{1,12}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A number as IAM's numeric operators read it (integers and decimals), or undefined. */
export function parseNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

/** A date as IAM's date operators read it (ISO 8601, or epoch seconds), in epoch milliseconds, or undefined. */
export function parseDate(text: string): number | undefined {
  if (EPOCH_SECONDS.test(text)) return Number(text) * 1000;
  if (!ISO_DATE.test(text)) return undefined;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : /(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A `true` / `false` value (any case), lower-cased, or undefined. */
export function parseBool(text: string): 'true' | 'false' | undefined {
  const lower = text.toLowerCase();
  return lower === 'true' || lower === 'false' ? lower : undefined;
}

/**
 * What is wrong with `value` for an operator taking `kind` values, or undefined when it suits.
 * A value with a policy variable is checked by the variable's syntax only (`policy.ts`).
 */
export function conditionValueProblem(kind: ValueKind, value: string, operator: string): string | undefined {
  switch (kind) {
    case 'string':
    case 'arn':
      return undefined;
    case 'numeric':
      return parseNumber(value) === undefined ? `${operator} compares numbers, and "${value}" is not one (policy variables are not read here)` : undefined;
    case 'date':
      return parseDate(value) === undefined
        ? `${operator} compares dates, and "${value}" is not one: write an ISO 8601 date such as 2026-01-31T23:59:59Z, or epoch seconds (policy variables are not read here)`
        : undefined;
    case 'bool':
      return parseBool(value) === undefined ? `${operator} takes "true" or "false", not "${value}"` : undefined;
    case 'null':
      return parseBool(value) === undefined ? `Null takes "true" (the key is absent from the request) or "false" (it is present), not "${value}"` : undefined;
    case 'binary':
      return BASE64.test(value) ? undefined : `${operator} takes base64, and "${value}" is not base64`;
    case 'ip':
      return parseIpNetwork(value) === undefined
        ? `${operator} takes an IPv4 or IPv6 address or CIDR block (such as 203.0.113.0/24 or 2001:db8::/32), not "${value}" (policy variables are not read here)`
        : undefined;
  }
}
