import type { PlacementHost } from '../../model/placement.js';

/**
 * ECS's cluster query language (spec §13): `subject operator [argument]`, combined with
 * `and`/`&&`, `or`/`||`, `not`/`!` and parentheses. Expressions are parsed once into an AST
 * (`parseClusterQuery`, cached) and evaluated against a host many times (`evaluateClusterQuery`).
 * A bad expression throws `ClusterQueryError` naming the column and what was expected, so the API
 * can reject it before anything is stored.
 *
 * Semantics Wharf chose where ECS's documentation is silent:
 * - A missing attribute fails `==`, `in`, `=~` and the orderings, and satisfies their negations.
 * - `=~` is a full match (Java's `String.matches`): `t2.*` matches `t2.micro`, not `xt2.micro`.
 * - Orderings compare numbers as numbers, dotted versions (`1.14.5`) part by part, dates as
 *   instants (`registeredAt`), anything else as strings.
 * - `task:group == g` is true when the host runs at least one task of group `g`; `=~` when it runs
 *   a task of a matching group; `exists` when it runs any task.
 */

/** Subjects a comparison can test. */
export type QuerySubject =
  | { readonly kind: 'attribute'; readonly name: string }
  | { readonly kind: 'agentConnected' }
  | { readonly kind: 'agentVersion' }
  | { readonly kind: 'ec2InstanceId' }
  | { readonly kind: 'registeredAt' }
  | { readonly kind: 'runningTasksCount' }
  | { readonly kind: 'taskGroup' };

/** Canonical operators; the word forms (`equals`, `not_in`, ...) parse to these. */
export type QueryOperator = '==' | '!=' | '>' | '>=' | '<' | '<=' | '=~' | '!~' | 'in' | 'not_in' | 'exists' | 'not_exists';

export interface QueryComparison {
  readonly type: 'compare';
  readonly subject: QuerySubject;
  readonly operator: QueryOperator;
  /** The argument(s) as written (one for single-value operators, the list for `in`, none for `exists`). */
  readonly values: readonly string[];
  /** Numeric arguments for `runningTasksCount` and `registeredAt` (ms since the epoch). */
  readonly numbers: readonly number[];
  /** Compiled pattern for `=~` and `!~`. */
  readonly regex: RegExp | null;
}

export type QueryNode =
  | QueryComparison
  | { readonly type: 'and'; readonly left: QueryNode; readonly right: QueryNode }
  | { readonly type: 'or'; readonly left: QueryNode; readonly right: QueryNode }
  | { readonly type: 'not'; readonly operand: QueryNode };

/** A parsed expression. `dynamic` when it reads state that placement changes (task groups, task counts). */
export interface ClusterQuery {
  readonly source: string;
  readonly root: QueryNode;
  readonly dynamic: boolean;
  /** Attribute names the expression reads, for failure details. */
  readonly attributes: readonly string[];
}

/** What an expression is evaluated against: one host. */
export interface QueryTarget {
  attribute(name: string): string | undefined;
  readonly agentConnected: boolean;
  readonly agentVersion: string | undefined;
  readonly ec2InstanceId: string;
  readonly registeredAt: number | undefined;
  readonly runningTasksCount: number;
  /** Tasks of `group` on the host. */
  taskGroupCount(group: string): number;
  /** Candidate group names for `task:group =~`; groups with a zero count are skipped. */
  taskGroups(): Iterable<string>;
}

/** A cluster query that does not parse: `position` is the 0-based offset, `expected` what the parser wanted there. */
export class ClusterQueryError extends Error {
  override readonly name = 'ClusterQueryError';
  constructor(
    readonly expression: string,
    readonly position: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`Invalid cluster query "${expression}" at column ${position + 1}: expected ${expected}, found ${found}`);
  }
}

const SUBJECT_HELP = 'a subject (attribute:<name>, agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount or task:group)';
const OPERATOR_HELP = 'an operator (==, !=, >, >=, <, <=, =~, !~, in, not_in, exists, !exists or their word forms)';

const SYMBOL_OPERATORS: readonly (readonly [string, QueryOperator])[] = [
  ['!exists', 'not_exists'],
  ['!in', 'not_in'],
  ['==', '=='],
  ['!=', '!='],
  ['>=', '>='],
  ['<=', '<='],
  ['=~', '=~'],
  ['!~', '!~'],
  ['>', '>'],
  ['<', '<'],
];

const WORD_OPERATORS: Readonly<Record<string, QueryOperator>> = {
  equals: '==',
  not_equals: '!=',
  greater_than: '>',
  greater_than_equal: '>=',
  less_than: '<',
  less_than_equal: '<=',
  matches: '=~',
  not_matches: '!~',
  in: 'in',
  not_in: 'not_in',
  exists: 'exists',
  not_exists: 'not_exists',
};

const ORDERINGS: ReadonlySet<QueryOperator> = new Set(['>', '>=', '<', '<=']);

/** Operators each subject takes; attributes, agentVersion and ec2InstanceId take all. */
const SUBJECT_OPERATORS: Partial<Record<QuerySubject['kind'], ReadonlySet<QueryOperator>>> = {
  agentConnected: new Set(['==', '!=']),
  taskGroup: new Set(['==', '!=', 'in', 'not_in', '=~', '!~', 'exists', 'not_exists']),
  registeredAt: new Set(['==', '!=', '>', '>=', '<', '<=']),
  runningTasksCount: new Set(['==', '!=', '>', '>=', '<', '<=', 'in', 'not_in']),
};

const ATTRIBUTE_NAME = /^[A-Za-z0-9\-_/.]{1,128}$/;
const SUBJECT_CHAR = /[A-Za-z0-9\-_/.:]/;
const DATE_FORMAT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/;

class Parser {
  private pos = 0;
  private readonly attributes = new Set<string>();
  private dynamic = false;
  /** Where each value of the comparison being parsed starts, for errors about its argument. */
  private valueStarts: number[] = [];

  constructor(private readonly src: string) {}

  parse(): ClusterQuery {
    this.skipSpace();
    if (this.pos >= this.src.length) this.fail('an expression');
    const root = this.parseOr();
    this.skipSpace();
    if (this.pos < this.src.length) this.fail('"and", "or", ")" or the end of the expression');
    return { source: this.src, root, dynamic: this.dynamic, attributes: [...this.attributes] };
  }

  private parseOr(): QueryNode {
    let left = this.parseAnd();
    while (this.matchSymbol('||') || this.matchWord('or')) left = { type: 'or', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): QueryNode {
    let left = this.parseNot();
    while (this.matchSymbol('&&') || this.matchWord('and')) left = { type: 'and', left, right: this.parseNot() };
    return left;
  }

  private parseNot(): QueryNode {
    this.skipSpace();
    if (this.src[this.pos] === '!' && this.src[this.pos + 1] !== '=') {
      this.pos++;
      return { type: 'not', operand: this.parseNot() };
    }
    if (this.matchWord('not')) return { type: 'not', operand: this.parseNot() };
    return this.parsePrimary();
  }

  private parsePrimary(): QueryNode {
    this.skipSpace();
    if (this.src[this.pos] === '(') {
      this.pos++;
      const inner = this.parseOr();
      this.skipSpace();
      if (this.src[this.pos] !== ')') this.fail('")" to close the "(" before it');
      this.pos++;
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): QueryComparison {
    this.skipSpace();
    const subjectStart = this.pos;
    const subject = this.parseSubject();
    const operatorStart = this.skipSpace();
    const operator = this.parseOperator();
    const allowed = SUBJECT_OPERATORS[subject.kind];
    if (allowed && !allowed.has(operator)) {
      this.pos = operatorStart;
      this.fail(`one of ${[...allowed].join(', ')} after ${this.src.slice(subjectStart, operatorStart).trim()}`);
    }
    this.valueStarts = [];
    let values: string[] = [];
    if (operator === 'in' || operator === 'not_in') values = this.parseList();
    else if (operator !== 'exists' && operator !== 'not_exists') values = [this.parseValue(`a value after "${operator}"`)];
    let numbers: number[] = [];
    let regex: RegExp | null = null;
    if (subject.kind === 'runningTasksCount') {
      numbers = values.map((v, i) => {
        if (!/^\d+$/.test(v)) this.failAt(this.valueStarts[i]!, 'a whole number for runningTasksCount', `"${v}"`);
        return Number(v);
      });
    } else if (subject.kind === 'registeredAt') {
      numbers = values.map((v, i) => {
        const ms = DATE_FORMAT.test(v) ? Date.parse(/T[^Z+-]*$/.test(v) ? `${v}Z` : v) : Number.NaN;
        if (Number.isNaN(ms)) this.failAt(this.valueStarts[i]!, 'a date like 2018-06-18 or 2018-06-18T22:28:28Z', `"${v}"`);
        return ms;
      });
    } else if (subject.kind === 'agentConnected') {
      values.forEach((v, i) => {
        if (v !== 'true' && v !== 'false') this.failAt(this.valueStarts[i]!, 'true or false for agentConnected', `"${v}"`);
      });
    }
    if (operator === '=~' || operator === '!~') {
      const pattern = values[0] ?? '';
      try {
        regex = new RegExp(`^(?:${pattern})$`);
      } catch (error) {
        this.failAt(this.valueStarts[0]!, 'a valid regular expression', `"${pattern}" (${(error as Error).message})`);
      }
    }
    return { type: 'compare', subject, operator, values, numbers, regex };
  }

  private parseSubject(): QuerySubject {
    const start = this.pos;
    while (this.pos < this.src.length && SUBJECT_CHAR.test(this.src[this.pos]!)) this.pos++;
    const word = this.src.slice(start, this.pos);
    switch (word) {
      case 'agentConnected':
        return { kind: 'agentConnected' };
      case 'agentVersion':
        return { kind: 'agentVersion' };
      case 'ec2InstanceId':
        return { kind: 'ec2InstanceId' };
      case 'registeredAt':
        return { kind: 'registeredAt' };
      case 'runningTasksCount':
        this.dynamic = true;
        return { kind: 'runningTasksCount' };
      case 'task:group':
        this.dynamic = true;
        return { kind: 'taskGroup' };
    }
    if (word.startsWith('attribute:')) {
      const name = word.slice('attribute:'.length);
      if (!ATTRIBUTE_NAME.test(name)) this.failAt(start + 'attribute:'.length, 'an attribute name (1-128 of A-Z a-z 0-9 - _ / .)', name === '' ? this.describeHere() : `"${name}"`);
      this.attributes.add(name);
      return { kind: 'attribute', name };
    }
    this.pos = start;
    return this.fail(SUBJECT_HELP);
  }

  private parseOperator(): QueryOperator {
    for (const [symbol, operator] of SYMBOL_OPERATORS) {
      if (this.src.startsWith(symbol, this.pos)) {
        // `!in` / `!exists` must end there, or `!inx` would read as an operator.
        if (/^[a-z]/.test(symbol.slice(1)) && /[A-Za-z0-9_]/.test(this.src[this.pos + symbol.length] ?? '')) continue;
        this.pos += symbol.length;
        return operator;
      }
    }
    const start = this.pos;
    const word = /^[A-Za-z_]+/.exec(this.src.slice(this.pos))?.[0] ?? '';
    const lower = word.toLowerCase();
    if (lower === 'not') {
      this.pos += word.length;
      if (this.matchWord('in')) return 'not_in';
      this.pos = start;
    } else if (Object.hasOwn(WORD_OPERATORS, lower)) {
      this.pos += word.length;
      return WORD_OPERATORS[lower]!;
    }
    return this.fail(OPERATOR_HELP);
  }

  private parseList(): string[] {
    this.skipSpace();
    if (this.src[this.pos] !== '[') this.fail('a list like [a, b]');
    this.pos++;
    const values = [this.parseValue('a value in the list')];
    for (;;) {
      this.skipSpace();
      const c = this.src[this.pos];
      if (c === ']') {
        this.pos++;
        return values;
      }
      if (c !== ',') this.fail('"," or "]" in the list');
      this.pos++;
      values.push(this.parseValue('a value after ","'));
    }
  }

  private parseValue(expected: string): string {
    this.valueStarts.push(this.skipSpace());
    const quote = this.src[this.pos];
    if (quote === "'" || quote === '"') {
      const start = this.pos;
      let value = '';
      for (this.pos++; this.pos < this.src.length; this.pos++) {
        const c = this.src[this.pos]!;
        if (c === '\\' && this.pos + 1 < this.src.length) value += this.src[++this.pos];
        else if (c === quote) {
          this.pos++;
          return value;
        } else value += c;
      }
      this.pos = start;
      return this.fail(`a closing ${quote} for the quoted value`);
    }
    const start = this.pos;
    // A value never starts with an operator character: `== = x` or `=== x` is a typo, not the value "= x".
    if (/[=!<>~]/.test(this.src[this.pos] ?? '')) this.fail(expected);
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (/[\s()[\],'"]/.test(c)) break;
      if ((c === '&' || c === '|') && this.src[this.pos + 1] === c) break;
      this.pos++;
    }
    if (this.pos === start) this.fail(expected);
    return this.src.slice(start, this.pos);
  }

  /** Skips white space; returns the new position. */
  private skipSpace(): number {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
    return this.pos;
  }

  private matchSymbol(symbol: string): boolean {
    this.skipSpace();
    if (!this.src.startsWith(symbol, this.pos)) return false;
    this.pos += symbol.length;
    return true;
  }

  /** A keyword, any case, followed by space, "(", "[" or the end. */
  private matchWord(word: string): boolean {
    this.skipSpace();
    const candidate = this.src.slice(this.pos, this.pos + word.length);
    if (candidate.toLowerCase() !== word) return false;
    const next = this.src[this.pos + word.length];
    if (next !== undefined && !/[\s([]/.test(next)) return false;
    this.pos += word.length;
    return true;
  }

  private describeHere(): string {
    if (this.pos >= this.src.length) return 'the end of the expression';
    if (/\s/.test(this.src[this.pos]!)) return 'a space';
    const token = /^\S{1,20}/.exec(this.src.slice(this.pos))?.[0] ?? '';
    return `"${token}"`;
  }

  private fail(expected: string): never {
    throw new ClusterQueryError(this.src, this.pos, expected, this.describeHere());
  }

  private failAt(position: number, expected: string, found: string): never {
    throw new ClusterQueryError(this.src, position, expected, found);
  }
}

/** Parsed expressions by source text; bounded so a stream of distinct expressions cannot grow it without end. */
const QUERY_CACHE_LIMIT = 1024;
const cache = new Map<string, ClusterQuery>();

/**
 * Parses a cluster query expression; throws `ClusterQueryError` when it is invalid. Results are
 * cached by source text, so placement can call this per task without re-parsing.
 */
export function parseClusterQuery(expression: string): ClusterQuery {
  const hit = cache.get(expression);
  if (hit) return hit;
  const query = new Parser(expression).parse();
  if (cache.size >= QUERY_CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(expression, query);
  return query;
}

/** For input validation: null when `expression` parses, else the error (message, column, what was expected). */
export function checkClusterQuery(expression: string): ClusterQueryError | null {
  try {
    parseClusterQuery(expression);
    return null;
  } catch (error) {
    if (error instanceof ClusterQueryError) return error;
    throw error;
  }
}

/** True when `target` satisfies `query`. */
export function evaluateClusterQuery(query: ClusterQuery, target: QueryTarget): boolean {
  return evaluateNode(query.root, target);
}

function evaluateNode(node: QueryNode, target: QueryTarget): boolean {
  switch (node.type) {
    case 'and':
      return evaluateNode(node.left, target) && evaluateNode(node.right, target);
    case 'or':
      return evaluateNode(node.left, target) || evaluateNode(node.right, target);
    case 'not':
      return !evaluateNode(node.operand, target);
    case 'compare':
      return evaluateComparison(node, target);
  }
}

function evaluateComparison(node: QueryComparison, target: QueryTarget): boolean {
  const subject = node.subject;
  switch (subject.kind) {
    case 'attribute':
      return compareText(target.attribute(subject.name), node);
    case 'agentVersion':
      return compareText(target.agentVersion, node);
    case 'ec2InstanceId':
      return compareText(target.ec2InstanceId, node);
    case 'agentConnected':
      return compareText(String(target.agentConnected), node);
    case 'runningTasksCount':
      return compareNumber(target.runningTasksCount, node);
    case 'registeredAt':
      return compareNumber(target.registeredAt, node);
    case 'taskGroup':
      return compareTaskGroup(target, node);
  }
}

function compareText(value: string | undefined, node: QueryComparison): boolean {
  const op = node.operator;
  switch (op) {
    case 'exists':
      return value !== undefined;
    case 'not_exists':
      return value === undefined;
    case '==':
      return value !== undefined && value === node.values[0];
    case '!=':
      return !(value !== undefined && value === node.values[0]);
    case 'in':
      return value !== undefined && node.values.includes(value);
    case 'not_in':
      return !(value !== undefined && node.values.includes(value));
    case '=~':
      return value !== undefined && node.regex!.test(value);
    case '!~':
      return !(value !== undefined && node.regex!.test(value));
    default:
      return value !== undefined && ordered(compareValues(value, node.values[0]!), op);
  }
}

function compareNumber(value: number | undefined, node: QueryComparison): boolean {
  const op = node.operator;
  const arg = node.numbers[0]!;
  switch (op) {
    case '==':
      return value !== undefined && value === arg;
    case '!=':
      return !(value !== undefined && value === arg);
    case 'in':
      return value !== undefined && node.numbers.includes(value);
    case 'not_in':
      return !(value !== undefined && node.numbers.includes(value));
    default:
      return value !== undefined && ORDERINGS.has(op) && ordered(value - arg, op);
  }
}

function compareTaskGroup(target: QueryTarget, node: QueryComparison): boolean {
  switch (node.operator) {
    case '==':
      return target.taskGroupCount(node.values[0]!) > 0;
    case '!=':
      return target.taskGroupCount(node.values[0]!) === 0;
    case 'in':
      return node.values.some((g) => target.taskGroupCount(g) > 0);
    case 'not_in':
      return node.values.every((g) => target.taskGroupCount(g) === 0);
    case 'exists':
      return target.runningTasksCount > 0;
    case 'not_exists':
      return target.runningTasksCount === 0;
    case '=~':
      return anyGroupMatches(target, node.regex!);
    case '!~':
      return !anyGroupMatches(target, node.regex!);
    default:
      return false;
  }
}

function anyGroupMatches(target: QueryTarget, regex: RegExp): boolean {
  for (const group of target.taskGroups()) if (regex.test(group) && target.taskGroupCount(group) > 0) return true;
  return false;
}

function ordered(difference: number, op: QueryOperator): boolean {
  switch (op) {
    case '>':
      return difference > 0;
    case '>=':
      return difference >= 0;
    case '<':
      return difference < 0;
    case '<=':
      return difference <= 0;
    default:
      return false;
  }
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const VERSION = /^v?\d+(\.\d+)+$/;

/** Numbers as numbers, dotted versions part by part, anything else as strings. */
export function compareValues(a: string, b: string): number {
  if (NUMBER.test(a) && NUMBER.test(b)) return Number(a) - Number(b);
  if (VERSION.test(a) && VERSION.test(b)) {
    const pa = a.replace(/^v/, '').split('.').map(Number);
    const pb = b.replace(/^v/, '').split('.').map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const d = (pa[i] ?? 0) - (pb[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A host snapshot as a query target, for filtering outside placement (ListContainerInstances `filter`). */
export function hostQueryTarget(host: PlacementHost): QueryTarget {
  const counts = host.groupCounts;
  return {
    attribute: (name) => host.attributes[name],
    agentConnected: host.agentConnected,
    agentVersion: host.agentVersion,
    ec2InstanceId: host.ec2InstanceId ?? host.id,
    registeredAt: host.registeredAt,
    runningTasksCount: host.runningTasksCount ?? Object.values(counts).reduce((a, b) => a + b, 0),
    taskGroupCount: (group) => counts[group] ?? 0,
    taskGroups: () => Object.keys(counts).filter((g) => (counts[g] ?? 0) > 0),
  };
}
