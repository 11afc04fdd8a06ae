/**
 * Operations as handlers keyed by their native route (`POST /v1/clusters`), the key of the one
 * route-to-IAM-action table (`actions.ts`). The native routes serve them (`serveRoutes`), and the
 * AWS endpoint (`aws/`) calls the very same handlers, so an operation has one implementation
 * whichever protocol reaches it.
 */
import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify';
import type { z } from 'zod';
import { parseInput } from '../../model/validation.js';
import type { RouteInput } from './actions.js';

/**
 * One operation: its input as the native route receives it (path, query, body, the caller), and
 * the request id. An operation whose whole input is its body names the body's schema
 * (`requestSchema`): the AWS Query protocol reads the types of its form's text from it.
 */
export type RouteHandler = ((input: RouteInput, requestId: string) => Promise<unknown>) & { readonly requestSchema?: z.ZodType };

/** An operation whose input is its body (`POST /v1/elbv2/CreateTargetGroup`): parsed with `schema` (an absent body is `{}`), then run. */
export function bodyOperation<S extends z.ZodType>(name: string, schema: S, run: (body: z.output<S>, requestId: string, input: RouteInput) => Promise<unknown>): RouteHandler {
  const handler = async (input: RouteInput, requestId: string) => run(parseInput(schema, input.body ?? {}, `${name} request`), requestId, input);
  return Object.assign(handler, { requestSchema: schema });
}

/** Where the caller reached the API, from the request's Host (which the host check has let through). */
export function originOf(request: FastifyRequest): { origin?: string } {
  const host = request.headers.host;
  return typeof host === 'string' && host !== '' ? { origin: `${request.protocol}://${host}` } : {};
}

/** Where the call came from, as the condition keys `aws:SourceIp` and `aws:SecureTransport` read it (AssumeRole's trust policy). */
export function networkOf(request: FastifyRequest): { sourceIp: string; secureTransport: boolean } {
  return { sourceIp: request.ip, secureTransport: request.protocol === 'https' };
}

/** Handlers by `METHOD /path`, as `ROUTE_ACTIONS` keys them. */
export type RouteHandlers = Readonly<Record<string, RouteHandler>>;

/** Registers each handler as its native route; the handler's answer is the JSON response. */
export function serveRoutes(app: FastifyInstance, handlers: RouteHandlers): void {
  for (const [key, handler] of Object.entries(handlers)) {
    const [method = '', url = ''] = key.split(' ');
    app.route({ method: method as HTTPMethods, url, handler: async (request) => handler({ params: request.params, query: request.query, body: request.body, caller: request.call?.holder?.principal, ...originOf(request), ...networkOf(request) }, request.id) });
  }
}
