/**
 * The AWS endpoint on `POST /`: the JSON 1.1 protocol (ECS, Application Auto Scaling; the
 * operation in `X-Amz-Target`) and the Query protocol (Elastic Beanstalk, ELBv2, IAM; a
 * form-encoded body naming its `Action` and `Version`). It recognises the call
 * (`recogniseAwsCall`, first thing on every request), gives the authentication hooks the native
 * route's IAM entry and input (`awsSignedCall`), calls the native route's handler
 * (`registerAwsEndpoint`) and renders answers and errors in the protocol's shape
 * (`sendAwsError`). See README.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AwsJsonServiceSpec, AwsTarget } from '../../../model/api/aws/json-protocol.js';
import { AWS_JSON_CONTENT_TYPE, AWS_JSON_PATH, AWS_JSON_SERVICES, jsonErrorBody, parseTarget, withEpochSeconds } from '../../../model/api/aws/json-protocol.js';
import { jsonExceptionOf } from '../../../model/api/aws/errors.js';
import type { AwsQueryServiceSpec } from '../../../model/api/aws/query-protocol.js';
import { AWS_QUERY_CONTENT_TYPE, AWS_QUERY_SERVICES, queryErrorXml, queryResponseXml, queryServiceOf } from '../../../model/api/aws/query-protocol.js';
import { queryErrorOf } from '../../../model/api/aws/query-errors.js';
import type { WharfError } from '../../../model/errors.js';
import { wharfError } from '../../../model/errors.js';
import type { RouteAction, RouteInput } from '../actions.js';
import { ROUTE_ACTIONS } from '../actions.js';
import type { RouteHandlers } from '../handlers.js';
import { networkOf, originOf } from '../handlers.js';
import type { AwsInput, AwsOperation } from './operations.js';
import { AWS_OPERATIONS, nativeInput } from './operations.js';
import type { QueryBody } from './query.js';
import { isQueryBody, parseQueryBody } from './query.js';

/** A JSON-protocol call, as its headers name it. */
export interface AwsJsonCall {
  readonly protocol: 'json';
  readonly target: AwsTarget;
  /** The table's entry; undefined for an operation Wharf does not implement. */
  readonly operation: AwsOperation | undefined;
}

/** A Query-protocol call: its service and operation are in its body, read after authentication's first step. */
export interface AwsQueryCall {
  readonly protocol: 'query';
  /** The service the body's `Version` names, once the body is read. */
  service?: AwsQueryServiceSpec;
  /** The body's `Action`, once read. */
  action?: string;
}

export type AwsCall = AwsJsonCall | AwsQueryCall;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on calls to the AWS endpoint: errors are then answered in the protocol's shape. */
    aws?: AwsCall;
  }
}

/** The content type's media type, lower-cased, without parameters. */
function mediaTypeOf(header: unknown): string {
  return typeof header === 'string' ? (header.split(';')[0] ?? '').trim().toLowerCase() : '';
}

/** Marks a request to the AWS endpoint: `POST /` with an `X-Amz-Target`, or with a form body. Reads headers only. */
export function recogniseAwsCall(request: FastifyRequest): void {
  if (request.method !== 'POST' || (request.url.split('?')[0] ?? '') !== AWS_JSON_PATH) return;
  const target = parseTarget(request.headers['x-amz-target']);
  if (target) {
    const table = target.service ? AWS_OPERATIONS[target.service.service] : {};
    request.aws = { protocol: 'json', target, operation: Object.hasOwn(table, target.operation) ? table[target.operation] : undefined };
    return;
  }
  if (mediaTypeOf(request.headers['content-type']) === AWS_QUERY_CONTENT_TYPE) request.aws = { protocol: 'query' };
}

/** The body as the operation's fields: a JSON object, or nothing usable. */
function fieldsOf(body: unknown): AwsInput | undefined {
  if (body === undefined || body === null) return {};
  return typeof body === 'object' && !Array.isArray(body) ? (body as AwsInput) : undefined;
}

const unknownOperation = (call: AwsJsonCall) => wharfError('WHARF_E_UNKNOWN_OPERATION', { target: call.target.target });

/** What the authentication hooks need of an AWS call: the native route's entry, the service the signature must be scoped to, and the input the entry's resources are read from. */
export interface AwsSignedCall {
  readonly key: string;
  readonly entry: RouteAction;
  /** The credential scope's service the signature must name; undefined: whichever it names (the call is refused later). */
  readonly service: string | undefined;
  readonly input: (body: unknown) => RouteInput;
  /** The operation is not Wharf's: refused once the signature is checked. */
  readonly unknown?: WharfError;
  /** A Query call: its operation is known only from its body, so its entry is looked up again once the body is read. */
  readonly late?: (body: unknown) => AwsSignedCall;
}

const NO_INPUT = (): RouteInput => ({ params: {}, query: {}, body: {} });

/** An operation Wharf does not have: authorised on nothing, refused once the signature holds. */
function unknownCall(key: string, action: string, service: string | undefined, error: WharfError): AwsSignedCall {
  return { key, entry: { action, resources: () => ['*'] }, service, input: NO_INPUT, unknown: error };
}

/** The signed-call view of a Query call's body: the native route's entry and input, or the reason it has none. */
function querySignedCall(call: AwsQueryCall, body: unknown): AwsSignedCall {
  const parsed: QueryBody | undefined = isQueryBody(body) ? body : undefined;
  call.service = parsed?.service;
  call.action = parsed?.action;
  const operation = parsed ? parsed.operation : { error: wharfError('WHARF_E_UNKNOWN_OPERATION', { target: 'an empty Query request' }) };
  const service = parsed?.service?.service;
  if ('error' in operation) return unknownCall('POST /', `${service ?? 'aws'}:${parsed?.action || 'Unknown'}`, service, operation.error);
  const entry = ROUTE_ACTIONS[operation.route];
  if (!entry) throw new Error(`The Query operation ${operation.route} has no IAM action`);
  return { key: operation.route, entry, service, input: () => ({ params: {}, query: {}, body: operation.input }) };
}

/**
 * The signed-call view of an AWS call. A JSON target naming no service Wharf serves is refused
 * at once (there is no signing service to check against); an operation Wharf does not implement
 * is refused after its signature is checked, before any policy is read. A Query call's operation
 * is in its body: `late` names it once the body is read.
 */
export function awsSignedCall(call: AwsCall): AwsSignedCall {
  if (call.protocol === 'query') {
    return { ...unknownCall('POST /', 'aws:Unknown', undefined, wharfError('WHARF_E_UNKNOWN_OPERATION', { target: 'a Query request' })), late: (body) => querySignedCall(call, body) };
  }
  const service = call.target.service;
  if (!service) throw unknownOperation(call);
  const operation = call.operation;
  if (!operation) return unknownCall(call.target.target, `${service.signingName}:${call.target.operation || 'Unknown'}`, service.signingName, unknownOperation(call));
  const entry = ROUTE_ACTIONS[operation.route];
  if (!entry) throw new Error(`The AWS operation ${call.target.target} names the route ${operation.route}, which has no IAM action`);
  return { key: operation.route, entry, service: service.signingName, input: (body) => nativeInput(operation, fieldsOf(body) ?? {}) };
}

/** Serves `POST /` in a scope of its own, whose parsers take the protocols' content types. */
export function registerAwsEndpoint(app: FastifyInstance, handlers: RouteHandlers, parseJson: Parameters<FastifyInstance['addContentTypeParser']>[2]): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser([AWS_JSON_CONTENT_TYPE, 'application/x-amz-json-1.0'], { parseAs: 'buffer' }, parseJson as never);
    scope.addContentTypeParser(AWS_QUERY_CONTENT_TYPE, { parseAs: 'buffer' }, (request, body, done) => {
      // The bytes as received: the signature covers their hash.
      request.bodyBytes = body as Buffer;
      done(null, parseQueryBody((body as Buffer).toString('utf8'), handlers));
    });
    scope.post(AWS_JSON_PATH, async (request, reply) => {
      const call = request.aws;
      if (!call) throw wharfError('WHARF_E_ROUTE_NOT_FOUND', { method: request.method, url: AWS_JSON_PATH });
      return call.protocol === 'json' ? serveJson(call, request, reply, handlers) : serveQuery(request, reply, handlers);
    });
  });
}

async function serveJson(call: AwsJsonCall, request: FastifyRequest, reply: FastifyReply, handlers: RouteHandlers): Promise<unknown> {
  const operation = call.operation;
  const handler = operation ? handlers[operation.route] : undefined;
  if (!operation || !handler) throw unknownOperation(call);
  const fields = fieldsOf(request.body);
  if (!fields) {
    throw wharfError('WHARF_E_VALIDATION', { summary: `The ${call.target.operation} request is not a JSON object of its fields` }, { errors: [{ field: '', message: 'Send a JSON object' }] });
  }
  const answer = await handler({ ...nativeInput(operation, fields), caller: request.call?.holder?.principal, ...networkOf(request) }, request.id);
  void reply.header('x-amzn-requestid', request.id).type(AWS_JSON_CONTENT_TYPE);
  return withEpochSeconds(answer ?? {}, operation.timestamps ?? []);
}

async function serveQuery(request: FastifyRequest, reply: FastifyReply, handlers: RouteHandlers): Promise<string> {
  const body = isQueryBody(request.body) ? request.body : undefined;
  if (!body) throw wharfError('WHARF_E_UNKNOWN_OPERATION', { target: 'a Query request without a form body' });
  const operation = body.operation;
  if ('error' in operation) throw operation.error;
  const handler = handlers[operation.route];
  if (!handler) throw wharfError('WHARF_E_UNKNOWN_OPERATION', { target: `${body.action} (Version ${body.version})` });
  if (operation.errors.length > 0) {
    const [first] = operation.errors;
    throw wharfError('WHARF_E_VALIDATION', { summary: `The ${body.action} request has ${operation.errors.length} parameter${operation.errors.length === 1 ? '' : 's'} it cannot take (first: ${first?.field}: ${first?.message})` }, { errors: operation.errors });
  }
  const answer = await handler({ params: {}, query: {}, body: operation.input, caller: request.call?.holder?.principal, ...originOf(request), ...networkOf(request) }, request.id);
  void reply.header('x-amzn-requestid', request.id).type('text/xml');
  return queryResponseXml(operation.service, body.action, answer ?? {}, request.id);
}

/** The metrics label of an AWS call: `/ <target>` or `/ <service>.<Action>` for an operation Wharf has (the client chooses the names, so unknown ones are not labels); undefined for other calls. */
export function awsMetricLabel(request: FastifyRequest): string | undefined {
  const call = request.aws;
  if (!call) return undefined;
  if (call.protocol === 'json') return call.operation ? `/ ${call.target.target}` : '/';
  const body = isQueryBody(request.body) ? request.body : undefined;
  return body && !('error' in body.operation) ? `/ ${body.operation.service.service}.${body.action}` : '/';
}

/** The message an AWS client prints: the catalogue's, with each offending field named (the protocols have no `errors` list). */
function messageOf(error: WharfError): string {
  if (error.errors.length === 0) return error.message;
  return `${error.message.replace(/ Fix the fields listed in `errors` and/, ' Fix them and')} Fields: ${error.errors.map((e) => `${e.field || 'body'}: ${e.message}`).join('; ')}.`;
}

/** Answers an error of an AWS call in its protocol's shape: JSON `{"__type", "message"}`, or Query's `ErrorResponse` XML. */
export function sendAwsError(reply: FastifyReply, call: AwsCall, error: WharfError, requestId: string, signedFor?: string): FastifyReply {
  void reply.header('x-amzn-requestid', requestId);
  if (call.protocol === 'query') {
    // Before its body is read, a call's service is the one its signature names (EB's when none).
    const service = call.service ?? queryServiceOf(signedFor) ?? AWS_QUERY_SERVICES.elasticbeanstalk;
    const answer = queryErrorOf(error.code, service.service);
    return reply.status(answer.status).type('text/xml').send(queryErrorXml(service, answer.fault, answer.code, messageOf(error), requestId));
  }
  const service: AwsJsonServiceSpec = call.target.service ?? AWS_JSON_SERVICES.ecs;
  const { exception, status } = jsonExceptionOf(error.code, service.service);
  return reply.status(status).type(AWS_JSON_CONTENT_TYPE).send(jsonErrorBody(service, exception, messageOf(error)));
}
