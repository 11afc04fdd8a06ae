/**
 * IAM's wildcard matching: `*` (any run of characters) and `?` (any one character) in actions,
 * resources and the `StringLike` / `ArnLike` condition operators. Patterns are arrays of UTF-16
 * code units in which STAR and QUESTION stand for the wildcards, so that a literal `*` (the policy
 * variable `${*}`, or the value a variable stands for) stays literal.
 *
 * Matching never backtracks more than one star at a time (the classic greedy glob algorithm):
 * its cost is at most the pattern's length times the text's, whatever a policy author writes, so
 * a pattern like `*a*a*a*a*b` cannot stall an evaluation the way a regular expression could.
 */

/** A `*` in a pattern. */
export const STAR = -1;
/** A `?` in a pattern. */
export const QUESTION = -2;

/** A pattern: code units, with STAR and QUESTION for the wildcards. */
export type WildcardPattern = readonly number[];

const COLON = 0x3a;

/** The pattern of `text`: `*` and `?` are wildcards when `wildcards` is true, literals otherwise. */
export function patternOf(text: string, wildcards = true): number[] {
  const codes: number[] = [];
  appendPattern(codes, text, wildcards);
  return codes;
}

/** Appends the pattern of `text` to `codes` (a loop, not a spread: a long value must not overflow the stack). */
export function appendPattern(codes: number[], text: string, wildcards = true): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    codes.push(wildcards && code === 0x2a ? STAR : wildcards && code === 0x3f ? QUESTION : code);
  }
}

/** The literal text of `pattern[from, to)`, which holds no wildcard. */
export function literalText(pattern: WildcardPattern, from = 0, to = pattern.length): string {
  let text = '';
  for (let i = from; i < to; i += 8192) text += String.fromCharCode(...pattern.slice(i, Math.min(to, i + 8192)));
  return text;
}

/** True when the pattern has a wildcard. */
export function hasWildcard(pattern: WildcardPattern): boolean {
  return pattern.some((code) => code < 0);
}

/**
 * Whether `pattern` matches all of `text[from, to)`. Case-sensitive: lower-case both sides first
 * for a case-insensitive match.
 */
export function wildcardMatch(pattern: WildcardPattern, text: string, from = 0, to = text.length): boolean {
  const m = pattern.length;
  let p = 0;
  let t = from;
  let star = -1; // the pattern index just after the last star seen
  let resume = 0; // where in the text that star's run ends so far
  while (t < to) {
    const code = p < m ? (pattern[p] as number) : 0;
    if (p < m && (code === QUESTION || code === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < m && code === STAR) {
      star = ++p;
      resume = t;
    } else if (star >= 0) {
      p = star;
      t = ++resume;
    } else return false;
  }
  while (p < m && pattern[p] === STAR) p++;
  return p === m;
}

/**
 * A matcher for `pattern`, with the common shapes made cheap: no wildcard (equality), one trailing
 * `*` (a prefix), and a literal start checked before the general match.
 */
export function wildcardMatcher(pattern: WildcardPattern): (text: string) => boolean {
  const firstWildcard = pattern.findIndex((code) => code < 0);
  if (firstWildcard < 0) {
    const exact = literalText(pattern);
    return (text) => text === exact;
  }
  const prefix = literalText(pattern, 0, firstWildcard);
  if (firstWildcard === pattern.length - 1 && pattern[firstWildcard] === STAR) return (text) => text.startsWith(prefix);
  if (prefix === '') return (text) => wildcardMatch(pattern, text);
  return (text) => text.startsWith(prefix) && wildcardMatch(pattern, text, 0, text.length);
}

/**
 * An ARN pattern cut at its first five colons: partition, service, region, account, and the
 * resource (which keeps any further colons). A pattern with fewer colons has fewer segments.
 */
export interface ArnPattern {
  readonly segments: readonly WildcardPattern[];
}

/** Cuts a pattern (as `patternOf` gives) into its ARN segments. */
export function arnPatternOf(pattern: WildcardPattern): ArnPattern {
  const segments: WildcardPattern[] = [];
  let start = 0;
  for (let i = 0; i < pattern.length && segments.length < 5; i++) {
    if (pattern[i] === COLON) {
      segments.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  segments.push(pattern.slice(start));
  return { segments };
}

/** Where a text's ARN segments start and end (the sixth, the resource, runs to the end). */
export interface ArnSegments {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/** Cuts `text` at its first five colons; a text with fewer colons (such as `*`) has fewer segments. */
export function arnSegmentsOf(text: string): ArnSegments {
  const starts = [0];
  const ends: number[] = [];
  for (let i = text.indexOf(':'); i >= 0 && starts.length < 6; i = text.indexOf(':', i + 1)) {
    ends.push(i);
    starts.push(i + 1);
  }
  ends.push(text.length);
  return { starts, ends };
}

/**
 * Whether an ARN pattern matches `text`, as IAM compares resources and `ArnLike` values: segment
 * by segment (a wildcard matches within its segment), except that a segment of the pattern that
 * ends with `*` may run on over further segments of the text ("if the * wildcard is the last
 * character of a resource ARN segment, it can expand to match beyond the colon boundaries").
 * So `arn:wharf:ecs:*` matches every ECS ARN and `*` matches anything, even the text `*`, while
 * `arn:wharf:ecs:local:000000000000:cluster/*` matches within the resource segment only.
 */
export function arnMatch(pattern: ArnPattern, text: string, segments: ArnSegments = arnSegmentsOf(text)): boolean {
  return coverFrom(pattern.segments, 0, text, segments, 0);
}

/** Whether pattern segments `i…` match text segments `a…`, every text segment covered once. */
function coverFrom(pattern: readonly WildcardPattern[], i: number, text: string, segments: ArnSegments, a: number): boolean {
  const lastText = segments.starts.length - 1;
  if (a > lastText) return false;
  const segment = pattern[i] as WildcardPattern;
  const spans = segment.length > 0 && segment[segment.length - 1] === STAR;
  const from = segments.starts[a] as number;
  if (i === pattern.length - 1) {
    // The last pattern segment takes the rest of the text; only a trailing star spans colons.
    if (a < lastText && !spans) return false;
    return wildcardMatch(segment, text, from, segments.ends[lastText]);
  }
  // Leave at least one text segment for each pattern segment still to come.
  const lastB = spans ? lastText - (pattern.length - 1 - i) : a;
  for (let b = a; b <= lastB; b++) {
    if (wildcardMatch(segment, text, from, segments.ends[b]) && coverFrom(pattern, i + 1, text, segments, b + 1)) return true;
  }
  return false;
}
