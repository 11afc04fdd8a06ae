/**
 * Host-header and path-pattern conditions as regular expressions, written once for both data
 * planes: the node plane runs them as JavaScript RegExps, the haproxy plane puts the same source
 * in a `map_reg` map file. The expressions use only what both engines read alike (anchors,
 * groups, alternation, `.`, `[^…]`, `*`, escaped literals).
 *
 * A request is matched on its route key: the Host header in lower case without its port, a `#`,
 * then the path without its query string (`example.com#/api/users`). Neither part can hold a `#`
 * (a Host with one is refused as no route), so a rule's host part can never eat into the path.
 */
import type { RuleConditions } from '../model/routing.js';

/** What separates host and path in a route key. */
export const ROUTE_KEY_SEPARATOR = '#';

function escapeLiteral(char: string): string {
  return /[\\^$.|?*+()[\]{}]/.test(char) ? `\\${char}` : char;
}

function wildcardToRegex(value: string, anyRun: string, anyOne: string): string {
  let out = '';
  for (const char of value) {
    if (char === '*') out += anyRun;
    else if (char === '?') out += anyOne;
    else out += escapeLiteral(char);
  }
  return out;
}

/** A host-header value (`*.example.com`) as a regex over a lower-cased host without port. */
export function hostValueRegex(value: string): string {
  return wildcardToRegex(value.toLowerCase(), '[^#]*', '[^#]');
}

/** A path-pattern value (`/api/*`) as a regex over a path (case-sensitive, as ALB). */
export function pathValueRegex(value: string): string {
  return wildcardToRegex(value, '.*', '.');
}

/** A rule's conditions as one anchored regex over the route key. */
export function conditionsRegex(conditions: RuleConditions): string {
  const host = conditions.hostHeader ? `(${conditions.hostHeader.map(hostValueRegex).join('|')})` : '[^#]*';
  const path = conditions.pathPattern ? `(${conditions.pathPattern.map(pathValueRegex).join('|')})` : '.*';
  return `^${host}${ROUTE_KEY_SEPARATOR}${path}$`;
}

/**
 * The route key of a request: lower-cased Host without its port, `#`, the path without the query.
 * A missing Host counts as empty (as in HAProxy); undefined when it holds a `#` (no rule matches).
 */
export function routeKey(hostHeader: string | undefined, url: string): string | undefined {
  if (hostHeader?.includes(ROUTE_KEY_SEPARATOR)) return undefined;
  let host = (hostHeader ?? '').toLowerCase();
  // Strip the port, but not from a bare IPv6 literal's colons.
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && host.indexOf(']') < colon && /^\d*$/.test(host.slice(colon + 1))) host = host.slice(0, colon);
  let path = url;
  if (!path.startsWith('/')) {
    // absolute-form (`GET http://host/path`): the path starts at the first slash after the authority.
    const scheme = path.indexOf('://');
    const slash = scheme === -1 ? -1 : path.indexOf('/', scheme + 3);
    path = slash === -1 ? '/' : path.slice(slash);
  }
  const query = path.indexOf('?');
  if (query !== -1) path = path.slice(0, query);
  return `${host}${ROUTE_KEY_SEPARATOR}${path}`;
}
