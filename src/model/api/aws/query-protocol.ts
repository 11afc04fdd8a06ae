/**
 * The AWS Query protocol as Elastic Beanstalk, ELBv2, IAM and STS speak it: `POST /` with a
 * form-encoded body (`Action`, `Version` and the operation's input flattened into dotted names:
 * `Tags.member.1.Key`, `OptionSettings.member.2.Namespace`, `Attributes.entry.1.key`), an XML
 * answer in the service's namespace (`<ActionResponse><ActionResult>…</ActionResult>
 * <ResponseMetadata><RequestId>`), and errors as `ErrorResponse/Error/{Type,Code,Message}`.
 *
 * The form carries no types: every value is text. The operation's request schema (the native
 * route's zod schema) says which names are lists, maps, structures, numbers and booleans, so
 * the input is rebuilt as the JSON the native route takes. Pure: `controller/api/aws/` serves it.
 */
import type { z } from 'zod';
import type { FieldError } from '../../errors.js';
import type { RequestShape } from '../shape.js';
import { shapeOf } from '../shape.js';

/** The services Wharf answers in the Query protocol, by their SigV4 signing name. */
export type AwsQueryService = 'elasticbeanstalk' | 'elasticloadbalancing' | 'iam' | 'sts';

export interface AwsQueryServiceSpec {
  readonly service: AwsQueryService;
  /** The form's `Version` (the model's apiVersion). */
  readonly version: string;
  /** The answers' XML namespace (the model's xmlNamespace). */
  readonly xmlNamespace: string;
}

export const AWS_QUERY_SERVICES: Readonly<Record<AwsQueryService, AwsQueryServiceSpec>> = {
  elasticbeanstalk: { service: 'elasticbeanstalk', version: '2010-12-01', xmlNamespace: 'http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/' },
  elasticloadbalancing: { service: 'elasticloadbalancing', version: '2015-12-01', xmlNamespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/' },
  iam: { service: 'iam', version: '2010-05-08', xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  sts: { service: 'sts', version: '2011-06-15', xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
};

/** The Query service a SigV4 credential scope names; undefined for any other. */
export function queryServiceOf(signingName: string | undefined): AwsQueryServiceSpec | undefined {
  return signingName !== undefined && Object.hasOwn(AWS_QUERY_SERVICES, signingName) ? AWS_QUERY_SERVICES[signingName as AwsQueryService] : undefined;
}

/** The content type of a Query request's body. */
export const AWS_QUERY_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** The largest `member.N` / `entry.N` index taken: far beyond any AWS list, small enough that no index can make a huge list. */
export const MAX_QUERY_INDEX = 1000;

/** The longest parameter name taken, and the most parts it may have: far beyond any AWS shape's nesting. */
export const MAX_QUERY_NAME_LENGTH = 512;
export const MAX_QUERY_NAME_PARTS = 32;

/** A form's parameters by name, and the names refused: given twice, or too long or deep to be any operation's. */
export interface QueryForm {
  readonly params: ReadonlyMap<string, string>;
  readonly refused: readonly FieldError[];
}

/** Reads a form-encoded body (`+` is a space, as in every form). */
export function parseQueryForm(text: string): QueryForm {
  const params = new Map<string, string>();
  const refused: FieldError[] = [];
  for (const [name, value] of new URLSearchParams(text)) {
    if (name.length > MAX_QUERY_NAME_LENGTH || name.split('.', MAX_QUERY_NAME_PARTS + 1).length > MAX_QUERY_NAME_PARTS) {
      refused.push({ field: name.slice(0, 64), message: `Not read: a parameter name has at most ${MAX_QUERY_NAME_LENGTH} characters and ${MAX_QUERY_NAME_PARTS} dotted parts` });
    } else if (params.has(name)) refused.push({ field: name, message: 'Given more than once: give each parameter once' });
    else params.set(name, value);
  }
  return { params, refused };
}

/** The parameters that address the protocol, not the operation. */
const PROTOCOL_PARAMS: ReadonlySet<string> = new Set(['Action', 'Version']);

/** What decoding found: the operation's input as JSON, and each parameter that fits no field of its schema. */
export interface DecodedQuery {
  readonly input: Record<string, unknown>;
  readonly errors: readonly FieldError[];
}

/**
 * Every dotted prefix of every name (`A`, `A.member`, `A.member.1` of `A.member.1.B`) with the
 * parts that follow it, to ask "is anything under this name?" and "what?" at once.
 */
function prefixesOf(names: Iterable<string>): Map<string, Set<string>> {
  const prefixes = new Map<string, Set<string>>();
  for (const name of names) {
    let at = name.indexOf('.');
    while (at !== -1) {
      const prefix = name.slice(0, at);
      const end = name.indexOf('.', at + 1);
      const child = name.slice(at + 1, end === -1 ? undefined : end);
      const children = prefixes.get(prefix);
      if (children) children.add(child);
      else prefixes.set(prefix, new Set([child]));
      at = end;
    }
  }
  return prefixes;
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * Rebuilds an operation's input from its form, guided by its request schema. A number's or a
 * boolean's text that is not one is left as text for the schema to refuse by name; a list's
 * indices run 1, 2, 3 … with no gap; a parameter that fits no field is an error naming it.
 */
export function decodeQuery(params: ReadonlyMap<string, string>, schema: z.ZodType, ignored: readonly string[] = []): DecodedQuery {
  const prefixes = prefixesOf(params.keys());
  const used = new Set<string>();
  const errors: FieldError[] = [];
  const has = (name: string) => params.has(name) || prefixes.has(name);
  const take = (name: string): string | undefined => {
    const value = params.get(name);
    if (value !== undefined) used.add(name);
    return value;
  };

  const indexed = (name: string, read: (at: string) => unknown): unknown[] | undefined => {
    const items: unknown[] = [];
    for (let index = 1; index <= MAX_QUERY_INDEX && has(`${name}.${index}`); index++) items.push(read(`${name}.${index}`));
    return items;
  };

  const decode = (name: string, shape: RequestShape): unknown => {
    switch (shape.kind) {
      case 'string':
        return take(name);
      case 'number': {
        const text = take(name);
        return text !== undefined && NUMBER.test(text) ? Number(text) : text;
      }
      case 'boolean': {
        const text = take(name);
        return text === 'true' ? true : text === 'false' ? false : text;
      }
      case 'list': {
        // An empty list is sent as the bare name with an empty value.
        if (params.get(name) === '' && !prefixes.has(name)) {
          take(name);
          return [];
        }
        if (!prefixes.has(`${name}.member`)) return undefined;
        return indexed(`${name}.member`, (at) => decode(at, shape.element));
      }
      case 'map': {
        if (!prefixes.has(`${name}.entry`)) return undefined;
        const entries = indexed(`${name}.entry`, (at) => [take(`${at}.key`), decode(`${at}.value`, shape.value)] as const) ?? [];
        const map: Record<string, unknown> = {};
        for (const [key, value] of entries as [string | undefined, unknown][]) if (key !== undefined && key !== '__proto__') map[key] = value;
        return map;
      }
      case 'any': {
        if (params.has(name)) return take(name);
        const children = prefixes.get(name);
        if (!children) return undefined;
        if (children.has('member')) return indexed(`${name}.member`, (at) => decode(at, shape));
        const value: Record<string, unknown> = {};
        for (const child of children) if (child !== '__proto__') value[child] = decode(`${name}.${child}`, shape);
        return value;
      }
      case 'structure': {
        if (name !== '' && !prefixes.has(name)) return undefined;
        const value: Record<string, unknown> = {};
        for (const [member, shapeOfMember] of Object.entries(shape.members)) {
          const at = name === '' ? member : `${name}.${member}`;
          if (!has(at)) continue;
          const decoded = decode(at, shapeOfMember());
          if (decoded !== undefined) value[member] = decoded;
        }
        return value;
      }
    }
  };

  const input = decode('', shapeOf(schema)) as Record<string, unknown>;
  for (const name of params.keys()) {
    if (used.has(name) || PROTOCOL_PARAMS.has(name)) continue;
    if (ignored.includes(name.split('.')[0] ?? name)) continue;
    errors.push({ field: name, message: unplaced(name) });
  }
  return { input, errors };
}

/** Why a parameter fits nowhere: a list's index out of order, or a name the operation does not have. */
function unplaced(name: string): string {
  const index = /\.(member|entry)\.(\d+)(\.|$)/.exec(name);
  if (index) return `Not read: a list's items are numbered 1, 2, 3 … up to ${MAX_QUERY_INDEX} with no gap (${index[1]}.${index[2]})`;
  return 'Unknown parameter: remove it or check its spelling';
}

const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

/** Text as XML character data (`&`, `<`, `>`, quotes; characters XML 1.0 cannot hold are dropped). */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** One value as an element: lists as `<member>` items, objects as nested elements, null and undefined left out. */
function element(name: string, value: unknown, out: string[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    out.push(`<${name}>`);
    for (const item of value) element('member', item, out);
    out.push(`</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    out.push(`<${name}>`);
    members(value as Record<string, unknown>, out);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${xmlText(String(value))}</${name}>`);
}

/** An object's members as elements (names that cannot be an XML element's are left out). */
function members(value: Record<string, unknown>, out: string[]): void {
  for (const [name, member] of Object.entries(value)) if (XML_NAME.test(name)) element(name, member, out);
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * An operation's answer: `<ActionResponse xmlns><ActionResult>…</ActionResult><ResponseMetadata><RequestId>`.
 * The Result element is there even when empty: the clients look for it whenever the model has an
 * output (`DeleteTargetGroupResult`), and ignore the body when it has none.
 */
export function queryResponseXml(service: AwsQueryServiceSpec, action: string, result: unknown, requestId: string): string {
  const out: string[] = [XML_DECLARATION, `<${action}Response xmlns="${service.xmlNamespace}">`, `<${action}Result>`];
  if (result !== null && typeof result === 'object' && !Array.isArray(result)) members(result as Record<string, unknown>, out);
  out.push(`</${action}Result>`);
  out.push(`<ResponseMetadata><RequestId>${xmlText(requestId)}</RequestId></ResponseMetadata></${action}Response>`);
  return out.join('');
}

/** An error answer: `ErrorResponse/Error/{Type,Code,Message}` and the request id. `Sender` for the caller's errors, `Receiver` for the service's. */
export function queryErrorXml(service: AwsQueryServiceSpec, fault: 'Sender' | 'Receiver', code: string, message: string, requestId: string): string {
  return (
    `${XML_DECLARATION}<ErrorResponse xmlns="${service.xmlNamespace}"><Error><Type>${fault}</Type><Code>${xmlText(code)}</Code>` +
    `<Message>${xmlText(message)}</Message></Error><RequestId>${xmlText(requestId)}</RequestId></ErrorResponse>`
  );
}
