/**
 * An API operation by its AWS name, as the controller's AWS endpoint and the `wharf` CLI both
 * reach it: the native route that serves it, its request schema (the request as AWS's model has
 * it, which the CLI also reads its options' shapes from, `shape.ts`), where the route takes the
 * request's members, and the members of AWS's request that Wharf accepts and does not act on.
 * One table per service: `ecs.ts`, `autoscaling.ts`, `load-balancing.ts`, `platform.ts`, `iam.ts`, `sts.ts`.
 */
import type { z } from 'zod';

export interface ApiOperation {
  /** The native route (`GET /v1/clusters`, `POST /v1/elbv2/CreateTargetGroup`): the key of the IAM action table and the route handlers. */
  readonly route: string;
  readonly request: z.ZodType;
  /** The request member the route takes in its path (`:param`); the other members then go in its query. */
  readonly pathMember?: string;
  /** Members of AWS's request that Wharf accepts and does not act on: dropped before the native route parses the rest. */
  readonly notActedOn?: readonly string[];
}

export type ApiOperations = Readonly<Record<string, ApiOperation>>;

/** Where an operation's request goes, without its schema: what a client needs to call it. */
export type ApiRoute = Omit<ApiOperation, 'request'>;

/** Where a native route takes a request: GET and DELETE routes in the query (and the path), POST routes in the body. */
export interface PlacedRequest {
  readonly method: string;
  /** The route's path with the path member's value in place of its `:param`. */
  readonly path: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly body?: Readonly<Record<string, unknown>>;
}

/** The request placed where the operation's native route takes it, the members not acted on dropped. */
export function placeRequest(operation: ApiRoute, request: Readonly<Record<string, unknown>>): PlacedRequest {
  const [method = 'POST', route = '/'] = operation.route.split(' ');
  const kept = operation.notActedOn ? Object.fromEntries(Object.entries(request).filter(([name]) => !operation.notActedOn?.includes(name))) : request;
  if (operation.pathMember !== undefined) {
    const { [operation.pathMember]: value, ...rest } = kept;
    const param = /:([A-Za-z]+)/.exec(route)?.[1] ?? operation.pathMember;
    return { method, path: route.replace(`:${param}`, encodeURIComponent(String(value ?? ''))), params: { [param]: value }, query: rest };
  }
  return method === 'POST' ? { method, path: route, params: {}, body: kept } : { method, path: route, params: {}, query: kept };
}

/** The table of a service whose every operation is `POST /v1/<area>/<Operation>` with the request as its body. */
export function bodyOperations<T extends Readonly<Record<string, z.ZodType>>>(
  area: string,
  schemas: T,
  notActedOn: { readonly [K in keyof T]?: readonly string[] } = {},
): { readonly [K in keyof T]: ApiOperation & { readonly request: T[K] } } {
  return Object.fromEntries(
    Object.entries(schemas).map(([name, request]) => [name, { route: `POST /v1/${area}/${name}`, request, ...(notActedOn[name] ? { notActedOn: notActedOn[name] } : {}) }]),
  ) as { readonly [K in keyof T]: ApiOperation & { readonly request: T[K] } };
}
