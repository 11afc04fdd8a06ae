/**
 * The AWS CLI's shorthand syntax, parsed as the AWS CLI v2 parses it (awscli/shorthand.py): purely
 * syntactic, no model. `a=1,b=x` is an object; `a=1,2` makes `a` a list; `a=[x,y]` and `a={b=1}` are
 * explicit lists and objects; '...' and "..." quote (with `\'`, `\"` and `\\` inside); `\,`
 * escapes a comma in a bare value; `a=` is the empty string. Typing by the option's shape happens
 * afterwards (`arguments.ts`).
 *
 * Two kinds of bare value, as the AWS CLI has them: the first value after `=` may hold `=`, `[`,
 * `{` and spaces (it stops at `,`, `]`, `}` and quotes); a later value of a comma list may not hold
 * `=`, which is how `a=x,y,b=z` knows `b` starts the next key.
 */

/** What shorthand parses to: strings, lists and objects; numbers and booleans come from the shape. */
export type ShorthandValue = string | ShorthandValue[] | { [key: string]: ShorthandValue };

/** A shorthand value that does not parse: what was expected, what came, and where (a caret line). */
export class ShorthandSyntaxError extends Error {
  constructor(
    readonly input: string,
    readonly index: number,
    detail: string,
  ) {
    super(`${detail} for input:\n${pointAt(input, index)}`);
    this.name = 'ShorthandSyntaxError';
  }
}

/** The input with a caret under `index` (on the line holding it). */
function pointAt(input: string, index: number): string {
  const lineStart = input.lastIndexOf('\n', index - 1) + 1;
  const lineEnd = input.indexOf('\n', index);
  const consumed = lineEnd < 0 ? input : input.slice(0, lineEnd);
  const remaining = lineEnd < 0 ? '' : input.slice(lineEnd);
  return `${consumed}\n${' '.repeat(index - lineStart)}^${remaining}`;
}

// The AWS CLI's character classes (Python regexes there), as JavaScript ones.
const START_WORD = '!#-&(-+\\--<>-Z\\\\-z|-\\uffff';
const FIRST_FOLLOW = '\\s!#-&(-+\\--\\\\^-|~-\\uffff';
const SECOND_FOLLOW = '\\s!#-&(-+\\--<>-\\uffff';
const ESCAPED_COMMA = '(?:\\\\,)';
const FIRST_VALUE = new RegExp(`^(?:${ESCAPED_COMMA}|[${START_WORD}])(?:${ESCAPED_COMMA}|[${FIRST_FOLLOW}])*`, 'u');
const SECOND_VALUE = new RegExp(`^(?:${ESCAPED_COMMA}|[${START_WORD}])(?:${ESCAPED_COMMA}|[${SECOND_FOLLOW}])*`, 'u');
const SINGLE_QUOTED = /^'(?:\\\\|\\'|[^'])*'/u;
const DOUBLE_QUOTED = /^"(?:\\\\|\\"|[^"])*"/u;
const KEY_CHARS = /[A-Za-z0-9\-_.#/:]/;
const WHITESPACE = /\s/u;

/** Parses one shorthand value (`key=value,...`) into an object, or throws ShorthandSyntaxError. */
export function parseShorthand(input: string): { [key: string]: ShorthandValue } {
  return new Parser(input).parameter();
}

class Parser {
  private index = 0;

  constructor(private readonly input: string) {}

  parameter(): { [key: string]: ShorthandValue } {
    const params: { [key: string]: ShorthandValue } = {};
    const [key, value] = this.keyValue();
    params[key] = value;
    let lastIndex = this.index;
    while (!this.atEnd()) {
      this.expect(',', true);
      const [nextKey, nextValue] = this.keyValue();
      if (Object.hasOwn(params, nextKey)) {
        throw new ShorthandSyntaxError(this.input, lastIndex + 1, `Second instance of key "${nextKey}" (often a "," where a space belongs, between two values of a list)`);
      }
      params[nextKey] = nextValue;
      lastIndex = this.index;
    }
    return params;
  }

  private keyValue(): [string, ShorthandValue] {
    const key = this.key();
    this.expect('=', true);
    return [key, this.values()];
  }

  private key(): string {
    const start = this.index;
    while (!this.atEnd() && KEY_CHARS.test(this.current())) this.index += 1;
    return this.input.slice(start, this.index);
  }

  private values(): ShorthandValue {
    if (this.atEnd()) return '';
    if (this.current() === '[') return this.explicitList();
    if (this.current() === '{') return this.hashLiteral();
    return this.csvValue();
  }

  /** `a=x` is `x`; `a=x,y` is `[x, y]`, backing off at a later `key=` so it starts the next pair. */
  private csvValue(): ShorthandValue {
    const first = this.firstValue();
    this.skipWhitespace();
    if (this.atEnd() || this.current() !== ',') return first;
    this.expect(',', true);
    const list: string[] = [first];
    for (;;) {
      try {
        const value = this.secondValue();
        this.skipWhitespace();
        if (this.atEnd()) {
          list.push(value);
          break;
        }
        this.expect(',', true);
        list.push(value);
      } catch (error) {
        if (!(error instanceof ShorthandSyntaxError) || this.atEnd()) throw error;
        this.backtrackTo(',');
        break;
      }
    }
    return list.length === 1 ? first : list;
  }

  private explicitList(): ShorthandValue[] {
    this.expect('[', true);
    const values: ShorthandValue[] = [];
    while (this.current() !== ']') {
      values.push(this.explicitValue());
      this.skipWhitespace();
      if (this.current() !== ']') {
        this.expect(',');
        this.skipWhitespace();
      }
    }
    this.expect(']');
    return values;
  }

  private hashLiteral(): { [key: string]: ShorthandValue } {
    this.expect('{', true);
    const object: { [key: string]: ShorthandValue } = {};
    while (this.current() !== '}') {
      const key = this.key();
      this.expect('=', true);
      const value = this.explicitValue();
      this.skipWhitespace();
      if (this.current() !== '}') {
        this.expect(',');
        this.skipWhitespace();
      }
      object[key] = value;
    }
    this.expect('}');
    return object;
  }

  private explicitValue(): ShorthandValue {
    if (this.current() === '[') return this.explicitList();
    if (this.current() === '{') return this.hashLiteral();
    return this.firstValue();
  }

  private firstValue(): string {
    if (this.current() === "'") return this.quoted(SINGLE_QUOTED, "'", 'single quoted');
    if (this.current() === '"') return this.quoted(DOUBLE_QUOTED, '"', 'double quoted');
    const match = FIRST_VALUE.exec(this.input.slice(this.index));
    if (!match) return '';
    this.index += match[0].length;
    return match[0].replaceAll('\\,', ',').trimEnd();
  }

  private secondValue(): string {
    if (this.current() === "'") return this.quoted(SINGLE_QUOTED, "'", 'single quoted');
    if (this.current() === '"') return this.quoted(DOUBLE_QUOTED, '"', 'double quoted');
    return this.mustMatch(SECOND_VALUE, 'second').replaceAll('\\,', ',').trimEnd();
  }

  private quoted(pattern: RegExp, quote: string, name: string): string {
    return this.mustMatch(pattern, name).slice(1, -1).replaceAll(`\\${quote}`, quote).replaceAll('\\\\', '\\');
  }

  private mustMatch(pattern: RegExp, name: string): string {
    const match = pattern.exec(this.input.slice(this.index));
    if (!match) throw new ShorthandSyntaxError(this.input, this.index, `Expected: '<${name}>', received: '<none>'`);
    this.index += match[0].length;
    return match[0];
  }

  private expect(char: string, skipWhitespace = false): void {
    if (skipWhitespace) this.skipWhitespace();
    if (this.atEnd()) throw new ShorthandSyntaxError(this.input, this.index, `Expected: '${char}', received: 'EOF'`);
    const actual = this.current();
    if (actual !== char) throw new ShorthandSyntaxError(this.input, this.index, `Expected: '${char}', received: '${actual}'`);
    this.index += 1;
    if (skipWhitespace) this.skipWhitespace();
  }

  private current(): string {
    return this.input[this.index] ?? '';
  }

  private atEnd(): boolean {
    return this.index >= this.input.length;
  }

  private backtrackTo(char: string): void {
    while (this.index >= 0 && this.input[this.index] !== char) this.index -= 1;
  }

  private skipWhitespace(): void {
    while (!this.atEnd() && WHITESPACE.test(this.current())) this.index += 1;
  }
}
