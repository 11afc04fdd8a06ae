// The AWS endpoint's tables against AWS's own service models (the AWS CLI's botocore data): the
// error names walked over the whole catalogue, each operation's native route and IAM action, and
// every timestamp of each operation's response.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as scalingSdk from '@aws-sdk/client-application-auto-scaling';
import * as ecsSdk from '@aws-sdk/client-ecs';
import { ROUTE_ACTIONS } from '../../src/controller/api/actions.js';
import { AWS_OPERATIONS } from '../../src/controller/api/aws/operations.js';
import { AUTOSCALING_EXCEPTIONS, ECS_EXCEPTIONS, JSON_EXCEPTIONS, JSON_PROTOCOL_EXCEPTIONS, jsonExceptionOf, SERVER_EXCEPTIONS } from '../../src/model/api/aws/errors.js';
import { AWS_JSON_SERVICES } from '../../src/model/api/aws/json-protocol.js';
import type { AwsJsonService } from '../../src/model/api/aws/json-protocol.js';
import { ERROR_CATALOGUE } from '../../src/model/errors.js';
import type { ErrorCode } from '../../src/model/errors.js';
import { awsModel, modelExceptions, timestampPaths } from '../support/aws.js';

const SERVICES: readonly AwsJsonService[] = ['ecs', 'application-autoscaling'];

/** Operations Wharf implements that are newer than the AWS CLI 2.9.19's models (the SDK v3 clients have them). */
const NEWER_THAN_CLI_MODEL = new Set([
  'ecs:DeleteTaskDefinitions',
  'ecs:ListServiceDeployments',
  'ecs:DescribeServiceDeployments',
  'application-autoscaling:TagResource',
  'application-autoscaling:UntagResource',
  'application-autoscaling:ListTagsForResource',
]);

/** The exception classes an SDK v3 client exports (its newer operations' exceptions, which the CLI's older model lacks). */
function sdkExceptions(service: AwsJsonService): string[] {
  const sdk = (service === 'ecs' ? ecsSdk : scalingSdk) as unknown as Record<string, unknown>;
  return Object.keys(sdk).filter((name) => /^[A-Z]\w*Exception$/.test(name) && typeof sdk[name] === 'function');
}

test('every catalogue code has an exception of each service, named as its model or the JSON protocol names it, a server one exactly for 5xx', () => {
  const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
  assert.deepEqual(Object.keys(JSON_EXCEPTIONS).sort(), [...codes].sort(), 'one row per catalogue code');
  for (const service of SERVICES) {
    const known = new Set([...modelExceptions(awsModel(service)), ...sdkExceptions(service), ...JSON_PROTOCOL_EXCEPTIONS]);
    const listed: readonly string[] = service === 'ecs' ? ECS_EXCEPTIONS : AUTOSCALING_EXCEPTIONS;
    for (const name of listed) assert.ok(known.has(name), `${service}: ${name} is an exception of its model`);
    for (const code of codes) {
      const { exception, status } = jsonExceptionOf(code, service);
      assert.ok(known.has(exception), `${code} → ${service} ${exception}: not an exception of its model nor of the JSON protocol`);
      const server = ERROR_CATALOGUE[code].status >= 500;
      assert.equal(exception === SERVER_EXCEPTIONS[service], server, `${code} (HTTP ${ERROR_CATALOGUE[code].status}) → ${exception}: server exceptions exactly for 5xx codes`);
      assert.equal(status, server ? ERROR_CATALOGUE[code].status : 400, `${code}: status`);
    }
  }
  assert.equal(jsonExceptionOf('WHARF_E_CLUSTER_NOT_FOUND', 'ecs').exception, 'ClusterNotFoundException');
  assert.equal(jsonExceptionOf('WHARF_E_SERVICE_NOT_FOUND', 'ecs').exception, 'ServiceNotFoundException');
  assert.equal(jsonExceptionOf('WHARF_E_VALIDATION', 'ecs').exception, 'InvalidParameterException');
  assert.equal(jsonExceptionOf('WHARF_E_VALIDATION', 'application-autoscaling').exception, 'ValidationException');
  assert.equal(jsonExceptionOf('WHARF_E_SCALABLE_TARGET_NOT_FOUND', 'application-autoscaling').exception, 'ObjectNotFoundException');
});

/** The operations an SDK v3 client has (its `<Operation>Command` classes). */
function sdkOperations(service: AwsJsonService): Set<string> {
  const sdk = (service === 'ecs' ? ecsSdk : scalingSdk) as unknown as Record<string, unknown>;
  return new Set(Object.keys(sdk).filter((name) => /^[A-Z]\w*Command$/.test(name)).map((name) => name.slice(0, -'Command'.length)));
}

test('each operation is one of its model, served by a native route whose IAM action is the operation', () => {
  const coverage: string[] = [];
  for (const service of SERVICES) {
    const model = awsModel(service);
    const sdk = sdkOperations(service);
    assert.equal(model.metadata.targetPrefix, AWS_JSON_SERVICES[service].targetPrefix, `${service}: target prefix`);
    assert.equal(model.metadata.signingName ?? model.metadata.endpointPrefix, AWS_JSON_SERVICES[service].signingName, `${service}: signing name`);
    const table = AWS_OPERATIONS[service];
    for (const [name, operation] of Object.entries(table)) {
      assert.ok(model.operations[name] || NEWER_THAN_CLI_MODEL.has(`${service}:${name}`), `${service} ${name} is an operation of the model`);
      assert.ok(sdk.has(name), `${service} ${name} is an operation of the SDK v3 client`);
      const entry = ROUTE_ACTIONS[operation.route];
      assert.ok(entry, `${service} ${name}: its route ${operation.route} has an IAM action`);
      assert.equal(entry.action, `${AWS_JSON_SERVICES[service].signingName}:${name}`, `${service} ${name}: the native route's action`);
    }
    coverage.push(`${service} ${Object.keys(table).length} of ${sdk.size} (SDK v3 client), of ${Object.keys(model.operations).length} (AWS CLI 2.9.19's model)`);
  }
  console.log(`# AWS JSON protocol coverage: ${coverage.join('; ')}`);
});

test("each operation converts every timestamp of its model's response", () => {
  for (const service of SERVICES) {
    const model = awsModel(service);
    for (const [name, operation] of Object.entries(AWS_OPERATIONS[service])) {
      const converted = new Set(operation.timestamps ?? []);
      for (const path of timestampPaths(model, name)) assert.ok(converted.has(path), `${service} ${name}: the timestamp ${path} is converted to epoch seconds`);
    }
  }
});
