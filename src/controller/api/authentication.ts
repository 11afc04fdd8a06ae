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
 * is open. A route in neither table cannot be registered (`guardRoutes`). A call to the AWS
 * endpoint (`aws/`) is checked by its operation's native route: the same entry, the same input.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AuditOutcome } from '../../model/audit.js';
import { signingServiceOf } from '../../model/api/signing.js';
import { wharfError } from '../../model/errors.js';
import type { Decision } from '../../model/iam/evaluate.js';
import { isSessionKey } from '../../model/iam/session.js';
import { parseSignedRequest, sha256Hex, UNSIGNED_PAYLOAD, verifySignature } from '../../model/sigv4.js';
import type { SignedClaim } from '../../model/sigv4.js';
import { payloadSigningOf } from '../../model/sigv4-chunked.js';
import type { PayloadSigning } from '../../model/sigv4-chunked.js';
import { EventBudget } from '../compute/refusals.js';
import { authorize } from '../identity/identity.js';
import type { Identity, KeyHolder } from '../identity/identity.js';
import type { ArnScope } from '../../model/arn.js';
import type { Store } from '../../store/store.js';
import { isMutating, JOIN_TOKEN_ROUTES, PASS_ROLE_ACTION, ROUTE_ACTIONS, routeKey } from './actions.js';
import type { RouteAction, RouteInput } from './actions.js';
import { awsSignedCall } from './aws/endpoint.js';
import type { AwsSignedCall } from './aws/endpoint.js';
import { s3SignedCall } from './aws/s3-endpoint.js';
import type { WharfError } from '../../model/errors.js';

/** What the hooks learn about a call, kept on its request. */
interface CallState {
  action: string;
  entry: RouteAction;
  /** Whether the route takes an unsigned payload (an upload streamed, not hashed first). */
  readonly unsignedPayload: boolean;
  /** How such a route's body is signed (its SHA-256, not at all, or chunk by chunk), once the request's signature holds. */
  payload?: PayloadSigning;
  /** The service the signature's credential scope must name (undefined: the one it names; the call is then refused as unknown). */
  service: string | undefined;
  /** The call's input as the entry's resources and condition keys read it. */
  input: (request: FastifyRequest) => RouteInput;
  /** An AWS operation Wharf does not implement: refused once the signature is checked. */
  unknown?: WharfError;
  /** A Query call: its entry, service and input are looked up again once its body is read. */
  readonly late?: (body: unknown) => AwsSignedCall;
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

/**
 * Routes whose payload is not hashed before the signature is checked: uploads, whose bytes are
 * streamed, never held. Their x-amz-content-sha256 is signed as sent, and says how the body is
 * checked as it is stored (`payloadSigningOf`): its SHA-256, UNSIGNED-PAYLOAD, or aws-chunked.
 */
const EMPTY_BODY = Buffer.alloc(0);

const UNSIGNED_PAYLOAD_ROUTES: ReadonlySet<string> = new Set(['PUT /v1/elasticbeanstalk/bundles']);

/** Refused calls audited per minute, per controller: a flood of bad requests cannot grow the log without bound. */
export const REFUSALS_AUDITED_PER_MINUTE = 600;

export interface AuthenticationOptions {
  readonly identity: Identity;
  readonly store: Store;
  readonly arnScope: ArnScope;
  readonly log: Logger;
}

/** A signed call's entry, the service its signature names and its input; undefined for open and join-token routes. */
type SignedCall = Pick<CallState, 'entry' | 'service' | 'input' | 'unknown' | 'late'> & { readonly key: string; readonly unsignedPayload?: boolean };

const nativeInput = (request: FastifyRequest): RouteInput => ({ params: request.params, query: request.query, body: request.body });

/** The route's table entry (HEAD answers as GET), the AWS operation's native one, or undefined for open and join-token routes. */
function entryOf(request: FastifyRequest): SignedCall | undefined {
  if (request.aws) {
    const aws = awsSignedCall(request.aws);
    return { ...aws, input: (r) => aws.input(r.body) };
  }
  // S3 (aws/s3-endpoint.ts): its operation's action and ARNs; every body is checked as its route reads it.
  if (request.s3) return s3SignedCall(request.s3);
  const url = request.routeOptions.url;
  if (url === undefined) return undefined;
  const key = routeKey(request.method === 'HEAD' ? 'GET' : request.method, url);
  const entry = ROUTE_ACTIONS[key];
  return entry ? { key, entry, service: signingServiceOf(request.url.split('?')[0] ?? request.url), input: nativeInput } : undefined;
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

/** Adds the hooks to `app`. */
export function addAuthentication(app: FastifyInstance, options: AuthenticationOptions): void {
  const { identity, store, arnScope, log } = options;
  const refusals = new EventBudget(REFUSALS_AUDITED_PER_MINUTE, 60_000);

  app.addHook('onRequest', async (request) => {
    const found = entryOf(request);
    if (!found) return;
    request.call = { action: found.entry.action, entry: found.entry, service: found.service, input: found.input, unknown: found.unknown, late: found.late, unsignedPayload: found.unsignedPayload ?? UNSIGNED_PAYLOAD_ROUTES.has(found.key) };
    const parsed = parseSignedRequest(request.method, request.url, request.headers);
    if (!parsed.ok) {
      request.call.outcome = 'Unauthenticated';
      if (parsed.reason === 'missing') throw wharfError('WHARF_E_MISSING_AUTHENTICATION_TOKEN', {});
      throw wharfError('WHARF_E_INCOMPLETE_SIGNATURE', { reason: parsed.message });
    }
    request.call.claim = parsed.claim;
    if (isSessionKey(parsed.claim.accessKeyId)) {
      request.call.holder = await sessionHolderOf(identity, parsed.claim).catch((error: unknown) => {
        if (request.call) request.call.outcome = 'Unauthenticated';
        throw error;
      });
      return;
    }
    // A warm call takes its key holder from the cache without waiting.
    const cached = identity.cachedKeyHolder(parsed.claim.accessKeyId);
    const holder = cached === undefined ? await identity.keyHolder(parsed.claim.accessKeyId) : cached;
    if (!holder) {
      request.call.outcome = 'Unauthenticated';
      throw wharfError('WHARF_E_INVALID_CLIENT_TOKEN_ID', { accessKeyId: parsed.claim.accessKeyId });
    }
    request.call.holder = holder;
  });

  app.addHook('preHandler', async (request) => {
    const call = request.call;
    if (!call?.claim || !call.holder) return;
    if (call.late) {
      // A Query call names its operation in its body, read by now.
      const named = call.late(request.body);
      Object.assign(call, { action: named.entry.action, entry: named.entry, service: named.service, input: (r: FastifyRequest) => named.input(r.body), unknown: named.unknown });
    }
    const declared = headerOf(request, 'x-amz-content-sha256');
    const payloadHash = call.unsignedPayload ? (declared ?? UNSIGNED_PAYLOAD) : sha256Hex(request.bodyBytes ?? EMPTY_BODY);
    const claim = call.claim;
    const secret = call.holder.secretAccessKey;
    // A call naming no service Wharf has is checked against the service it is signed for, then refused as unknown.
    const service = call.service ?? claim.service;
    const verify = (hash: string) => verifySignature(claim, { method: request.method, rawUrl: request.url, headers: request.headers, payloadHash: hash }, secret, service, Date.now());
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
    if (call.unsignedPayload) call.payload = payloadSigningOf(request.headers, claim, secret);
    // A presigned URL's own parameters are the signature's, not the operation's.
    if (call.claim.presigned) dropSigningParameters(request.query);
    if (call.unknown) throw call.unknown;
    const input = call.input(request);
    const holder = call.holder;
    const principal = holder.principal;
    const lookup = { arnScope, store, principal };
    const resources = call.entry.resources(input, lookup);
    call.resources = isPromise(resources) ? await resources : resources;
    if (principal.kind === 'root') return; // the root may do anything (authorize); its calls need no condition keys
    const context: Record<string, string | readonly string[] | boolean> = { ...call.entry.context?.(input, lookup) };
    for (const name in holder.conditionKeys) context[name] = holder.conditionKeys[name] as string;
    context['aws:SourceIp'] = request.ip;
    context['aws:SecureTransport'] = request.protocol === 'https';
    context['aws:CurrentTime'] = new Date().toISOString();
    const decided = authorize(call.holder, call.action, call.resources, context);
    if (!decided.allowed) {
      call.outcome = 'Denied';
      throw wharfError('WHARF_E_ACCESS_DENIED', { principal: principal.arn, action: call.action, resource: decided.resource, reason: denialReason(decided.decision) });
    }
    // Roles handed to ECS: iam:PassRole on each, as ECS requires (the root may pass any).
    const passed = call.entry.passedRoles ? await call.entry.passedRoles(input, lookup) : [];
    if (passed.length === 0) return;
    const passing = authorize(call.holder, PASS_ROLE_ACTION, passed, context);
    if (!passing.allowed) {
      call.outcome = 'Denied';
      call.resources = [...call.resources, passing.resource];
      throw wharfError('WHARF_E_ACCESS_DENIED', { principal: principal.arn, action: PASS_ROLE_ACTION, resource: passing.resource, reason: denialReason(passing.decision) });
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    const call = request.call;
    if (!call) return;
    const refused = call.outcome === 'Unauthenticated' || call.outcome === 'Denied';
    if (!refused && !isMutating(call.action)) return;
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
        outcome: call.outcome ?? (reply.statusCode < 400 ? 'Success' : 'Failed'),
        status: reply.statusCode,
        errorCode: call.errorCode ?? null,
      })
      .catch((error: unknown) => log.error({ err: error, requestId: request.id }, 'audit record not written'));
  });
}

/**
 * A role session's holder (`ASIA…` key): its token must be there and signed over (in SignedHeaders,
 * as the SDKs sign it; a presigned URL's query parameters are all signed), and open to a session
 * of that key, not expired, whose role still exists.
 */
async function sessionHolderOf(identity: Identity, claim: SignedClaim): Promise<KeyHolder> {
  if (claim.sessionToken !== undefined && !claim.presigned && !claim.signedHeaders.includes('x-amz-security-token')) {
    throw wharfError('WHARF_E_INVALID_SECURITY_TOKEN', { reason: 'it is not signed: add x-amz-security-token to the SignedHeaders of the Authorization header' });
  }
  return identity.sessionHolder(claim.accessKeyId, claim.sessionToken);
}

/** Whether a value is a promise (a resource lookup that reads the store), so that a plain value is not awaited. */
function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function dropSigningParameters(query: unknown): void {
  if (query === null || typeof query !== 'object') return;
  for (const name of Object.keys(query)) if (name.startsWith('X-Amz-')) delete (query as Record<string, unknown>)[name];
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** AWS's wording: "with an explicit deny in …" or "because no identity-based policy allows the … action". */
function denialReason(decision: Decision): string {
  if (decision.effect === 'ExplicitDeny') {
    const { policy, index, sid } = decision.statement;
    return `with an explicit deny in an identity-based policy: ${policy} (statement ${sid ?? index})`;
  }
  return 'because no identity-based policy allows the action';
}
