/**
 * The AWS endpoint for the JSON 1.1 protocol (ECS, Application Auto Scaling): `POST /` with
 * `X-Amz-Target: <prefix>.<Operation>`. It recognises the call (`recogniseAwsCall`, first thing on
 * every request), gives the authentication hooks the native route's IAM entry and input
 * (`awsSignedCall`), calls the native route's handler (`registerAwsEndpoint`) and renders answers
 * and errors in the protocol's shape (`sendAwsError`). See README.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AwsJsonServiceSpec, AwsTarget } from '../../../model/api/aws/json-protocol.js';
import { AWS_JSON_CONTENT_TYPE, AWS_JSON_PATH, AWS_JSON_SERVICES, jsonErrorBody, parseTarget, withEpochSeconds } from '../../../model/api/aws/json-protocol.js';
import { jsonExceptionOf } from '../../../model/api/aws/errors.js';
import type { WharfError } from '../../../model/errors.js';
import { wharfError } from '../../../model/errors.js';
import type { RouteAction, RouteInput } from '../actions.js';
import { ROUTE_ACTIONS } from '../actions.js';
import type { RouteHandlers } from '../handlers.js';
import type { AwsInput, AwsOperation } from './operations.js';
import { AWS_OPERATIONS, nativeInput } from './operations.js';

/** A call to the AWS endpoint, as its headers name it. */
export interface AwsCall {
  readonly target: AwsTarget;
  /** The table's entry; undefined for an operation Wharf does not implement. */
  readonly operation: AwsOperation | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on calls to the AWS endpoint: errors are then answered in the JSON protocol's shape. */
    aws?: AwsCall;
  }
}

/** Marks a request to the AWS endpoint (`POST /` with an `X-Amz-Target`). Reads headers only. */
export function recogniseAwsCall(request: FastifyRequest): void {
  if (request.method !== 'POST' || (request.url.split('?')[0] ?? '') !== AWS_JSON_PATH) return;
  const target = parseTarget(request.headers['x-amz-target']);
  if (!target) return;
  const table = target.service ? AWS_OPERATIONS[target.service.service] : {};
  request.aws = { target, operation: Object.hasOwn(table, target.operation) ? table[target.operation] : undefined };
}

/** The body as the operation's fields: a JSON object, or nothing usable. */
function fieldsOf(body: unknown): AwsInput | undefined {
  if (body === undefined || body === null) return {};
  return typeof body === 'object' && !Array.isArray(body) ? (body as AwsInput) : undefined;
}

const unknownOperation = (call: AwsCall) => wharfError('WHARF_E_UNKNOWN_OPERATION', { target: call.target.target });

/** What the authentication hooks need of an AWS call: the native route's entry, the service the signature must be scoped to, and the input the entry's resources are read from. */
export interface AwsSignedCall {
  readonly key: string;
  readonly entry: RouteAction;
  readonly service: string;
  readonly input: (body: unknown) => RouteInput;
  /** The operation is not Wharf's: refused once the signature is checked. */
  readonly unknown?: WharfError;
}

/**
 * The signed-call view of an AWS call. A target naming no service Wharf serves is refused at once
 * (there is no signing service to check against); an operation Wharf does not implement is
 * refused after its signature is checked, before any policy is read.
 */
export function awsSignedCall(call: AwsCall): AwsSignedCall {
  const service = call.target.service;
  if (!service) throw unknownOperation(call);
  const operation = call.operation;
  if (!operation) {
    const action = `${service.signingName}:${call.target.operation || 'Unknown'}`;
    return { key: `${call.target.target}`, entry: { action, resources: () => ['*'] }, service: service.signingName, input: () => ({ params: {}, query: {}, body: {} }), unknown: unknownOperation(call) };
  }
  const entry = ROUTE_ACTIONS[operation.route];
  if (!entry) throw new Error(`The AWS operation ${call.target.target} names the route ${operation.route}, which has no IAM action`);
  return { key: operation.route, entry, service: service.signingName, input: (body) => nativeInput(operation, fieldsOf(body) ?? {}) };
}

/** Serves `POST /` in a scope of its own, whose parser takes the protocol's content type. */
export function registerAwsEndpoint(app: FastifyInstance, handlers: RouteHandlers, parseJson: Parameters<FastifyInstance['addContentTypeParser']>[2]): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser([AWS_JSON_CONTENT_TYPE, 'application/x-amz-json-1.0'], { parseAs: 'buffer' }, parseJson as never);
    scope.post(AWS_JSON_PATH, async (request, reply) => {
      const call = request.aws;
      if (!call) throw wharfError('WHARF_E_ROUTE_NOT_FOUND', { method: request.method, url: AWS_JSON_PATH });
      const operation = call.operation;
      const handler = operation ? handlers[operation.route] : undefined;
      if (!operation || !handler) throw unknownOperation(call);
      const fields = fieldsOf(request.body);
      if (!fields) {
        throw wharfError('WHARF_E_VALIDATION', { summary: `The ${call.target.operation} request is not a JSON object of its fields` }, { errors: [{ field: '', message: 'Send a JSON object' }] });
      }
      const answer = await handler(nativeInput(operation, fields), request.id);
      void reply.header('x-amzn-requestid', request.id).type(AWS_JSON_CONTENT_TYPE);
      return withEpochSeconds(answer ?? {}, operation.timestamps ?? []);
    });
  });
}

/** The message an AWS client prints: the catalogue's, with each offending field named (the protocol has no `errors` list). */
function messageOf(error: WharfError): string {
  if (error.errors.length === 0) return error.message;
  return `${error.message.replace(/ Fix the fields listed in `errors` and/, ' Fix them and')} Fields: ${error.errors.map((e) => `${e.field || 'body'}: ${e.message}`).join('; ')}.`;
}

/** Answers an error of an AWS call as the JSON protocol does: `{"__type", "message"}`, 400 for the client's errors. */
export function sendAwsError(reply: FastifyReply, call: AwsCall, error: WharfError, requestId: string): FastifyReply {
  const service: AwsJsonServiceSpec = call.target.service ?? AWS_JSON_SERVICES.ecs;
  const { exception, status } = jsonExceptionOf(error.code, service.service);
  return reply.status(status).header('x-amzn-requestid', requestId).type(AWS_JSON_CONTENT_TYPE).send(jsonErrorBody(service, exception, messageOf(error)));
}
