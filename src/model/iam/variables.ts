/**
 * Policy variables (`${aws:username}`), as IAM reads them in documents of Version 2012-10-17: in
 * `Resource` and `NotResource`, and in the values of the string, ARN and `Bool` condition
 * operators. Any condition key of the request may be a variable (`${aws:PrincipalArn}`,
 * `${ecs:cluster}`, `${aws:PrincipalTag/team}`); `${key, 'default'}` gives a value for when the
 * request has none; `${*}`, `${?}` and `${$}` are a literal `*`, `?` and `$`. A key the request
 * does not have (and no default), or has several values for, leaves the variable unresolved, and
 * whatever holds it cannot match. In Version 2008-10-17 documents all of this is plain text.
 */

/** A piece of a value: text as written (wildcards still to be read), a literal character, or a variable. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'variable'; readonly key: string; readonly fallback?: string };

/** A value of the document cut into its parts; a value without variables is one `text` part. */
export type Template = readonly TemplatePart[];

const VARIABLE = /^\s*([^\s{}$,']+)\s*(?:,\s*'([^']*)'\s*)?$/;
const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

/**
 * Cuts `value` into its parts when `variables` is on (Version 2012-10-17), or returns it as one
 * text part. Returns a problem (a sentence for a field error) when a `${` is not a well-formed
 * variable.
 */
export function parseTemplate(value: string, variables: boolean): Template | { readonly problem: string } {
  if (!variables || !value.includes('${')) return [{ kind: 'text', text: value }];
  const parts: TemplatePart[] = [];
  let at = 0;
  for (let open = value.indexOf('${'); open >= 0; open = value.indexOf('${', at)) {
    if (open > at) parts.push({ kind: 'text', text: value.slice(at, open) });
    const close = value.indexOf('}', open + 2);
    if (close < 0) return { problem: `The policy variable starting at character ${open + 1} has no closing "}": write \${name}, or \${$} for a literal "$"` };
    const inside = value.slice(open + 2, close);
    const escaped = ESCAPES[inside];
    if (escaped !== undefined) parts.push({ kind: 'literal', text: escaped });
    else {
      const match = VARIABLE.exec(inside);
      if (!match) return { problem: `"\${${inside}}" is not a policy variable: write \${condition-key} or \${condition-key, 'default'}` };
      const key = (match[1] as string).toLowerCase();
      parts.push(match[2] === undefined ? { kind: 'variable', key } : { kind: 'variable', key, fallback: match[2] });
    }
    at = close + 1;
  }
  if (at < value.length) parts.push({ kind: 'text', text: value.slice(at) });
  return parts;
}

/** True when the template has a variable to resolve (escapes alone need no request). */
export function hasVariable(template: Template): boolean {
  return template.some((part) => part.kind === 'variable');
}

/** A request's condition keys, by lower-case name; several values for a multivalued key. */
export type ContextValues = ReadonlyMap<string, readonly string[]>;

/**
 * The value of a variable for a request: its key's one value, else its default; undefined when
 * the key is absent without a default, or holds several values (IAM does not substitute a
 * multivalued key).
 */
export function variableValue(part: Extract<TemplatePart, { kind: 'variable' }>, context: ContextValues): string | undefined {
  const values = context.get(part.key);
  if (values === undefined || values.length === 0) return part.fallback;
  return values.length === 1 ? values[0] : undefined;
}
