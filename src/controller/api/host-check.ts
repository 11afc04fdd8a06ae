/**
 * Which Host headers the API answers (DNS rebinding protection): a browser page on another site can
 * make its own domain name resolve to 127.0.0.1 and then call the API from the user's machine, but
 * its requests still carry that domain name in `Host`. The API answers requests addressed to an IP
 * address, to `localhost` (and names under it), or to a name the operator listed
 * (`WHARF_API_HOSTNAMES`), and refuses the rest before any route runs.
 */
import { isIP } from 'node:net';

/** The host name of a Host header, lower-cased, without its port or IPv6 brackets. */
export function hostnameOf(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') === -1 ? undefined : host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon !== -1 && /^\d*$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : host;
}

/** True when the API should answer a request whose Host header is `hostHeader` (absent: HTTP/1.0, no browser). */
export function hostAllowed(hostHeader: string | undefined, allowedNames: readonly string[]): boolean {
  if (hostHeader === undefined || hostHeader === '') return true;
  const name = hostnameOf(hostHeader);
  if (isIP(name) !== 0) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return allowedNames.includes(name.replace(/\.$/, ''));
}
