// The Query protocol's tables against AWS's own service models (the AWS CLI's botocore data) and
// the SDK v3 clients: the error codes walked over the whole catalogue, each operation's native
// route and IAM action, and every request field of each operation taken by the native route's
// schema or listed as not acted on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ebSdk from '@aws-sdk/client-elastic-beanstalk';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing-v2';
import * as iamSdk from '@aws-sdk/client-iam';
import * as stsSdk from '@aws-sdk/client-sts';
import { ROUTE_ACTIONS } from '../../src/controller/api/actions.js';
import type { RouteHandlers } from '../../src/controller/api/handlers.js';
import { QUERY_OPERATIONS } from '../../src/controller/api/aws/query.js';
import type { ApiOperation } from '../../src/model/api/operation.js';
import { iamRoutes } from '../../src/controller/api/routes/iam.js';
import { stsRoutes } from '../../src/controller/api/routes/sts.js';
import { loadBalancingRoutes } from '../../src/controller/api/routes/load-balancing.js';
import { platformRoutes } from '../../src/controller/api/routes/platform.js';
import { QUERY_ERRORS, queryErrorOf } from '../../src/model/api/aws/query-errors.js';
import type { AwsQueryService } from '../../src/model/api/aws/query-protocol.js';
import { AWS_QUERY_SERVICES } from '../../src/model/api/aws/query-protocol.js';
import type { RequestShape } from '../../src/model/api/shape.js';
import { shapeOf } from '../../src/model/api/shape.js';
import { ERROR_CATALOGUE } from '../../src/model/errors.js';
import type { ErrorCode } from '../../src/model/errors.js';
import type { ServiceModel } from '../support/aws.js';
import { awsModel } from '../support/aws.js';

const SERVICES: readonly AwsQueryService[] = ['elasticbeanstalk', 'elasticloadbalancing', 'iam', 'sts'];
const MODEL = { elasticbeanstalk: 'elasticbeanstalk', elasticloadbalancing: 'elbv2', iam: 'iam', sts: 'sts' } as const;
const SDK: Readonly<Record<AwsQueryService, Record<string, unknown>>> = { elasticbeanstalk: ebSdk, elasticloadbalancing: elbSdk, iam: iamSdk, sts: stsSdk };

/**
 * The Query protocol's common errors, which no model lists (AWS's "Common Errors" pages of the
 * Elastic Beanstalk, ELBv2, IAM and STS API references; ExpiredToken is the common error of a
 * session token past its expiry), and Elastic Beanstalk's
 * ConfigurationValidationException, which EB answers an invalid option setting with though its
 * model does not name it.
 */
const COMMON_ERRORS = new Set([
  'AccessDenied',
  'ExpiredToken',
  'IncompleteSignature',
  'InternalFailure',
  'InvalidAction',
  'InvalidClientTokenId',
  'InvalidParameterValue',
  'MalformedQueryString',
  'MissingAuthenticationToken',
  'RequestExpired',
  'ServiceUnavailable',
  'SignatureDoesNotMatch',
  'ValidationError',
]);
const EB_UNMODELLED = new Set(['ConfigurationValidationException']);

/** The model's exceptions by their wire code, with their status. */
function wireErrors(model: ServiceModel): Map<string, number> {
  const codes = new Map<string, number>();
  for (const [name, shape] of Object.entries(model.shapes)) if (shape.exception) codes.set(shape.error?.code ?? name, shape.error?.httpStatusCode ?? 400);
  return codes;
}

/** The Query operations Wharf serves: each one's table row, checked to be what its native route serves (the handler parses the same schema). */
function operationsOf(service: AwsQueryService): Map<string, ApiOperation> {
  // The handlers' closures are never called here: only their request schemas are read.
  const all: RouteHandlers = { ...platformRoutes({} as never), ...loadBalancingRoutes({} as never), ...iamRoutes({} as never), ...stsRoutes({} as never) };
  const prefix = Object.values(QUERY_OPERATIONS[service])[0]!.route.replace(/[^/]+$/, '');
  const served = Object.keys(all).filter((route) => route.startsWith(prefix));
  assert.deepEqual(served.sort(), Object.values(QUERY_OPERATIONS[service]).map((operation) => operation.route).sort(), `${service}: the native routes are the table's`);
  for (const operation of Object.values(QUERY_OPERATIONS[service])) assert.equal(all[operation.route]?.requestSchema, operation.request, `${operation.route} parses the table's schema`);
  return new Map(Object.entries(QUERY_OPERATIONS[service]));
}

test('every catalogue code has an error code of each Query service, as its model or the protocol names it, Receiver exactly for 5xx', () => {
  const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
  assert.deepEqual(Object.keys(QUERY_ERRORS).sort(), [...codes].sort(), 'one row per catalogue code');
  for (const service of SERVICES) {
    const model = wireErrors(awsModel(MODEL[service]));
    for (const code of codes) {
      const answer = queryErrorOf(code, service);
      const known = model.has(answer.code) || COMMON_ERRORS.has(answer.code) || (service === 'elasticbeanstalk' && EB_UNMODELLED.has(answer.code));
      assert.ok(known, `${code} → ${service} ${answer.code}: not an error of its model nor of the Query protocol`);
      const server = ERROR_CATALOGUE[code].status >= 500;
      assert.equal(answer.fault === 'Receiver', server, `${code} (HTTP ${ERROR_CATALOGUE[code].status}) → ${answer.code}: Receiver exactly for 5xx codes`);
      if (server) assert.ok(answer.status >= 500, `${code}: a 5xx status`);
      else if (model.has(answer.code)) assert.equal(answer.status, model.get(answer.code), `${code} → ${answer.code}: the model's status`);
    }
  }
  assert.equal(queryErrorOf('WHARF_E_TARGET_GROUP_NOT_FOUND', 'elasticloadbalancing').code, 'TargetGroupNotFound');
  assert.equal(queryErrorOf('WHARF_E_NO_SUCH_ENTITY', 'iam').status, 404);
  assert.equal(queryErrorOf('WHARF_E_OPERATION_IN_PROGRESS', 'elasticbeanstalk').code, 'OperationInProgressFailure');
  assert.equal(queryErrorOf('WHARF_E_INVALID_CLIENT_TOKEN_ID', 'iam').status, 403);
});

test('each operation is one of its model and SDK client, served by a native route whose IAM action is the operation', () => {
  const coverage: string[] = [];
  for (const service of SERVICES) {
    const model = awsModel(MODEL[service]);
    assert.equal(model.metadata.protocol, 'query');
    assert.equal(model.metadata.apiVersion, AWS_QUERY_SERVICES[service].version, `${service}: version`);
    assert.equal(model.metadata.xmlNamespace, AWS_QUERY_SERVICES[service].xmlNamespace, `${service}: namespace`);
    assert.equal(model.metadata.signingName ?? model.metadata.endpointPrefix, service, `${service}: signing name`);
    const sdk = new Set(Object.keys(SDK[service]).filter((name) => /^[A-Z]\w*Command$/.test(name)).map((name) => name.slice(0, -'Command'.length)));
    const operations = operationsOf(service);
    for (const name of operations.keys()) {
      assert.ok(model.operations[name], `${service} ${name} is an operation of the model`);
      assert.ok(sdk.has(name), `${service} ${name} is an operation of the SDK v3 client`);
      assert.equal(ROUTE_ACTIONS[QUERY_OPERATIONS[service][name]!.route]?.action, `${service}:${name}`, `${service} ${name}: the native route's action`);
    }
    coverage.push(`${service} ${operations.size} of ${Object.keys(model.operations).length} (AWS CLI's model), of ${sdk.size} (SDK v3 client)`);
  }
  console.log(`# AWS Query protocol coverage: ${coverage.join('; ')}`);
});

/** The places of a model shape that the Query shape does not have, as `OptionSettings[].ResourceName`. */
function missing(model: ServiceModel, shapeName: string, shape: RequestShape | undefined, at: string, depth = 0): string[] {
  const modelShape = model.shapes[shapeName];
  if (!modelShape || depth > 8) return [];
  if (!shape) return [at];
  if (shape.kind === 'any') return []; // taken as it is (and refused by name, or bounded, by the schema)
  if (modelShape.type === 'structure') {
    if (shape.kind !== 'structure') return [at];
    return Object.entries(modelShape.members ?? {}).flatMap(([member, ref]) => {
      const inner = Object.hasOwn(shape.members, member) ? shape.members[member]?.() : undefined;
      return missing(model, ref.shape, inner, at === '' ? member : `${at}.${member}`, depth + 1);
    });
  }
  if (modelShape.type === 'list') return shape.kind === 'list' && modelShape.member ? missing(model, modelShape.member.shape, shape.element, `${at}[]`, depth + 1) : [at];
  if (modelShape.type === 'map') return shape.kind === 'map' && modelShape.value ? missing(model, modelShape.value.shape, shape.value, `${at}{}`, depth + 1) : [at];
  return [];
}

test("every request field of each operation's model is taken by its native route, or listed as not acted on (and those lists are exact)", () => {
  const untaken: string[] = [];
  for (const service of SERVICES) {
    const model = awsModel(MODEL[service]);
    for (const [name, operation] of operationsOf(service)) {
      const input = model.operations[name]?.input?.shape;
      if (!input) continue;
      const shape = shapeOf(operation.request);
      const notActedOn = operation.notActedOn ?? [];
      for (const path of missing(model, input, shape, '')) if (!notActedOn.includes(path.split(/[.[{]/)[0] ?? path)) untaken.push(`${service} ${name}: ${path}`);
      for (const field of notActedOn) {
        assert.ok(shape.kind === 'structure' && !Object.hasOwn(shape.members, field), `${service} ${name}: ${field} is taken by the native route, so it is not "not acted on"`);
        assert.ok(Object.hasOwn(model.shapes[input]?.members ?? {}, field), `${service} ${name}: ${field} is a field of the model`);
      }
    }
  }
  assert.deepEqual(untaken, [], `fields of the models that the native routes would refuse as unknown:\n${untaken.join('\n')}`);
});
