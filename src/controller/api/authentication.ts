/**
 * Authentication and authorisation of every signed route, and the audit log of what they did.
 *
 *   onRequest   the route's action (actions.ts); a request with no signature or an unknown or
 *               inactive key is refused here, before its body is read
 *   preHandler  the signature over the request as received (body hash from the bytes parsed),
 *               then the caller's policies against the action, its resources and condition keys
 *   onResponse  one audit row for a mutation, and for every refused call
 *
 * Agents' and routers' routes keep their join-token credentials (JOIN_TOKEN_ROUTES); `/healthz`
 * is open. A route in neither table cannot be registered (`guardRoutes`).
 *
 * Every API call passes here, so a warm call does no store query and no work twice: a route's
 * facts are looked up once per route, the key's holder (principal, secret, parsed policies and
 * condition keys) comes from Identity's cache without waiting, and an allowed read is not
 * audited. What remains per call is the signature itself (the canonical request, a SHA-256 of it
 * and of the body, one HMAC) and the policy evaluation.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AuditOutcome } from '../../model/audit.js';
import { signingServiceOf } from '../../model/api/signing.js';
import { wharfError } from '../../model/errors.js';
import type { Decision } from '../../model/iam/evaluate.js';
import { parseSignedRequest, sha256Hex, UNSIGNED_PAYLOAD, verifySignature } from '../../model/sigv4.js';
import type { SignedClaim } from '../../model/sigv4.js';
import { EventBudget } from '../compute/refusals.js';
import { authorize } from '../identity/identity.js';
import type { Identity, KeyHolder } from '../identity/identity.js';
import type { ArnScope } from '../../model/arn.js';
import type { Store } from '../../store/store.js';
import { isMutating, JOIN_TOKEN_ROUTES, ROUTE_ACTIONS, routeKey } from './actions.js';
import type { RouteAction } from './actions.js';

/** What is known of a signed route before any call: its table entry and what follows from it. */
interface SignedRoute {
  readonly action: string;
  readonly entry: RouteAction;
  /** Whether the route takes an unsigned payload (an upload streamed, not hashed first). */
  readonly unsignedPayload: boolean;
  /** Whether its calls are audited when they succeed (reads are not). */
  readonly mutating: boolean;
}

/** What the hooks learn about a call, kept on its request. */
interface CallState extends SignedRoute {
  claim?: SignedClaim;
  holder?: KeyHolder;
  resources?: readonly string[];
  outcome?: AuditOutcome;
  /** The catalogue code the call failed with (set by the error handler). */
  errorCode?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as received (JSON routes), for the payload hash. */
    bodyBytes?: Buffer;
    /** The signed call's state (signed routes only). */
    call?: CallState;
  }
}

const EMPTY_BODY = Buffer.alloc(0);

/** Routes whose payload may be left unsigned (`UNSIGNED-PAYLOAD`): uploads, whose bytes are streamed, never held. */
const UNSIGNED_PAYLOAD_ROUTES: ReadonlySet<string> = new Set(['PUT /v1/elasticbeanstalk/bundles']);

/** Refused calls audited per minute, per controller: a flood of bad requests cannot grow the log without bound. */
export const REFUSALS_AUDITED_PER_MINUTE = 600;

export interface AuthenticationOptions {
  readonly identity: Identity;
  readonly store: Store;
  readonly arnScope: ArnScope;
  readonly log: Logger;
}

/** The route's table entry (HEAD answers as GET), or undefined for open and join-token routes. */
function entryOf(method: string, url: string): SignedRoute | undefined {
  const key = routeKey(method === 'HEAD' ? 'GET' : method, url);
  const entry = ROUTE_ACTIONS[key];
  return entry ? { action: entry.action, entry, unsignedPayload: UNSIGNED_PAYLOAD_ROUTES.has(key), mutating: isMutating(entry.action) } : undefined;
}

/** A fastify route option that holds hooks (one, several, or none yet), with `hook` added last. */
function withHook<T>(hooks: T | readonly T[] | undefined, hook: T): T[] {
  return [...(hooks === undefined ? [] : Array.isArray(hooks) ? (hooks as readonly T[]) : [hooks as T]), hook];
}

/** Whether a value is a promise (a resource lookup that reads the store), so that a plain value is not awaited. */
function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Fails registration of a `/v1` route (or `/metrics`) that names no IAM action and is no join-token route. */
export function guardRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/v1/') && route.url !== '/metrics') return;
    for (const method of [route.method].flat()) {
      const key = routeKey(method === 'HEAD' ? 'GET' : method, route.url);
      if (!ROUTE_ACTIONS[key] && !JOIN_TOKEN_ROUTES.has(key)) throw new Error(`The route ${key} has no IAM action: add it to ROUTE_ACTIONS in src/controller/api/actions.ts`);
    }
  });
}

/**
 * Adds the hooks to every signed route of `app` registered from now on (each route in
 * ROUTE_ACTIONS, found once when it is registered): call it before any route, as guardRoutes.
 */
export function addAuthentication(app: FastifyInstance, options: AuthenticationOptions): void {
  const { identity, store, arnScope, log } = options;
  const refusals = new EventBudget(REFUSALS_AUDITED_PER_MINUTE, 60_000);
  const lookup = { arnScope, store };

  app.addHook('onRoute', (options) => {
    const signed = new Map<string, SignedRoute>();
    for (const method of [options.method].flat()) {
      const route = entryOf(method, options.url);
      if (route) signed.set(method, route);
    }
    if (signed.size === 0) return;
    // Plain functions that return the hooks' promises: fastify waits for them as for async hooks.
    options.onRequest = withHook(options.onRequest, (request: FastifyRequest) => authenticate(request, signed.get(request.method)));
    options.preHandler = withHook(options.preHandler, (request: FastifyRequest) => authorizeCall(request));
    options.onResponse = withHook(options.onResponse, (request: FastifyRequest, reply: FastifyReply) => audit(request, reply.statusCode));
  });

  async function authenticate(request: FastifyRequest, route: SignedRoute | undefined): Promise<void> {
    if (!route) return;
    request.call = { ...route };
    const parsed = parseSignedRequest(request.method, request.url, request.headers);
    if (!parsed.ok) {
      request.call.outcome = 'Unauthenticated';
      if (parsed.reason === 'missing') throw wharfError('WHARF_E_MISSING_AUTHENTICATION_TOKEN', {});
      throw wharfError('WHARF_E_INCOMPLETE_SIGNATURE', { reason: parsed.message });
    }
    request.call.claim = parsed.claim;
    const cached = identity.cachedKeyHolder(parsed.claim.accessKeyId);
    const holder = cached === undefined ? await identity.keyHolder(parsed.claim.accessKeyId) : (cached ?? undefined);
    if (!holder) {
      request.call.outcome = 'Unauthenticated';
      throw wharfError('WHARF_E_INVALID_CLIENT_TOKEN_ID', { accessKeyId: parsed.claim.accessKeyId });
    }
    request.call.holder = holder;
  }

  async function authorizeCall(request: FastifyRequest): Promise<void> {
    const call = request.call;
    if (!call?.claim || !call.holder) return;
    const payloadHash = call.unsignedPayload ? (headerOf(request, 'x-amz-content-sha256') ?? UNSIGNED_PAYLOAD) : sha256Hex(request.bodyBytes ?? EMPTY_BODY);
    const claim = call.claim;
    const secret = call.holder.secretAccessKey;
    const service = signingServiceOf(pathOf(request.url));
    const now = Date.now();
    const verify = (hash: string) => verifySignature(claim, { method: request.method, rawUrl: request.url, headers: request.headers, payloadHash: hash }, secret, service, now);
    let verified = verify(payloadHash);
    // A presigned URL signs the empty body's hash (the AWS SDKs) or UNSIGNED-PAYLOAD (presignUrl, S3-style signers): either serves.
    if (!verified.ok && claim.presigned && verified.code === 'SignatureDoesNotMatch') {
      const unsignedPayload = verify(UNSIGNED_PAYLOAD);
      if (unsignedPayload.ok) verified = unsignedPayload;
    }
    if (!verified.ok) {
      call.outcome = 'Unauthenticated';
      request.log.debug({ code: verified.code, canonicalRequest: (verified as { canonicalRequest?: string }).canonicalRequest }, 'signature refused');
      if (verified.code === 'RequestExpired') throw wharfError('WHARF_E_REQUEST_EXPIRED', { reason: verified.message });
      if (verified.code === 'IncompleteSignature') throw wharfError('WHARF_E_INCOMPLETE_SIGNATURE', { reason: verified.message });
      throw wharfError('WHARF_E_SIGNATURE_DOES_NOT_MATCH', { reason: verified.message });
    }
    // A presigned URL's own parameters are the signature's, not the operation's.
    if (call.claim.presigned) dropSigningParameters(request.query);
    const input = { params: request.params, query: request.query, body: request.body };
    const resources = call.entry.resources(input, lookup);
    call.resources = isPromise(resources) ? await resources : resources;
    const holder = call.holder;
    const principal = holder.principal;
    if (principal.kind === 'root') return; // the root may do anything (authorize); its calls need no condition keys
    const context: Record<string, string | readonly string[] | boolean> = { ...call.entry.context?.(input, lookup) };
    for (const name in holder.conditionKeys) context[name] = holder.conditionKeys[name] as string;
    context['aws:SourceIp'] = request.ip;
    context['aws:SecureTransport'] = request.protocol === 'https';
    context['aws:CurrentTime'] = new Date(now).toISOString();
    const decided = authorize(holder, call.action, call.resources, context);
    if (!decided.allowed) {
      call.outcome = 'Denied';
      throw wharfError('WHARF_E_ACCESS_DENIED', { principal: principal.arn, action: call.action, resource: decided.resource, reason: denialReason(decided.decision) });
    }
  }

  async function audit(request: FastifyRequest, status: number): Promise<void> {
    const call = request.call;
    if (!call) return;
    const refused = call.outcome === 'Unauthenticated' || call.outcome === 'Denied';
    if (!refused && !call.mutating) return;
    const now = Date.now();
    if (refused && !refusals.take(now).record) return;
    await store.audit
      .append({
        time: now,
        principalArn: call.holder?.principal.arn ?? '',
        accessKeyId: call.claim?.accessKeyId ?? '',
        sourceIp: request.ip,
        action: call.action,
        resources: call.resources ?? [],
        requestId: request.id,
        outcome: call.outcome ?? (status < 400 ? 'Success' : 'Failed'),
        status,
        errorCode: call.errorCode ?? null,
      })
      .catch((error: unknown) => log.error({ err: error, requestId: request.id }, 'audit record not written'));
  }
}

function dropSigningParameters(query: unknown): void {
  if (query === null || typeof query !== 'object') return;
  for (const name of Object.keys(query)) if (name.startsWith('X-Amz-')) delete (query as Record<string, unknown>)[name];
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The path of a request target, without its query. */
function pathOf(url: string): string {
  const question = url.indexOf('?');
  return question === -1 ? url : url.slice(0, question);
}

/** AWS's wording: "with an explicit deny in …" or "because no identity-based policy allows the … action". */
function denialReason(decision: Decision): string {
  if (decision.effect === 'ExplicitDeny') {
    const { policy, index, sid } = decision.statement;
    return `with an explicit deny in an identity-based policy: ${policy} (statement ${sid ?? index})`;
  }
  return 'because no identity-based policy allows the action';
}
