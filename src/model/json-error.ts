/**
 * Where a JSON text breaks. V8's JSON.parse messages often omit the position ("Unexpected token
 * '}', ... is not valid JSON"), so when a body fails to parse, this small scanner walks the text
 * again and reports the first offending offset as line and column, to tell the user where to look.
 * It runs only on bodies that already failed, so it favours clarity over speed.
 */

export interface JsonErrorLocation {
  /** 0-based offset into the text. */
  readonly offset: number;
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** A JSON number, matched where `lastIndex` says (sticky), so a long body is not copied per number. */
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/** Returns where `text` stops being valid JSON, or undefined when it is valid. */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  let i = 0;

  const describe = (at: number): string => (at >= text.length ? 'end of input' : `'${text[at]}'`);
  const fail = (expected: string): never => {
    throw new Stop(i, `expected ${expected} but found ${describe(i)}`);
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`'${word}'`);
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i] as string;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        i++;
        const esc = text[i];
        if (esc === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail('four hex digits after \\u');
            }
          }
          i += 5;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i++;
        else fail('a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
        continue;
      }
      if (ch < ' ') fail('no raw control characters inside a string (escape them)');
      i++;
    }
    fail("a closing '\"'");
  };
  const number = (): void => {
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (!match) fail('a number');
    i += (match as RegExpExecArray)[0].length;
  };
  const member = (): void => {
    skipSpace();
    if (text[i] !== '"') fail('a property name in double quotes');
    string();
    skipSpace();
    if (text[i] !== ':') fail("':' after the property name");
    i++;
  };
  /**
   * One value, however deep, without recursion: the open arrays and objects are a stack of their
   * brackets, so a body of 100,000 `[` is walked like any other (a hostile body must not overflow
   * the call stack of the request that only wanted to say where it broke).
   */
  const value = (): void => {
    const open: ('[' | '{')[] = [];
    for (;;) {
      skipSpace();
      const ch = text[i];
      if (ch === '{' || ch === '[') {
        i++;
        skipSpace();
        if (text[i] === (ch === '{' ? '}' : ']')) i++;
        else {
          open.push(ch);
          if (ch === '{') member();
          continue; // the first element or property value
        }
      } else if (ch === '"') string();
      else if (ch === 't') literal('true');
      else if (ch === 'f') literal('false');
      else if (ch === 'n') literal('null');
      else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number();
      else fail('a value (object, array, string, number, true, false or null)');
      // A value is complete: close what it completes, up to the next value to read.
      for (;;) {
        const inside = open.at(-1);
        if (inside === undefined) return;
        skipSpace();
        if (text[i] === ',') {
          i++;
          if (inside === '{') member();
          break;
        }
        if (text[i] === (inside === '{' ? '}' : ']')) {
          i++;
          open.pop();
          continue;
        }
        fail(inside === '{' ? "',' or '}' after a property value" : "',' or ']' after an array element");
      }
    }
  };

  try {
    value();
    skipSpace();
    if (i < text.length) fail('the end of input after the JSON value');
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    const column = error.offset - before.lastIndexOf('\n');
    return { offset: error.offset, line, column, reason: error.reason };
  }
}
