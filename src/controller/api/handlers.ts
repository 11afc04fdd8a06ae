/**
 * Operations as handlers keyed by their native route (`POST /v1/clusters`), the key of the one
 * route-to-IAM-action table (`actions.ts`). The native routes serve them (`serveRoutes`), and the
 * AWS endpoint (`aws/`) calls the very same handlers, so an operation has one implementation
 * whichever protocol reaches it.
 */
import type { FastifyInstance, HTTPMethods } from 'fastify';
import type { RouteInput } from './actions.js';

/** One operation: its input as the native route receives it (path, query, body), and the request id. */
export type RouteHandler = (input: RouteInput, requestId: string) => Promise<unknown>;

/** Handlers by `METHOD /path`, as `ROUTE_ACTIONS` keys them. */
export type RouteHandlers = Readonly<Record<string, RouteHandler>>;

/** Registers each handler as its native route; the handler's answer is the JSON response. */
export function serveRoutes(app: FastifyInstance, handlers: RouteHandlers): void {
  for (const [key, handler] of Object.entries(handlers)) {
    const [method = '', url = ''] = key.split(' ');
    app.route({ method: method as HTTPMethods, url, handler: async (request) => handler({ params: request.params, query: request.query, body: request.body }, request.id) });
  }
}
