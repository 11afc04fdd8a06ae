/**
 * IAM policy evaluation for identity-based policies: may this request (an action on a resource,
 * with its condition keys) go ahead under these policies? As AWS decides it:
 *
 *   every statement of every policy ─▶ applies? (action, resource, every condition)
 *   an applying Deny ─▶ ExplicitDeny (it wins, whatever allows)
 *   else an applying Allow ─▶ Allow
 *   else ─▶ ImplicitDeny (nothing allowed it)
 *
 * Matching: actions case-insensitively with `*` and `?`; resources case-sensitively, ARN segment
 * by segment (`wildcard.ts`); condition operators AND, condition keys AND, a key's values OR
 * (NOR for a negated operator); condition key names case-insensitively. Policy variables
 * (Version 2012-10-17) resolve from the request's condition keys; one that cannot be resolved
 * never helps a statement apply (a Resource entry holding it matches nothing, a NotResource entry
 * or a negated condition value holding it keeps the statement from applying).
 *
 * Pure: a document is compiled once, the first time it is evaluated, and the compiled form is kept
 * for as long as the document object lives (documents are frozen, so it cannot go stale). A
 * `PolicySet` keeps decisions too, keyed by everything a decision reads.
 */
import type { IpAddress, IpNetwork } from './ip.js';
import type { ConditionTest, SetQualifier } from './conditions.js';
import type { PolicyDocument, PolicyStatement } from './policy.js';
import type { ContextValues, Template } from './variables.js';
import type { ArnPattern, ArnSegments } from './wildcard.js';
import { parseBool, parseConditionOperator, parseDate, parseNumber } from './conditions.js';
import { networkContains, parseIpAddress, parseIpNetwork } from './ip.js';
import { hasVariable, parseTemplate, variableValue } from './variables.js';
import type { TemplatePart } from './variables.js';
import { STAR, appendPattern, arnMatch, arnPatternOf, arnSegmentsOf, hasWildcard, literalText, patternOf, wildcardMatcher } from './wildcard.js';

/** A policy that applies to the caller, named for the decision (e.g. a policy ARN, or `user/alice/inline/Name`). */
export interface PolicySource {
  readonly id: string;
  readonly document: PolicyDocument;
}

/** A request's condition keys: a string, several strings (a multivalued key), or a boolean. */
export type RequestContext = Readonly<Record<string, string | readonly string[] | boolean | undefined>>;

export interface AuthorizationRequest {
  /** `service:Action`, e.g. `ecs:RunTask`. */
  readonly action: string;
  /** One ARN, or `*` for an action without resource-level permissions. */
  readonly resource: string;
  /**
   * The condition keys, e.g. `aws:SourceIp`, `aws:username`, `aws:PrincipalArn`,
   * `aws:SecureTransport` (boolean), `ecs:cluster`, `aws:RequestTag/env`. Names are
   * case-insensitive; give each once.
   */
  readonly context: RequestContext;
}

/** The statement that decided: its policy's id, its index in the document's statements, its Sid. */
export interface DecidingStatement {
  readonly policy: string;
  readonly index: number;
  readonly sid?: string;
}

export type Decision =
  | { readonly effect: 'Allow'; readonly statement: DecidingStatement }
  | { readonly effect: 'ExplicitDeny'; readonly statement: DecidingStatement }
  | { readonly effect: 'ImplicitDeny' };

/** The answer for several resources: allowed only when every one is. */
export type AuthorizationResult =
  | { readonly allowed: true; readonly decisions: readonly Decision[] }
  | { readonly allowed: false; readonly resource: string; readonly decision: Decision };

/**
 * Decides one request under the caller's policies (their own and their groups', inline and
 * managed, in any order: the result does not depend on it, only which Allow is reported does).
 * No policies, or none that applies, is an implicit deny.
 */
export function evaluate(policies: readonly PolicySource[], request: AuthorizationRequest): Decision {
  return decide(policies, new RequestState(request.action, request.resource, new ContextCache(request.context)));
}

/**
 * Decides an action on several resources (an operation that touches a cluster and a task
 * definition, say): allowed only when every resource is, else the first resource refused and its
 * decision. An empty list is decided as the one resource `*`.
 */
export function evaluateAll(policies: readonly PolicySource[], action: string, resources: readonly string[], context: RequestContext): AuthorizationResult {
  const cache = new ContextCache(context);
  const decisions: Decision[] = [];
  for (const resource of resources.length === 0 ? ['*'] : resources) {
    const decision = decide(policies, new RequestState(action, resource, cache));
    if (decision.effect !== 'Allow') return { allowed: false, resource, decision };
    decisions.push(decision);
  }
  return { allowed: true, decisions };
}

// ─── Keeping decisions ───────────────────────────────────────────────────────────────────────

/** Condition keys whose value is the clock's: a decision that reads one is not kept. */
const CLOCK_KEYS: ReadonlySet<string> = new Set(['aws:currenttime', 'aws:epochtime']);
/** Decisions a PolicySet keeps at most; past it the oldest go. */
const DECISIONS_KEPT = 256;
/** A request described in more characters than this (many long resource names) is decided, not kept. */
const MAX_KEPT_REQUEST_CHARS = 4096;

/**
 * A caller's policies, with their decisions kept. A decision reads only the action, the resources
 * and the values of the condition keys the policies name (in conditions, and as policy variables
 * anywhere in a value), so a request that agrees with an earlier one on all of those is decided
 * the same: a repeated call costs a lookup, not an evaluation. Make one for as long as the
 * policies stay the same (a cached key holder); policies that read the clock (`aws:CurrentTime`,
 * `aws:EpochTime`) are always evaluated.
 */
export class PolicySet {
  /** The condition keys read, lower case, each with its place in a request's description. */
  private readonly keys: ReadonlyMap<string, number>;
  private readonly keep: boolean;
  private readonly decisions = new Map<string, AuthorizationResult>();

  constructor(readonly sources: readonly PolicySource[]) {
    const read = new Set<string>();
    for (const source of sources) for (const key of keysRead(source.document)) read.add(key);
    this.keys = new Map([...read].sort().map((key, index) => [key, index]));
    this.keep = ![...read].some((key) => CLOCK_KEYS.has(key));
  }

  /** As `evaluateAll` with these policies. */
  evaluateAll(action: string, resources: readonly string[], context: RequestContext): AuthorizationResult {
    const request = this.keep ? this.describe(action, resources, context) : undefined;
    if (request === undefined) return evaluateAll(this.sources, action, resources, context);
    const kept = this.decisions.get(request);
    if (kept !== undefined) return kept;
    const result = frozenResult(evaluateAll(this.sources, action, resources, context));
    if (this.decisions.size >= DECISIONS_KEPT) this.decisions.delete(this.decisions.keys().next().value as string);
    this.decisions.set(request, result);
    return result;
  }

  /** What a decision reads of a request, as one string (undefined when too long to keep). */
  private describe(action: string, resources: readonly string[], context: RequestContext): string | undefined {
    // The values as ContextCache reads them: names case-insensitive, the first given of a name wins.
    const values: (readonly string[] | null)[] = new Array<readonly string[] | null>(this.keys.size).fill(null);
    if (this.keys.size > 0) {
      for (const name of Object.keys(context)) {
        const value = context[name];
        const at = this.keys.get(lowerCaseName(name));
        if (value === undefined || at === undefined || values[at] !== null) continue;
        values[at] = typeof value === 'string' ? [value] : typeof value === 'boolean' ? [String(value)] : value;
      }
    }
    const request = JSON.stringify([action, resources, values]);
    return request.length <= MAX_KEPT_REQUEST_CHARS ? request : undefined;
  }
}

/** Condition key names in lower case, kept: the same few names come with every request. */
const lowerCaseNames = new Map<string, string>();
const LOWER_CASE_NAMES_KEPT = 1024;

function lowerCaseName(name: string): string {
  let lower = lowerCaseNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerCaseNames.size < LOWER_CASE_NAMES_KEPT) lowerCaseNames.set(name, lower);
  }
  return lower;
}

function frozenResult(result: AuthorizationResult): AuthorizationResult {
  if (!result.allowed) return Object.freeze({ ...result, decision: Object.freeze(result.decision) });
  return Object.freeze({ ...result, decisions: Object.freeze(result.decisions.map((decision) => Object.freeze(decision))) });
}

/**
 * The condition keys (lower case) a document's decisions may read: every key its conditions
 * test and, in a Version 2012-10-17 document, every policy variable in any of its values. More
 * than is read is harmless (fewer requests agree); none may be missing.
 */
function keysRead(document: PolicyDocument): Set<string> {
  const keys = new Set<string>();
  const variables = document.Version === '2012-10-17';
  const addVariables = (value: string): void => {
    if (!variables) return;
    const template = parseTemplate(value, true);
    if ('problem' in template) return; // not a variable: compiling the document refuses it
    for (const part of template as readonly TemplatePart[]) if (part.kind === 'variable') keys.add(part.key);
  };
  for (const statement of document.Statement) {
    for (const value of [...(statement.Resource ?? []), ...(statement.NotResource ?? []), ...(statement.Action ?? []), ...(statement.NotAction ?? [])]) addVariables(value);
    for (const byKey of Object.values(statement.Condition ?? {})) {
      for (const [key, values] of Object.entries(byKey)) {
        keys.add(key.toLowerCase());
        for (const value of values) addVariables(value);
      }
    }
  }
  return keys;
}

function decide(policies: readonly PolicySource[], state: RequestState): Decision {
  let allow: DecidingStatement | undefined;
  for (const source of policies) {
    const statements = compiled(source.document);
    for (let index = 0; index < statements.length; index++) {
      const statement = statements[index] as CompiledStatement;
      if (allow !== undefined && !statement.deny) continue; // only a Deny can change the answer now
      if (!applies(statement, state)) continue;
      const deciding: DecidingStatement = statement.sid === undefined ? { policy: source.id, index } : { policy: source.id, index, sid: statement.sid };
      if (statement.deny) return { effect: 'ExplicitDeny', statement: deciding };
      allow = deciding;
    }
  }
  return allow === undefined ? { effect: 'ImplicitDeny' } : { effect: 'Allow', statement: allow };
}

function applies(statement: CompiledStatement, state: RequestState): boolean {
  let actionListed = false;
  for (const matches of statement.actions) {
    if (matches(state.action)) {
      actionListed = true;
      break;
    }
  }
  if (actionListed === statement.notAction) return false;

  if (statement.notResource) {
    for (const matches of statement.resources) {
      if (matches(state) !== false) return false; // listed, or not resolvable
    }
  } else {
    let listed = false;
    for (const matches of statement.resources) {
      if (matches(state) === true) {
        listed = true;
        break;
      }
    }
    if (!listed) return false;
  }

  for (const condition of statement.conditions) {
    if (!conditionHolds(condition, state)) return false;
  }
  return true;
}

// ─── The request, read lazily ────────────────────────────────────────────────────────────────

/** The condition keys by lower-case name, built on first use and shared by a request's resources. */
class ContextCache {
  private values: Map<string, readonly string[]> | undefined;
  private addresses: Map<string, IpAddress | undefined> | undefined;

  constructor(private readonly context: RequestContext) {}

  get(): ContextValues {
    if (this.values === undefined) {
      const values = new Map<string, readonly string[]>();
      for (const [key, value] of Object.entries(this.context)) {
        if (value === undefined) continue;
        const name = key.toLowerCase();
        if (values.has(name)) continue;
        values.set(name, typeof value === 'string' ? [value] : typeof value === 'boolean' ? [String(value)] : value);
      }
      this.values = values;
    }
    return this.values;
  }

  /** A request value read as an IP address, once per value. */
  address(text: string): IpAddress | undefined {
    this.addresses ??= new Map();
    if (!this.addresses.has(text)) this.addresses.set(text, parseIpAddress(text));
    return this.addresses.get(text);
  }
}

class RequestState {
  readonly action: string;
  private segments: ArnSegments | undefined;

  constructor(
    action: string,
    readonly resource: string,
    readonly context: ContextCache,
  ) {
    this.action = action.toLowerCase();
  }

  /** The resource cut into its ARN segments, once. */
  resourceSegments(): ArnSegments {
    this.segments ??= arnSegmentsOf(this.resource);
    return this.segments;
  }
}

// ─── Compiling a document ────────────────────────────────────────────────────────────────────

/** true: the entry lists the resource; false: it does not; undefined: a variable in it is unresolved. */
type ResourceMatcher = (state: RequestState) => boolean | undefined;

interface CompiledStatement {
  readonly deny: boolean;
  readonly sid?: string;
  readonly notAction: boolean;
  readonly actions: readonly ((action: string) => boolean)[];
  readonly notResource: boolean;
  readonly resources: readonly ResourceMatcher[];
  readonly conditions: readonly CompiledCondition[];
}

/** What a condition's policy values say about one request value. */
interface PreparedValues {
  /** Some policy value could not be resolved (a variable the request lacks). */
  readonly incomplete: boolean;
  /** Whether the request value matches any policy value (the operator's positive form). */
  readonly any: (value: string, state: RequestState) => boolean;
}

interface CompiledCondition {
  readonly key: string;
  readonly negated: boolean;
  readonly ifExists: boolean;
  readonly qualifier?: SetQualifier;
  /** For `Null`: the policy's values, true meaning "the key is absent". */
  readonly nullValues?: readonly boolean[];
  readonly prepare: (state: RequestState) => PreparedValues;
}

const cache = new WeakMap<PolicyDocument, readonly CompiledStatement[]>();

function compiled(document: PolicyDocument): readonly CompiledStatement[] {
  let statements = cache.get(document);
  if (statements === undefined) {
    const variables = document.Version === '2012-10-17';
    statements = document.Statement.map((statement) => compileStatement(statement, variables));
    cache.set(document, statements);
  }
  return statements;
}

function compileStatement(statement: PolicyStatement, variables: boolean): CompiledStatement {
  const conditions: CompiledCondition[] = [];
  for (const [operatorName, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) conditions.push(compileCondition(operatorName, key, values, variables));
  }
  return {
    deny: statement.Effect === 'Deny',
    ...(statement.Sid ? { sid: statement.Sid } : {}),
    notAction: statement.NotAction !== undefined,
    actions: (statement.Action ?? statement.NotAction ?? []).map(compileAction),
    notResource: statement.NotResource !== undefined,
    resources: (statement.Resource ?? statement.NotResource ?? []).map((resource) => compileResource(resource, variables)),
    conditions,
  };
}

function compileAction(action: string): (action: string) => boolean {
  if (action === '*') return () => true;
  return wildcardMatcher(patternOf(action.toLowerCase()));
}

/** A template as a wildcard pattern: text parts keep their wildcards, literals and variable values do not. */
function templatePattern(template: Template, context: ContextValues | undefined, wildcards: boolean): number[] | undefined {
  const codes: number[] = [];
  for (const part of template) {
    if (part.kind === 'variable') {
      const value = context === undefined ? undefined : variableValue(part, context);
      if (value === undefined) return undefined;
      appendPattern(codes, value, false);
    } else appendPattern(codes, part.text, wildcards && part.kind === 'text');
  }
  return codes;
}

/** A template as a plain string (for the operators without wildcards), or undefined when unresolved. */
function templateText(template: Template, context: ContextValues): string | undefined {
  let text = '';
  for (const part of template) {
    const piece = part.kind === 'variable' ? variableValue(part, context) : part.text;
    if (piece === undefined) return undefined;
    text += piece;
  }
  return text;
}

function parsedTemplate(value: string, variables: boolean): Template {
  const template = parseTemplate(value, variables);
  if ('problem' in template) throw new Error(`IAM policy value ${JSON.stringify(value)} was not checked by parsePolicyDocument: ${template.problem}`);
  return template;
}

function compileResource(resource: string, variables: boolean): ResourceMatcher {
  const template = parsedTemplate(resource, variables);
  if (hasVariable(template)) {
    return (state) => {
      const pattern = templatePattern(template, state.context.get(), true);
      return pattern === undefined ? undefined : arnMatch(arnPatternOf(pattern), state.resource, state.resourceSegments());
    };
  }
  const pattern = templatePattern(template, undefined, true) as number[];
  if (pattern.length === 1 && pattern[0] === STAR) return () => true;
  if (!hasWildcard(pattern)) {
    const exact = literalText(pattern);
    return (state) => state.resource === exact;
  }
  const firstWildcard = pattern.findIndex((code) => code < 0);
  // Any match starts with the literal text before the first wildcard.
  const prefix = literalText(pattern, 0, firstWildcard);
  // Only a trailing `*`: it takes the rest of the ARN, whatever its segments (see arnMatch).
  if (firstWildcard === pattern.length - 1 && pattern[firstWildcard] === STAR) return (state) => state.resource.startsWith(prefix);
  const arn = arnPatternOf(pattern);
  return (state) => state.resource.startsWith(prefix) && arnMatch(arn, state.resource, state.resourceSegments());
}

// ─── Conditions ──────────────────────────────────────────────────────────────────────────────

function compileCondition(operatorName: string, key: string, values: readonly string[], variables: boolean): CompiledCondition {
  const operator = parseConditionOperator(operatorName);
  if ('problem' in operator) throw new Error(`IAM condition operator ${JSON.stringify(operatorName)} was not checked by parsePolicyDocument: ${operator.problem}`);
  const base = {
    key: key.toLowerCase(),
    negated: operator.spec.negated,
    ifExists: operator.ifExists,
    ...(operator.qualifier === undefined ? {} : { qualifier: operator.qualifier }),
  };
  if (operator.spec.test === 'null') {
    return { ...base, nullValues: values.map((value) => parseBool(value) === 'true'), prepare: () => NEVER };
  }
  return { ...base, prepare: prepareValues(operator.spec.test, values, variables && operator.spec.variables) };
}

const NO_CONTEXT: ContextValues = new Map();
const NEVER: PreparedValues = { incomplete: false, any: () => false };

/**
 * The policy values of a condition, ready to compare: computed once when no value has a variable,
 * else for each request (its variables resolved).
 */
function prepareValues(test: Exclude<ConditionTest, 'null'>, values: readonly string[], variables: boolean): (state: RequestState) => PreparedValues {
  const templates = values.map((value) => parsedTemplate(value, variables));
  const dynamic = templates.some(hasVariable);
  const build = (context: ContextValues | undefined): PreparedValues => {
    switch (test) {
      case 'string':
      case 'stringIgnoreCase':
      case 'bool': {
        const fold = test !== 'string';
        const texts = resolveAll(templates, (t) => templateText(t, context ?? NO_CONTEXT));
        const wanted = new Set(texts.values.map((text) => (fold ? text.toLowerCase() : text)));
        return { incomplete: texts.incomplete, any: (value) => wanted.has(fold ? value.toLowerCase() : value) };
      }
      case 'stringLike': {
        const matchers = resolveAll(templates, (t) => {
          const pattern = templatePattern(t, context, true);
          return pattern === undefined ? undefined : wildcardMatcher(pattern);
        });
        return { incomplete: matchers.incomplete, any: (value) => matchers.values.some((matches) => matches(value)) };
      }
      case 'arn': {
        const patterns = resolveAll(templates, (t) => {
          const pattern = templatePattern(t, context, true);
          return pattern === undefined ? undefined : arnPatternOf(pattern);
        });
        return { incomplete: patterns.incomplete, any: (value) => patterns.values.some((pattern: ArnPattern) => arnMatch(pattern, value)) };
      }
      case 'numericEquals':
      case 'numericLessThan':
      case 'numericLessThanEquals':
      case 'numericGreaterThan':
      case 'numericGreaterThanEquals':
        return compared(test, values.map((value) => parseNumber(value) as number), parseNumber);
      case 'dateEquals':
      case 'dateLessThan':
      case 'dateLessThanEquals':
      case 'dateGreaterThan':
      case 'dateGreaterThanEquals':
        return compared(test, values.map((value) => parseDate(value) as number), parseDate);
      case 'binary': {
        const wanted = new Set(values);
        return { incomplete: false, any: (value) => wanted.has(value) };
      }
      case 'ip': {
        const networks = values.map((value) => parseIpNetwork(value) as IpNetwork);
        return {
          incomplete: false,
          any: (value, state) => {
            const address = state.context.address(value);
            return address !== undefined && networks.some((network) => networkContains(network, address));
          },
        };
      }
    }
  };
  if (!dynamic) {
    const prepared = build(undefined);
    return () => prepared;
  }
  return (state) => build(state.context.get());
}

function resolveAll<T>(templates: readonly Template[], resolve: (template: Template) => T | undefined): { incomplete: boolean; values: T[] } {
  const values: T[] = [];
  let incomplete = false;
  for (const template of templates) {
    const value = resolve(template);
    if (value === undefined) incomplete = true;
    else values.push(value);
  }
  return { incomplete, values };
}

const ORDER: Readonly<Record<string, (request: number, policy: number) => boolean>> = {
  Equals: (r, p) => r === p,
  LessThan: (r, p) => r < p,
  LessThanEquals: (r, p) => r <= p,
  GreaterThan: (r, p) => r > p,
  GreaterThanEquals: (r, p) => r >= p,
};

/** Numbers or dates: the request value read as the policy's values were, then compared in order. */
function compared(test: ConditionTest, policy: readonly number[], read: (text: string) => number | undefined): PreparedValues {
  const compare = ORDER[test.replace(/^(numeric|date)/, '')] as (request: number, policy: number) => boolean;
  return {
    incomplete: false,
    any: (value) => {
      const request = read(value);
      return request !== undefined && policy.some((p) => compare(request, p));
    },
  };
}

/**
 * One condition (an operator and one key), as IAM decides it. A missing key (absent, or no
 * values) fails the condition, except: `...IfExists` holds; a negated operator holds;
 * `ForAllValues:` holds (nothing fails "every value"); `ForAnyValue:` fails; `Null` checks it.
 */
function conditionHolds(condition: CompiledCondition, state: RequestState): boolean {
  const values = state.context.get().get(condition.key);
  const present = values !== undefined && values.length > 0;
  if (condition.nullValues !== undefined) return condition.nullValues.some((absent) => absent !== present);
  if (!present) {
    if (condition.ifExists || condition.qualifier === 'ForAllValues') return true;
    if (condition.qualifier === 'ForAnyValue') return false;
    return condition.negated;
  }
  const prepared = condition.prepare(state);
  if (condition.negated && prepared.incomplete) return false;
  const holds = condition.negated ? (value: string) => !prepared.any(value, state) : (value: string) => prepared.any(value, state);
  if (condition.qualifier === 'ForAllValues') return values.every(holds);
  if (condition.qualifier === 'ForAnyValue') return values.some(holds);
  // Without a qualifier: a positive operator wants some value to match, a negated one none.
  return condition.negated ? values.every(holds) : values.some(holds);
}
