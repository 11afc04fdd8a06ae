/**
 * The answers the router gives itself (no rule, no healthy target, a failed or slow target), as
 * JSON problems in the API's shape. Both data planes send the very same bytes: the node plane
 * writes them, the haproxy plane has them in its configuration (`http-request return`,
 * `http-error`), so they take no request id.
 */
import type { ErrorCode } from '../model/errors.js';
import { wharfError } from '../model/errors.js';
import { UPSTREAM_TIMEOUT_MS } from './data-plane.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export type RouterProblemCode = Extract<ErrorCode, 'WHARF_E_ROUTER_NO_ROUTE' | 'WHARF_E_ROUTER_NO_HEALTHY_TARGET' | 'WHARF_E_ROUTER_BAD_GATEWAY' | 'WHARF_E_ROUTER_GATEWAY_TIMEOUT'>;

/** The status and body of one router problem for a listener. */
export function routerProblem(code: RouterProblemCode, listenerPort: number): { status: number; body: string } {
  const error =
    code === 'WHARF_E_ROUTER_GATEWAY_TIMEOUT'
      ? wharfError(code, { port: listenerPort, seconds: UPSTREAM_TIMEOUT_MS / 1000 })
      : wharfError(code, { port: listenerPort });
  const body = JSON.stringify({ type: 'about:blank', code: error.code, title: error.title, status: error.status, detail: error.message });
  return { status: error.status, body };
}
