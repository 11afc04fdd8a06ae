/**
 * The controller's HTTP API: native JSON under `/v1`, the AWS JSON protocol on `POST /` (over the
 * same handlers, `aws/`), plus `/healthz` and `/metrics`.
 *
 *   request ─▶ request id ─▶ standby gate ─▶ JSON parser (size limit, where it broke)
 *           ─▶ route: zod parse ─▶ controller function ─▶ store (+ event)
 *   any throw ─▶ one error handler ─▶ JSON problem (catalogue code, status, how to fix)
 *
 * Handlers throw typed errors and never format error responses themselves.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { wharfError } from '../../model/errors.js';
import { locateJsonError } from '../../model/json-error.js';
import { createApiMetrics } from './metrics.js';
import { problemOf, toWharfError } from './problems.js';
import type { ApiContext } from './route-context.js';
import { registerAgentRoutes } from './routes/agent.js';
import { clusterRoutes } from './routes/clusters.js';
import { containerInstanceRoutes } from './routes/container-instances.js';
import { registerTaskLogRoutes, taskRoutes } from './routes/tasks.js';
import { registerEventRoutes } from './routes/events.js';
import { registerAuditRoutes } from './routes/audit.js';
import { taggingRoutes } from './routes/tagging.js';
import { autoScalingRoutes } from './routes/autoscaling.js';
import { loadBalancingRoutes, registerRouterRoutes } from './routes/load-balancing.js';
import { serviceRoutes } from './routes/services.js';
import { platformRoutes, registerBundleUpload } from './routes/platform.js';
import { iamRoutes } from './routes/iam.js';
import { stsRoutes } from './routes/sts.js';
import type { PlatformContext } from '../platform/context.js';
import { taskDefinitionRoutes } from './routes/task-definitions.js';
import { serveRoutes } from './handlers.js';
import type { RouteHandlers } from './handlers.js';
import { awsMetricLabel, recogniseAwsCall, registerAwsEndpoint, sendAwsError } from './aws/endpoint.js';
import { recogniseS3Call, sendS3Error } from './aws/s3-endpoint.js';
import { registerS3Routes } from './aws/s3.js';
import { hostAllowed, hostnameOf } from './host-check.js';
import { addAuthentication, guardRoutes } from './authentication.js';
import type { Identity } from '../identity/identity.js';

/** Whether this controller serves the API (leader) or waits for the leadership lock (standby). */
export type ControllerRole = 'leader' | 'standby';

export interface ApiOptions extends ApiContext {
  readonly log: Logger;
  readonly bodyLimitBytes: number;
  /** Read on every request: a standby answers `/v1` with 503. */
  readonly role: () => ControllerRole;
  /** The Wharf version, reported by /healthz. */
  readonly version: string;
  /** The Elastic Beanstalk layer (absent: its routes are not served). */
  readonly platform?: PlatformContext;
  /** Access keys, principals and their policies: every signed route is checked against them. */
  readonly identity: Identity;
  /** `off` only for the benchmark that measures what authentication costs; never a user setting. */
  readonly authentication?: 'sigv4' | 'off';
  /** Host names answered besides IP addresses and localhost (`WHARF_API_HOSTNAMES`); others get 421. */
  readonly apiHostnames?: readonly string[];
}

/** A request id from the client is kept when it is short and plain; otherwise a new one is made. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the API (not yet listening). */
export function buildApi(options: ApiOptions): FastifyInstance {
  const { log, bodyLimitBytes } = options;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const metrics = createApiMetrics(options.role);

  const parseJson = (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void): void => {
    // The bytes as received: the signature covers their hash, not a re-encoding of the parsed value.
    request.bodyBytes = body as Buffer;
    const text = (body as Buffer).toString('utf8');
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      const where = locateJsonError(text) ?? { line: 1, column: 1, reason: 'not valid JSON' };
      done(wharfError('WHARF_E_MALFORMED_JSON', { reason: where.reason, line: where.line, column: where.column }), undefined);
    }
  };
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parseJson);

  app.addHook('onRequest', async (request, reply) => {
    recogniseAwsCall(request);
    if (options.platform) recogniseS3Call(request);
    reply.header('x-request-id', request.id);
    if (!hostAllowed(request.headers.host, options.apiHostnames ?? [])) {
      throw wharfError('WHARF_E_HOST_NOT_ALLOWED', { host: hostnameOf(request.headers.host ?? '').slice(0, 253) });
    }
    if ((request.url.startsWith('/v1/') || request.aws || request.s3) && options.role() !== 'leader') {
      throw wharfError('WHARF_E_STANDBY', {});
    }
  });

  guardRoutes(app);
  if (options.authentication !== 'off') addAuthentication(app, { identity: options.identity, store: options.store, arnScope: options.arnScope, log });

  app.addHook('onResponse', async (request, reply) => {
    // An AWS call is labelled by its operation (known ones only: the target is the client's to choose).
    const route = awsMetricLabel(request) ?? (request.s3 ? `s3 ${request.s3.operation ?? 'unsupported'}` : (request.routeOptions.url ?? 'unmatched'));
    const seconds = reply.elapsedTime / 1000;
    metrics.observe(request.method, route, reply.statusCode, seconds);
    request.log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
  });

  app.setErrorHandler(async (error, request, reply) => {
    const { error: wharf, known } = toWharfError(error, {
      requestId: request.id,
      bodyLimit: bodyLimitBytes,
      contentType: String(request.headers['content-type'] ?? ''),
    });
    if (request.call) {
      request.call.errorCode = wharf.code;
      // A refusal decided by the operation itself (AssumeRole's trust policy) is a denial too.
      if (wharf.code === 'WHARF_E_ACCESS_DENIED') request.call.outcome ??= 'Denied';
    }
    if (known) request.log.info({ code: wharf.code, status: wharf.status, context: wharf.context }, wharf.message);
    else request.log.error({ err: error }, 'unhandled error');
    if (request.aws) return sendAwsError(reply, request.aws, wharf, request.id, request.call?.claim?.service);
    if (request.s3) return sendS3Error(reply, request, wharf, request.id);
    return reply.status(wharf.status).type('application/problem+json').send(problemOf(wharf, request.id));
  });

  app.setNotFoundHandler(async (request) => {
    throw wharfError('WHARF_E_ROUTE_NOT_FOUND', { method: request.method, url: request.url.split('?')[0] ?? request.url });
  });

  app.get('/healthz', async () => ({
    status: 'ok',
    role: options.role(),
    version: options.version,
    store: { kind: options.store.info.kind, schemaVersion: options.store.info.schemaVersion },
  }));

  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  const context: ApiContext = {
    store: options.store,
    arnScope: options.arnScope,
    bus: options.bus,
    joinToken: options.joinToken,
    rng: options.rng,
    shutdown: options.shutdown,
    wakeServices: options.wakeServices,
    routingTables: options.routingTables,
    targetHealth: options.targetHealth,
    routers: options.routers,
    routerHost: options.routerHost,
    requests: options.requests,
    usage: options.usage,
    quotas: options.quotas,
  };
  registerEventRoutes(app, context);
  registerAuditRoutes(app, context);
  // The operations both the native routes and the AWS endpoint serve, by native route.
  const handlers: RouteHandlers = {
    ...clusterRoutes(context),
    ...containerInstanceRoutes(context),
    ...taskRoutes(context),
    ...taskDefinitionRoutes(context),
    ...serviceRoutes(context),
    ...autoScalingRoutes(context),
    ...loadBalancingRoutes(context),
    ...iamRoutes(options.identity),
    ...stsRoutes(options.identity),
    ...(options.platform ? platformRoutes(options.platform) : {}),
    ...taggingRoutes(context),
  };
  serveRoutes(app, handlers);
  registerAwsEndpoint(app, handlers, parseJson);
  registerTaskLogRoutes(app, context);
  registerAgentRoutes(app, context);
  registerRouterRoutes(app, context);
  if (options.platform) registerBundleUpload(app, options.platform);
  // S3 (path-style) over the artifact store: every path that is not the native API's, /healthz or /metrics.
  if (options.platform) registerS3Routes(app, options.platform);
  return app;
}
